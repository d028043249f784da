"""Request and response bodies of the matching API.

Deal data (``Project.DEAL_FIELDS``) is closed by default: a project shows its funding fields
only when the handler passes it as a ``SeenProject`` whose ``deal_visible`` came from
``deal_access``; a bare project reads as hidden."""

from datetime import datetime

from ninja import Field, Schema

from seedbed.accounts.models import Stage, User
from seedbed.core.api import Input
from seedbed.matching.access import SeenIntro, SeenProject
from seedbed.matching.models import (
    Availability,
    DeclineReason,
    Instrument,
    IntroStatus,
    Match,
    MatchingRound,
    Offer,
    OfferKind,
    Outcome,
    PriceBand,
    Project,
    ProjectStatus,
    Proposal,
    ServiceType,
)
from seedbed.matching.services import round_proposals
from seedbed.matching.templatetags.matching_tags import reason_phrases


class MemberRef(Schema):
    id: int
    display_name: str
    handle: str


class ContactOut(MemberRef):
    email: str


class ProjectRef(Schema):
    """A project named in a match, an intro or a proposal: never its deal data."""

    slug: str
    name: str
    one_liner: str
    stage: Stage


class OfferRef(Schema):
    id: int
    kind: OfferKind
    title: str
    owner: MemberRef


class ReasonOut(Schema):
    criterion: str
    values: list[str]


def _reasons(stored) -> list[dict]:
    """Stored ``[[criterion, [values...]], ...]`` as objects; a malformed entry of an old row is
    skipped rather than failing the response."""
    reasons = []
    for entry in stored or []:
        try:
            criterion, values = entry
            reasons.append({"criterion": str(criterion), "values": [str(v) for v in values]})
        except (TypeError, ValueError):
            continue
    return reasons


# Projects ---------------------------------------------------------------------------------------


def shows_deal(project: Project | SeenProject) -> bool:
    return isinstance(project, SeenProject) and project.deal_visible is True


class ProjectOut(Schema):
    id: int
    slug: str
    name: str
    one_liner: str
    description: str
    sectors: list[str]
    stage: Stage
    city: str
    traction: str
    has_paying_customers: bool
    has_working_product: bool
    status: ProjectStatus
    team: list[MemberRef]
    needs_funding: bool
    needs_talent: bool
    roles_sought: str
    skills_sought: list[str]
    needs_mentoring: bool
    topics_sought: list[str]
    needs_services: bool
    services_sought: list[str]
    intro_limit: int
    created_at: datetime
    updated_at: datetime
    funding_band_min: int | None = Field(
        None,
        description="The published band of the ask (US dollars), for every member who sees a "
        "project raising: its lower step, or null when open below or not raising.",
    )
    funding_band_max: int | None = Field(
        None, description="The band's upper step; null when open above or not raising."
    )
    deal_visible: bool = Field(
        False,
        description="False when the funding fields below are hidden (null): they are for the "
        "team, operators and investors whose intro with the project was accepted.",
    )
    funding_min: int | None = None
    funding_max: int | None = None
    funding_instrument: str | None = None
    funding_notes: str | None = None

    @staticmethod
    def resolve_sectors(obj: Project | SeenProject) -> list[str]:
        return [s.slug for s in obj.sectors.all()]

    @staticmethod
    def resolve_team(obj: Project | SeenProject) -> list[User]:
        return list(obj.team.all())

    @staticmethod
    def resolve_skills_sought(obj: Project | SeenProject) -> list[str]:
        return [t.name for t in obj.skills_sought.all()]

    @staticmethod
    def resolve_topics_sought(obj: Project | SeenProject) -> list[str]:
        return [t.name for t in obj.topics_sought.all()]

    @staticmethod
    def resolve_funding_band_min(obj: Project | SeenProject) -> int | None:
        return (obj.funding_band or (None, None))[0]

    @staticmethod
    def resolve_funding_band_max(obj: Project | SeenProject) -> int | None:
        return (obj.funding_band or (None, None))[1]

    @staticmethod
    def resolve_deal_visible(obj: Project | SeenProject) -> bool:
        return shows_deal(obj)

    @staticmethod
    def resolve_funding_min(obj: Project | SeenProject) -> int | None:
        return obj.funding_min if shows_deal(obj) else None

    @staticmethod
    def resolve_funding_max(obj: Project | SeenProject) -> int | None:
        return obj.funding_max if shows_deal(obj) else None

    @staticmethod
    def resolve_funding_instrument(obj: Project | SeenProject) -> str | None:
        return obj.funding_instrument if shows_deal(obj) else None

    @staticmethod
    def resolve_funding_notes(obj: Project | SeenProject) -> str | None:
        return obj.funding_notes if shows_deal(obj) else None


class ProjectIn(Input):
    name: str = Field(..., max_length=120)
    one_liner: str = Field(..., max_length=160)
    description: str = Field("", max_length=10_000)
    sectors: list[str] = []
    stage: Stage
    city: str = Field("", max_length=80)
    traction: str = Field("", max_length=2000)
    has_paying_customers: bool = False
    has_working_product: bool = False
    needs_funding: bool = False
    funding_min: int | None = Field(None, ge=0)
    funding_max: int | None = Field(None, ge=0)
    funding_instrument: Instrument | None = None
    funding_notes: str = Field("", max_length=4000)
    needs_talent: bool = False
    roles_sought: str = Field("", max_length=300)
    skills_sought: list[str] = []
    needs_mentoring: bool = False
    topics_sought: list[str] = []
    needs_services: bool = False
    services_sought: list[ServiceType] = []
    intro_limit: int = Field(3, ge=0, le=50)


class ProjectPatch(Input):
    """Fields left out (or null) keep their values."""

    name: str | None = Field(None, max_length=120)
    one_liner: str | None = Field(None, max_length=160)
    description: str | None = Field(None, max_length=10_000)
    sectors: list[str] | None = None
    stage: Stage | None = None
    city: str | None = Field(None, max_length=80)
    traction: str | None = Field(None, max_length=2000)
    has_paying_customers: bool | None = None
    has_working_product: bool | None = None
    status: ProjectStatus | None = None
    needs_funding: bool | None = None
    funding_min: int | None = Field(None, ge=0)
    funding_max: int | None = Field(None, ge=0)
    funding_instrument: Instrument | None = None
    funding_notes: str | None = Field(None, max_length=4000)
    needs_talent: bool | None = None
    roles_sought: str | None = Field(None, max_length=300)
    skills_sought: list[str] | None = None
    needs_mentoring: bool | None = None
    topics_sought: list[str] | None = None
    needs_services: bool | None = None
    services_sought: list[ServiceType] | None = None
    intro_limit: int | None = Field(None, ge=0, le=50)


# Offers -----------------------------------------------------------------------------------------


class OfferOut(Schema):
    id: int
    kind: OfferKind
    owner: MemberRef
    title: str
    description: str
    sectors: list[str]
    excluded_sectors: list[str]
    capacity: int
    active: bool
    stages: list[str]
    ticket_min: int | None
    ticket_max: int | None
    regions: list[str]
    skills: list[str]
    role_sought: str
    availability: str
    city: str
    remote: bool
    topics: list[str]
    service_type: str
    price_band: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_sectors(obj: Offer) -> list[str]:
        return [s.slug for s in obj.sectors.all()]

    @staticmethod
    def resolve_excluded_sectors(obj: Offer) -> list[str]:
        return [s.slug for s in obj.excluded_sectors.all()]

    @staticmethod
    def resolve_skills(obj: Offer) -> list[str]:
        return [t.name for t in obj.skills.all()]

    @staticmethod
    def resolve_topics(obj: Offer) -> list[str]:
        return [t.name for t in obj.topics.all()]


class OfferIn(Input):
    kind: OfferKind
    title: str = Field(..., max_length=120)
    description: str = Field("", max_length=10_000)
    sectors: list[str] = []
    excluded_sectors: list[str] = []
    capacity: int | None = Field(
        None, ge=0, description="Meetings, office hours or clients per round; talent is 1."
    )
    active: bool = True
    stages: list[Stage] = []
    ticket_min: int | None = Field(None, ge=0)
    ticket_max: int | None = Field(None, ge=0)
    regions: list[str] = []
    skills: list[str] = []
    role_sought: str = Field("", max_length=120)
    availability: Availability | None = None
    city: str = Field("", max_length=80)
    remote: bool = False
    topics: list[str] = []
    service_type: ServiceType | None = None
    price_band: PriceBand | None = None


class OfferPatch(Input):
    """Fields left out (or null) keep their values; the kind never changes."""

    title: str | None = Field(None, max_length=120)
    description: str | None = Field(None, max_length=10_000)
    sectors: list[str] | None = None
    excluded_sectors: list[str] | None = None
    capacity: int | None = Field(None, ge=0)
    active: bool | None = None
    stages: list[Stage] | None = None
    ticket_min: int | None = Field(None, ge=0)
    ticket_max: int | None = Field(None, ge=0)
    regions: list[str] | None = None
    skills: list[str] | None = None
    role_sought: str | None = Field(None, max_length=120)
    availability: Availability | None = None
    city: str | None = Field(None, max_length=80)
    remote: bool | None = None
    topics: list[str] | None = None
    service_type: ServiceType | None = None
    price_band: PriceBand | None = None


# Matches ----------------------------------------------------------------------------------------


class MatchOut(Schema):
    project: ProjectRef
    offer: OfferRef
    score: float
    reasons: list[ReasonOut]
    reason_text: list[str] = Field(..., description="The reasons worded in your language.")
    shared_terms: list[str]

    @staticmethod
    def resolve_reasons(obj: Match) -> list[dict]:
        return _reasons(obj.reasons)

    @staticmethod
    def resolve_reason_text(obj: Match) -> list[str]:
        return [str(phrase) for phrase in reason_phrases(obj.reasons)]


# Intros -----------------------------------------------------------------------------------------


class _IntroBase(Schema):
    id: int
    project: ProjectRef
    offer: OfferRef
    status: IntroStatus
    stage: str
    project_consent: bool | None
    offer_consent: bool | None
    round_id: int | None
    score: float | None
    created_at: datetime
    decided_at: datetime | None
    met_at: datetime | None
    outcome: str


class IntroOut(_IntroBase):
    """An intro in the caller's own list, where the caller is always one of the two sides."""

    message: str
    decline_reason: str
    decline_note: str


class IntroDetailOut(_IntroBase):
    """One intro as its caller may see it: the message and the decline reason are for the two
    sides, the contacts only once both have accepted."""

    message: str | None
    decline_reason: str | None
    decline_note: str | None
    is_party: bool
    can_answer: bool
    can_withdraw: bool
    can_record: bool
    contacts: dict[str, list[ContactOut]] | None = Field(
        None, description="The team's and the offer owner's e-mails, once both sides accepted."
    )

    @staticmethod
    def resolve_is_party(obj: SeenIntro) -> bool:
        return obj.access.is_party

    @staticmethod
    def resolve_can_answer(obj: SeenIntro) -> bool:
        return obj.access.can_answer

    @staticmethod
    def resolve_can_withdraw(obj: SeenIntro) -> bool:
        return obj.access.can_withdraw

    @staticmethod
    def resolve_can_record(obj: SeenIntro) -> bool:
        return obj.access.can_record

    @staticmethod
    def resolve_message(obj: SeenIntro) -> str | None:
        return obj.access.intro.message if obj.access.is_party else None

    @staticmethod
    def resolve_decline_reason(obj: SeenIntro) -> str | None:
        return obj.access.intro.decline_reason if obj.access.is_party else None

    @staticmethod
    def resolve_decline_note(obj: SeenIntro) -> str | None:
        return obj.access.intro.decline_note if obj.access.is_party else None


class IntroIn(Input):
    project: str = Field(..., max_length=80, description="The project's slug.")
    offer: int = Field(..., description="The offer's id.")
    message: str = Field("", max_length=2000)


class DeclineIn(Input):
    reason: DeclineReason
    note: str = Field("", max_length=500)


class OutcomeIn(Input):
    outcome: Outcome


class IntroMessageOut(Schema):
    id: int
    author: MemberRef | None
    body: str
    created_at: datetime


class IntroMessageIn(Input):
    body: str = Field(..., max_length=4000)


# Operators --------------------------------------------------------------------------------------


class PipelineOut(Schema):
    total: int
    counts: dict[str, int]
    outcomes: dict[str, int]
    by_kind: dict[str, dict[str, int]]
    acceptance_rate: float | None
    meeting_rate: float | None
    deal_rate: float | None


class ProposalOut(Schema):
    project: ProjectRef
    offer: OfferRef
    score: float
    reasons: list[ReasonOut]
    reason_text: list[str]

    @staticmethod
    def resolve_reasons(obj: Proposal) -> list[dict]:
        return _reasons(obj.reasons)

    @staticmethod
    def resolve_reason_text(obj: Proposal) -> list[str]:
        return [str(phrase) for phrase in reason_phrases(obj.reasons)]


class RoundOut(Schema):
    id: int
    name: str
    kind: OfferKind
    fair: bool
    min_score: float
    created_at: datetime
    total_score: float
    projects_covered: int
    sent_at: datetime | None
    proposals: list[ProposalOut]

    @staticmethod
    def resolve_proposals(obj: MatchingRound) -> list[Proposal]:
        return list(round_proposals(obj))


class RoundIn(Input):
    name: str = Field(..., max_length=120)
    kind: OfferKind = OfferKind.MENTOR
    fair: bool = True
    min_score: float = Field(0.05, description="Between 0 and 1.")


class SentOut(Schema):
    sent: int
