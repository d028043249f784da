"""Points, trust levels, badges and rewards. The ledger (:class:`PointEntry`) is the record:
rows are only ever added, a correction is a new row that names the one it reverses, and a
member's balance on :class:`Standing` is a cache of the ledger's sum kept in the same
transaction as each new row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

User = settings.AUTH_USER_MODEL


class TrustLevel(models.IntegerChoices):
    NEW = 0, pgettext_lazy("trust level", "New")
    MEMBER = 1, pgettext_lazy("trust level", "Member")
    REGULAR = 2, pgettext_lazy("trust level", "Regular")
    LEADER = 3, pgettext_lazy("trust level", "Leader")


class Action(models.TextChoices):
    """What earned or spent points. The first six are earnings from the platform's events."""

    REACTION = "reaction", _("a post or reply received a reaction")
    HELPFUL = "helpful", _("a reply marked helpful by the asker")
    ATTENDED = "attended", _("an event attended")
    INTRO_MET = "intro_met", _("a mentoring intro that was met")
    RESOURCE_RATED = "resource_rated", _("a shared resource that others rated")
    AWARD = "award", _("an operator's award")
    REDEMPTION = "redemption", _("a reward redeemed")
    REFUND = "refund", _("a redemption refunded")
    REVERSAL = "reversal", _("an entry reversed by an operator")
    CONTENT_HIDDEN = "content_hidden", _("the content was hidden or removed")
    CONTENT_RESTORED = "content_restored", _("the content was restored")


#: Actions that earn; the leaderboards and trust levels count these and their reversals, never
#: spending or refunds.
EARNINGS = (
    Action.REACTION,
    Action.HELPFUL,
    Action.ATTENDED,
    Action.INTRO_MET,
    Action.RESOURCE_RATED,
    Action.AWARD,
)
NOT_EARNED = (Action.REDEMPTION, Action.REFUND)


class Standing(models.Model):
    """One per member: the cached balance (the ledger's sum), the earned total, the trust
    level and the leaderboard setting. Every ledger write locks this row first."""

    member = models.OneToOneField(
        User, primary_key=True, on_delete=models.CASCADE, related_name="standing"
    )
    balance = models.IntegerField(default=0)
    earned = models.IntegerField(default=0)
    level = models.PositiveSmallIntegerField(choices=TrustLevel.choices, default=TrustLevel.NEW)
    level_changed_at = models.DateTimeField(null=True, blank=True)
    hide_from_leaderboards = models.BooleanField(
        _("hide me from public leaderboards"), default=False
    )

    def __str__(self) -> str:
        return f"{self.member_id}: {self.balance}"


class PointEntry(models.Model):
    """One line of the ledger. ``source_kind``/``source_id`` name what earned it (a post, a
    reply, an RSVP, an intro, a resource, a redemption); ``counterpart`` is the other member
    involved (who reacted), for the anti-gaming rules."""

    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="point_entries")
    action = models.CharField(max_length=20, choices=Action.choices)
    amount = models.IntegerField()
    source_kind = models.CharField(max_length=20, blank=True)
    source_id = models.BigIntegerField(null=True, blank=True)
    #: Kept (without a database constraint) when that member deletes their account: the
    #: entry stays the record, and a NULL here would break the once-per-source constraints.
    counterpart = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="reversed_by"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "point entries"
        constraints = [
            models.UniqueConstraint(
                fields=["member", "action", "source_kind", "source_id", "counterpart"],
                condition=Q(reverses__isnull=True, source_id__isnull=False),
                name="one_earning_per_source",
            ),
            models.UniqueConstraint(
                fields=["member", "action", "source_kind", "source_id"],
                condition=Q(
                    reverses__isnull=True, source_id__isnull=False, counterpart__isnull=True
                ),
                name="one_earning_per_source_alone",
            ),
        ]
        indexes = [
            models.Index(fields=["member", "action", "created_at"]),
            models.Index(fields=["source_kind", "source_id"]),
            models.Index(fields=["community", "created_at"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.action} {self.amount:+d}"


class HelpfulMark(models.Model):
    """The asker marked this reply helpful (one mark per reply)."""

    reply = models.OneToOneField(
        "communities.Reply", on_delete=models.CASCADE, related_name="helpful_mark"
    )
    post = models.ForeignKey("communities.Post", on_delete=models.CASCADE, related_name="+")
    marked_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"reply {self.reply_id} helpful"


class MemberBadge(models.Model):
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="badges")
    code = models.CharField(max_length=20)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["granted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "code"], name="one_badge_each"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.code}"


class RewardKind(models.TextChoices):
    OFFICE_HOURS = "office_hours", _("A mentor's office-hour slot")
    EVENT_SEAT = "event_seat", _("A seat at a sold-out event")
    PITCH_SLOT = "pitch_slot", _("A demo-day pitch slot")
    MERCHANDISE = "merchandise", _("Merchandise")
    OTHER = "other", _("Something else")


class Reward(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=RewardKind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    price = models.PositiveIntegerField(_("price in points"))
    stock = models.PositiveIntegerField(_("stock"))
    active = models.BooleanField(_("on offer"), default=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["price", "id"]

    def __str__(self) -> str:
        return self.title


class Redemption(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the operators")
        FULFILLED = "fulfilled", _("fulfilled")
        REFUNDED = "refunded", _("refunded")

    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions")
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="redemptions")
    price = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.member_id} {self.reward_id} ({self.status})"
