"""Who may see which Insights. Operators see every community and the whole platform; a
community's owners and moderators see their own community's Insights; a member sees only their
own activity. A community the caller may not read answers 404, as everywhere else."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from seedbed.accounts.access import is_operator
from seedbed.communities.access import can_read, member, membership_of
from seedbed.communities.models import Community, Role

Scope = Community | None


def insights_scope(user, slug: str | None) -> Scope:
    """The community whose Insights ``user`` may see, or None for the platform-wide view.

    Platform-wide: operators only (PermissionDenied for anyone else). A community: operators
    and its owners and moderators; Http404 when the caller may not read it, PermissionDenied
    when they may read it but not its Insights."""
    if member(user) is None:
        raise PermissionDenied
    if slug is None:
        if not is_operator(user):
            raise PermissionDenied
        return None
    community = Community.objects.filter(slug=slug).first()
    if community is None:
        raise Http404
    if is_operator(user):
        return community
    membership = membership_of(user, community)
    if not can_read(user, community, membership):
        raise Http404
    if membership is None or membership.role not in (Role.OWNER, Role.MODERATOR):
        raise PermissionDenied
    return community
