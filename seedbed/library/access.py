"""Who may see and do what in the library, asked the same way by pages, the API, files,
search and suggestions. A resource follows its community's rule (``readable_communities``); a
platform-wide one is open to everyone. Only approved resources are shown to readers; a pending,
hidden or rejected one only to its author and to those who moderate it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from seedbed.accounts.access import is_operator
from seedbed.communities.access import Someone, member, readable_communities
from seedbed.communities.models import Community, Membership, Role
from seedbed.library.models import Resource, Track


def visible_resources(user: Someone) -> QuerySet[Resource]:
    """Approved resources this user may read: platform-wide ones and those of readable
    communities."""
    readable = readable_communities(user)
    return Resource.objects.approved().filter(Q(community__isnull=True) | Q(community__in=readable))


def visible_tracks(user: Someone) -> QuerySet[Track]:
    readable = readable_communities(user)
    return Track.objects.filter(Q(community__isnull=True) | Q(community__in=readable))


def _membership(user: Someone, community: Community | None) -> Membership | None:
    found = member(user)
    if found is None or community is None:
        return None
    return Membership.objects.filter(user=found, community=community).first()


@dataclass
class ResourceAccess:
    """What one person may do with one resource they may see."""

    user: Someone
    resource: Resource
    membership: Membership | None

    @property
    def is_author(self) -> bool:
        found = member(self.user)
        return found is not None and self.resource.author_id == found.pk

    @property
    def can_moderate(self) -> bool:
        """Approve, hide or reject: operators anywhere, a community's moderators in it."""
        return is_operator(self.user) or (
            self.membership is not None and self.membership.can_moderate
        )

    @property
    def can_edit(self) -> bool:
        return self.is_author or self.can_moderate

    @property
    def can_rate(self) -> bool:
        return member(self.user) is not None and self.resource.is_approved and not self.is_author

    @property
    def can_report(self) -> bool:
        return member(self.user) is not None and self.resource.is_approved and not self.is_author

    @property
    def can_shelve(self) -> bool:
        return member(self.user) is not None and self.resource.is_approved


def resource_access(user: Someone, resource: Resource) -> ResourceAccess | None:
    """The access of ``user`` to ``resource``, or None when they may not see it at all."""
    membership = _membership(user, resource.community)
    community = resource.community
    if (
        community is not None
        and membership is None
        and not readable_communities(user).filter(pk=community.pk).exists()
    ):
        return None
    found = ResourceAccess(user, resource, membership)
    if resource.is_approved or found.is_author or found.can_moderate:
        return found
    return None


def can_curate(user: Someone, community: Community | None) -> bool:
    """Curate tracks: operators anywhere; owners of a community (not archived) in it."""
    if is_operator(user):
        return True
    found = member(user)
    if found is None or community is None or community.archived_at is not None:
        return False
    return Membership.objects.filter(user=found, community=community, role=Role.OWNER).exists()
