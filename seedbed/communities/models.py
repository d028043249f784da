import math
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seedbed.core.models import Sector, Tag

User = settings.AUTH_USER_MODEL


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone can read; anyone can join")
    PRIVATE = "private", _("Private: listed; members join by request or invitation")
    HIDDEN = "hidden", _("Hidden: unlisted; by invitation only")


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    MODERATOR = "moderator", _("Moderator")
    MEMBER = "member", _("Member")


COLOURS = ["#1f7a55", "#2b6cb0", "#b7791f", "#9b2c2c", "#6b46c1", "#2c7a7b", "#c05621", "#4a5568"]


class CommunityQuerySet(models.QuerySet):
    def active(self) -> "CommunityQuerySet":
        return self.filter(archived_at__isnull=True)


class Community(models.Model):
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("address"), max_length=60, unique=True, allow_unicode=False)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    description_html = models.TextField(editable=False, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="+")
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), null=True, blank=True, on_delete=models.SET_NULL
    )
    colour = models.CharField(_("colour"), max_length=7, default=COLOURS[0])
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def colour_class(self) -> str:
        """A class per palette colour: the CSP forbids inline styles."""
        return f"c{COLOURS.index(self.colour)}" if self.colour in COLOURS else "c0"

    @property
    def initial(self) -> str:
        return (self.name[:1] or "?").upper()


class Membership(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="one_membership"),
        ]
        indexes = [models.Index(fields=["user", "community"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.community_id} ({self.role})"

    @property
    def can_moderate(self) -> bool:
        return self.role in (Role.OWNER, Role.MODERATOR)


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="requests")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="join_requests")
    message = models.CharField(_("message"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "user"],
                condition=Q(status="pending"),
                name="one_pending_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.community_id} ({self.status})"


class Invitation(models.Model):
    """An invitation by link (anyone holding it may join) or addressed to one member."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    invitee = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    token = models.CharField(max_length=43, unique=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation to {self.community_id}"

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        if self.revoked_at or self.expires_at <= now:
            return False
        return not (self.invitee_id and self.accepted_at)


class Ban(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="bans")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    banned_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "user"], name="one_ban")]

    def __str__(self) -> str:
        return f"{self.user_id} banned from {self.community_id}"


class ContentStatus(models.TextChoices):
    VISIBLE = "visible", _("visible")
    HIDDEN = "hidden", _("hidden by a moderator")
    REMOVED = "removed", _("removed")


HOT_EPOCH = 1_700_000_000
HOT_HALF_LIFE_SECONDS = 45_000


def hot_score(created_at, replies: int, reactions: int) -> float:
    """Recency plus the logarithm of engagement: ten times the engagement is worth ~12.5
    hours of recency. Computed at write time so the hot order is a plain indexed sort."""
    engagement = 1 + 2 * replies + reactions
    return math.log10(engagement) + (created_at.timestamp() - HOT_EPOCH) / HOT_HALF_LIFE_SECONDS


class Post(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="posts")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), max_length=20_000)
    body_html = models.TextField(editable=False)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="+")
    pinned = models.BooleanField(_("pinned"), default=False)
    status = models.CharField(
        max_length=10, choices=ContentStatus.choices, default=ContentStatus.VISIBLE
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    reply_count = models.PositiveIntegerField(default=0)
    reaction_count = models.PositiveIntegerField(default=0)
    hot = models.FloatField(default=0.0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["community", "status", "-created_at"]),
            models.Index(fields=["community", "status", "-hot"]),
            models.Index(fields=["status", "-created_at", "-id"]),
            models.Index(fields=["author", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_visible(self) -> bool:
        return self.status == ContentStatus.VISIBLE


class Reply(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(_("reply"), max_length=20_000)
    body_html = models.TextField(editable=False)
    status = models.CharField(
        max_length=10, choices=ContentStatus.choices, default=ContentStatus.VISIBLE
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    reaction_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = _("replies")
        indexes = [
            models.Index(fields=["post", "status", "created_at"]),
            models.Index(fields=["author", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"reply {self.pk} to {self.post_id}"


class ReactionKind(models.TextChoices):
    LIKE = "like", "👍"
    CELEBRATE = "celebrate", "🎉"
    INSIGHTFUL = "insightful", "💡"
    SUPPORT = "support", "❤️"
    CURIOUS = "curious", "🤔"


class Reaction(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reactions")
    post = models.ForeignKey(Post, null=True, on_delete=models.CASCADE, related_name="reactions")
    reply = models.ForeignKey(Reply, null=True, on_delete=models.CASCADE, related_name="reactions")
    kind = models.CharField(max_length=12, choices=ReactionKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "post", "kind"],
                condition=Q(reply__isnull=True),
                name="one_post_reaction",
            ),
            models.UniqueConstraint(
                fields=["user", "reply", "kind"],
                condition=Q(post__isnull=True),
                name="one_reply_reaction",
            ),
            models.CheckConstraint(
                condition=Q(post__isnull=True) ^ Q(reply__isnull=True), name="reaction_one_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class Report(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("resolved")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, null=True, on_delete=models.CASCADE, related_name="reports")
    reply = models.ForeignKey(Reply, null=True, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self) -> str:
        return f"report {self.pk}"


class ModerationAction(models.Model):
    """The audit log: every moderator action, who did it and to what."""

    class Action(models.TextChoices):
        HIDE = "hide", _("hid")
        RESTORE = "restore", _("restored")
        REMOVE = "remove", _("removed")
        PIN = "pin", _("pinned")
        UNPIN = "unpin", _("unpinned")
        REMOVE_MEMBER = "remove_member", _("removed member")
        BAN = "ban", _("banned")
        UNBAN = "unban", _("unbanned")
        SET_ROLE = "set_role", _("changed role")
        APPROVE = "approve", _("approved join request")
        DECLINE = "decline", _("declined join request")
        DISMISS = "dismiss", _("dismissed report")
        ARCHIVE = "archive", _("archived community")
        MOVE = "move", _("moved post")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="actions")
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    target_user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    post = models.ForeignKey(Post, null=True, on_delete=models.SET_NULL, related_name="+")
    reply = models.ForeignKey(Reply, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.action}"
