"""What the insights tasks compute and the Insights pages read. Pages never run a model: the
tasks in ``insights.tasks`` fill these tables and the pages read them."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ContentKind(models.TextChoices):
    POST = "post", "post"
    REPLY = "reply", "reply"


class SentimentLabel(models.TextChoices):
    NEGATIVE = "negative", "negative"
    NEUTRAL = "neutral", "neutral"
    POSITIVE = "positive", "positive"


class ContentSentiment(models.Model):
    """The sentiment of one post or reply, scored once after it is written (and again after an
    edit). Denormalised (community, author, time) so the trend and the "most negative" list are
    one indexed query each."""

    kind = models.CharField(max_length=8, choices=ContentKind.choices)
    object_id = models.BigIntegerField()
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    language = models.CharField(max_length=8)
    score = models.FloatField()
    label = models.CharField(max_length=8, choices=SentimentLabel.choices)
    written_at = models.DateTimeField()
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="sentiment_one_per_content")
        ]
        indexes = [
            models.Index(fields=["community", "written_at"], name="sentiment_community_time"),
            models.Index(fields=["written_at"], name="sentiment_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.label}"


class StoredAnalysis(models.Model):
    """One stored result of a background analysis (the structure of a community's member graph,
    a forecast, a sentiment trend, ...), per community or platform-wide (``community`` null).
    ``payload`` is JSON in the shape its producer documents; a new run replaces the old one."""

    kind = models.CharField(max_length=40)
    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.CASCADE
    )
    payload = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "community"],
                condition=Q(community__isnull=False),
                name="analysis_one_per_community",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(community__isnull=True),
                name="analysis_one_platform_wide",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.community_id or 'platform'})"
