"""The JSON API at /api/v1: one NinjaAPI that collects each app's router and answers every
error in the envelope of ``seedbed.core.api``."""

from seedbed.accounts.api import auth_router, me_router, members_router
from seedbed.communities.api import router as communities_router
from seedbed.core.api import EnvelopeAPI
from seedbed.discovery.api import router as discovery_router
from seedbed.engagement.api import router as engagement_router
from seedbed.events.api import router as events_router
from seedbed.insights.api import router as insights_router
from seedbed.library.api import router as library_router
from seedbed.matching.api import router as matching_router
from seedbed.notifications.api import router as notifications_router
from seedbed.privacy.api import router as privacy_router

api = EnvelopeAPI(
    title="Seedbed API",
    version="1",
    description="Communities, events and resource matching for startup communities.",
    urls_namespace="api",
    docs_url="/docs",
)

api.add_router("/auth", auth_router)
api.add_router("/me", me_router)
api.add_router("/members", members_router)
api.add_router("", "seedbed.search.api.router")  # before communities: it answers /search
api.add_router("", communities_router)
api.add_router("", events_router)
api.add_router("", matching_router)
api.add_router("", notifications_router)
api.add_router("", discovery_router)
api.add_router("", insights_router)
api.add_router("", engagement_router)
api.add_router("", library_router)
api.add_router("", privacy_router)
