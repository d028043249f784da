"""Every rule and every write about points, leaderboards and rewards. Other apps earn points
for their members by calling :func:`award`; hiding content calls
:func:`reverse_points_for_content`. Views and API handlers parse, call one function here,
render.

Every ledger write locks the member's :class:`Standing` row first, inside one transaction, so
the daily caps, the once-a-day pair rule and the balance are checked and changed by one writer
at a time per member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from seedbed.accounts.access import is_operator
from seedbed.accounts.models import User
from seedbed.accounts.services import members_visible_to
from seedbed.core.services import clean_text
from seedbed.core.text import single_line
from seedbed.engagement import notifications as kinds
from seedbed.engagement import rules
from seedbed.engagement.models import (
    EARNINGS,
    NOT_EARNED,
    Action,
    PointEntry,
    Redemption,
    Reward,
    RewardKind,
    Standing,
)
from seedbed.notifications.services import notify

#: The redemption race test switches this off to show that the lock is what prevents overselling.
LOCK_REDEMPTIONS = True

Source = models.Model | tuple[str, int] | None


def _source(source: Source) -> tuple[str, int | None]:
    if source is None:
        return "", None
    if isinstance(source, tuple):
        return source[0], int(source[1])
    return source._meta.model_name or "", source.pk


def _day_start(now: datetime) -> datetime:
    """Midnight of ``now``'s day in the site's time zone: the daily caps' window."""
    return timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))


def _standing(member_id: int, *, lock: bool = True) -> Standing:
    Standing.objects.get_or_create(member_id=member_id)
    rows = Standing.objects.select_for_update() if lock else Standing.objects.all()
    return rows.get(member_id=member_id)


def _write(standing: Standing, entry: PointEntry) -> PointEntry:
    """Add one entry and move the cached sums by it (the caller holds the standing's lock)."""
    entry.save()
    standing.balance += entry.amount
    if entry.action not in NOT_EARNED:
        standing.earned += entry.amount
    standing.save(update_fields=["balance", "earned"])
    return entry


def standing_of(member: User) -> Standing:
    return Standing.objects.filter(member=member).first() or Standing(member=member)


# Earning ---------------------------------------------------------------------------------------


def award(
    member: User | int,
    action: str,
    source: Source = None,
    amount: int | None = None,
    *,
    counterpart: User | None = None,
    community_id: int | None = None,
    now: datetime | None = None,
) -> PointEntry | None:
    """Earn points for ``member`` once per ``action`` and ``source`` (and ``counterpart``):
    calling it again for the same thing does nothing, so signals and the reconciliation task
    may both call it. Returns the new entry, or None when the anti-gaming rules say no (your
    own reaction, an account younger than a day, the day's cap, the same pair today).
    ``amount`` defaults to the action's points in :mod:`seedbed.engagement.rules`;
    ``community_id`` puts the points on that community's leaderboard."""
    if action not in rules.POINTS:
        raise ValueError(f"{action!r} does not earn points; operators use award_points.")
    member_id = member if isinstance(member, int) else member.pk
    now = now or timezone.now()
    amount = rules.POINTS[action] if amount is None else amount
    kind, source_id = _source(source)
    if source_id is None:
        raise ValueError("An earning names its source.")
    if action in rules.FROM_SOMEONE_ELSE:
        if counterpart is None or counterpart.pk == member_id:
            return None
        if now - counterpart.date_joined < rules.MIN_ACCOUNT_AGE:
            return None
    earned = PointEntry.objects.filter(member_id=member_id, action=action, reverses__isnull=True)
    with transaction.atomic():
        standing = _standing(member_id)
        same = earned.filter(source_kind=kind, source_id=source_id)
        if counterpart is not None:
            same = same.filter(counterpart=counterpart)
        if same.exists():
            return None
        today = earned.filter(created_at__gte=_day_start(now))
        if action in rules.ONCE_A_DAY_PER_PAIR and today.filter(counterpart=counterpart).exists():
            return None
        so_far = today.aggregate(s=Sum("amount"))["s"] or 0
        if so_far + amount > rules.DAILY_CAPS[action]:
            return None
        entry = PointEntry(
            member_id=member_id,
            action=action,
            amount=amount,
            source_kind=kind,
            source_id=source_id,
            counterpart=counterpart,
            community_id=community_id,
            created_at=now,
        )
        try:
            with transaction.atomic():
                return _write(standing, entry)
        except IntegrityError:
            return None


def award_points(
    operator: User | AnonymousUser, member_id: int, amount: int, reason: str
) -> PointEntry:
    """An operator's manual award (or deduction, with a negative amount), with its reason."""
    actor = _operator(operator)
    reason = single_line(clean_text("reason", reason, required=True, limit=500))
    if not amount or abs(amount) > 10_000:
        raise ValidationError({"amount": [_("Give between 1 and 10,000 points, or take them.")]})
    member = User.objects.filter(pk=member_id, is_active=True).first()
    if member is None:
        raise Http404
    with transaction.atomic():
        standing = _standing(member.pk)
        entry = _write(
            standing,
            PointEntry(
                member=member, action=Action.AWARD, amount=amount, reason=reason, actor=actor
            ),
        )
    notify([member.pk], kinds.POINTS_AWARDED, actor=actor)
    return entry


# Reversing -------------------------------------------------------------------------------------


def _reverse(entry: PointEntry, action: str, *, actor: User | None, reason: str) -> PointEntry:
    """The entry that cancels ``entry``, with the same member, source and community."""
    standing = _standing(entry.member_id)
    return _write(
        standing,
        PointEntry(
            member_id=entry.member_id,
            action=action,
            amount=-entry.amount,
            source_kind=entry.source_kind,
            source_id=entry.source_id,
            counterpart_id=entry.counterpart_id,
            community_id=entry.community_id,
            reverses=entry,
            reason=reason,
            actor=actor,
        ),
    )


def _not_reversed() -> QuerySet[PointEntry]:
    return PointEntry.objects.filter(reversed_by__isnull=True)


def reverse_entry(operator: User | AnonymousUser, entry_id: int, reason: str) -> PointEntry:
    """An operator cancels one entry with a reason; the new entry is the audit record (who,
    when, why). Spending is cancelled by refunding the redemption instead."""
    actor = _operator(operator)
    reason = single_line(clean_text("reason", reason, required=True, limit=500))
    with transaction.atomic():
        entry = PointEntry.objects.filter(pk=entry_id).first()
        if entry is None:
            raise Http404
        _standing(entry.member_id)
        if entry.action in NOT_EARNED:
            raise ValidationError({"entry": [_("Refund the redemption instead.")]})
        if PointEntry.objects.filter(reverses=entry).exists():
            raise ValidationError({"entry": [_("This entry is already reversed.")]})
        return _reverse(entry, Action.REVERSAL, actor=actor, reason=reason)


def _content_sources(content: Any, *, with_replies: bool) -> Q:
    kind = content._meta.model_name
    sources = Q(source_kind=kind, source_id=content.pk)
    if with_replies and kind == "post":
        reply_ids = list(content.replies.values_list("pk", flat=True))
        sources |= Q(source_kind="reply", source_id__in=reply_ids)
    return sources


def reverse_points_for_content(
    content: Any, actor: User | None = None, *, with_replies: bool = False
) -> int:
    """A post or reply was hidden, removed or deleted: every point it earned (and is still
    held) is cancelled by a linked entry. Returns how many entries were reversed."""
    with transaction.atomic():
        held = _not_reversed().filter(
            _content_sources(content, with_replies=with_replies),
            Q(action__in=EARNINGS, reverses__isnull=True) | Q(action=Action.CONTENT_RESTORED),
            amount__gt=0,
        )
        entries = list(held.order_by("id"))
        for entry in entries:
            _reverse(entry, Action.CONTENT_HIDDEN, actor=actor, reason="")
    return len(entries)


def restore_points_for_content(content: Any, actor: User | None = None) -> int:
    """A hidden post or reply was restored: what hiding it took back is given back, by
    reversing those reversals."""
    with transaction.atomic():
        taken = _not_reversed().filter(
            _content_sources(content, with_replies=False), action=Action.CONTENT_HIDDEN
        )
        entries = list(taken.order_by("id"))
        for entry in entries:
            _reverse(entry, Action.CONTENT_RESTORED, actor=actor, reason="")
    return len(entries)


# Reading ---------------------------------------------------------------------------------------


def ledger(viewer: User | AnonymousUser, member_id: int) -> QuerySet[PointEntry]:
    """A member's ledger: for the member and for operators."""
    if not (is_operator(viewer) or (viewer.is_authenticated and viewer.pk == member_id)):
        raise PermissionDenied(_("Only operators see another member's points."))
    if not User.objects.filter(pk=member_id).exists():
        raise Http404
    return PointEntry.objects.filter(member_id=member_id).select_related(
        "community", "actor", "reversed_by"
    )


def set_leaderboard_visibility(member: User, hidden: bool) -> Standing:
    Standing.objects.get_or_create(member=member)
    Standing.objects.filter(member=member).update(hide_from_leaderboards=hidden)
    return standing_of(member)


@dataclass(frozen=True)
class Place:
    rank: int
    member: User
    points: int


LEADERBOARD_SIZE = 50


def month_start(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return timezone.make_aware(datetime(local.year, local.month, 1))


@dataclass(frozen=True)
class Board:
    places: list[Place]
    period: str
    community: Any = None


def leaderboard(
    viewer: User | AnonymousUser | None,
    *,
    slug: str | None = None,
    period: str = "all",
    now: datetime | None = None,
    size: int = LEADERBOARD_SIZE,
) -> Board:
    """The members who earned most, platform-wide or in one community (which the viewer must
    be able to read), this month or of all time. Members who hid themselves, and profiles the
    viewer may not see, are left out. Two queries whatever the data's size."""
    if period not in ("all", "month"):
        raise ValidationError({"period": [_("Choose all or month.")]})
    entries = PointEntry.objects.exclude(action__in=NOT_EARNED)
    community = None
    if slug is not None:
        from seedbed.communities.services import get_community

        community = get_community(viewer, slug).community
        entries = entries.filter(community=community)
    if period == "month":
        entries = entries.filter(created_at__gte=month_start(now or timezone.now()))
    visible = members_visible_to(viewer).exclude(standing__hide_from_leaderboards=True)
    rows = list(
        entries.filter(member__in=visible.values("pk"))
        .values("member_id")
        .annotate(points=Sum("amount"))
        .filter(points__gt=0)
        .order_by("-points", "member_id")[:size]
    )
    people = User.objects.in_bulk([row["member_id"] for row in rows])
    places = [
        Place(rank, people[row["member_id"]], row["points"])
        for rank, row in enumerate(rows, start=1)
    ]
    return Board(places, period, community)


# Rewards ---------------------------------------------------------------------------------------


def _operator(user: User | AnonymousUser) -> User:
    if not is_operator(user):
        raise PermissionDenied(_("Only operators can do this."))
    assert isinstance(user, User)
    return user


def rewards_on_offer() -> QuerySet[Reward]:
    return Reward.objects.filter(active=True)


def _reward_fields(changes: dict[str, Any]) -> dict[str, Any]:
    """The reward's fields cleaned, or one ValidationError naming every field refused."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for field, limit in (("title", 120), ("description", 2000)):
        if field in changes:
            try:
                text = clean_text(field, changes[field], required=field == "title", limit=limit)
            except ValidationError as exc:
                errors.update(exc.message_dict)
                continue
            clean[field] = single_line(text) if field == "title" else text
            if field == "title" and not clean[field]:
                errors[field] = [_("This cannot be empty.")]
    if "kind" in changes:
        if changes["kind"] not in RewardKind.values:
            errors["kind"] = [_("Choose one of the kinds.")]
        clean["kind"] = changes["kind"]
    for field, low in (("price", 1), ("stock", 0)):
        if field in changes:
            value = changes[field]
            if not isinstance(value, int) or not low <= value <= 1_000_000:
                errors[field] = [_("Give a whole number from %(low)d to 1,000,000.") % {"low": low}]
            clean[field] = value
    if "active" in changes:
        clean["active"] = bool(changes["active"])
    if errors:
        raise ValidationError(errors)
    return clean


def create_reward(operator: User | AnonymousUser, **fields: Any) -> Reward:
    actor = _operator(operator)
    missing = [f for f in ("title", "kind", "price", "stock") if f not in fields]
    if missing:
        raise ValidationError({f: [_("This field is required.")] for f in missing})
    return Reward.objects.create(created_by=actor, **_reward_fields(fields))


def update_reward(operator: User | AnonymousUser, reward_id: int, **changes: Any) -> Reward:
    _operator(operator)
    clean = _reward_fields(changes)
    with transaction.atomic():
        reward = Reward.objects.select_for_update().filter(pk=reward_id).first()
        if reward is None:
            raise Http404
        for field, value in clean.items():
            setattr(reward, field, value)
        reward.save()
    return reward


def redeem(user: User | AnonymousUser, reward_id: int) -> Redemption:
    """Spend points on a reward. The reward's row and the member's standing are locked before
    stock and balance are read, so concurrent redemptions queue: none oversells the stock or
    overspends the balance."""
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    with transaction.atomic():
        rewards = Reward.objects.select_for_update() if LOCK_REDEMPTIONS else Reward.objects
        reward = rewards.filter(pk=reward_id, active=True).first()
        if reward is None:
            raise Http404
        standing = _standing(user.pk, lock=LOCK_REDEMPTIONS)
        if reward.stock < 1:
            raise ValidationError({"reward": [_("This reward is out of stock.")]})
        if standing.balance < reward.price:
            raise ValidationError(
                {
                    "reward": [
                        _("You need %(n)d more points.") % {"n": reward.price - standing.balance}
                    ]
                }
            )
        redemption = Redemption.objects.create(reward=reward, member=user, price=reward.price)
        reward.stock -= 1
        reward.save(update_fields=["stock"])
        _write(
            standing,
            PointEntry(
                member=user,
                action=Action.REDEMPTION,
                amount=-reward.price,
                source_kind="redemption",
                source_id=redemption.pk,
            ),
        )
    return redemption


def _pending(redemption_id: int) -> Redemption:
    redemption = (
        Redemption.objects.select_for_update()
        .select_related("reward", "member")
        .filter(pk=redemption_id)
        .first()
    )
    if redemption is None:
        raise Http404
    if redemption.status != Redemption.Status.PENDING:
        raise ValidationError({"redemption": [_("This redemption is already decided.")]})
    return redemption


def fulfil_redemption(
    operator: User | AnonymousUser, redemption_id: int, note: str = ""
) -> Redemption:
    actor = _operator(operator)
    note = single_line(clean_text("note", note, required=False, limit=500))
    with transaction.atomic():
        redemption = _pending(redemption_id)
        redemption.status = Redemption.Status.FULFILLED
        redemption.note, redemption.decided_by, redemption.decided_at = note, actor, timezone.now()
        redemption.save()
        notify([redemption.member_id], kinds.REWARD_FULFILLED, actor=actor)
    return redemption


def refund_redemption(
    operator: User | AnonymousUser, redemption_id: int, note: str = ""
) -> Redemption:
    """Give the points back (a ledger entry) and the item back to the stock."""
    actor = _operator(operator)
    note = single_line(clean_text("note", note, required=False, limit=500))
    with transaction.atomic():
        redemption = _pending(redemption_id)
        standing = _standing(redemption.member_id)
        Reward.objects.filter(pk=redemption.reward_id).update(stock=F("stock") + 1)
        _write(
            standing,
            PointEntry(
                member_id=redemption.member_id,
                action=Action.REFUND,
                amount=redemption.price,
                source_kind="redemption",
                source_id=redemption.pk,
                reason=note,
                actor=actor,
            ),
        )
        redemption.status = Redemption.Status.REFUNDED
        redemption.note, redemption.decided_by, redemption.decided_at = note, actor, timezone.now()
        redemption.save()
        notify([redemption.member_id], kinds.REWARD_REFUNDED, actor=actor)
    return redemption


def redemptions_for(user: User | AnonymousUser, *, everyone: bool = False) -> QuerySet[Redemption]:
    """The member's own redemptions, or every one for operators (``everyone``)."""
    if not user.is_authenticated:
        raise PermissionDenied
    rows = Redemption.objects.select_related("reward", "member")
    if everyone:
        _operator(user)
        return rows
    return rows.filter(member=user)
