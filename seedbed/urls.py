from django.contrib import admin
from django.urls import include, path

from seedbed.api import api
from seedbed.site import views as site_views
from seedbed.site import views_onboarding as onboarding_views

urlpatterns = [
    path("", site_views.home, name="home"),
    path("health/", site_views.health, name="health"),
    path("search/", include("seedbed.search.urls")),
    path("operator/", site_views.operator_overview, name="operator"),
    path("welcome/", onboarding_views.start, name="onboarding"),
    path("welcome/interests/", onboarding_views.interests, name="onboarding_interests"),
    path("welcome/communities/", onboarding_views.communities, name="onboarding_communities"),
    path("welcome/communities/<slug:slug>/join/", onboarding_views.join, name="onboarding_join"),
    path("welcome/profile/", onboarding_views.profile, name="onboarding_profile"),
    path("welcome/<int:step>/skip/", onboarding_views.skip, name="onboarding_skip"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("seedbed.accounts.urls")),
    path("", include("seedbed.communities.urls")),
    path("", include("seedbed.events.urls")),
    path("", include("seedbed.matching.urls")),
    path("", include("seedbed.notifications.urls")),
    path("", include("seedbed.discovery.urls")),
    path("", include("seedbed.insights.urls")),
    path("", include("seedbed.engagement.urls")),
    path("", include("seedbed.library.urls")),
    path("", include("seedbed.privacy.urls")),
]
