"""Points, trust levels, badges, leaderboards and rewards under /api/v1, with exactly the rules
of the pages (the same service functions)."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from seedbed.accounts.auth import MEMBER, VISITOR
from seedbed.accounts.models import User
from seedbed.accounts.services import get_visible_member
from seedbed.communities.services import get_post, posting
from seedbed.core.api import Input, Pages
from seedbed.engagement import badges, services, trust
from seedbed.engagement.models import Action, PointEntry, Redemption, RewardKind

router = Router(tags=["engagement"])


class EntryOut(Schema):
    id: int
    action: Action
    amount: int
    source_kind: str
    source_id: int | None
    community: str | None = Field(None, description="The slug of the community it counts in.")
    reverses: int | None = Field(None, description="The entry this one cancels.")
    reason: str
    created_at: datetime

    @staticmethod
    def resolve_community(obj: PointEntry) -> str | None:
        return obj.community.slug if obj.community else None

    @staticmethod
    def resolve_reverses(obj: PointEntry) -> int | None:
        value: int | None = obj.reverses_id
        return value


class BadgeOut(Schema):
    code: str
    name: str
    description: str
    granted_at: datetime


class NextLevelOut(Schema):
    level: str
    points_needed: int
    days_needed: int
    strikes_allowed: int
    strike_days: int
    unlocks: str


class StandingOut(Schema):
    balance: int
    earned: int
    level: str
    level_name: str
    unlocks: str
    hide_from_leaderboards: bool
    next_level: NextLevelOut | None
    badges: list[BadgeOut]


class PublicStandingOut(Schema):
    member: int
    level: str
    level_name: str
    badges: list[BadgeOut]


def _badges(member_id: int) -> list[BadgeOut]:
    return [
        BadgeOut(
            code=b.code, name=str(b.name), description=str(b.description), granted_at=r.granted_at
        )
        for b, r in badges.badges_of(member_id)
    ]


@router.get("/points/me", response=StandingOut, auth=MEMBER)
def my_standing(request: HttpRequest):
    """Your balance, earned points, trust level, what the next level needs, and badges."""
    user = request.user
    assert isinstance(user, User)
    standing = services.standing_of(user)
    progress = trust.progress(user)
    need = progress.next
    return StandingOut(
        balance=standing.balance,
        earned=standing.earned,
        level=progress.level.name.lower(),
        level_name=str(progress.level.label),
        unlocks=progress.unlocks,
        hide_from_leaderboards=standing.hide_from_leaderboards,
        next_level=NextLevelOut(
            level=need.level.name.lower(),
            points_needed=progress.points_missing,
            days_needed=progress.days_missing,
            strikes_allowed=need.max_strikes,
            strike_days=need.strike_days,
            unlocks=progress.next_unlocks,
        )
        if need
        else None,
        badges=_badges(user.pk),
    )


class VisibilityIn(Input):
    hidden: bool


@router.put("/points/me/leaderboards", response={204: None}, auth=MEMBER)
def set_visibility(request: HttpRequest, payload: VisibilityIn):
    """Hide yourself from (or show yourself on) public leaderboards."""
    assert isinstance(request.user, User)
    services.set_leaderboard_visibility(request.user, payload.hidden)
    return Status(204, None)


@router.get("/points/me/ledger", response=list[EntryOut], auth=MEMBER)
@paginate(Pages)
def my_ledger(request: HttpRequest):
    user = request.user
    assert isinstance(user, User)
    return services.ledger(user, user.pk)


@router.get("/points/members/{member_id}/ledger", response=list[EntryOut], auth=MEMBER)
@paginate(Pages)
def member_ledger(request: HttpRequest, member_id: int):
    """A member's ledger: operators only (and the member)."""
    return services.ledger(request.user, member_id)


class AwardIn(Input):
    amount: int = Field(..., description="Negative to take points away.")
    reason: str


@router.post("/points/members/{member_id}/awards", response={201: EntryOut}, auth=MEMBER)
def award_points(request: HttpRequest, member_id: int, payload: AwardIn):
    """An operator's manual award or deduction, with its reason."""
    return Status(201, services.award_points(request.user, member_id, **payload.dict()))


class ReasonIn(Input):
    reason: str


@router.post("/points/entries/{entry_id}/reversal", response={201: EntryOut}, auth=MEMBER)
def reverse_entry(request: HttpRequest, entry_id: int, payload: ReasonIn):
    """Operators cancel one entry with a reason; the answer is the new, linked entry."""
    return Status(201, services.reverse_entry(request.user, entry_id, payload.reason))


@router.get("/standings/{member_id}", response=PublicStandingOut, auth=VISITOR)
def member_standing(request: HttpRequest, member_id: int):
    """A member's trust level and badges, as their profile shows them."""
    member = get_visible_member(request.user, member_id)
    level = trust.level_of(member)
    return PublicStandingOut(
        member=member.pk,
        level=level.name.lower(),
        level_name=str(level.label),
        badges=_badges(member.pk),
    )


class PlaceOut(Schema):
    rank: int
    member: int
    display_name: str
    points: int


class LeaderboardQuery(Schema):
    period: Literal["all", "month"] = "all"
    community: str | None = Field(None, max_length=60, description="A community's slug.")


@router.get("/leaderboard", response=list[PlaceOut], auth=VISITOR)
def leaderboard(request: HttpRequest, filters: Query[LeaderboardQuery]):
    """The top 50, platform-wide or in one community you may read, of all time or this month.
    Members who hid themselves are not listed."""
    board = services.leaderboard(request.user, slug=filters.community, period=filters.period)
    return [
        PlaceOut(
            rank=p.rank, member=p.member.pk, display_name=p.member.display_name, points=p.points
        )
        for p in board.places
    ]


# Rewards ---------------------------------------------------------------------------------------


class RewardOut(Schema):
    id: int
    kind: RewardKind
    title: str
    description: str
    price: int
    stock: int
    active: bool


class RewardIn(Input):
    kind: RewardKind
    title: str
    description: str = ""
    price: int
    stock: int


class RewardPatch(Input):
    title: str | None = None
    description: str | None = None
    price: int | None = None
    stock: int | None = None
    active: bool | None = None


class RedemptionOut(Schema):
    id: int
    reward: RewardOut
    member: int = Field(..., alias="member_id")
    price: int
    status: Redemption.Status
    note: str
    created_at: datetime
    decided_at: datetime | None


@router.get("/rewards", response=list[RewardOut], auth=VISITOR)
def list_rewards(request: HttpRequest):
    return list(services.rewards_on_offer())


@router.post("/rewards", response={201: RewardOut}, auth=MEMBER)
def create_reward(request: HttpRequest, payload: RewardIn):
    """Operators put a reward on offer."""
    return Status(201, services.create_reward(request.user, **payload.dict()))


@router.patch("/rewards/{reward_id}", response=RewardOut, auth=MEMBER)
def update_reward(request: HttpRequest, reward_id: int, payload: RewardPatch):
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return services.update_reward(request.user, reward_id, **changes)


@router.post("/rewards/{reward_id}/redemptions", response={201: RedemptionOut}, auth=MEMBER)
def redeem(request: HttpRequest, reward_id: int):
    """Spend points on a reward; 400 when out of stock or short of points."""
    return Status(201, services.redeem(request.user, reward_id))


class RedemptionQuery(Schema):
    everyone: bool = Field(False, description="Operators: every member's redemptions.")


@router.get("/redemptions", response=list[RedemptionOut], auth=MEMBER)
@paginate(Pages)
def list_redemptions(request: HttpRequest, filters: Query[RedemptionQuery]):
    return services.redemptions_for(request.user, everyone=filters.everyone)


class NoteIn(Input):
    note: str = ""


@router.post("/redemptions/{redemption_id}/fulfil", response=RedemptionOut, auth=MEMBER)
def fulfil(request: HttpRequest, redemption_id: int, payload: NoteIn):
    return services.fulfil_redemption(request.user, redemption_id, payload.note)


@router.post("/redemptions/{redemption_id}/refund", response=RedemptionOut, auth=MEMBER)
def refund(request: HttpRequest, redemption_id: int, payload: NoteIn):
    """Points back to the member (a ledger entry), the item back to the stock."""
    return services.refund_redemption(request.user, redemption_id, payload.note)


# Helpful replies and moving posts --------------------------------------------------------------


@router.post("/replies/{reply_id}/helpful", response={204: None}, auth=MEMBER)
def mark_helpful(request: HttpRequest, reply_id: int):
    """The asker marks a reply helpful; its author earns points once."""
    posting.mark_helpful(request.user, reply_id)
    return Status(204, None)


class MoveIn(Input):
    community: str = Field(..., max_length=60, description="The slug of the target community.")


class MovedOut(Schema):
    id: int
    community: str


@router.post("/posts/{post_id}/move", response=MovedOut, auth=MEMBER)
def move_post(request: HttpRequest, post_id: int, payload: MoveIn):
    """Moderators and leaders move a post to another community they may post in."""
    posting.move_post(request.user, post_id, payload.community)
    post, _found = get_post(request.user, post_id)
    return MovedOut(id=post.pk, community=post.community.slug)
