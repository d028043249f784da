"""Creating a community, changing its settings and archiving it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from seedbed.accounts.access import is_operator
from seedbed.accounts.models import User
from seedbed.communities import access, indexing
from seedbed.communities.access import CommunityAccess
from seedbed.communities.models import (
    COLOURS,
    Community,
    Membership,
    ModerationAction,
    Role,
    Visibility,
)
from seedbed.communities.services.moderation import log_action
from seedbed.communities.services.reading import get_community
from seedbed.core import ratelimit
from seedbed.core.markdown import render_markdown
from seedbed.core.models import Sector, normalise_tag
from seedbed.core.services import tags_named
from seedbed.core.text import single_line

MAX_COMMUNITY_TAGS = 5


def _check_can_create(user: User) -> None:
    if settings.COMMUNITY_CREATION == "operators" and not is_operator(user):
        raise PermissionDenied(_("Only operators can create communities here."))


def _clean_community(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    cleaned = dict(fields)
    if "name" in fields:
        cleaned["name"] = single_line(fields["name"] or "")
        if not cleaned["name"]:
            errors["name"] = [_("Give the community a name.")]
        elif len(cleaned["name"]) > 80:
            errors["name"] = [_("A name can be at most 80 characters.")]
    if "description" in fields:
        cleaned["description"] = (fields["description"] or "").strip()
        if len(cleaned["description"]) > 5000:
            errors["description"] = [_("A description can be at most 5,000 characters.")]
    if "visibility" in fields and fields["visibility"] not in Visibility.values:
        errors["visibility"] = [_("Choose public, private or hidden.")]
    if fields.get("sector"):
        sector = Sector.objects.filter(slug=fields["sector"]).first()
        if sector is None:
            errors["sector"] = [_("Unknown sector: %(v)s") % {"v": fields["sector"]}]
        cleaned["sector"] = sector
    elif "sector" in fields:
        cleaned["sector"] = None
    if "colour" in fields and fields["colour"] and fields["colour"] not in COLOURS:
        errors["colour"] = [_("Choose one of the offered colours.")]
    if "tags" in fields:
        tags = (normalise_tag(single_line(t)) for t in fields["tags"] or [])
        names = list(dict.fromkeys(n for n in tags if n))
        if len(names) > MAX_COMMUNITY_TAGS:
            errors["tags"] = [_("At most %(n)d tags.") % {"n": MAX_COMMUNITY_TAGS}]
        cleaned["tags"] = names
    if errors:
        raise ValidationError(errors)
    return cleaned


RESERVED_SLUGS = frozenset({"new"})
"""Addresses our own pages use (``/c/new/`` creates a community)."""


def _free_slug(wanted: str) -> str:
    """``wanted`` as an address, or the first free ``wanted-2``, ``wanted-3``… when a community
    (of any visibility) or one of our pages has it. An address in use is never refused: a
    refusal would tell anyone that a hidden community lives there."""
    base = slugify(wanted) or "community"
    slug, n = base[:60], 2
    while slug in RESERVED_SLUGS or Community.objects.filter(slug=slug).exists():
        slug, n = f"{base[:50]}-{n}", n + 1
    return slug


def _check_rate(creator: User) -> None:
    """COMMUNITY_CREATION_RATE_LIMITS per member; operators, who set the platform up, are not
    limited."""
    if not is_operator(creator):
        ratelimit.hit(f"community:user:{creator.pk}", settings.COMMUNITY_CREATION_RATE_LIMITS)


def create_community(user: User | AnonymousUser, **fields: Any) -> Community:
    """A new community owned by ``user``, at the address asked for (``slug``) or derived from
    its name, made free if in use. Raises RateLimited past the member's limit; refused input
    does not count against it."""
    creator = access.signed_in_member(user)
    _check_can_create(creator)
    fields.setdefault("name", "")
    cleaned = _clean_community(fields)
    tags = cleaned.pop("tags", [])
    wanted_slug = cleaned.pop("slug", "") or cleaned["name"]
    _check_rate(creator)
    with transaction.atomic():
        community = Community.objects.create(
            slug=_free_slug(wanted_slug),
            created_by=creator,
            description_html=render_markdown(cleaned.get("description", "")),
            colour=cleaned.pop("colour", "") or COLOURS[Community.objects.count() % len(COLOURS)],
            **cleaned,
        )
        community.tags.set(tags_named(tags))
        Membership.objects.create(community=community, user=creator, role=Role.OWNER)
        indexing.index_community(community)
    return community


def community_for_editing(user: User | AnonymousUser, slug: str) -> CommunityAccess:
    found = get_community(user, slug)
    if not found.can_manage:
        raise PermissionDenied(_("Only owners can edit the community."))
    return found


def update_community(user: User | AnonymousUser, slug: str, **fields: Any) -> Community:
    community = community_for_editing(user, slug).community
    cleaned = _clean_community(fields)
    tags = cleaned.pop("tags", None)
    cleaned.pop("slug", None)
    with transaction.atomic():
        for name, value in cleaned.items():
            setattr(community, name, value)
        community.description_html = render_markdown(community.description)
        community.save()
        if tags is not None:
            community.tags.set(tags_named(tags))
        indexing.index_community(community, with_content=True)
    return community


def archive_community(user: User | AnonymousUser, slug: str) -> Community:
    """Archived communities stay readable, read-only, to their members; they leave the
    directory and search."""
    found = get_community(user, slug)
    if not found.can_manage:
        raise PermissionDenied(_("Only owners can archive the community."))
    community = found.community
    with transaction.atomic():
        community.archived_at = timezone.now()
        community.save(update_fields=["archived_at"])
        log_action(community, access.signed_in_member(user), ModerationAction.Action.ARCHIVE)
        indexing.remove_community(community)
    return community
