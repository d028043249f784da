"""Who may see or do what in resource matching, asked the same way by the services, the pages,
the API and the templates: deal data, a project's or an offer's matches, an intro and its
thread, and whether a member may ask for an intro.

A rule written twice drifts (a page once showed an "Ask for an intro" button that the service
then refused), so each question has one answer here and every caller asks it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from seedbed.accounts.access import is_operator
from seedbed.accounts.models import User
from seedbed.matching.models import Intro, IntroStatus, Offer, OfferKind, Project, ProjectStatus

REREQUEST_DAYS = 90
"""After a decline, the same pair waits this long before either side may ask again."""


def as_member(user: User | AnonymousUser | None) -> User | None:
    """The user if signed in to an active account, else None."""
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def signed_in(user: User | AnonymousUser | None) -> bool:
    return as_member(user) is not None


def require_member(user: User | AnonymousUser) -> User:
    """The signed-in member, or PermissionDenied: matching is for members only."""
    member = as_member(user)
    if member is None:
        raise PermissionDenied(_("Sign in to use matching."))
    return member


def require_operator(user: User | AnonymousUser) -> User:
    if not is_operator(user) or not isinstance(user, User):
        raise PermissionDenied(_("Only operators can do this."))
    return user


# Projects and offers ----------------------------------------------------------------------------


def is_team(user: User | AnonymousUser, project: Project) -> bool:
    """Asked of the prefetched team, so a list of projects costs no query per row."""
    return signed_in(user) and any(m.pk == user.pk for m in project.team.all())


def owns_offer(user: User | AnonymousUser, offer: Offer) -> bool:
    return signed_in(user) and offer.owner_id == user.pk


def deal_access(user: User | AnonymousUser, projects: Sequence[Project]) -> set[int]:
    """Ids of the projects among ``projects`` whose deal data ``user`` may read: their team,
    operators, and owners of an investor offer whose intro with the project was accepted. One
    check for a whole list, never one per row."""
    ids = [p.pk for p in projects]
    member = as_member(user)
    if member is None or not ids:
        return set()
    if is_operator(member):
        return set(ids)
    team = Project.team.through.objects.filter(user=member, project_id__in=ids)
    allowed = set(team.values_list("project_id", flat=True))
    allowed |= set(
        Intro.objects.filter(
            project_id__in=ids,
            offer__owner=member,
            offer__kind=OfferKind.INVESTOR,
            status=IntroStatus.ACCEPTED,
        ).values_list("project_id", flat=True)
    )
    return allowed


def sees_project_matches(user: User | AnonymousUser, project: Project) -> bool:
    """A project's matches are for its team and operators."""
    return is_team(user, project) or is_operator(user)


def sees_offer_matches(user: User | AnonymousUser, offer: Offer) -> bool:
    """An offer's matches are for its owner and operators."""
    return owns_offer(user, offer) or is_operator(user)


@dataclass(frozen=True)
class SeenProject:
    """A project as one caller sees it (the API's body): ``deal_visible`` comes from
    ``deal_access``; every other attribute reads through to the project."""

    project: Project
    deal_visible: bool

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.project, name)


def seen_projects(user: User | AnonymousUser, projects: Sequence[Project]) -> list[SeenProject]:
    allowed = deal_access(user, projects)
    return [SeenProject(p, p.pk in allowed) for p in projects]


# Intros -----------------------------------------------------------------------------------------


@dataclass
class IntroAccess:
    """What one caller is to one intro, and so what they may see and do with it."""

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
    def reads_thread(self) -> bool:
        """The thread is for the two sides once both said yes; operators run the pipeline but
        do not read it."""
        return self.intro.status == IntroStatus.ACCEPTED and self.is_party

    @property
    def sees_contacts(self) -> bool:
        """The contact details open together with the thread."""
        return self.reads_thread


def intro_access(user: User | AnonymousUser, intro: Intro) -> IntroAccess | None:
    """An intro is seen by its two sides and by operators; None for anyone else."""
    member = as_member(user)
    if member is None:
        return None
    on_team = Project.team.through.objects.filter(project_id=intro.project_id, user=member).exists()
    access = IntroAccess(intro, on_team, intro.offer.owner_id == member.pk, is_operator(member))
    return access if access.is_party or access.operator else None


@dataclass(frozen=True)
class SeenIntro:
    """An intro with what one caller may know about it (the API's detail body): their access
    and, once open, the contacts; every other attribute reads through to the intro."""

    access: IntroAccess
    contacts: dict[str, list[User]] | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.access.intro, name)


@dataclass(frozen=True)
class Refusal:
    """Why a member may not do something, worded for them. ``forbidden``: it is not theirs to
    do at all (403); otherwise only the moment is wrong (a message; 400 in the API)."""

    reason: str
    forbidden: bool = False

    def error(self) -> PermissionDenied | ValidationError:
        return PermissionDenied(self.reason) if self.forbidden else ValidationError(self.reason)


def may_request_intro(user: User | AnonymousUser, project: Project, offer: Offer) -> Refusal | None:
    """Why ``user`` may not ask for an intro between ``project`` and ``offer`` (None: they
    may). ``request_intro`` asks this under the project's lock; the rate limit is its own."""
    return may_request_intros(user, [(project, offer)])[0]


def may_request_intros(
    user: User | AnonymousUser,
    pairs: Sequence[tuple[Project, Offer]],
    intros: Iterable[Intro] | None = None,
) -> list[Refusal | None]:
    """``may_request_intro`` for each pair in two queries whatever their number, for the pages
    that decide which "Ask for an intro" buttons to show; ``intros``, the pairs' intros when
    the caller has loaded them already, saves one."""
    member = as_member(user)
    if member is None:
        return [Refusal(_("Sign in to use matching."), forbidden=True) for _pair in pairs]
    project_ids = {p.pk for p, _o in pairs}
    team = set(
        Project.team.through.objects.filter(user=member, project_id__in=project_ids).values_list(
            "project_id", flat=True
        )
    )
    if intros is None:
        intros = pair_intros(pairs)
    history: dict[tuple[int, int], list[Intro]] = defaultdict(list)
    for intro in intros:
        history[(intro.project_id, intro.offer_id)].append(intro)
    return [
        _intro_refusal(
            project,
            offer,
            on_team=project.pk in team,
            owns=offer.owner_id == member.pk,
            history=history[(project.pk, offer.pk)],
        )
        for project, offer in pairs
    ]


def pair_intros(pairs: Sequence[tuple[Project, Offer]]) -> QuerySet[Intro]:
    """Every intro between the projects and the offers of ``pairs``, newest first."""
    return Intro.objects.filter(
        project_id__in={p.pk for p, _o in pairs}, offer_id__in={o.pk for _p, o in pairs}
    )


def _intro_refusal(
    project: Project,
    offer: Offer,
    *,
    on_team: bool,
    owns: bool,
    history: list[Intro],
) -> Refusal | None:
    if on_team and owns:
        return Refusal(_("This is your own offer."))
    if not (on_team or owns):
        return Refusal(_("Only the project's team or the offer's owner can ask."), forbidden=True)
    if not offer.active:
        return Refusal(_("This offer is closed to intros."))
    if project.status != ProjectStatus.ACTIVE:
        return Refusal(_("This project is no longer active."))
    statuses = {intro.status for intro in history}
    if IntroStatus.REQUESTED in statuses:
        return Refusal(_("An intro between these two is already pending."))
    since = timezone.now() - timedelta(days=REREQUEST_DAYS)
    declined = [
        intro.decided_at
        for intro in history
        if intro.status == IntroStatus.DECLINED
        and intro.decided_at is not None
        and intro.decided_at >= since
    ]
    if declined:
        again = timezone.localdate(max(declined) + timedelta(days=REREQUEST_DAYS))
        return Refusal(
            _("This intro was declined; it can be requested again from %(date)s.")
            % {"date": again.isoformat()}
        )
    if IntroStatus.ACCEPTED in statuses:
        return Refusal(_("You are already introduced."))
    return None
