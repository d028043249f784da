"""Who may see and do what in a community. Every page, endpoint, template, feed and search
result asks here, so "private means private" is decided in one place.

Rules:
- public: anyone (visitors too) reads; signed-in members join at once;
- private: listed (name and description) so people can ask to join; everything else —
  the community page, posts, replies, members, counts — only for its members;
- hidden: unlisted; only members know it exists; join by invitation;
- archived: read-only, and only for its members; no longer listed or searchable.
A banned member is no longer a member and cannot read a public community either.
Operators moderate everywhere but read private content only where they are members,
except in the moderation queue, where reported content is shown to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from seedbed.accounts.access import is_operator
from seedbed.accounts.models import User
from seedbed.communities.models import (
    Ban,
    Community,
    Membership,
    Post,
    Reply,
    Role,
    Visibility,
)

Someone = User | AnonymousUser | None


def member(user: Someone) -> User | None:
    """The signed-in member, or None for a visitor."""
    return user if isinstance(user, User) and user.is_authenticated else None


def signed_in_member(user: Someone) -> User:
    """The signed-in member, or PermissionDenied: what every write starts with."""
    found = member(user)
    if found is None:
        raise PermissionDenied
    return found


def membership_of(user: Someone, community: Community) -> Membership | None:
    found = member(user)
    if found is None:
        return None
    return Membership.objects.filter(user=found, community=community).first()


def member_community_ids(user: Someone) -> set[int]:
    """The communities whose content search may show this user besides public content."""
    found = member(user)
    if found is None:
        return set()
    return set(
        Membership.objects.filter(user=found, community__archived_at__isnull=True).values_list(
            "community_id", flat=True
        )
    )


def readable_communities(user: Someone) -> QuerySet[Community]:
    """Communities whose content this user may read: :func:`can_read` as a query."""
    open_to_all = Q(visibility=Visibility.PUBLIC, archived_at__isnull=True)
    found = member(user)
    if found is None:
        return Community.objects.filter(open_to_all)
    is_member = Exists(Membership.objects.filter(community=OuterRef("pk"), user=found))
    is_banned = Exists(Ban.objects.filter(community=OuterRef("pk"), user=found))
    return Community.objects.filter(is_member | (open_to_all & ~is_banned))


def can_read(user: Someone, community: Community, membership: Membership | None) -> bool:
    """Whether this user may read this community: :func:`readable_communities` for one."""
    if membership is not None:
        return True
    if community.visibility != Visibility.PUBLIC or community.archived_at is not None:
        return False
    found = member(user)
    return found is None or not Ban.objects.filter(community=community, user=found).exists()


def listed_communities(user: Someone) -> QuerySet[Community]:
    """Active communities this user may know exist: readable ones plus private ones."""
    communities = Community.objects.active()
    found = member(user)
    if found is None:
        return communities.exclude(visibility=Visibility.HIDDEN)
    is_member = Exists(Membership.objects.filter(community=OuterRef("pk"), user=found))
    return communities.filter(is_member | ~Q(visibility=Visibility.HIDDEN))


@dataclass
class CommunityAccess:
    """What one person may do in one community they can read. Services enforce these answers;
    views, the API and templates ask the same properties, so a button is shown exactly when
    pressing it would work. Templates ask about one post or reply with the ``can_edit`` and
    ``can_report`` filters of ``community_tags``."""

    user: Someone
    community: Community
    membership: Membership | None

    @property
    def is_member(self) -> bool:
        return self.membership is not None

    @property
    def is_owner(self) -> bool:
        return self.membership is not None and self.membership.role == Role.OWNER

    @property
    def is_archived(self) -> bool:
        return self.community.archived_at is not None

    @property
    def can_moderate(self) -> bool:
        """Hide, restore and remove content, handle reports and join requests, ban."""
        return is_operator(self.user) or (
            self.membership is not None and self.membership.can_moderate
        )

    @property
    def can_manage(self) -> bool:
        """Change the community's settings or archive it."""
        return not self.is_archived and (self.is_owner or is_operator(self.user))

    @property
    def can_post(self) -> bool:
        """Post, reply and react: members, while the community is not archived."""
        return self.is_member and not self.is_archived

    @cached_property
    def trust_level(self) -> int:
        """The member's trust level (see :mod:`seedbed.engagement.trust`), asked once."""
        from seedbed.engagement.trust import level_of

        return level_of(member(self.user))

    @property
    def can_pin(self) -> bool:
        """Pin and unpin, and move posts to another community: moderators, and members who
        reached the leader trust level."""
        if self.is_archived:
            return False
        from seedbed.engagement.trust import may_pin_and_move

        return self.can_moderate or may_pin_and_move(self)

    @property
    def is_restricted(self) -> bool:
        """A new member's limits apply here: fewer posts a day, links as plain text."""
        from seedbed.engagement.trust import is_restricted

        return member(self.user) is not None and is_restricted(self)

    @property
    def can_invite(self) -> bool:
        """Members invite to a public community; only moderators to a private or hidden one."""
        return (
            self.is_member
            and not self.is_archived
            and (self.community.visibility == Visibility.PUBLIC or self.can_moderate)
        )

    def wrote(self, content: Post | Reply) -> bool:
        found = member(self.user)
        return found is not None and content.author_id == found.pk

    def can_edit(self, content: Post | Reply) -> bool:
        """Edit or delete a post or reply: its author or a moderator, while not archived."""
        return not self.is_archived and (self.wrote(content) or self.can_moderate)

    def can_report(self, content: Post | Reply) -> bool:
        return member(self.user) is not None and not self.wrote(content)


def access_to(user: Someone, community: Community) -> CommunityAccess:
    return CommunityAccess(user, community, membership_of(user, community))
