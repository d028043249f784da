"""What the home page shows: to visitors, what is alive on the public side of the platform; to
members, what waits for them. Each list is one query whatever the data's size, and every list
asks the communities' and events' own access rules, so nothing private reaches an outsider."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from seedbed.accounts.models import User
from seedbed.accounts.services import active_member_count
from seedbed.communities.access import readable_communities
from seedbed.communities.models import (
    Community,
    ContentStatus,
    Membership,
    Post,
    Reaction,
    Reply,
    Report,
    Visibility,
)
from seedbed.events.models import RSVP, Event, RSVPStatus
from seedbed.events.services import upcoming, visible_events
from seedbed.matching.models import Intro
from seedbed.matching.services import awaiting_answer
from seedbed.notifications.services import notifications_for

#: Engagement (replies and reactions) of this many days makes a post trend, and posts of this
#: many days make a community active.
ACTIVITY_DAYS = 14
VISITOR_EVENTS = 6
FEATURED_COMMUNITIES = 6
TRENDING_POSTS = 6
MY_EVENTS = 5
MY_INTROS = 5
MY_COMMUNITIES = 10

#: A visit ends after this long without looking at the home page; the next look starts a new
#: one, and "new since your last visit" counts from the start of the one before.
VISIT_GAP = timedelta(minutes=30)
#: What "your last visit" means on a device the member has not used the home page on.
FIRST_VISIT_LOOKBACK = timedelta(days=7)
#: The session is written at most this often while a visit goes on.
SEEN_RESOLUTION = timedelta(minutes=1)


def _count(rows: QuerySet[Any], group: str) -> Coalesce:
    """A correlated count of ``rows`` grouped by ``group``: one subquery per outer row. Distinct,
    because a visibility rule may join a to-many relation."""
    counted = rows.order_by().values(group).annotate(n=Count("pk", distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# Visitors --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitorHome:
    member_count: int
    events: list[Event]
    communities: list[Community]
    posts: list[Post]


def upcoming_public_events(now: datetime, limit: int = VISITOR_EVENTS) -> list[Event]:
    """The next events a visitor may see (public communities' and the platform's), soonest
    first; cancelled ones are left out here, where nobody is waiting for news of them."""
    events = upcoming(AnonymousUser(), now=now).events.filter(cancelled_at__isnull=True)
    return list(events[:limit])


def featured_communities(now: datetime, limit: int = FEATURED_COMMUNITIES) -> list[Community]:
    """Public communities ordered by their posts of the last ``ACTIVITY_DAYS`` days, then size:
    the ones a newcomer would find alive. Each carries ``recent_posts`` and ``member_count``."""
    since = now - timedelta(days=ACTIVITY_DAYS)
    recent = Post.objects.filter(
        community=OuterRef("pk"), status=ContentStatus.VISIBLE, created_at__gte=since
    )
    members = Membership.objects.filter(community=OuterRef("pk"))
    communities = (
        Community.objects.active()
        .filter(visibility=Visibility.PUBLIC)
        .select_related("sector")
        .annotate(
            recent_posts=_count(recent, "community"), member_count=_count(members, "community")
        )
        .order_by("-recent_posts", "-member_count", "name", "id")
    )
    return list(communities[:limit])


def trending_posts(now: datetime, limit: int = TRENDING_POSTS) -> list[Post]:
    """Posts of public communities with the most replies and reactions in the last
    ``ACTIVITY_DAYS`` days (a reply counts twice, as in the hot order). Hidden and removed
    posts never trend, nor a post someone reported until a moderator has looked at it."""
    since = now - timedelta(days=ACTIVITY_DAYS)
    replies = Reply.objects.filter(
        post=OuterRef("pk"), status=ContentStatus.VISIBLE, created_at__gte=since
    )
    reactions = Reaction.objects.filter(post=OuterRef("pk"), created_at__gte=since)
    reported = Report.objects.filter(post=OuterRef("pk"), status=Report.Status.OPEN)
    posts = (
        Post.objects.filter(
            community__in=readable_communities(None),
            status=ContentStatus.VISIBLE,
        )
        .filter(
            Q(last_activity_at__gte=since)
            | Q(created_at__gte=since)
            | Q(pk__in=Reaction.objects.filter(created_at__gte=since).values("post_id"))
        )
        .exclude(Exists(reported))
        .annotate(
            recent_replies=_count(replies, "post"), recent_reactions=_count(reactions, "post")
        )
        .filter(Q(recent_replies__gt=0) | Q(recent_reactions__gt=0))
        .select_related("author", "community")
        .prefetch_related("tags")
        .order_by("-recent_replies", "-recent_reactions", "-hot", "-id")
    )
    return list(posts[:limit])


def visitor_home(now: datetime | None = None) -> VisitorHome:
    now = now or timezone.now()
    return VisitorHome(
        member_count=active_member_count(),
        events=upcoming_public_events(now),
        communities=featured_communities(now),
        posts=trending_posts(now),
    )


# Members ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberHome:
    since: datetime
    events: list[RSVP]
    intros: list[Intro]
    communities: list[Community]
    has_communities: bool
    onboarding_step: int


WAITING_STATUSES = (RSVPStatus.CONFIRMED, RSVPStatus.WAITLISTED, RSVPStatus.PENDING)


def my_next_events(member: User, now: datetime, limit: int = MY_EVENTS) -> list[RSVP]:
    """The member's seats and places in line for events that have not ended, soonest first.
    An event whose community the member can no longer read drops out, as everywhere."""
    return list(
        RSVP.objects.filter(
            user=member,
            status__in=WAITING_STATUSES,
            event__ends_at__gte=now,
            event__cancelled_at__isnull=True,
            event__in=visible_events(member),
        )
        .select_related("event", "event__community")
        .order_by("event__starts_at", "event_id")[:limit]
    )


def community_activity(
    member: User, since: datetime, limit: int = MY_COMMUNITIES
) -> tuple[list[Community], bool]:
    """The member's communities with something new, each carrying ``new_posts`` (others'
    posts since ``since``) and ``unread`` (the member's unread notifications there — mentions,
    replies, requests — that they may still see); and whether they belong to any community."""
    new_posts = Post.objects.filter(
        community=OuterRef("pk"), status=ContentStatus.VISIBLE, created_at__gt=since
    ).exclude(author=member)
    unread = notifications_for(member).filter(read_at__isnull=True, community=OuterRef("pk"))
    # A member may read every community they belong to: no further access rule applies.
    mine = (
        Community.objects.filter(memberships__user=member, archived_at__isnull=True)
        .annotate(new_posts=_count(new_posts, "community"), unread=_count(unread, "community"))
        .order_by("-unread", "-new_posts", "name", "id")
    )
    rows: list[Community] = list(mine[: limit + 1])
    active = [c for c in rows if getattr(c, "new_posts", 0) or getattr(c, "unread", 0)]
    return active[:limit], bool(rows)


def member_home(member: User, since: datetime, now: datetime | None = None) -> MemberHome:
    """Everything on a member's home page but the suggestions, which come stored from
    discovery."""
    now = now or timezone.now()
    communities, has_communities = community_activity(member, since)
    return MemberHome(
        since=since,
        events=my_next_events(member, now),
        intros=list(awaiting_answer(member)[:MY_INTROS]),
        communities=communities,
        has_communities=has_communities,
        onboarding_step=member.onboarding_step,
    )


def last_visit(session: MutableMapping[str, Any], now: datetime) -> datetime:
    """When the member last looked at the home page before this visit, remembered in the
    session: the counts of "new since your last visit" stay put while one visit goes on
    (reloading does not zero them) and start afresh after ``VISIT_GAP`` away."""
    seen = _moment(session.get("home_seen_at"))
    previous = _moment(session.get("home_previous_visit"))
    if seen is None or previous is None or now - seen > VISIT_GAP:
        previous = seen if seen is not None else now - FIRST_VISIT_LOOKBACK
        session["home_previous_visit"] = previous.isoformat()
    if seen is None or now - seen >= SEEN_RESOLUTION:
        session["home_seen_at"] = now.isoformat()
    return previous


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
