"""What may be suggested to whom: asked at computation (in bulk, by the adapter) and again
at read time (here, per member and kind), because memberships, bans, cancellations and
deactivations change between a refresh and a page view.

Never suggested: a community the member cannot join at once (private, hidden, archived) or is
already in or banned from; content of communities they may not read; events over, cancelled
or already answered; inactive members and the member themself; posts that are not visible.
Projects and their deal data are never suggested: people come from stored matches, whose
reasons carry no amounts."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from seedbed.accounts.models import User
from seedbed.communities.access import readable_communities
from seedbed.communities.models import Ban, Community, ContentStatus, Membership, Post, Visibility
from seedbed.events.models import RSVP, Event


def communities_for(member: User) -> QuerySet[Community]:
    joined = Exists(Membership.objects.filter(community=OuterRef("pk"), user=member))
    banned = Exists(Ban.objects.filter(community=OuterRef("pk"), user=member))
    return Community.objects.filter(visibility=Visibility.PUBLIC, archived_at__isnull=True).filter(
        ~joined, ~banned
    )


def events_for(member: User) -> QuerySet[Event]:
    readable = readable_communities(member).filter(archived_at__isnull=True)
    answered = Exists(RSVP.objects.filter(event=OuterRef("pk"), user=member))
    return (
        Event.objects.filter(Q(community__isnull=True) | Q(community__in=readable))
        .filter(cancelled_at__isnull=True, ends_at__gt=timezone.now())
        .filter(~answered)
        .select_related("community")
    )


def people_for(member: User) -> QuerySet[User]:
    return User.objects.filter(is_active=True).exclude(pk=member.pk)


def posts_for(member: User) -> QuerySet[Post]:
    readable = readable_communities(member).filter(archived_at__isnull=True)
    return (
        Post.objects.filter(status=ContentStatus.VISIBLE, community__in=readable)
        .exclude(author=member)
        .select_related("community")
    )


RECOMMENDABLE = {
    "community": communities_for,
    "event": events_for,
    "person": people_for,
    "post": posts_for,
}


def recommendable(member: User, kind: str) -> QuerySet:
    """Objects of ``kind`` (a stored kind: community, event, person, post) that may be
    suggested to ``member`` now."""
    return RECOMMENDABLE[kind](member)


def suggestible_communities() -> QuerySet[Community]:
    """Communities that may be suggested to someone: the catalogue for coverage."""
    return Community.objects.filter(visibility=Visibility.PUBLIC, archived_at__isnull=True)


def suggestible_events() -> QuerySet[Event]:
    return Event.objects.filter(cancelled_at__isnull=True, ends_at__gt=timezone.now()).filter(
        Q(community__isnull=True) | Q(community__archived_at__isnull=True)
    )
