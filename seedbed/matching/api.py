"""Resource matching under /api/v1: projects, offers, their matches, double opt-in intros and
the operators' pipeline and rounds, with exactly the rules of the pages (the same service
functions). Every route needs a signed-in member."""

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from seedbed.accounts.auth import MEMBER
from seedbed.accounts.models import Stage
from seedbed.core.api import Pages
from seedbed.core.requests import ApiRequest
from seedbed.matching import services
from seedbed.matching.access import SeenIntro, SeenProject, seen_projects
from seedbed.matching.models import IntroStatus, OfferKind
from seedbed.matching.schemas import (
    DeclineIn,
    IntroDetailOut,
    IntroIn,
    IntroMessageIn,
    IntroMessageOut,
    IntroOut,
    MatchOut,
    OfferIn,
    OfferOut,
    OfferPatch,
    OutcomeIn,
    PipelineOut,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
    RoundIn,
    RoundOut,
    SentOut,
)

router = Router(tags=["matching"])


class ProjectPagination(Pages):
    """Page numbers like the other lists; the page's projects are marked with their deal
    access in one go once the page is cut."""

    def paginate_queryset(self, queryset, pagination, request: HttpRequest, **params: Any):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        items = list(page[self.items_attribute])
        page[self.items_attribute] = seen_projects(request.user, items)
        return page


def _project(request: ApiRequest, slug: str) -> SeenProject:
    return seen_projects(request.user, [services.get_project(request.user, slug)])[0]


def _intro(request: ApiRequest, intro_id: int) -> SeenIntro:
    """The intro with what this caller may know about it."""
    access = services.get_intro(request.user, intro_id)
    return SeenIntro(access, services.intro_contacts(access) or None)


# Projects ---------------------------------------------------------------------------------------


@router.get("/projects", response=list[ProjectOut], auth=MEMBER)
@paginate(ProjectPagination)
def list_projects(
    request: ApiRequest,
    q: str = Query("", max_length=80),
    sector: str = Query("", max_length=50),
    stage: Stage | None = None,
    need: Literal["funding", "talent", "mentoring", "services"] | None = None,
):
    """Active projects; the funding fields only where the caller may read deal data."""
    return services.project_directory(
        request.user, q=q, sector=sector, stage=stage or "", need=need or ""
    )


@router.post("/projects", response={201: ProjectOut}, auth=MEMBER)
def create_project(request: ApiRequest, payload: ProjectIn):
    project = services.create_project(request.user, **payload.dict())
    return Status(201, _project(request, project.slug))


@router.get("/projects/{slug}", response=ProjectOut, auth=MEMBER)
def get_project(request: ApiRequest, slug: str):
    return _project(request, slug)


@router.patch("/projects/{slug}", response=ProjectOut, auth=MEMBER)
def patch_project(request: ApiRequest, slug: str, payload: ProjectPatch):
    """The team only; fields left out keep their values."""
    services.update_project(request.user, slug, **payload.dict(exclude_unset=True))
    return _project(request, slug)


@router.get("/projects/{slug}/matches", response=list[MatchOut], auth=MEMBER)
@paginate(Pages)
def project_matches(request: ApiRequest, slug: str, kind: OfferKind | None = None):
    """The offers matched to a project, best first: for its team and operators."""
    _, matches = services.matches_for_project(request.user, slug, kind=kind or "")
    return matches.select_related("project")


# Offers -----------------------------------------------------------------------------------------


@router.get("/offers", response=list[OfferOut], auth=MEMBER)
@paginate(Pages)
def list_offers(
    request: ApiRequest,
    kind: OfferKind | None = None,
    q: str = Query("", max_length=80),
    sector: str = Query("", max_length=50),
):
    """Open offers."""
    return services.offer_directory(request.user, kind=kind or "", q=q, sector=sector)


@router.post("/offers", response={201: OfferOut}, auth=MEMBER)
def create_offer(request: ApiRequest, payload: OfferIn):
    fields = payload.dict()
    offer = services.create_offer(request.user, fields.pop("kind"), **fields)
    return Status(201, services.get_offer(request.user, offer.pk))


@router.get("/offers/{offer_id}", response=OfferOut, auth=MEMBER)
def get_offer(request: ApiRequest, offer_id: int):
    return services.get_offer(request.user, offer_id)


@router.patch("/offers/{offer_id}", response=OfferOut, auth=MEMBER)
def patch_offer(request: ApiRequest, offer_id: int, payload: OfferPatch):
    """The owner only; fields left out keep their values."""
    services.update_offer(request.user, offer_id, **payload.dict(exclude_unset=True))
    return services.get_offer(request.user, offer_id)


@router.get("/offers/{offer_id}/matches", response=list[MatchOut], auth=MEMBER)
@paginate(Pages)
def offer_matches(request: ApiRequest, offer_id: int):
    """The projects matched to an offer, best first: for its owner and operators."""
    _offer, matches = services.matches_for_offer(request.user, offer_id)
    return matches.select_related("offer__owner")


# Intros -----------------------------------------------------------------------------------------


@router.get("/intros", response=list[IntroOut], auth=MEMBER)
@paginate(Pages)
def list_intros(request: ApiRequest, status: IntroStatus | None = None):
    """Intros where the caller is on either side, newest first."""
    intros = services.intros_for(request.user)
    return intros.filter(status=status) if status else intros


@router.post("/intros", response={201: IntroDetailOut}, auth=MEMBER)
def request_intro(request: ApiRequest, payload: IntroIn):
    """Either side asks; the other side's yes makes it an introduction."""
    intro = services.request_intro(
        request.user,
        payload.project,
        payload.offer,
        message=payload.message,
        token_id=getattr(request, "api_token_id", None),
    )
    return Status(201, _intro(request, intro.pk))


@router.get("/intros/{intro_id}", response=IntroDetailOut, auth=MEMBER)
def get_intro(request: ApiRequest, intro_id: int):
    return _intro(request, intro_id)


@router.post("/intros/{intro_id}/accept", response=IntroDetailOut, auth=MEMBER)
def accept_intro(request: ApiRequest, intro_id: int):
    services.answer_intro(request.user, intro_id, accept=True)
    return _intro(request, intro_id)


@router.post("/intros/{intro_id}/decline", response=IntroDetailOut, auth=MEMBER)
def decline_intro(request: ApiRequest, intro_id: int, payload: DeclineIn):
    services.answer_intro(
        request.user, intro_id, accept=False, reason=payload.reason, note=payload.note
    )
    return _intro(request, intro_id)


@router.post("/intros/{intro_id}/withdraw", response=IntroDetailOut, auth=MEMBER)
def withdraw_intro(request: ApiRequest, intro_id: int):
    services.withdraw_intro(request.user, intro_id)
    return _intro(request, intro_id)


@router.post("/intros/{intro_id}/met", response=IntroDetailOut, auth=MEMBER)
def record_meeting(request: ApiRequest, intro_id: int):
    services.record_meeting(request.user, intro_id)
    return _intro(request, intro_id)


@router.post("/intros/{intro_id}/outcome", response=IntroDetailOut, auth=MEMBER)
def record_outcome(request: ApiRequest, intro_id: int, payload: OutcomeIn):
    services.record_outcome(request.user, intro_id, payload.outcome)
    return _intro(request, intro_id)


@router.get("/intros/{intro_id}/messages", response=list[IntroMessageOut], auth=MEMBER)
@paginate(Pages)
def list_messages(request: ApiRequest, intro_id: int):
    """The thread: for the two sides once both accepted (operators run the pipeline but do
    not read it)."""
    return services.intro_thread(services.get_intro(request.user, intro_id))


@router.post("/intros/{intro_id}/messages", response={201: IntroMessageOut}, auth=MEMBER)
def post_message(request: ApiRequest, intro_id: int, payload: IntroMessageIn):
    message = services.post_intro_message(request.user, intro_id, payload.body)
    return Status(201, message)


# Operators --------------------------------------------------------------------------------------


@router.get("/pipeline", response=PipelineOut, auth=MEMBER)
def pipeline(request: ApiRequest, kind: OfferKind | None = None):
    """Operators: intros at each stage, outcomes, conversion rates, and counts by offer kind."""
    return services.pipeline(request.user, kind=kind or "")


@router.post("/rounds", response={201: RoundOut}, auth=MEMBER)
def create_round(request: ApiRequest, payload: RoundIn):
    """Operators: allocate one kind of offer to projects, optimal under both capacities."""
    round_ = services.create_round(request.user, **payload.dict())
    return Status(201, services.get_round(request.user, round_.pk))


@router.get("/rounds/{round_id}", response=RoundOut, auth=MEMBER)
def get_round(request: ApiRequest, round_id: int):
    return services.get_round(request.user, round_id)


@router.post("/rounds/{round_id}/send", response=SentOut, auth=MEMBER)
def send_round(request: ApiRequest, round_id: int):
    """Operators: send each proposal as an intro both sides must accept."""
    return {"sent": services.send_round(request.user, round_id)}
