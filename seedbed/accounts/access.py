"""Who a user is, asked the same way everywhere: the operator predicate and the @handle lookup."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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


def member_by_handle(handle: str) -> User | None:
    """The active member with this @handle (case and a leading @ ignored), or None."""
    from seedbed.accounts.models import User

    name = str(handle or "").strip().lstrip("@").lower()
    if not name:
        return None
    return User.objects.filter(handle=name, is_active=True).first()
