"""The learning library: resources (a course, book, paper, video, article, template or tool),
members' ratings, reviews, saves and done marks, curated tracks, and the links that attach a
resource to an event or a post. A resource belongs to one community (and is seen by whoever may
read it) or to the whole platform; its uploaded file is stored under ``MEDIA_ROOT`` with a
random name and served only through the view that checks who may see it."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seedbed.core.models import Sector, Tag

User = settings.AUTH_USER_MODEL


class ResourceKind(models.TextChoices):
    COURSE = "course", _("Course")
    BOOK = "book", _("Book")
    PAPER = "paper", _("Paper")
    VIDEO = "video", _("Video")
    ARTICLE = "article", _("Article")
    TEMPLATE = "template", _("Template")
    TOOL = "tool", _("Tool")


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class ResourceLanguage(models.TextChoices):
    EN = "en", _("English")
    ZH = "zh", _("Chinese")
    BOTH = "both", _("English and Chinese")


class ResourceStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a moderator")
    APPROVED = "approved", _("published")
    HIDDEN = "hidden", _("hidden by a moderator")
    REJECTED = "rejected", _("rejected")


class ResourceQuerySet(models.QuerySet):
    def approved(self) -> "ResourceQuerySet":
        return self.filter(status=ResourceStatus.APPROVED)


class Resource(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=ResourceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10_000, blank=True)
    description_html = models.TextField(editable=False, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="library/", blank=True, max_length=200)
    file_name = models.CharField(max_length=200, blank=True, editable=False)
    file_type = models.CharField(max_length=8, blank=True, editable=False)
    file_size = models.PositiveIntegerField(default=0, editable=False)
    language = models.CharField(
        _("language"), max_length=4, choices=ResourceLanguage.choices, default=ResourceLanguage.EN
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, blank=True)
    topics = models.ManyToManyField(Tag, verbose_name=_("topics"), blank=True, related_name="+")
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="+"
    )
    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="resources",
    )
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(
        max_length=10, choices=ResourceStatus.choices, default=ResourceStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    rating_count = models.PositiveIntegerField(default=0, editable=False)
    rating_sum = models.PositiveIntegerField(default=0, editable=False)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["community", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def average_rating(self) -> float | None:
        return round(self.rating_sum / self.rating_count, 1) if self.rating_count else None

    @property
    def is_approved(self) -> bool:
        return self.status == ResourceStatus.APPROVED


class Rating(models.Model):
    """One member's stars (1–5) and optional review of one resource; rating again replaces it."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    stars = models.PositiveSmallIntegerField(
        _("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    review = models.TextField(_("review"), max_length=5000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "user"], name="one_rating_per_member"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="stars_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} rated {self.resource_id}: {self.stars}"


class LibraryEntry(models.Model):
    """A member's own shelf: saved for later and/or marked as done."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="entries")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="library_entries")
    saved_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "user"], name="one_library_entry"),
        ]
        indexes = [models.Index(fields=["user", "resource"])]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.resource_id}"


class ResourceReport(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("resolved")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"report {self.pk} on {self.resource_id}"


class ResourceDecision(models.Model):
    """The audit log of moderation in the library: who approved, hid or rejected what."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="decisions")
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=ResourceStatus.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.actor_id} → {self.status} on {self.resource_id}"


class Track(models.Model):
    """An ordered path through resources, curated by operators (platform-wide or in any
    community) and by community owners (in their community)."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    description_html = models.TextField(editable=False, blank=True)
    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tracks",
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    resources = models.ManyToManyField(Resource, through="TrackItem", related_name="tracks")

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")

    def __str__(self) -> str:
        return self.title


class TrackItem(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["track", "resource"], name="resource_once_per_track"),
        ]

    def __str__(self) -> str:
        return f"{self.track_id}#{self.position}: {self.resource_id}"


class TrackFollow(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    followed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["track", "user"], name="follow_track_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.track_id}"


class EventResource(models.Model):
    """Slides after a salon, the recording after a meetup."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="event_links")
    added_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "resource"], name="resource_once_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} at event {self.event_id}"


class PostResource(models.Model):
    post = models.ForeignKey("communities.Post", on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="post_links")
    added_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "resource"], name="resource_once_per_post"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} in post {self.post_id}"
