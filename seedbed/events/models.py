import secrets
import zoneinfo
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seedbed.communities.models import Community

User = settings.AUTH_USER_MODEL

#: Every time of an event lies within this many years of now (either way): far enough for any
#: real plan or record, near enough that no time zone or calendar arithmetic can overflow.
YEARS_AROUND_NOW = 10
#: The longest an event lasts, from its start to its end.
MAX_DURATION = timedelta(days=31)
#: The most seats an event offers (far beyond any venue, well inside a 32-bit integer).
MAX_CAPACITY = 100_000
#: Stored times outside this range (rows written before the limits above, or straight into the
#: database) are read as its nearest end, so no page, feed or file fails on one odd row.
READABLE_TIMES = (datetime(1900, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC))


def clamp_times(instance: models.Model, names: tuple[str, ...]) -> None:
    """Bring the loaded times of `instance` into `READABLE_TIMES` (see `Event.from_db`)."""
    earliest, latest = READABLE_TIMES
    for name in names:
        value = instance.__dict__.get(name)
        if isinstance(value, datetime) and not earliest <= value <= latest:
            setattr(instance, name, min(max(value, earliest), latest))


def _token() -> str:
    return secrets.token_urlsafe(24)


def validate_time_zone(name: str) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("Unknown time zone: %(tz)s") % {"tz": name}) from None


class EventKind(models.TextChoices):
    SALON = "salon", _("Salon")
    ROADSHOW = "roadshow", _("Roadshow")
    TECH_MEETUP = "tech_meetup", _("Tech meetup")
    COMPETITION = "competition", _("Competition")


class EventSeries(models.Model):
    """A weekly or monthly series; each occurrence is an ordinary Event pointing here."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.frequency} series {self.pk}"


class Event(models.Model):
    community = models.ForeignKey(
        Community,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        help_text=_("Empty for a platform event run by the operators."),
    )
    series = models.ForeignKey(
        EventSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=20_000, blank=True)
    description_html = models.TextField(editable=False, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Shanghai", validators=[validate_time_zone]
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    map_url = models.URLField(_("map link"), blank=True)
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("Shown only to confirmed attendees.")
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    rsvp_opens_at = models.DateTimeField(_("RSVP opens"), null=True, blank=True)
    rsvp_closes_at = models.DateTimeField(_("RSVP closes"), null=True, blank=True)
    requires_approval = models.BooleanField(_("organisers approve each RSVP"), default=False)
    entries_close_at = models.DateTimeField(_("entries close"), null=True, blank=True)
    results_published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["community", "starts_at"]),
            models.Index(fields=["starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        """Every way of reading an event (pages, API, feeds, mail, other apps) gets times that
        time-zone arithmetic can handle, whatever was stored."""
        instance = super().from_db(db, field_names, values)
        clamp_times(instance, TIME_FIELDS)
        return instance

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


TIME_FIELDS = ("starts_at", "ends_at", "rsvp_opens_at", "rsvp_closes_at", "entries_close_at")


class RSVPStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Going")
    WAITLISTED = "waitlisted", _("Waitlisted")
    PENDING = "pending", _("Awaiting approval")
    DECLINED = "declined", _("Declined by the organisers")
    CANCELLED = "cancelled", _("Cancelled")


class RSVP(models.Model):
    """One per member and event. `joined_at` orders the waitlist (first in, first out) and is
    reset whenever the member asks again after cancelling."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="rsvps")
    status = models.CharField(max_length=12, choices=RSVPStatus.choices)
    joined_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    ticket_code = models.CharField(max_length=40, unique=True, default=_token)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_rsvp")]
        indexes = [models.Index(fields=["event", "status", "joined_at", "id"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.status} {self.event_id}"


class ReminderSent(models.Model):
    """Written in the same transaction that queues the mail, so a restarted worker never sends
    a reminder twice."""

    rsvp = models.ForeignKey(RSVP, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=4)  # "24h" or "1h"
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rsvp", "kind"], name="one_reminder")]

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.rsvp_id}"


class SeatMail(models.Model):
    """The e-mail owed to a member who got a seat (from the waitlist, or approved). Written in
    the transaction that gives the seat; the task claims it (`claimed_at`) in the transaction
    that queues the mail, so a worker restarted half-way never sends it twice."""

    rsvp = models.ForeignKey(RSVP, on_delete=models.CASCADE, related_name="seat_mails")
    confirmed_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rsvp", "confirmed_at"], name="one_seat_mail"),
        ]
        indexes = [models.Index(fields=["claimed_at"])]

    def __str__(self) -> str:
        return f"seat mail for {self.rsvp_id}"


class Feedback(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), max_length=4000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_feedback"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 for {self.event_id}"


class CalendarToken(models.Model):
    """The secret in a member's personal calendar-feed URL; revoking it kills the URL."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="calendar_tokens")
    token = models.CharField(max_length=40, unique=True, default=_token)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar token of {self.user_id}"


# Competitions ----------------------------------------------------------------------------------


class Criterion(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=100)
    weight = models.FloatField(_("weight"), default=1.0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Entry(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="entries")
    submitted_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("project"), max_length=200)
    team = models.CharField(_("team"), max_length=500)
    pitch = models.TextField(_("pitch"), max_length=5000)
    deck_url = models.URLField(_("deck link"), blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(fields=["event", "submitted_by"], name="one_entry_per_member"),
        ]

    def __str__(self) -> str:
        return self.title


class Judge(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    conflicts = models.ManyToManyField(Entry, blank=True, related_name="conflicted_judges")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_judge")]

    def __str__(self) -> str:
        return f"judge {self.user_id} at {self.event_id}"


class Score(models.Model):
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="scores")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["judge", "entry", "criterion"], name="one_score"),
            models.CheckConstraint(condition=Q(value__gte=1, value__lte=10), name="score_1_to_10"),
        ]

    def __str__(self) -> str:
        return f"{self.value}"


# Roadshow 1:1 meetings -------------------------------------------------------------------------


class MeetingRole(models.TextChoices):
    FOUNDER = "founder", _("Founder")
    INVESTOR = "investor", _("Investor")


class MeetingSlot(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    tables = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"slot {self.starts_at:%H:%M}"

    @classmethod
    def from_db(cls, db, field_names, values):
        """As `Event.from_db`: a slot stored at an absurd time still renders."""
        instance = super().from_db(db, field_names, values)
        clamp_times(instance, ("starts_at", "ends_at"))
        return instance


class MeetingParticipant(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=MeetingRole.choices)
    max_meetings = models.PositiveSmallIntegerField(null=True, blank=True)
    available_slots = models.ManyToManyField(MeetingSlot, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_participation"),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.user_id}"


class MeetingPreference(models.Model):
    class Level(models.TextChoices):
        MUST = "must", _("Must meet")
        LIKE = "like", _("Would like to meet")
        NO = "no", _("Do not schedule")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="preferences")
    participant = models.ForeignKey(
        MeetingParticipant, on_delete=models.CASCADE, related_name="preferences"
    )
    other = models.ForeignKey(MeetingParticipant, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=4, choices=Level.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "other"], name="one_preference"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}→{self.other_id}: {self.level}"


class Meeting(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    slot = models.ForeignKey(MeetingSlot, on_delete=models.CASCADE, related_name="meetings")
    table = models.PositiveSmallIntegerField()
    founder = models.ForeignKey(MeetingParticipant, on_delete=models.CASCADE, related_name="+")
    investor = models.ForeignKey(MeetingParticipant, on_delete=models.CASCADE, related_name="+")
    weight = models.FloatField(default=0)

    class Meta:
        ordering = ["slot__starts_at", "table"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "table"], name="one_meeting_per_table"),
            models.UniqueConstraint(fields=["slot", "founder"], name="founder_once_per_slot"),
            models.UniqueConstraint(fields=["slot", "investor"], name="investor_once_per_slot"),
        ]

    def __str__(self) -> str:
        return f"meeting {self.founder_id}×{self.investor_id}"
