"""Resource matching under /api/v1: projects, offers, their matches, double opt-in intros and
the operators' pipeline and rounds, with exactly the rules of the pages (the same service
functions). Every route needs a signed-in member."""

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from seedbed.accounts.auth import MEMBER
from seedbed.accounts.models import Stage
from seedbed.core.api import Pages
from seedbed.matching import services
from seedbed.matching.models import Intro, IntroStatus, MatchingRound, OfferKind, Project
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


def _token(request: HttpRequest) -> int | None:
    return getattr(request, "api_token_id", None)


def _with_deal_access(user, projects: list[Project]) -> list[Project]:
    """Mark each project with whether ``user`` may read its deal data: one access check for
    the whole list, never one per row."""
    allowed = services.deal_access(user, projects)
    for project in projects:
        project.deal_visible = project.pk in allowed
    return projects


class ProjectPagination(Pages):
    """Page numbers like the other lists; the page's projects are marked with their deal
    access in one go once the page is cut."""

    def paginate_queryset(self, queryset, pagination, request: HttpRequest, **params: Any):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        items = list(page[self.items_attribute])
        page[self.items_attribute] = _with_deal_access(request.user, items)
        return page


def _project(request: HttpRequest, slug: str) -> Project:
    return _with_deal_access(request.user, [services.get_project(request.user, slug)])[0]


def _intro_detail(view: services.IntroView) -> Intro:
    """The intro with what this caller may know about it attached."""
    intro = view.intro
    intro.is_party = bool(view.is_party)
    intro.can_answer, intro.can_withdraw = bool(view.can_answer), bool(view.can_withdraw)
    intro.can_record = bool(view.can_record)
    contacts = services.intro_contacts(view)
    intro.contacts = contacts or None
    return intro


def _intro(request: HttpRequest, intro_id: int) -> Intro:
    return _intro_detail(services.get_intro(request.user, intro_id))


def _round(request: HttpRequest, round_id: int) -> MatchingRound:
    round_ = services.get_round(request.user, round_id)
    round_.proposal_list = list(services.round_proposals(round_))
    return round_


# Projects ---------------------------------------------------------------------------------------


@router.get("/projects", response=list[ProjectOut], auth=MEMBER)
@paginate(ProjectPagination)
def list_projects(
    request: HttpRequest,
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
def create_project(request: HttpRequest, payload: ProjectIn):
    project = services.create_project(request.user, **payload.dict())
    return Status(201, _project(request, project.slug))


@router.get("/projects/{slug}", response=ProjectOut, auth=MEMBER)
def get_project(request: HttpRequest, slug: str):
    return _project(request, slug)


@router.patch("/projects/{slug}", response=ProjectOut, auth=MEMBER)
def patch_project(request: HttpRequest, slug: str, payload: ProjectPatch):
    """The team only; fields left out keep their values."""
    services.update_project(request.user, slug, **payload.dict(exclude_unset=True))
    return _project(request, slug)


@router.get("/projects/{slug}/matches", response=list[MatchOut], auth=MEMBER)
@paginate(Pages)
def project_matches(request: HttpRequest, slug: str, kind: OfferKind | None = None):
    """The offers matched to a project, best first: for its team and operators."""
    _, matches = services.matches_for_project(request.user, slug, kind=kind or "")
    return matches.select_related("project")


# Offers -----------------------------------------------------------------------------------------


@router.get("/offers", response=list[OfferOut], auth=MEMBER)
@paginate(Pages)
def list_offers(
    request: HttpRequest,
    kind: OfferKind | None = None,
    q: str = Query("", max_length=80),
    sector: str = Query("", max_length=50),
):
    """Open offers."""
    return services.offer_directory(request.user, kind=kind or "", q=q, sector=sector)


@router.post("/offers", response={201: OfferOut}, auth=MEMBER)
def create_offer(request: HttpRequest, payload: OfferIn):
    fields = payload.dict()
    offer = services.create_offer(request.user, fields.pop("kind"), **fields)
    return Status(201, services.get_offer(request.user, offer.pk))


@router.get("/offers/{offer_id}", response=OfferOut, auth=MEMBER)
def get_offer(request: HttpRequest, offer_id: int):
    return services.get_offer(request.user, offer_id)


@router.patch("/offers/{offer_id}", response=OfferOut, auth=MEMBER)
def patch_offer(request: HttpRequest, offer_id: int, payload: OfferPatch):
    """The owner only; fields left out keep their values."""
    services.update_offer(request.user, offer_id, **payload.dict(exclude_unset=True))
    return services.get_offer(request.user, offer_id)


@router.get("/offers/{offer_id}/matches", response=list[MatchOut], auth=MEMBER)
@paginate(Pages)
def offer_matches(request: HttpRequest, offer_id: int):
    """The projects matched to an offer, best first: for its owner and operators."""
    _offer, matches = services.matches_for_offer(request.user, offer_id)
    return matches.select_related("offer__owner")


# Intros -----------------------------------------------------------------------------------------


@router.get("/intros", response=list[IntroOut], auth=MEMBER)
@paginate(Pages)
def list_intros(request: HttpRequest, status: IntroStatus | None = None):
    """Intros where the caller is on either side, newest first."""
    intros = services.intros_for(request.user)
    return intros.filter(status=status) if status else intros


@router.post("/intros", response={201: IntroDetailOut}, auth=MEMBER)
def request_intro(request: HttpRequest, payload: IntroIn):
    """Either side asks; the other side's yes makes it an introduction."""
    intro = services.request_intro(
        request.user,
        payload.project,
        payload.offer,
        message=payload.message,
        token_id=_token(request),
    )
    return Status(201, _intro(request, intro.pk))


@router.get("/intros/{intro_id}", response=IntroDetailOut, auth=MEMBER)
def get_intro(request: HttpRequest, intro_id: int):
    return _intro(request, intro_id)


@router.post("/intros/{intro_id}/accept", response=IntroDetailOut, auth=MEMBER)
def accept_intro(request: HttpRequest, intro_id: int):
    services.answer_intro(request.user, intro_id, accept=True)
    return _intro(request, intro_id)


@router.post("/intros/{intro_id}/decline", response=IntroDetailOut, auth=MEMBER)
def decline_intro(request: HttpRequest, intro_id: int, payload: DeclineIn):
    services.answer_intro(
        request.user, intro_id, accept=False, reason=payload.reason, note=payload.note
    )
    return _intro(request, intro_id)


@router.post("/intros/{intro_id}/withdraw", response=IntroDetailOut, auth=MEMBER)
def withdraw_intro(request: HttpRequest, intro_id: int):
    services.withdraw_intro(request.user, intro_id)
    return _intro(request, intro_id)


@router.post("/intros/{intro_id}/met", response=IntroDetailOut, auth=MEMBER)
def record_meeting(request: HttpRequest, intro_id: int):
    services.record_meeting(request.user, intro_id)
    return _intro(request, intro_id)


@router.post("/intros/{intro_id}/outcome", response=IntroDetailOut, auth=MEMBER)
def record_outcome(request: HttpRequest, intro_id: int, payload: OutcomeIn):
    services.record_outcome(request.user, intro_id, payload.outcome)
    return _intro(request, intro_id)


@router.get("/intros/{intro_id}/messages", response=list[IntroMessageOut], auth=MEMBER)
@paginate(Pages)
def list_messages(request: HttpRequest, intro_id: int):
    """The thread: for the two sides once both accepted (operators run the pipeline but do
    not read it)."""
    view = services.get_intro(request.user, intro_id)
    if not view.shows_contacts:
        raise PermissionDenied(_("The thread opens when both sides have accepted."))
    return services.intro_thread(view)


@router.post("/intros/{intro_id}/messages", response={201: IntroMessageOut}, auth=MEMBER)
def post_message(request: HttpRequest, intro_id: int, payload: IntroMessageIn):
    message = services.post_intro_message(request.user, intro_id, payload.body)
    return Status(201, message)


# Operators --------------------------------------------------------------------------------------


@router.get("/pipeline", response=PipelineOut, auth=MEMBER)
def pipeline(request: HttpRequest, kind: OfferKind | None = None):
    """Operators: intros at each stage, outcomes, conversion rates, and counts by offer kind."""
    return services.pipeline(request.user, kind=kind or "")


@router.post("/rounds", response={201: RoundOut}, auth=MEMBER)
def create_round(request: HttpRequest, payload: RoundIn):
    """Operators: allocate one kind of offer to projects, optimal under both capacities."""
    round_ = services.create_round(request.user, **payload.dict())
    return Status(201, _round(request, round_.pk))


@router.get("/rounds/{round_id}", response=RoundOut, auth=MEMBER)
def get_round(request: HttpRequest, round_id: int):
    return _round(request, round_id)


@router.post("/rounds/{round_id}/send", response=SentOut, auth=MEMBER)
def send_round(request: HttpRequest, round_id: int):
    """Operators: send each proposal as an intro both sides must accept."""
    return {"sent": services.send_round(request.user, round_id)}
