"""Onboarding: three short steps after sign-up (what I do and care about, communities to
join, the rest of my profile), each skippable. ``User.onboarding_step`` says where a new
member resumes after logging in; 0 means nothing is pending, which is what every member who
joined before onboarding existed has, so nobody is sent back through it.

The profile's own validation (``update_profile``) checks every field, so onboarding accepts
exactly what the profile page accepts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from seedbed.accounts.models import User
from seedbed.accounts.services import update_profile
from seedbed.communities.access import signed_in_member
from seedbed.communities.models import Ban, Community, JoinRequest, Membership, Visibility
from seedbed.communities.services import join_community
from seedbed.discovery.reasons import reason_text
from seedbed.discovery.services import suggestions_for
from seedbed.discovery.tasks import refresh_member_recommendations

STEPS = 3
FIRST_STEP = 1
INTEREST_FIELDS = ("roles", "sectors", "city", "interests")
PROFILE_FIELDS = ("headline", "bio", "languages", "visibility")
SUGGESTED_COMMUNITIES = 6


def start_onboarding(user: User) -> None:
    """Called on the account before its first save at sign-up."""
    user.onboarding_step = FIRST_STEP


def _advance(member: User, done: int) -> None:
    """Move the resume point past step ``done``, never backwards; finishing the last step ends
    onboarding. A member with nothing pending stays so (they may revisit the pages)."""
    current = member.onboarding_step
    if not current:
        return
    following = done + 1 if done < STEPS else 0
    if following == 0 or following > current:
        member.onboarding_step = following
        User.objects.filter(pk=member.pk).update(onboarding_step=following)


def skip_step(user: User | AnonymousUser, step: int) -> int:
    """Skip one step; returns the step to show next (0: onboarding is over)."""
    member = signed_in_member(user)
    _advance(member, step)
    return step + 1 if step < STEPS else 0


def save_interests(user: User | AnonymousUser, **changes: Any) -> User:
    """Step 1: roles, sectors, city and interests, validated as on the profile page (nothing is
    written unless all are valid); then the member's suggestions are recomputed, so step 2
    and the home page suggest from what was just said. The task is queued inside the
    transaction: with the database backend its row commits (or rolls back) with the profile."""
    member = signed_in_member(user)
    fields = {name: changes[name] for name in INTEREST_FIELDS if name in changes}
    with transaction.atomic():
        update_profile(member, **fields)
        _advance(member, 1)
        refresh_member_recommendations.enqueue(member.pk)
    return member


def save_profile_details(user: User | AnonymousUser, **changes: Any) -> User:
    """Step 3: headline, bio, languages and who may see the profile; this ends onboarding."""
    member = signed_in_member(user)
    fields = {name: changes[name] for name in PROFILE_FIELDS if name in changes}
    with transaction.atomic():
        update_profile(member, **fields)
        _advance(member, STEPS)
    return member


def _count(rows: QuerySet[Any], group: str) -> Coalesce:
    counted = rows.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@dataclass(frozen=True)
class CommunityPick:
    """A community offered in step 2, with why, and where the member stands with it."""

    community: Community
    reason: str
    joined: bool = False
    requested: bool = False


def _matching_communities(member: User, limit: int) -> list[CommunityPick]:
    """Public communities sharing the member's sectors or interests, most shared first, then
    the biggest; filled up with the biggest others when few share anything. A plain query,
    for when the stored suggestions are not computed yet."""
    sector_ids = list(member.sectors.values_list("pk", flat=True))
    interest_ids = list(member.interests.values_list("pk", flat=True))
    tagged = Community.tags.through.objects.filter(
        community_id=OuterRef("pk"), tag_id__in=interest_ids
    )
    joined = Exists(Membership.objects.filter(community=OuterRef("pk"), user=member))
    banned = Exists(Ban.objects.filter(community=OuterRef("pk"), user=member))
    members = Membership.objects.filter(community=OuterRef("pk"))
    candidates = (
        Community.objects.active()
        .filter(visibility=Visibility.PUBLIC)
        .exclude(joined)
        .exclude(banned)
        .annotate(
            shared=_count(tagged, "community_id"),
            in_sector=Case(When(sector__in=sector_ids, then=1), default=0),
            members=_count(members, "community"),
        )
        .select_related("sector")
        .prefetch_related("tags")
    )
    matching = list(
        candidates.filter(Q(shared__gt=0) | Q(in_sector=1)).order_by(
            "-shared", "-in_sector", "-members", "name"
        )[:limit]
    )
    if len(matching) < limit:
        others = candidates.exclude(pk__in=[c.pk for c in matching]).order_by("-members", "name")
        matching += list(others[: limit - len(matching)])
    return [CommunityPick(c, _reason(c, interest_ids)) for c in matching]


def _reason(community: Community, interest_ids: list[int]) -> str:
    """Worded as the stored suggestions word the same reason, so step 2 reads the same
    whichever source filled it."""
    tags = [t.name for t in community.tags.all() if t.pk in interest_ids]
    if tags:
        return reason_text("matches_interest", {"term": ", ".join(tags[:3])})
    if community.in_sector and community.sector is not None:  # type: ignore[attr-defined]
        return reason_text("matches_interest", {"term": community.sector.label})
    return reason_text("popular", {"count": community.members})  # type: ignore[attr-defined]


def suggested_communities(
    user: User | AnonymousUser, limit: int = SUGGESTED_COMMUNITIES
) -> list[CommunityPick]:
    """Step 2's communities: the member's stored suggestions, or, until the background refresh
    has stored some, public communities sharing their sectors and interests."""
    member = signed_in_member(user)
    stored = suggestions_for(member, "communities", limit=limit)
    if stored:
        return [CommunityPick(s.object, s.reason) for s in stored]
    return _matching_communities(member, limit)


def join_suggested_community(user: User | AnonymousUser, slug: str) -> CommunityPick:
    """Join (or ask to join) one suggested community, as from its own page."""
    member = signed_in_member(user)
    outcome = join_community(member, slug)
    community = outcome.community
    requested = isinstance(outcome, JoinRequest)
    reason = _("Your request is with the moderators.") if requested else ""
    return CommunityPick(community, reason, joined=not requested, requested=requested)
