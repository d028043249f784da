"""What the insights tasks compute and the Insights pages read. Pages never run a model: the
tasks in ``insights.tasks`` fill these tables and the pages read them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy


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


# The activity side: engagement per member, daily figures, reach-outs and the weekly report. ----


class Level(models.TextChoices):
    """Engagement levels, lowest first (the engine's ``LEVELS`` with "at risk" as a code)."""

    DORMANT = "dormant", pgettext_lazy("engagement level", "Dormant")
    AT_RISK = "at_risk", pgettext_lazy("engagement level", "At risk")
    CASUAL = "casual", pgettext_lazy("engagement level", "Casual")
    NEW = "new", pgettext_lazy("engagement level", "New")
    ACTIVE = "active", pgettext_lazy("engagement level", "Active")
    CORE = "core", pgettext_lazy("engagement level", "Core")


class MemberEngagement(models.Model):
    """One member's engagement in one community (or platform-wide, ``community`` null), as the
    last refresh computed it. Every Insights page about members is an indexed read of this table;
    the lifetime counts make the funnel one aggregate query."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField()
    #: The score ``lookback`` days before (the engine's at-risk rule compares the two).
    score_before = models.FloatField(default=0.0)
    level = models.CharField(max_length=10, choices=Level.choices)
    #: The level a week before ``computed_at``: movers up and down are the rows that differ.
    previous_level = models.CharField(max_length=10, choices=Level.choices)
    #: Probability of going silent in the next 30 days; null when not asked (not active lately).
    churn_risk = models.FloatField(null=True, blank=True)
    #: The churn model's top reasons: ``[{"code": <feature>, "weight": <log-odds>,
    #: "value": <feature value>}, ...]``, largest first.
    reasons = models.JSONField(default=list, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    first_action_at = models.DateTimeField(null=True, blank=True)
    last_action_at = models.DateTimeField(null=True, blank=True)
    actions_30d = models.PositiveIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)
    events_attended = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "community"],
                condition=Q(community__isnull=False),
                name="engagement_one_per_community",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(community__isnull=True),
                name="engagement_one_platform_wide",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "level", "-score"], name="engagement_level"),
            models.Index(fields=["community", "-score"], name="engagement_score"),
            models.Index(fields=["community", "-churn_risk"], name="engagement_risk"),
            models.Index(fields=["member", "community"], name="engagement_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.community_id or 'platform'}: {self.level}"


class DailyStats(models.Model):
    """One day's figures for a community (or platform-wide, ``community`` null). Active counts
    are distinct members with an action that day, in the 7 and the 30 days ending that day, so
    daily, weekly and monthly active members are read, not counted, on every page."""

    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    members = models.PositiveIntegerField(default=0)
    new_members = models.PositiveIntegerField(default=0)
    active_members = models.PositiveIntegerField(default=0)
    active_7d = models.PositiveIntegerField(default=0)
    active_30d = models.PositiveIntegerField(default=0)
    #: Active that day and a member for 30 days or more (the rest of the active are new).
    returning_members = models.PositiveIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)
    reactions = models.PositiveIntegerField(default=0)
    #: Posts written that day that got a first reply from someone else, and the hours it took
    #: (summed, so any range's mean is a ratio of sums).
    answered_posts = models.PositiveIntegerField(default=0)
    response_hours = models.FloatField(default=0.0)
    events = models.PositiveIntegerField(default=0)
    rsvps = models.PositiveIntegerField(default=0)
    #: Confirmed seats and check-ins of the events that started that day.
    confirmed = models.PositiveIntegerField(default=0)
    attended = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "day"],
                condition=Q(community__isnull=False),
                name="daily_one_per_community",
            ),
            models.UniqueConstraint(
                fields=["day"], condition=Q(community__isnull=True), name="daily_one_platform_wide"
            ),
        ]
        indexes = [models.Index(fields=["community", "day"], name="daily_scope_day")]

    def __str__(self) -> str:
        return f"{self.community_id or 'platform'} {self.day}"


class ReachOut(models.Model):
    """The audit of every "reach out" an operator or owner sent: who, to whom, from which scope.
    It is also the rate limit's memory: one reach-out per member and scope per week."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(max_length=10)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["member", "community", "-sent_at"], name="reachout_member")]

    def __str__(self) -> str:
        return f"{self.sender_id} → {self.member_id}"


class ReportSent(models.Model):
    """Claimed before the weekly Insights e-mail is queued: the unique (operator, week) row
    means a second run of the task, or a second worker, sends nothing."""

    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    #: The Monday of the ISO week the report covers.
    week = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["operator", "week"], name="report_once_per_week")
        ]

    def __str__(self) -> str:
        return f"report for {self.operator_id}, week of {self.week}"
