"""Who may see and do what in a community. Every page, endpoint, feed and search result asks
here, so "private means private" is decided in one place.

Rules:
- public: anyone (visitors too) reads; signed-in members join at once;
- private: listed (name and description) so people can ask to join; everything else —
  the community page, posts, replies, members, counts — only for its members;
- hidden: unlisted; only members know it exists; join by invitation.
A banned member is no longer a member and cannot read a public community either.
Operators (staff) moderate everywhere but read private content only where they are members,
except in the moderation queue, where reported content is shown to them.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from seedbed.communities.models import (
    Ban,
    Community,
    ContentStatus,
    Membership,
    Post,
    Reply,
    Role,
    Visibility,
)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def membership_of(user, community: Community) -> Membership | None:
    if not _signed_in(user):
        return None
    return Membership.objects.filter(user=user, community=community).first()


def member_community_ids(user) -> set[int]:
    if not _signed_in(user):
        return set()
    return set(
        Membership.objects.filter(user=user, community__archived_at__isnull=True).values_list(
            "community_id", flat=True
        )
    )


def readable_communities(user) -> QuerySet[Community]:
    """Communities whose content this user may read."""
    communities = Community.objects.active()
    if not _signed_in(user):
        return communities.filter(visibility=Visibility.PUBLIC)
    is_member = Exists(Membership.objects.filter(community=OuterRef("pk"), user=user))
    is_banned = Exists(Ban.objects.filter(community=OuterRef("pk"), user=user))
    return communities.filter(is_member | (Q(visibility=Visibility.PUBLIC) & ~is_banned))


def listed_communities(user) -> QuerySet[Community]:
    """Communities this user may know exist: readable ones plus private ones (listed)."""
    communities = Community.objects.active()
    if not _signed_in(user):
        return communities.exclude(visibility=Visibility.HIDDEN)
    is_member = Exists(Membership.objects.filter(community=OuterRef("pk"), user=user))
    return communities.filter(is_member | ~Q(visibility=Visibility.HIDDEN))


def can_read(user, community: Community, membership: Membership | None) -> bool:
    if community.archived_at is not None and not (membership or _is_operator(user)):
        return False
    if membership is not None:
        return True
    if community.visibility != Visibility.PUBLIC:
        return False
    return not (_signed_in(user) and Ban.objects.filter(community=community, user=user).exists())


def _is_operator(user) -> bool:
    return _signed_in(user) and user.is_staff


def can_moderate(user, membership: Membership | None) -> bool:
    return _is_operator(user) or (membership is not None and membership.can_moderate)


def is_owner(membership: Membership | None) -> bool:
    return membership is not None and membership.role == Role.OWNER


def readable_posts(user) -> QuerySet[Post]:
    return Post.objects.filter(
        status=ContentStatus.VISIBLE, community__in=readable_communities(user)
    )


def readable_replies(user) -> QuerySet[Reply]:
    return Reply.objects.filter(
        status=ContentStatus.VISIBLE,
        post__status=ContentStatus.VISIBLE,
        post__community__in=readable_communities(user),
    )
