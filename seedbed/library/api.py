"""The learning library under /api/v1, with the rules of the pages (the same services)."""

from datetime import datetime
from types import SimpleNamespace

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from seedbed.accounts.auth import MEMBER, VISITOR
from seedbed.core.api import Input, Pages
from seedbed.library import services, suggestions
from seedbed.library.models import (
    Level,
    Rating,
    Resource,
    ResourceKind,
    ResourceLanguage,
    ResourceStatus,
    Track,
)
from seedbed.library.views import file_response

router = Router(tags=["library"])


def _token(request: HttpRequest) -> int | None:
    return getattr(request, "api_token_id", None)


class ResourceOut(Schema):
    id: int
    kind: ResourceKind
    title: str
    description: str
    description_html: str
    link: str
    file_url: str | None
    file_name: str
    file_size: int
    language: ResourceLanguage
    level: str
    topics: list[str]
    sectors: list[str]
    community: str | None
    author_id: int | None
    status: ResourceStatus
    created_at: datetime
    rating_count: int
    average_rating: float | None

    @staticmethod
    def resolve_file_url(obj: Resource) -> str | None:
        return reverse("library:file", args=[obj.pk]) if obj.file else None

    @staticmethod
    def resolve_topics(obj: Resource) -> list[str]:
        return [t.name for t in obj.topics.all()]

    @staticmethod
    def resolve_sectors(obj: Resource) -> list[str]:
        return [s.slug for s in obj.sectors.all()]

    @staticmethod
    def resolve_community(obj: Resource) -> str | None:
        return obj.community.slug if obj.community else None


class ResourceIn(Input):
    kind: ResourceKind
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=10_000)
    link: str = Field("", max_length=500)
    language: ResourceLanguage = ResourceLanguage.EN
    level: Level | None = None
    topics: list[str] = Field(default_factory=list, max_length=8)
    sectors: list[str] = Field(default_factory=list, max_length=30)
    community: str | None = None


class ResourcePatch(Input):
    kind: ResourceKind | None = None
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=10_000)
    link: str | None = Field(None, max_length=500)
    language: ResourceLanguage | None = None
    level: Level | None = None
    topics: list[str] | None = Field(None, max_length=8)
    sectors: list[str] | None = Field(None, max_length=30)


class DecisionIn(Input):
    decision: str = Field(..., description="approve, hide or reject")
    note: str = Field("", max_length=500)


class ReportIn(Input):
    reason: str = Field(..., max_length=1000)


class RatingIn(Input):
    stars: int = Field(..., ge=1, le=5)
    review: str = Field("", max_length=5000)


class RatingOut(Schema):
    id: int
    user_id: int
    display_name: str
    stars: int
    review: str
    updated_at: datetime

    @staticmethod
    def resolve_display_name(obj: Rating) -> str:
        return obj.user.display_name


class ShelfOut(Schema):
    saved: bool
    done: bool


class ShelfIn(Input):
    on: bool = True


class SuggestionOut(Schema):
    resource: ResourceOut
    reason: str
    score: float


class TrackOut(Schema):
    id: int
    title: str
    description: str
    description_html: str
    community: str | None

    @staticmethod
    def resolve_community(obj: Track) -> str | None:
        return obj.community.slug if obj.community else None


class TrackDetailOut(TrackOut):
    resources: list[ResourceOut]
    done: int
    total: int
    following: bool


class TrackIn(Input):
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=5000)
    community: str | None = None


class TrackPatch(Input):
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)


class TrackResourcesIn(Input):
    resources: list[int] = Field(..., max_length=100)


class AttachIn(Input):
    resource: int


def _shelf(entry) -> dict[str, bool]:
    return {
        "saved": bool(entry and entry.saved_at),
        "done": bool(entry and entry.done_at),
    }


def _track_detail(view: services.TrackView) -> SimpleNamespace:
    track = view.track
    return SimpleNamespace(
        id=track.pk,
        title=track.title,
        description=track.description,
        description_html=track.description_html,
        community=track.community,
        resources=view.resources,
        done=view.done,
        total=view.total,
        following=view.following,
    )


# Resources -------------------------------------------------------------------------------------


@router.get("/library/resources", response=list[ResourceOut], auth=VISITOR)
@paginate(Pages)
def list_resources(
    request: HttpRequest,
    kind: str = "",
    community: str = "",
    language: str = "",
    level: str = "",
    topic: str = "",
):
    """Published resources the caller may see, newest first."""
    return services.browse(
        request.user, kind=kind, community=community, language=language, level=level, topic=topic
    )


@router.post("/library/resources", response={201: ResourceOut}, auth=MEMBER)
def add_resource(request: HttpRequest, payload: ResourceIn):
    """A member's addition waits for a moderator; a moderator's is published at once. Upload
    a file with ``POST /library/resources/{id}/file``."""
    fields = payload.dict()
    fields["level"] = fields["level"] or ""
    resource = services.add_resource(request.user, **fields, token_id=_token(request))
    return Status(201, services.get_resource(request.user, resource.pk).resource)


@router.get("/library/resources/{resource_id}", response=ResourceOut, auth=VISITOR)
def get_resource(request: HttpRequest, resource_id: int):
    return services.get_resource(request.user, resource_id).resource


@router.patch("/library/resources/{resource_id}", response=ResourceOut, auth=MEMBER)
def edit_resource(request: HttpRequest, resource_id: int, payload: ResourcePatch):
    changes = payload.dict(exclude_unset=True)
    if "level" in changes:
        changes["level"] = changes["level"] or ""
    services.edit_resource(request.user, resource_id, **changes)
    return services.get_resource(request.user, resource_id).resource


@router.post("/library/resources/{resource_id}/file", response=ResourceOut, auth=MEMBER)
def upload_file(request: HttpRequest, resource_id: int, file: File[UploadedFile]):
    """Attach or replace the resource's file: a PDF or slides, checked by content and size."""
    services.edit_resource(request.user, resource_id, upload=file)
    return services.get_resource(request.user, resource_id).resource


@router.get("/library/resources/{resource_id}/file", auth=VISITOR, response={200: None})
def download_file(request: HttpRequest, resource_id: int) -> FileResponse:
    """The uploaded file, for those who may see the resource (404 for everyone else)."""
    return file_response(request, resource_id)


@router.post("/library/resources/{resource_id}/decision", response=ResourceOut, auth=MEMBER)
def decide(request: HttpRequest, resource_id: int, payload: DecisionIn):
    """Moderators: approve, hide or reject."""
    services.decide_resource(request.user, resource_id, payload.decision, payload.note)
    return services.get_resource(request.user, resource_id).resource


@router.post("/library/resources/{resource_id}/report", response={204: None}, auth=MEMBER)
def report(request: HttpRequest, resource_id: int, payload: ReportIn):
    services.report_resource(request.user, resource_id, payload.reason)
    return Status(204, None)


@router.get("/library/queue", response=list[ResourceOut], auth=MEMBER)
@paginate(Pages)
def queue(request: HttpRequest, community: str = ""):
    """Pending and reported resources: a community's for its moderators, all for operators."""
    return services.moderation_queue(request.user, community)


@router.get("/library/resources/{resource_id}/ratings", response=list[RatingOut], auth=VISITOR)
@paginate(Pages)
def list_ratings(request: HttpRequest, resource_id: int):
    return services.reviews(services.get_resource(request.user, resource_id))


@router.put("/library/resources/{resource_id}/rating", response=RatingOut, auth=MEMBER)
def rate(request: HttpRequest, resource_id: int, payload: RatingIn):
    """Rate 1–5 with an optional review; again replaces."""
    rating = services.rate_resource(request.user, resource_id, payload.stars, payload.review)
    return Rating.objects.select_related("user").get(pk=rating.pk)


@router.put("/library/resources/{resource_id}/saved", response=ShelfOut, auth=MEMBER)
def save(request: HttpRequest, resource_id: int, payload: ShelfIn):
    return _shelf(services.save_resource(request.user, resource_id, payload.on))


@router.put("/library/resources/{resource_id}/done", response=ShelfOut, auth=MEMBER)
def done(request: HttpRequest, resource_id: int, payload: ShelfIn):
    return _shelf(services.mark_done(request.user, resource_id, payload.on))


@router.get("/library/mine", response=list[ResourceOut], auth=MEMBER)
@paginate(Pages)
def my_library(request: HttpRequest, shelf: str = ""):
    """My library: saved and done resources (``shelf`` = saved or done to narrow)."""
    return services.my_library(request.user, shelf)


@router.get("/library/suggestions", response=list[SuggestionOut], auth=MEMBER)
def suggested(request: HttpRequest, limit: int = Query(10, ge=1, le=20)):
    """Resources for me, each with its reason."""
    return suggestions.suggestions_for(request.user, limit)


# Tracks ----------------------------------------------------------------------------------------


@router.get("/library/tracks", response=list[TrackOut], auth=VISITOR)
@paginate(Pages)
def list_tracks(request: HttpRequest, community: str = ""):
    return services.tracks(request.user, community)


@router.post("/library/tracks", response={201: TrackDetailOut}, auth=MEMBER)
def create_track(request: HttpRequest, payload: TrackIn):
    """Operators (anywhere) and community owners (in their community)."""
    track = services.create_track(request.user, **payload.dict())
    return Status(201, _track_detail(services.view_track(request.user, track.pk)))


@router.get("/library/tracks/{track_id}", response=TrackDetailOut, auth=VISITOR)
def get_track(request: HttpRequest, track_id: int):
    """The track's resources the caller may see, and their progress."""
    return _track_detail(services.view_track(request.user, track_id))


@router.patch("/library/tracks/{track_id}", response=TrackDetailOut, auth=MEMBER)
def edit_track(request: HttpRequest, track_id: int, payload: TrackPatch):
    services.edit_track(request.user, track_id, **payload.dict(exclude_unset=True))
    return _track_detail(services.view_track(request.user, track_id))


@router.delete("/library/tracks/{track_id}", response={204: None}, auth=MEMBER)
def delete_track(request: HttpRequest, track_id: int):
    services.delete_track(request.user, track_id)
    return Status(204, None)


@router.put("/library/tracks/{track_id}/resources", response=TrackDetailOut, auth=MEMBER)
def set_track_resources(request: HttpRequest, track_id: int, payload: TrackResourcesIn):
    """Replace the track's resources, in this order."""
    services.set_track_resources(request.user, track_id, payload.resources)
    return _track_detail(services.view_track(request.user, track_id))


@router.put("/library/tracks/{track_id}/follow", response={204: None}, auth=MEMBER)
def follow(request: HttpRequest, track_id: int):
    services.follow_track(request.user, track_id, True)
    return Status(204, None)


@router.delete("/library/tracks/{track_id}/follow", response={204: None}, auth=MEMBER)
def unfollow(request: HttpRequest, track_id: int):
    services.follow_track(request.user, track_id, False)
    return Status(204, None)


# Events and posts ------------------------------------------------------------------------------


@router.get("/events/{event_id}/resources", response=list[ResourceOut], auth=VISITOR)
def event_resources(request: HttpRequest, event_id: int):
    return services.resources_of_event(request.user, event_id)


@router.post("/events/{event_id}/resources", response={204: None}, auth=MEMBER)
def attach_to_event(request: HttpRequest, event_id: int, payload: AttachIn):
    """The event's organisers attach a published resource of the platform or its community."""
    services.attach_to_event(request.user, event_id, payload.resource)
    return Status(204, None)


@router.delete("/events/{event_id}/resources/{resource_id}", response={204: None}, auth=MEMBER)
def detach_from_event(request: HttpRequest, event_id: int, resource_id: int):
    services.detach_from_event(request.user, event_id, resource_id)
    return Status(204, None)


@router.get("/posts/{post_id}/resources", response=list[ResourceOut], auth=VISITOR)
def post_resources(request: HttpRequest, post_id: int):
    return services.resources_of_post(request.user, post_id)


@router.post("/posts/{post_id}/resources", response={204: None}, auth=MEMBER)
def attach_to_post(request: HttpRequest, post_id: int, payload: AttachIn):
    """The post's author or a moderator attaches a published resource."""
    services.attach_to_post(request.user, post_id, payload.resource)
    return Status(204, None)


@router.delete("/posts/{post_id}/resources/{resource_id}", response={204: None}, auth=MEMBER)
def detach_from_post(request: HttpRequest, post_id: int, resource_id: int):
    services.detach_from_post(request.user, post_id, resource_id)
    return Status(204, None)
