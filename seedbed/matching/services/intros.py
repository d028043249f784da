"""The double opt-in intro: either side asks, the other side's yes opens the contacts and the
thread; then the two sides record the meeting and its outcome. Who may do which step is asked
of ``IntroAccess`` and ``may_request_intro``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from seedbed.accounts.models import User
from seedbed.core import ratelimit
from seedbed.matching import notifications as kinds
from seedbed.matching.access import (
    IntroAccess,
    Refusal,
    as_member,
    intro_access,
    is_team,
    may_request_intro,
    may_request_intros,
    pair_intros,
    require_member,
)
from seedbed.matching.models import (
    DeclineReason,
    Intro,
    IntroMessage,
    IntroStatus,
    Match,
    Offer,
    Outcome,
    Project,
)
from seedbed.matching.predictive import request_models_refit
from seedbed.matching.services.fields import choice, text
from seedbed.matching.services.projects import get_offer, get_project
from seedbed.notifications.services import notify

INTRO_RATE_LIMITS = [(20, 3600), (100, 86400)]

# Reading ----------------------------------------------------------------------------------------


def intro_queryset() -> QuerySet[Intro]:
    return Intro.objects.select_related("project", "offer__owner", "requested_by", "decided_by")


def get_intro(user: User | AnonymousUser, intro_id: int) -> IntroAccess:
    """The intro with what ``user`` is to it; 404 for anyone who may not see it."""
    intro = intro_queryset().filter(pk=intro_id).first()
    access = intro_access(user, intro) if intro is not None else None
    if access is None:
        raise Http404
    return access


def intro_contacts(access: IntroAccess) -> dict[str, list[User]]:
    if not access.sees_contacts:
        return {}
    team = list(access.intro.project.team.filter(is_active=True).order_by("id"))
    return {"team": team, "offer": [access.intro.offer.owner]}


def intro_thread(access: IntroAccess) -> QuerySet[IntroMessage]:
    if not access.reads_thread:
        raise PermissionDenied(_("The thread opens when both sides have accepted."))
    return access.intro.messages.select_related("author")


def intros_for(user: User | AnonymousUser) -> QuerySet[Intro]:
    """Intros where the member is on either side."""
    member = as_member(user)
    if member is None:
        return Intro.objects.none()
    team = Project.team.through.objects.filter(project_id=OuterRef("project_id"), user=member)
    return intro_queryset().filter(Q(offer__owner=member) | Exists(team))


def awaiting_answer(user: User | AnonymousUser) -> QuerySet[Intro]:
    """Requested intros where the member's side has not answered yet."""
    member = as_member(user)
    if member is None:
        return Intro.objects.none()
    team = Project.team.through.objects.filter(project_id=OuterRef("project_id"), user=member)
    return (
        intros_for(member)
        .filter(status=IntroStatus.REQUESTED)
        .filter(
            Q(offer__owner=member, offer_consent__isnull=True)
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


def my_intros(user: User | AnonymousUser, *, limit: int = 100) -> MyIntros:
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


Item = TypeVar("Item")


@dataclass(frozen=True)
class AskRow(Generic[Item]):
    """One project, offer or match in an "Ask for an intro" list: the pair's newest intro, and
    why the member may not ask for another (None: the button is shown)."""

    item: Item
    intro: Intro | None
    refusal: Refusal | None


def ask_rows(
    user: User | AnonymousUser,
    items: Sequence[Item],
    pair: Callable[[Item], tuple[Project, Offer]],
) -> list[AskRow[Item]]:
    """Rows for the pages' intro buttons, asked of the same predicate as ``request_intro``."""
    pairs = [pair(item) for item in items]
    intros = list(pair_intros(pairs)) if pairs else []
    refusals = may_request_intros(user, pairs, intros)
    latest: dict[tuple[int, int], Intro] = {}
    for intro in intros:
        latest.setdefault((intro.project_id, intro.offer_id), intro)
    return [
        AskRow(item, latest.get((p.pk, o.pk)), refusal)
        for item, (p, o), refusal in zip(items, pairs, refusals, strict=True)
    ]


# Notifications ----------------------------------------------------------------------------------


def team_ids(project_id: int) -> list[int]:
    return list(
        Project.team.through.objects.filter(project_id=project_id).values_list("user_id", flat=True)
    )


def _notify(intro: Intro, recipients: Iterable[int], kind: str, actor: User) -> None:
    notify(recipients, kind, actor=actor, intro=intro)


def _both_sides(intro: Intro) -> list[int]:
    return [*team_ids(intro.project_id), intro.offer.owner_id]


# Writing ----------------------------------------------------------------------------------------


def request_intro(
    user: User | AnonymousUser,
    slug: str,
    offer_id: int,
    *,
    message: str = "",
    token_id: int | None = None,
) -> Intro:
    """Ask for an introduction between a project and an offer, from either side: a team member
    asks the offer's owner, the offer's owner asks the team. One pending intro per pair; after
    a decline the pair waits ``REREQUEST_DAYS`` days."""
    member = require_member(user)
    message = text({"message": message}, "message", limit=2000)
    project = get_project(member, slug)
    offer = get_offer(member, offer_id)
    ratelimit.hit(f"intro:user:{member.pk}", INTRO_RATE_LIMITS)
    if token_id is not None:
        ratelimit.hit(f"intro:token:{token_id}", INTRO_RATE_LIMITS)
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        refusal = may_request_intro(member, project, offer)
        if refusal is not None:
            raise refusal.error()
        on_team, owns = is_team(member, project), offer.owner_id == member.pk
        match = Match.objects.filter(project=project, offer=offer).first()
        try:
            with transaction.atomic():
                intro = Intro.objects.create(
                    project=project,
                    offer=offer,
                    requested_by=member,
                    message=message,
                    score=match.score if match else None,
                    project_consent=True if on_team else None,
                    offer_consent=True if owns else None,
                )
        except IntegrityError:
            raise ValidationError(_("An intro between these two is already pending.")) from None
        other_side = [offer.owner_id] if on_team else team_ids(project.pk)
        _notify(intro, other_side, kinds.INTRO_REQUESTED, member)
    return intro


def _locked(user: User | AnonymousUser, intro_id: int) -> tuple[Intro, IntroAccess, User]:
    access = get_intro(user, intro_id)
    intro = Intro.objects.select_for_update().get(pk=access.intro.pk)
    intro.project, intro.offer = access.intro.project, access.intro.offer
    access.intro = intro
    return intro, access, require_member(user)


def answer_intro(
    user: User | AnonymousUser, intro_id: int, *, accept: bool, reason: str = "", note: str = ""
) -> Intro:
    """The user's side says yes or no. Both yes → accepted (contacts and thread open); one no
    → declined, with a reason the asking side sees."""
    with transaction.atomic():
        intro, access, member = _locked(user, intro_id)
        if not access.is_party:
            raise PermissionDenied(_("Only the two sides answer an intro."))
        if not access.can_answer:
            raise ValidationError(_("This intro is not waiting for your answer."))
        if not accept:
            reason = choice({"reason": reason}, "reason", DeclineReason, required=True)
            note = text({"note": note}, "note", limit=500)
        on_project_side = access.on_team and intro.project_consent is None
        setattr(intro, "project_consent" if on_project_side else "offer_consent", accept)
        if not accept:
            intro.status = IntroStatus.DECLINED
            intro.decline_reason, intro.decline_note = reason, note
        elif intro.project_consent and intro.offer_consent:
            intro.status = IntroStatus.ACCEPTED
        if intro.status != IntroStatus.REQUESTED:
            intro.decided_at, intro.decided_by = timezone.now(), member
        intro.save()
        if intro.status == IntroStatus.ACCEPTED:
            _notify(intro, _both_sides(intro), kinds.INTRO_ACCEPTED, member)
            request_models_refit()
        elif intro.status == IntroStatus.DECLINED:
            _notify(intro, _both_sides(intro), kinds.INTRO_DECLINED, member)
    return intro


def withdraw_intro(user: User | AnonymousUser, intro_id: int) -> Intro:
    with transaction.atomic():
        intro, access, member = _locked(user, intro_id)
        if not access.can_withdraw:
            raise ValidationError(_("Only a pending intro your side asked for can be withdrawn."))
        intro.status = IntroStatus.WITHDRAWN
        intro.decided_at, intro.decided_by = timezone.now(), member
        intro.save()
    return intro


def record_meeting(user: User | AnonymousUser, intro_id: int) -> Intro:
    with transaction.atomic():
        intro, access, _member = _locked(user, intro_id)
        if not access.can_record:
            raise ValidationError(_("Only an accepted intro can be marked as met."))
        intro.met_at = intro.met_at or timezone.now()
        intro.save(update_fields=["met_at"])
    return intro


def record_outcome(user: User | AnonymousUser, intro_id: int, outcome: str) -> Intro:
    with transaction.atomic():
        intro, access, _member = _locked(user, intro_id)
        if not access.can_record:
            raise ValidationError(_("Only an accepted intro can have an outcome."))
        intro.outcome = choice({"outcome": outcome}, "outcome", Outcome, required=True)
        now = timezone.now()
        intro.outcome_at = now
        intro.met_at = intro.met_at or now
        intro.save(update_fields=["outcome", "outcome_at", "met_at"])
        request_models_refit()
    return intro


def post_intro_message(user: User | AnonymousUser, intro_id: int, body: str) -> IntroMessage:
    access = get_intro(user, intro_id)
    if not access.reads_thread:
        raise PermissionDenied(_("The thread opens when both sides have accepted."))
    member = require_member(user)
    body = text({"body": body}, "body", limit=4000, required=True)
    ratelimit.hit(f"intro-message:user:{member.pk}", settings.POSTING_RATE_LIMITS)
    with transaction.atomic():
        message = IntroMessage.objects.create(intro=access.intro, author=member, body=body)
        _notify(access.intro, _both_sides(access.intro), kinds.INTRO_MESSAGE, member)
    return message
