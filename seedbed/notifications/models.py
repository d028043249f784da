"""Notifications and the e-mail digest setting. The tables were created by the communities app
and keep their names: moving here changed no row. A notification points at what it is about
through one nullable column per kind of object (community, post, reply, event, intro) rather
than a generic key, so deleting the object deletes its notifications in the database and the
inbox loads every object in the same query."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


class Notification(models.Model):
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    #: A code registered in ``seedbed.notifications.registry`` by the app that sends it.
    kind = models.CharField(max_length=20)
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    community = models.ForeignKey(
        "communities.Community", null=True, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        "communities.Post", null=True, on_delete=models.CASCADE, related_name="+"
    )
    reply = models.ForeignKey(
        "communities.Reply", null=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey("events.Event", null=True, on_delete=models.CASCADE, related_name="+")
    intro = models.ForeignKey(
        "matching.Intro", null=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "communities_notification"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


#: The columns a sender may fill, by name: ``notify(..., post=post)``.
OBJECT_FIELDS = ("community", "post", "reply", "event", "intro")


class DigestFrequency(models.TextChoices):
    NEVER = "never", _("Never")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class NotificationSettings(models.Model):
    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="notification_settings"
    )
    digest = models.CharField(
        _("e-mail digest"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "communities_notificationsettings"

    def __str__(self) -> str:
        return f"{self.user_id}: {self.digest}"


class DigestSent(models.Model):
    """A member's digest of one period, claimed before it is mailed: the unique constraint
    is what keeps a second run, a second worker or a restarted one from mailing it again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=10, choices=DigestFrequency.choices)
    period_start = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "frequency", "period_start"], name="one_digest_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.frequency} digest of {self.period_start} for {self.user_id}"
