"""Who a user is and whose profile they may see, asked the same way everywhere: the operator
predicate, the profile-visibility rule and the @handle lookup."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

if TYPE_CHECKING:
    from seedbed.accounts.models import User


def is_operator(user: Any) -> bool:
    """Operators are active staff accounts; visitors and deactivated accounts never are."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
    )


def visible_profiles(viewer: Any, prefix: str = "") -> Q:
    """The rows whose member profile ``viewer`` may see, as a filter usable in bulk: active
    members only, and to a visitor only public profiles. ``prefix`` reaches the member through
    a relation, e.g. ``Membership.objects.filter(visible_profiles(viewer, "user__"))``."""
    from seedbed.accounts.models import Visibility

    rule = Q(**{f"{prefix}is_active": True})
    if not getattr(viewer, "is_authenticated", False):
        rule &= Q(**{f"{prefix}visibility": Visibility.PUBLIC})
    return rule


def may_see_profile(viewer: Any, member: User) -> bool:
    """One member at a time, by the same rule as ``visible_profiles`` (no query)."""
    from seedbed.accounts.models import Visibility

    if not member.is_active:
        return False
    return (
        bool(getattr(viewer, "is_authenticated", False)) or member.visibility == Visibility.PUBLIC
    )


def member_by_handle(handle: str) -> User | None:
    """The active member with this @handle (case and a leading @ ignored), or None."""
    from seedbed.accounts.models import User

    name = str(handle or "").strip().lstrip("@").lower()
    if not name:
        return None
    return User.objects.filter(handle=name, is_active=True).first()
