"""Badges: what each one takes, in bilingual words, and the grant that the background task runs.
Each badge is one query for the members who qualify; granting inserts the missing rows only,
and a unique constraint makes a second run (or two at once) grant nothing twice."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from seedbed.engagement import notifications as kinds
from seedbed.engagement.models import HelpfulMark, MemberBadge
from seedbed.notifications.services import notify


@dataclass(frozen=True)
class Badge:
    code: str
    name: str | Promise
    description: str | Promise
    earners: Callable[[datetime], Iterable[int]]


def _first_post(now: datetime) -> Iterable[int]:
    from seedbed.communities.models import ContentStatus, Post

    return Post.objects.filter(status=ContentStatus.VISIBLE).values_list("author_id", flat=True)


def _first_event(now: datetime) -> Iterable[int]:
    from seedbed.events.models import RSVP

    return RSVP.objects.filter(checked_in_at__isnull=False).values_list("user_id", flat=True)


def _helpful(now: datetime) -> Iterable[int]:
    return (
        HelpfulMark.objects.filter(reply__status="visible")
        .values("reply__author_id")
        .annotate(n=Count("id"))
        .filter(n__gte=10)
        .values_list("reply__author_id", flat=True)
    )


def _connector(now: datetime) -> Iterable[int]:
    from seedbed.matching.models import Intro, IntroStatus

    return (
        Intro.objects.filter(status=IntroStatus.ACCEPTED, requested_by__isnull=False)
        .values("requested_by_id")
        .annotate(n=Count("id"))
        .filter(n__gte=3)
        .values_list("requested_by_id", flat=True)
    )


def _mentor(now: datetime) -> Iterable[int]:
    from seedbed.matching.models import Intro, OfferKind

    return (
        Intro.objects.filter(met_at__isnull=False, offer__kind=OfferKind.MENTOR)
        .values("offer__owner_id")
        .annotate(n=Count("id"))
        .filter(n__gte=5)
        .values_list("offer__owner_id", flat=True)
    )


def _speaker(now: datetime) -> Iterable[int]:
    """Hosted an event that took place (someone checked in), or pitched in a competition."""
    from seedbed.events.models import Entry, Event

    hosts = Event.objects.filter(
        Q(ends_at__lte=now),
        cancelled_at__isnull=True,
        created_by__isnull=False,
        rsvps__checked_in_at__isnull=False,
    ).values_list("created_by_id", flat=True)
    pitchers = Entry.objects.values_list("submitted_by_id", flat=True)
    return {*hosts, *pitchers}


def _founder_who_raised(now: datetime) -> Iterable[int]:
    from seedbed.matching.models import Outcome, Project

    return Project.team.through.objects.filter(
        project__intros__outcome=Outcome.INVESTED
    ).values_list("user_id", flat=True)


BADGES = (
    Badge(
        "first_post",
        pgettext_lazy("badge", "First post"),
        _("Wrote a first post in a community."),
        _first_post,
    ),
    Badge(
        "first_event",
        pgettext_lazy("badge", "First event"),
        _("Checked in at a first event."),
        _first_event,
    ),
    Badge(
        "helpful",
        pgettext_lazy("badge", "Helpful"),
        _("Ten replies marked helpful by the people who asked."),
        _helpful,
    ),
    Badge(
        "connector",
        pgettext_lazy("badge", "Connector"),
        _("Three intros requested and accepted."),
        _connector,
    ),
    Badge(
        "mentor",
        pgettext_lazy("badge", "Mentor"),
        _("Met five founders through mentoring intros."),
        _mentor,
    ),
    Badge(
        "speaker",
        pgettext_lazy("badge", "Speaker"),
        _("Hosted an event that took place, or pitched in a competition."),
        _speaker,
    ),
    Badge(
        "founder_raised",
        pgettext_lazy("badge", "Founder who raised"),
        _("On the team of a project that raised through an intro here."),
        _founder_who_raised,
    ),
)
BY_CODE = {badge.code: badge for badge in BADGES}


def grant_badges(now: datetime | None = None) -> int:
    """Grant every badge its members have earned and not yet received; returns how many."""
    now = now or timezone.now()
    granted = 0
    for badge in BADGES:
        have = set(MemberBadge.objects.filter(code=badge.code).values_list("member_id", flat=True))
        new = set(badge.earners(now)) - have
        if not new:
            continue
        rows = MemberBadge.objects.bulk_create(
            [MemberBadge(member_id=pk, code=badge.code, granted_at=now) for pk in sorted(new)],
            ignore_conflicts=True,
        )
        granted += len(rows)
        notify(sorted(new), kinds.BADGE_GRANTED)
    return granted


def badges_of(member_id: int) -> list[tuple[Badge, MemberBadge]]:
    rows = MemberBadge.objects.filter(member_id=member_id, code__in=BY_CODE)
    return [(BY_CODE[row.code], row) for row in rows]
