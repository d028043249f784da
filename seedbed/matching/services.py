"""Every rule of resource matching: who sees what (deal data field by field), who edits what,
the double opt-in intro and its pipeline, and the operators' matching rounds.

Views and API handlers parse their input, call one of these and render. Errors: something the
user may not see → Http404; may see but not do → PermissionDenied; bad input → ValidationError
naming the field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from seedbed.accounts.models import Stage, User
from seedbed.communities.models import Notification
from seedbed.core import ratelimit
from seedbed.core.models import Sector, normalise_tag
from seedbed.core.services import clean_text, tags_named
from seedbed.engine.matching import allocate
from seedbed.matching.models import (
    Availability,
    DeclineReason,
    Instrument,
    Intro,
    IntroMessage,
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

REREQUEST_DAYS = 90
MAX_MONEY = 10**13
MAX_CAPACITY = 500
MAX_TAGS = 20
MAX_PLACE = 80
INTRO_RATE_LIMITS = [(20, 3600), (100, 86400)]


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_operator(user) -> bool:
    return _signed_in(user) and user.is_staff


def _require_member(user) -> None:
    if not _signed_in(user):
        raise PermissionDenied(_("Sign in to use matching."))


def _require_operator(user) -> None:
    if not is_operator(user):
        raise PermissionDenied(_("Only operators can do this."))


# Reading ----------------------------------------------------------------------------------------


def project_queryset() -> QuerySet[Project]:
    return Project.objects.prefetch_related(
        "sectors", "skills_sought", "topics_sought", Prefetch("team", User.objects.order_by("id"))
    )


def offer_queryset() -> QuerySet[Offer]:
    return Offer.objects.select_related("owner").prefetch_related(
        "sectors", "skills", "topics", "excluded_sectors"
    )


def visible_projects(user) -> QuerySet[Project]:
    """Projects are for signed-in members; their deal data is narrower (see ``deal_access``)."""
    if not _signed_in(user):
        return Project.objects.none()
    return project_queryset()


def visible_offers(user) -> QuerySet[Offer]:
    """Open offers, plus the member's own closed ones."""
    if not _signed_in(user):
        return Offer.objects.none()
    return offer_queryset().filter(Q(active=True, owner__is_active=True) | Q(owner=user))


def get_project(user, slug: str) -> Project:
    try:
        return visible_projects(user).get(slug=slug)
    except Project.DoesNotExist:
        raise Http404 from None


def get_offer(user, offer_id: int) -> Offer:
    try:
        return visible_offers(user).get(pk=offer_id)
    except Offer.DoesNotExist:
        raise Http404 from None


def is_team(user, project: Project) -> bool:
    return _signed_in(user) and any(m.pk == user.pk for m in project.team.all())


def deal_access(user, projects) -> set[int]:
    """Ids of the projects among ``projects`` whose deal data ``user`` may read: their team,
    operators, and owners of an investor offer whose intro with the project was accepted."""
    ids = [p.pk for p in projects]
    if not _signed_in(user) or not ids:
        return set()
    if user.is_staff:
        return set(ids)
    team = Project.team.through.objects.filter(user=user, project_id__in=ids)
    allowed = set(team.values_list("project_id", flat=True))
    allowed |= set(
        Intro.objects.filter(
            project_id__in=ids,
            offer__owner=user,
            offer__kind=OfferKind.INVESTOR,
            status=IntroStatus.ACCEPTED,
        ).values_list("project_id", flat=True)
    )
    return allowed


def deal_data(project: Project) -> dict[str, Any]:
    return {field: getattr(project, field) for field in Project.DEAL_FIELDS}


def my_projects(user) -> QuerySet[Project]:
    if not _signed_in(user):
        return Project.objects.none()
    return project_queryset().filter(team=user)


def my_offers(user) -> QuerySet[Offer]:
    if not _signed_in(user):
        return Offer.objects.none()
    return offer_queryset().filter(owner=user)


def project_directory(user, *, q: str = "", sector: str = "", stage: str = "", need: str = ""):
    projects = visible_projects(user).filter(status=ProjectStatus.ACTIVE)
    if q:
        projects = projects.filter(Q(name__icontains=q) | Q(one_liner__icontains=q))
    if sector:
        projects = projects.filter(sectors__slug=sector)
    if stage:
        projects = projects.filter(stage=stage)
    if need in ("funding", "talent", "mentoring", "services"):
        projects = projects.filter(**{f"needs_{need}": True})
    return projects.distinct()


def offer_directory(user, *, kind: str = "", q: str = "", sector: str = ""):
    offers = visible_offers(user).filter(active=True)
    if kind:
        offers = offers.filter(kind=kind)
    if q:
        offers = offers.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if sector:
        offers = offers.filter(sectors__slug=sector)
    return offers.distinct()


# Validation -------------------------------------------------------------------------------------


def _text(fields: dict, name: str, *, limit: int, required: bool = False) -> str:
    return clean_text(name, fields.get(name), required=required, limit=limit)


def _choice(fields: dict, name: str, choices, *, required: bool = False) -> str:
    value = str(fields.get(name) or "").strip()
    if not value and not required:
        return ""
    if value not in choices.values:
        known = ", ".join(choices.values)
        raise ValidationError(
            {
                name: [
                    _("Unknown value “%(v)s”; use one of: %(known)s.")
                    % {"v": value, "known": known}
                ]
            }
        )
    return value


def _choices(fields: dict, name: str, choices) -> list[str]:
    values = [str(v).strip() for v in (fields.get(name) or []) if str(v).strip()]
    unknown = [v for v in values if v not in choices.values]
    if unknown:
        known = ", ".join(choices.values)
        raise ValidationError(
            {
                name: [
                    _("Unknown value “%(v)s”; use one of: %(known)s.")
                    % {"v": unknown[0], "known": known}
                ]
            }
        )
    return list(dict.fromkeys(values))


def _amount(fields: dict, name: str) -> int | None:
    value = fields.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({name: [_("Enter a whole amount.")]}) from None
    if number < 0:
        raise ValidationError({name: [_("An amount cannot be negative.")]})
    if number > MAX_MONEY:
        raise ValidationError({name: [_("This amount is too large.")]})
    return number


def _count(fields: dict, name: str, *, default: int, limit: int = MAX_CAPACITY) -> int:
    value = fields.get(name)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({name: [_("Enter a whole number.")]}) from None
    if number < 0:
        raise ValidationError({name: [_("This cannot be negative.")]})
    if number > limit:
        raise ValidationError({name: [_("At most %(n)d.") % {"n": limit}]})
    return number


def _range(lo: int | None, hi: int | None, lo_name: str) -> None:
    if lo is not None and hi is not None and lo > hi:
        raise ValidationError({lo_name: [_("The minimum is above the maximum.")]})


def _sectors(fields: dict, name: str) -> list[Sector]:
    slugs = list(dict.fromkeys(str(s).strip() for s in (fields.get(name) or []) if str(s).strip()))
    found = {s.slug: s for s in Sector.objects.filter(slug__in=slugs)}
    unknown = [s for s in slugs if s not in found]
    if unknown:
        raise ValidationError({name: [_("Unknown sector “%(s)s”.") % {"s": unknown[0]}]})
    return [found[s] for s in slugs]


def _tag_names(fields: dict, name: str) -> list[str]:
    raw = fields.get(name) or []
    if isinstance(raw, str):
        raw = raw.split(",")
    names = list(dict.fromkeys(n for n in (normalise_tag(str(x)) for x in raw) if n))
    if len(names) > MAX_TAGS:
        raise ValidationError({name: [_("At most %(n)d.") % {"n": MAX_TAGS}]})
    if any(len(n) > 40 or "\x00" in n for n in names):
        raise ValidationError({name: [_("A tag can be at most %(n)d characters.") % {"n": 40}]})
    return names


def _places(fields: dict, name: str) -> list[str]:
    raw = fields.get(name) or []
    if isinstance(raw, str):
        raw = raw.split(",")
    places = list(dict.fromkeys(p for p in (str(x).strip() for x in raw) if p))
    if len(places) > MAX_TAGS or any(len(p) > MAX_PLACE or "\x00" in p for p in places):
        message = _("List at most %(n)d places of up to %(m)d characters each.")
        raise ValidationError({name: [message % {"n": MAX_TAGS, "m": MAX_PLACE}]})
    return places


_PROJECT_TEXT = {
    "name": (120, True),
    "one_liner": (160, True),
    "description": (10_000, False),
    "city": (80, False),
    "traction": (2000, False),
    "funding_notes": (4000, False),
    "roles_sought": (300, False),
}
_PROJECT_FLAGS = (
    "has_paying_customers",
    "has_working_product",
    "needs_funding",
    "needs_talent",
    "needs_mentoring",
    "needs_services",
)


def _clean_project(fields: dict, current: Project | None = None) -> tuple[dict, dict]:
    """(column values, many-to-many values) from a partial or full set of fields; fields not
    given keep their current values."""
    if current is not None:
        base = {f: getattr(current, f) for f in (*_PROJECT_TEXT, *_PROJECT_FLAGS)}
        base |= {f: getattr(current, f) for f in Project.DEAL_FIELDS}
        base |= {
            "stage": current.stage,
            "status": current.status,
            "services_sought": current.services_sought,
            "intro_limit": current.intro_limit,
        }
        fields = base | {k: v for k, v in fields.items() if v is not None}
    values: dict[str, Any] = {
        name: _text(fields, name, limit=limit, required=required)
        for name, (limit, required) in _PROJECT_TEXT.items()
    }
    values |= {flag: bool(fields.get(flag)) for flag in _PROJECT_FLAGS}
    values["stage"] = _choice(fields, "stage", Stage, required=True)
    values["status"] = _choice(fields, "status", ProjectStatus) or ProjectStatus.ACTIVE
    values["funding_instrument"] = _choice(fields, "funding_instrument", Instrument)
    values["funding_min"] = _amount(fields, "funding_min")
    values["funding_max"] = _amount(fields, "funding_max")
    _range(values["funding_min"], values["funding_max"], "funding_min")
    values["services_sought"] = _choices(fields, "services_sought", ServiceType)
    values["intro_limit"] = _count(fields, "intro_limit", default=3, limit=50)
    related = {}
    for name in ("sectors", "skills_sought", "topics_sought"):
        if current is None or fields.get(name) is not None:
            related[name] = (
                _sectors(fields, name)
                if name == "sectors"
                else tags_named(_tag_names(fields, name))
            )
    return values, related


def _clean_offer(kind: str, fields: dict, current: Offer | None = None) -> tuple[dict, dict]:
    if current is not None:
        names = [
            "title",
            "description",
            "capacity",
            "active",
            "stages",
            "ticket_min",
            "ticket_max",
            "regions",
            "role_sought",
            "availability",
            "city",
            "remote",
            "service_type",
            "price_band",
        ]
        fields = {f: getattr(current, f) for f in names} | {
            k: v for k, v in fields.items() if v is not None
        }
    values: dict[str, Any] = {
        "title": _text(fields, "title", limit=120, required=True),
        "description": _text(fields, "description", limit=10_000),
        "active": bool(fields.get("active", True)),
        "role_sought": _text(fields, "role_sought", limit=120),
        "city": _text(fields, "city", limit=80),
        "remote": bool(fields.get("remote")),
        "availability": _choice(fields, "availability", Availability),
        "service_type": _choice(fields, "service_type", ServiceType),
        "price_band": _choice(fields, "price_band", PriceBand),
        "stages": _choices(fields, "stages", Stage),
        "ticket_min": _amount(fields, "ticket_min"),
        "ticket_max": _amount(fields, "ticket_max"),
        "regions": _places(fields, "regions"),
        "capacity": _count(fields, "capacity", default=1 if kind == OfferKind.TALENT else 3),
    }
    _range(values["ticket_min"], values["ticket_max"], "ticket_min")
    if kind == OfferKind.SERVICE and not values["service_type"]:
        raise ValidationError({"service_type": [_("Choose the service you offer.")]})
    related = {}
    for name in ("sectors", "excluded_sectors", "skills", "topics"):
        if current is None or fields.get(name) is not None:
            related[name] = (
                _sectors(fields, name)
                if name.endswith("sectors")
                else tags_named(_tag_names(fields, name))
            )
    return values, related


# Writing: projects and offers -------------------------------------------------------------------


RESERVED_SLUGS = {"new"}
"""Project addresses that are pages of their own (``projects/new/``)."""


def _free_slug(name: str) -> str:
    stem = slugify(name)[:60] or "project"
    slug, n = stem, 2
    while slug in RESERVED_SLUGS or Project.objects.filter(slug=slug).exists():
        slug, n = f"{stem}-{n}", n + 1
    return slug


def _matches_changed() -> None:
    transaction.on_commit(_request_rescoring)


def _request_rescoring() -> None:
    """Queue a rescoring unless one is already waiting: a queued run has not started yet, so it
    will read this change too, and a burst of edits costs one run, not one each."""
    from django_tasks_db.models import DBTaskResult

    from seedbed.matching.tasks import refresh_match_scores

    waiting = DBTaskResult.objects.ready().filter(task_path=refresh_match_scores.module_path)
    if not waiting.exists():
        refresh_match_scores.enqueue()


def create_project(user, **fields) -> Project:
    """A new project with ``user`` on its team."""
    _require_member(user)
    values, related = _clean_project(fields)
    with transaction.atomic():
        project = Project.objects.create(slug=_free_slug(values["name"]), created_by=user, **values)
        for name, items in related.items():
            getattr(project, name).set(items)
        project.team.add(user)
        _matches_changed()
    return project


def project_for_editing(user, slug: str) -> Project:
    project = get_project(user, slug)
    if not is_team(user, project):
        raise PermissionDenied(_("Only the project's team can edit it."))
    return project


def update_project(user, slug: str, **fields) -> Project:
    """Only the team edits a project (not operators: it is the founders' own record)."""
    with transaction.atomic():
        project = project_for_editing(user, slug)
        values, related = _clean_project(fields, current=project)
        for name, value in values.items():
            setattr(project, name, value)
        project.updated_at = timezone.now()
        project.save()
        for name, items in related.items():
            getattr(project, name).set(items)
        _matches_changed()
    return project


def add_team_member(user, slug: str, handle: str) -> User:
    project = project_for_editing(user, slug)
    handle = str(handle or "").strip().lstrip("@").lower()
    member = User.objects.filter(handle=handle, is_active=True).first()
    if member is None:
        raise ValidationError({"handle": [_("No member has the handle @%(h)s.") % {"h": handle}]})
    project.team.add(member)
    _matches_changed()
    return member


def remove_team_member(user, slug: str, member_id: int) -> None:
    project = project_for_editing(user, slug)
    if project.team.count() <= 1:
        raise ValidationError(_("A project keeps at least one team member."))
    project.team.remove(member_id)
    _matches_changed()


def create_offer(user, kind: str, **fields) -> Offer:
    _require_member(user)
    kind = _choice({"kind": kind}, "kind", OfferKind, required=True)
    values, related = _clean_offer(kind, fields)
    with transaction.atomic():
        offer = Offer.objects.create(kind=kind, owner=user, **values)
        for name, items in related.items():
            getattr(offer, name).set(items)
        _matches_changed()
    return offer


def offer_for_editing(user, offer_id: int) -> Offer:
    offer = get_offer(user, offer_id)
    if offer.owner_id != user.pk:
        raise PermissionDenied(_("Only the offer's owner can edit it."))
    return offer


def update_offer(user, offer_id: int, **fields) -> Offer:
    with transaction.atomic():
        offer = offer_for_editing(user, offer_id)
        values, related = _clean_offer(offer.kind, fields, current=offer)
        for name, value in values.items():
            setattr(offer, name, value)
        offer.updated_at = timezone.now()
        offer.save()
        for name, items in related.items():
            getattr(offer, name).set(items)
        _matches_changed()
    return offer


# Matches ----------------------------------------------------------------------------------------


def matches_for_project(user, slug: str, *, kind: str = "") -> tuple[Project, QuerySet[Match]]:
    """The offers matched to a project, best first: for its team and operators."""
    project = get_project(user, slug)
    if not (is_team(user, project) or is_operator(user)):
        raise PermissionDenied(_("Only the project's team sees its matches."))
    matches = (
        Match.objects.filter(project=project, offer__active=True, offer__owner__is_active=True)
        .select_related("offer__owner")
        .order_by("-score", "id")
    )
    if kind:
        matches = matches.filter(offer__kind=kind)
    return project, matches


def matches_for_offer(user, offer_id: int) -> tuple[Offer, QuerySet[Match]]:
    """The projects matched to an offer (an investor's thesis, a mentor's expertise...)."""
    offer = get_offer(user, offer_id)
    if not (offer.owner_id == user.pk or is_operator(user)):
        raise PermissionDenied(_("Only the offer's owner sees its matches."))
    matches = (
        Match.objects.filter(offer=offer, project__status=ProjectStatus.ACTIVE)
        .select_related("project")
        .order_by("-score", "id")
    )
    return offer, matches


def refresh_matches() -> int:
    from seedbed.matching.adapter import refresh_matches as refresh

    return refresh()


# Intros -----------------------------------------------------------------------------------------


def _intro_queryset() -> QuerySet[Intro]:
    return Intro.objects.select_related("project", "offer__owner", "requested_by", "decided_by")


def _sides(user, intro: Intro) -> tuple[bool, bool]:
    """(is on the project's team, owns the offer)."""
    if not _signed_in(user):
        return False, False
    on_team = Project.team.through.objects.filter(project_id=intro.project_id, user=user).exists()
    return on_team, intro.offer.owner_id == user.pk


@dataclass
class IntroView:
    intro: Intro
    on_team: bool
    owns_offer: bool
    operator: bool

    @property
    def is_party(self) -> bool:
        return self.on_team or self.owns_offer

    @property
    def can_answer(self) -> bool:
        i = self.intro
        return i.status == IntroStatus.REQUESTED and (
            (self.on_team and i.project_consent is None)
            or (self.owns_offer and i.offer_consent is None)
        )

    @property
    def can_withdraw(self) -> bool:
        i = self.intro
        return i.status == IntroStatus.REQUESTED and (
            (self.on_team and i.project_consent is True)
            or (self.owns_offer and i.offer_consent is True)
        )

    @property
    def can_record(self) -> bool:
        return self.intro.status == IntroStatus.ACCEPTED and (self.is_party or self.operator)

    @property
    def shows_contacts(self) -> bool:
        return self.intro.status == IntroStatus.ACCEPTED and self.is_party


def get_intro(user, intro_id: int) -> IntroView:
    """An intro is seen by its two sides and by operators (who run the pipeline but do not read
    the thread or the contact details)."""
    intro = _intro_queryset().filter(pk=intro_id).first()
    if intro is None or not _signed_in(user):
        raise Http404
    on_team, owns = _sides(user, intro)
    if not (on_team or owns or user.is_staff):
        raise Http404
    return IntroView(intro, on_team, owns, user.is_staff)


def intro_contacts(view: IntroView) -> dict[str, list[User]]:
    if not view.shows_contacts:
        return {}
    team = list(view.intro.project.team.filter(is_active=True).order_by("id"))
    return {"team": team, "offer": [view.intro.offer.owner]}


def intro_thread(view: IntroView) -> QuerySet[IntroMessage]:
    if not view.shows_contacts:
        return IntroMessage.objects.none()
    return view.intro.messages.select_related("author")


def intros_for(user) -> QuerySet[Intro]:
    """Intros where the member is on either side."""
    if not _signed_in(user):
        return Intro.objects.none()
    team = Project.team.through.objects.filter(project_id=OuterRef("project_id"), user=user)
    return _intro_queryset().filter(Q(offer__owner=user) | Exists(team))


def awaiting_answer(user) -> QuerySet[Intro]:
    """Requested intros where the member's side has not answered yet."""
    team = Project.team.through.objects.filter(project_id=OuterRef("project_id"), user=user)
    return (
        intros_for(user)
        .filter(status=IntroStatus.REQUESTED)
        .filter(
            Q(offer__owner=user, offer_consent__isnull=True)
            | Q(Exists(team), project_consent__isnull=True)
        )
    )


@dataclass
class MyIntros:
    awaiting: list[Intro]
    """Waiting for my side's answer."""
    waiting_for_others: list[Intro]
    accepted: list[Intro]
    closed: list[Intro]
    """Declined or withdrawn."""


def my_intros(user, *, limit: int = 100) -> MyIntros:
    """The member's intros in the four piles they act on; each pile is one query."""
    mine = intros_for(user)
    awaiting = awaiting_answer(user)
    requested = mine.filter(status=IntroStatus.REQUESTED)
    return MyIntros(
        awaiting=list(awaiting[:limit]),
        waiting_for_others=list(requested.exclude(pk__in=awaiting.values("pk"))[:limit]),
        accepted=list(mine.filter(status=IntroStatus.ACCEPTED)[:limit]),
        closed=list(mine.filter(status__in=[IntroStatus.DECLINED, IntroStatus.WITHDRAWN])[:limit]),
    )


def intro_match(intro: Intro) -> Match | None:
    """The stored match of the intro's pair, for its reasons (the intro keeps only the score)."""
    return (
        Match.objects.filter(project_id=intro.project_id, offer_id=intro.offer_id)
        .only("reasons", "shared_terms", "score")
        .first()
    )


def _team_ids(project_id: int) -> list[int]:
    return list(
        Project.team.through.objects.filter(project_id=project_id).values_list("user_id", flat=True)
    )


def _notify(intro: Intro, recipients, kind: str, actor) -> None:
    ids = [pk for pk in dict.fromkeys(recipients) if pk != getattr(actor, "pk", None)]
    Notification.objects.bulk_create(
        [Notification(recipient_id=pk, kind=kind, actor=actor, intro=intro) for pk in ids]
    )


def _other_side(intro: Intro, on_team: bool) -> list[int]:
    return [intro.offer.owner_id] if on_team else _team_ids(intro.project_id)


def request_intro(user, slug: str, offer_id: int, *, message: str = "", token_id=None) -> Intro:
    """Ask for an introduction between a project and an offer, from either side: a team member
    asks the offer's owner, the offer's owner asks the team. One pending intro per pair; after
    a decline the pair waits ``REREQUEST_DAYS`` days."""
    _require_member(user)
    message = _text({"message": message}, "message", limit=2000)
    project = get_project(user, slug)
    offer = get_offer(user, offer_id)
    on_team = is_team(user, project)
    owns = offer.owner_id == user.pk
    if on_team and owns:
        raise ValidationError(_("This is your own offer."))
    if not (on_team or owns):
        raise PermissionDenied(_("Only the project's team or the offer's owner can ask."))
    if not offer.active:
        raise ValidationError(_("This offer is closed to intros."))
    if project.status != ProjectStatus.ACTIVE:
        raise ValidationError(_("This project is no longer active."))
    ratelimit.hit(f"intro:user:{user.pk}", INTRO_RATE_LIMITS)
    if token_id is not None:
        ratelimit.hit(f"intro:token:{token_id}", INTRO_RATE_LIMITS)
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        pair = Intro.objects.filter(project=project, offer=offer)
        if pair.filter(status=IntroStatus.REQUESTED).exists():
            raise ValidationError(_("An intro between these two is already pending."))
        since = timezone.now() - timedelta(days=REREQUEST_DAYS)
        last = pair.filter(status=IntroStatus.DECLINED, decided_at__gte=since).first()
        if last is not None:
            again = timezone.localdate(last.decided_at + timedelta(days=REREQUEST_DAYS))
            raise ValidationError(
                _("This intro was declined; it can be requested again from %(date)s.")
                % {"date": again.isoformat()}
            )
        if pair.filter(status=IntroStatus.ACCEPTED).exists():
            raise ValidationError(_("You are already introduced."))
        match = Match.objects.filter(project=project, offer=offer).first()
        try:
            with transaction.atomic():
                intro = Intro.objects.create(
                    project=project,
                    offer=offer,
                    requested_by=user,
                    message=message,
                    score=match.score if match else None,
                    project_consent=True if on_team else None,
                    offer_consent=True if owns else None,
                )
        except IntegrityError:
            raise ValidationError(_("An intro between these two is already pending.")) from None
        _notify(intro, _other_side(intro, on_team), Notification.Kind.INTRO_REQUESTED, user)
    return intro


def _locked_intro(user, intro_id: int) -> tuple[Intro, IntroView]:
    view = get_intro(user, intro_id)
    intro = Intro.objects.select_for_update().get(pk=view.intro.pk)
    intro.project, intro.offer = view.intro.project, view.intro.offer
    view.intro = intro
    return intro, view


def answer_intro(user, intro_id: int, *, accept: bool, reason: str = "", note: str = "") -> Intro:
    """The user's side says yes or no. Both yes → accepted (contacts and thread open); one no
    → declined, with a reason the asking side sees."""
    with transaction.atomic():
        intro, view = _locked_intro(user, intro_id)
        if not view.is_party:
            raise PermissionDenied(_("Only the two sides answer an intro."))
        if not view.can_answer:
            raise ValidationError(_("This intro is not waiting for your answer."))
        if not accept:
            reason = _choice({"reason": reason}, "reason", DeclineReason, required=True)
            note = _text({"note": note}, "note", limit=500)
        side = (
            "project_consent" if view.on_team and intro.project_consent is None else "offer_consent"
        )
        setattr(intro, side, accept)
        now = timezone.now()
        if not accept:
            intro.status = IntroStatus.DECLINED
            intro.decline_reason, intro.decline_note = reason, note
        elif intro.project_consent and intro.offer_consent:
            intro.status = IntroStatus.ACCEPTED
        if intro.status != IntroStatus.REQUESTED:
            intro.decided_at, intro.decided_by = now, user
        intro.save()
        everyone = [*_team_ids(intro.project_id), intro.offer.owner_id]
        if intro.status == IntroStatus.ACCEPTED:
            _notify(intro, everyone, Notification.Kind.INTRO_ACCEPTED, user)
        elif intro.status == IntroStatus.DECLINED:
            _notify(intro, everyone, Notification.Kind.INTRO_DECLINED, user)
    return intro


def withdraw_intro(user, intro_id: int) -> Intro:
    with transaction.atomic():
        intro, view = _locked_intro(user, intro_id)
        if not view.can_withdraw:
            raise ValidationError(_("Only a pending intro your side asked for can be withdrawn."))
        intro.status = IntroStatus.WITHDRAWN
        intro.decided_at, intro.decided_by = timezone.now(), user
        intro.save()
    return intro


def record_meeting(user, intro_id: int) -> Intro:
    with transaction.atomic():
        intro, view = _locked_intro(user, intro_id)
        if not view.can_record:
            raise ValidationError(_("Only an accepted intro can be marked as met."))
        intro.met_at = intro.met_at or timezone.now()
        intro.save(update_fields=["met_at"])
    return intro


def record_outcome(user, intro_id: int, outcome: str) -> Intro:
    with transaction.atomic():
        intro, view = _locked_intro(user, intro_id)
        if not view.can_record:
            raise ValidationError(_("Only an accepted intro can have an outcome."))
        intro.outcome = _choice({"outcome": outcome}, "outcome", Outcome, required=True)
        now = timezone.now()
        intro.outcome_at = now
        intro.met_at = intro.met_at or now
        intro.save(update_fields=["outcome", "outcome_at", "met_at"])
    return intro


def post_intro_message(user, intro_id: int, body: str) -> IntroMessage:
    view = get_intro(user, intro_id)
    if not view.shows_contacts:
        raise PermissionDenied(_("The thread opens when both sides have accepted."))
    body = _text({"body": body}, "body", limit=4000, required=True)
    ratelimit.hit(f"intro-message:user:{user.pk}", settings.POSTING_RATE_LIMITS)
    with transaction.atomic():
        message = IntroMessage.objects.create(intro=view.intro, author=user, body=body)
        everyone = [*_team_ids(view.intro.project_id), view.intro.offer.owner_id]
        _notify(view.intro, everyone, Notification.Kind.INTRO_MESSAGE, user)
    return message


# Operators: pipeline and rounds -----------------------------------------------------------------

PIPELINE_STAGES = ("requested", "accepted", "declined", "withdrawn", "met", "outcome")


@dataclass
class Pipeline:
    counts: dict[str, int]
    outcomes: dict[str, int]
    by_kind: dict[str, dict[str, int]]

    @property
    def total(self) -> int:
        return self.counts["total"]

    def _rate(self, num: int, den: int) -> float | None:
        return num / den if den else None

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted among the intros both sides have answered."""
        decided = self.counts["accepted_ever"] + self.counts["declined"]
        return self._rate(self.counts["accepted_ever"], decided)

    @property
    def meeting_rate(self) -> float | None:
        return self._rate(self.counts["met_ever"], self.counts["accepted_ever"])

    @property
    def deal_rate(self) -> float | None:
        deals = self.counts["outcome"] - self.outcomes.get(Outcome.NO_DEAL, 0)
        return self._rate(deals, self.counts["met_ever"])


def pipeline(user, *, kind: str = "") -> Pipeline:
    """Counts of intros at each stage, outcomes and conversion rates, for operators."""
    _require_operator(user)
    intros = Intro.objects.all()
    if kind:
        intros = intros.filter(offer__kind=kind)
    accepted = Q(status=IntroStatus.ACCEPTED)
    summary = intros.aggregate(
        total=Count("id"),
        requested=Count("id", filter=Q(status=IntroStatus.REQUESTED)),
        declined=Count("id", filter=Q(status=IntroStatus.DECLINED)),
        withdrawn=Count("id", filter=Q(status=IntroStatus.WITHDRAWN)),
        accepted=Count("id", filter=accepted & Q(met_at__isnull=True)),
        accepted_ever=Count("id", filter=accepted),
        met=Count("id", filter=accepted & Q(met_at__isnull=False) & Q(outcome="")),
        met_ever=Count("id", filter=accepted & Q(met_at__isnull=False)),
        outcome=Count("id", filter=accepted & ~Q(outcome="")),
    )
    outcomes = dict(
        intros.exclude(outcome="").values_list("outcome").annotate(n=Count("id")).order_by()
    )
    by_kind: dict[str, dict[str, int]] = {k: {} for k in OfferKind.values}
    rows = intros.values_list("offer__kind", "status").annotate(n=Count("id")).order_by()
    for offer_kind, status, n in rows:
        by_kind[offer_kind][status] = n
    return Pipeline(summary, outcomes, by_kind)


def pipeline_intros(user, *, stage: str = "", kind: str = "") -> QuerySet[Intro]:
    _require_operator(user)
    intros = _intro_queryset()
    if kind:
        intros = intros.filter(offer__kind=kind)
    if stage == "met":
        intros = intros.filter(status=IntroStatus.ACCEPTED, met_at__isnull=False, outcome="")
    elif stage == "outcome":
        intros = intros.exclude(outcome="")
    elif stage == "accepted":
        intros = intros.filter(status=IntroStatus.ACCEPTED, met_at__isnull=True)
    elif stage in IntroStatus.values:
        intros = intros.filter(status=stage)
    return intros


def create_round(
    user, *, name: str, kind: str = OfferKind.MENTOR, fair: bool = True, min_score: float = 0.05
) -> MatchingRound:
    """Allocate offers of one kind to projects from the stored match scores, maximising the
    total score within each offer's capacity (a mentor's office hours) and each project's
    limit; pairs already introduced, pending, or declined in the last 90 days are left out."""
    _require_operator(user)
    name = _text({"name": name}, "name", limit=120, required=True)
    kind = _choice({"kind": kind}, "kind", OfferKind, required=True)
    try:
        min_score = float(min_score)
    except (TypeError, ValueError):
        raise ValidationError({"min_score": [_("Enter a number between 0 and 1.")]}) from None
    if not 0 <= min_score <= 1:
        raise ValidationError({"min_score": [_("Enter a number between 0 and 1.")]})
    matches = list(
        Match.objects.filter(
            offer__kind=kind,
            offer__active=True,
            offer__owner__is_active=True,
            project__status=ProjectStatus.ACTIVE,
        ).select_related("project", "offer")
    )
    since = timezone.now() - timedelta(days=REREQUEST_DAYS)
    blocked = set(
        Intro.objects.filter(
            Q(status__in=[IntroStatus.REQUESTED, IntroStatus.ACCEPTED])
            | Q(status=IntroStatus.DECLINED, decided_at__gte=since),
            offer__kind=kind,
        ).values_list("project_id", "offer_id")
    )
    matches = [m for m in matches if (m.project_id, m.offer_id) not in blocked]
    projects = {m.project_id: m.project for m in matches}
    offers = {m.offer_id: m.offer for m in matches}
    p_index = {pk: k for k, pk in enumerate(projects)}
    o_index = {pk: k for k, pk in enumerate(offers)}
    scores = np.full((len(projects), len(offers)), np.nan)
    for m in matches:
        scores[p_index[m.project_id], o_index[m.offer_id]] = m.score
    with transaction.atomic():
        round_ = MatchingRound.objects.create(
            name=name, kind=kind, fair=bool(fair), min_score=min_score, created_by=user
        )
        if matches:
            result = allocate(
                scores,
                [p.intro_limit for p in projects.values()],
                [o.capacity for o in offers.values()],
                fair=bool(fair),
                min_score=min_score if min_score > 0 else None,
            )
            by_pair = {(m.project_id, m.offer_id): m for m in matches}
            project_ids, offer_ids = list(projects), list(offers)
            Proposal.objects.bulk_create(
                Proposal(
                    round=round_,
                    project_id=project_ids[r],
                    offer_id=offer_ids[c],
                    score=float(scores[r, c]),
                    reasons=by_pair[(project_ids[r], offer_ids[c])].reasons,
                )
                for r, c in result.pairs()
            )
            round_.total_score = round(result.total_score, 4)
            round_.projects_covered = result.covered
            round_.save(update_fields=["total_score", "projects_covered"])
    return round_


def list_rounds(user) -> QuerySet[MatchingRound]:
    """Every round with its proposal and sent-intro counts, for operators only."""
    _require_operator(user)
    return MatchingRound.objects.select_related("created_by").annotate(
        proposal_count=Count("proposals", distinct=True),
        intro_count=Count("intros", distinct=True),
        accepted_count=Count(
            "intros", filter=Q(intros__status=IntroStatus.ACCEPTED), distinct=True
        ),
    )


def get_round(user, round_id: int) -> MatchingRound:
    _require_operator(user)
    round_ = MatchingRound.objects.filter(pk=round_id).first()
    if round_ is None:
        raise Http404
    return round_


def round_proposals(round_: MatchingRound) -> QuerySet[Proposal]:
    return round_.proposals.select_related("project", "offer__owner")


def send_round(user, round_id: int) -> int:
    """Send each proposal as an intro that both sides must accept; returns how many were sent
    (a pair that got a pending intro since the round was built is skipped)."""
    with transaction.atomic():
        round_ = get_round(user, round_id)
        round_ = MatchingRound.objects.select_for_update().get(pk=round_.pk)
        if round_.sent_at:
            raise ValidationError(_("This round was already sent."))
        proposals = list(round_.proposals.select_related("offer"))
        pending = set(
            Intro.objects.filter(
                status__in=[IntroStatus.REQUESTED, IntroStatus.ACCEPTED],
                project_id__in=[p.project_id for p in proposals],
            ).values_list("project_id", "offer_id")
        )
        intros = Intro.objects.bulk_create(
            Intro(
                project_id=p.project_id,
                offer=p.offer,
                requested_by=user,
                round=round_,
                score=p.score,
            )
            for p in proposals
            if (p.project_id, p.offer_id) not in pending
        )
        teams: dict[int, list[int]] = {}
        for project_id, user_id in Project.team.through.objects.filter(
            project_id__in=[i.project_id for i in intros]
        ).values_list("project_id", "user_id"):
            teams.setdefault(project_id, []).append(user_id)
        sent = Intro.objects.filter(round=round_).select_related("offer")
        Notification.objects.bulk_create(
            Notification(
                recipient_id=pk, kind=Notification.Kind.INTRO_PROPOSED, actor=user, intro=intro
            )
            for intro in sent
            for pk in dict.fromkeys([*teams.get(intro.project_id, []), intro.offer.owner_id])
        )
        round_.sent_at = timezone.now()
        round_.save(update_fields=["sent_at"])
    return len(intros)
