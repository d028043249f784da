"""Stored recommendations and the signals that shape them (written by seedbed.discovery).

Pages read ``Recommendation`` rows and never fit a model: the background refresh writes them.
A reason is stored as a code with parameters, so it is worded whole in the reader's language
when the page is drawn, not in the language of whoever triggered the refresh."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


class Kind(models.TextChoices):
    COMMUNITY = "community", _("Community")
    EVENT = "event", _("Event")
    PERSON = "person", _("Person")
    POST = "post", _("Post")


class Recommendation(models.Model):
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recommendations")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    score = models.FloatField()
    rank = models.PositiveSmallIntegerField()
    reason_code = models.CharField(max_length=40)
    reason_params = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["member", "kind", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind", "object_id"], name="one_recommendation_per_object"
            ),
        ]
        indexes = [models.Index(fields=["member", "kind", "rank"])]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.kind} {self.object_id} #{self.rank}"


class Dismissal(models.Model):
    """A "Not interested": never shown again, and a negative signal for the next refresh."""

    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "kind", "object_id"], name="one_dismissal"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} dismissed {self.kind} {self.object_id}"


class ProfileView(models.Model):
    """One row per viewer and viewed member: how often and how lately (a signal for people)."""

    viewer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    views = models.PositiveIntegerField(default=1)
    last_viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["viewer", "member"], name="one_profile_view_row"),
        ]

    def __str__(self) -> str:
        return f"{self.viewer_id} viewed {self.member_id} ×{self.views}"


class DiscoveryPreference(models.Model):
    member = models.OneToOneField(User, on_delete=models.CASCADE, related_name="+")
    in_digest = models.BooleanField(_("include suggestions in my e-mail digest"), default=True)

    def __str__(self) -> str:
        return f"{self.member_id}: digest {self.in_digest}"


class EvaluationRun(models.Model):
    """The operator page's table: each algorithm measured on a temporal split of the platform's
    own interactions, per kind, and the catalogue coverage of the stored recommendations."""

    computed_at = models.DateTimeField(default=timezone.now)
    #: ``{kind: {"members": n, "items": n, "interactions": n, "rows": [{"algorithm", "precision",
    #: "recall", "ndcg", "coverage", "users"}...]}}``
    results = models.JSONField(default=dict)
    #: ``{kind: {"items": catalogue size, "recommended": distinct items stored, "share": ...}}``
    coverage = models.JSONField(default=dict)

    class Meta:
        ordering = ["-computed_at", "-id"]

    def __str__(self) -> str:
        return f"evaluation {self.computed_at:%Y-%m-%d %H:%M}"
