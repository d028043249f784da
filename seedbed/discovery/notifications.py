"""The "For you" section of the e-mail digest, for members who left it on (the default)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse

from seedbed.accounts.models import User
from seedbed.core.pages import absolute_url
from seedbed.discovery import services
from seedbed.notifications.registry import register_digest_section

DIGEST_PER_KIND = 2


def for_you(user: User, since: datetime) -> dict[str, Any] | None:
    """The best stored suggestions of each kind, re-checked like on the page; rendered in the
    member's language because the digest is drawn under it."""
    if not services.wants_digest(user):
        return None
    items = [
        (s, absolute_url(s.url))
        for kind in services.KINDS
        for s in services.suggestions_for(user, kind, DIGEST_PER_KIND)
    ]
    if not items:
        return None
    return {"items": items, "page_url": absolute_url(reverse("discovery:for_you"))}


register_digest_section("discovery/email/digest_for_you.txt", for_you)
