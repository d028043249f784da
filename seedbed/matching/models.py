"""Projects (startups) and their needs, offers (investors, talent, mentors, service providers),
the stored match scores with their reasons, double opt-in intros with their pipeline, and the
operators' matching rounds and Bayesian network tables."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seedbed.accounts.models import Stage
from seedbed.core.models import Sector, Tag
from seedbed.matching.encryption import EncryptedTextField

User = settings.AUTH_USER_MODEL


class Instrument(models.TextChoices):
    EQUITY = "equity", _("Equity")
    SAFE = "safe", _("SAFE")
    CONVERTIBLE = "convertible", _("Convertible note")
    GRANT = "grant", _("Grant")
    DEBT = "debt", _("Debt")


class ServiceType(models.TextChoices):
    LEGAL = "legal", _("Legal")
    ACCOUNTING = "accounting", _("Accounting and tax")
    CLOUD = "cloud", _("Cloud and infrastructure")
    DESIGN = "design", _("Design")
    MARKETING = "marketing", _("Marketing")
    RECRUITING = "recruiting", _("Recruiting")
    OFFICE = "office", _("Office space")
    IP = "ip", _("Patents and IP")


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUCCEEDED = "succeeded", _("Succeeded (profitable, raised a follow-on round or acquired)")
    CLOSED = "closed", _("Closed")


FUNDING_BAND_EDGES = (
    0,
    100_000,
    250_000,
    500_000,
    1_000_000,
    2_500_000,
    5_000_000,
    10_000_000,
    25_000_000,
    50_000_000,
    100_000_000,
)
"""The steps of a published funding band, in US dollars; above the last the band is open."""


def funding_band(low: int | None, high: int | None) -> tuple[int | None, int | None] | None:
    """The published band around an ask: from the step at or below ``low`` to the step above
    ``high`` (strictly, so an ask on a step never gives a band of one amount). Matching
    compares this band, never the amounts: the match list is an oracle any member can query
    by moving an offer's ticket range, and this way all it can tell is the band."""
    if low is None and high is None:
        return None
    lower = None if low is None else max(e for e in FUNDING_BAND_EDGES if e <= low)
    upper = None if high is None else next((e for e in FUNDING_BAND_EDGES if e > high), None)
    return lower, upper


class Project(models.Model):
    """A startup. Its funding fields are deal data: see ``DEAL_FIELDS``; what any member sees
    of the ask is ``funding_band``."""

    DEAL_FIELDS = ("funding_min", "funding_max", "funding_instrument", "funding_notes")

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    one_liner = models.CharField(_("one-liner"), max_length=160)
    description = models.TextField(_("description"), max_length=10_000, blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    city = models.CharField(_("city"), max_length=80, blank=True)
    traction = models.TextField(_("traction"), max_length=2000, blank=True)
    has_paying_customers = models.BooleanField(_("has paying customers"), default=False)
    has_working_product = models.BooleanField(_("has a working product"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="projects", verbose_name=_("team")
    )

    needs_funding = models.BooleanField(_("raising funding"), default=False)
    funding_min = models.PositiveBigIntegerField(_("raising at least"), null=True, blank=True)
    funding_max = models.PositiveBigIntegerField(_("raising at most"), null=True, blank=True)
    funding_instrument = models.CharField(
        _("instrument"), max_length=12, choices=Instrument.choices, blank=True
    )
    funding_notes = EncryptedTextField(
        _("funding details"),
        max_length=4000,
        blank=True,
        help_text=_("Valuation, use of funds, current investors."),
    )
    needs_talent = models.BooleanField(_("hiring"), default=False)
    roles_sought = models.CharField(_("roles sought"), max_length=300, blank=True)
    skills_sought = models.ManyToManyField(
        Tag, verbose_name=_("skills sought"), blank=True, related_name="projects_hiring"
    )
    needs_mentoring = models.BooleanField(_("looking for mentors or technology"), default=False)
    topics_sought = models.ManyToManyField(
        Tag, verbose_name=_("mentoring topics"), blank=True, related_name="projects_mentored"
    )
    needs_services = models.BooleanField(_("looking for services"), default=False)
    services_sought = models.JSONField(_("services sought"), default=list, blank=True)
    intro_limit = models.PositiveSmallIntegerField(
        _("matches per round"),
        default=3,
        help_text=_("How many matches this project can take in one matching round."),
    )

    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(funding_min__isnull=True)
                | Q(funding_max__isnull=True)
                | Q(funding_min__lte=models.F("funding_max")),
                name="project_funding_min_le_max",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def funding_band(self) -> tuple[int | None, int | None] | None:
        """The coarse band of the ask, published to every member who sees a project raising
        (None when it is not raising or gave no amount)."""
        if not self.needs_funding:
            return None
        return funding_band(self.funding_min, self.funding_max)


class OfferKind(models.TextChoices):
    INVESTOR = "investor", _("Investor")
    TALENT = "talent", _("Talent")
    MENTOR = "mentor", _("Mentor")
    SERVICE = "service", _("Service provider")


class Availability(models.TextChoices):
    FULL_TIME = "full_time", _("Full time")
    PART_TIME = "part_time", _("Part time")
    CONTRACT = "contract", _("Contract")
    ADVISORY = "advisory", _("Advisory")


class PriceBand(models.TextChoices):
    FREE = "free", _("Free for members")
    DISCOUNTED = "discounted", _("Discounted for members")
    STANDARD = "standard", _("Standard rates")
    PREMIUM = "premium", _("Premium")


class Offer(models.Model):
    """What a member brings: an investor's thesis, a talent's skills, a mentor's expertise and
    office hours, a service. ``capacity`` is the investor's meetings per round, the mentor's
    office hours per month, the provider's clients per round; talent is always 1."""

    kind = models.CharField(_("kind"), max_length=10, choices=OfferKind.choices)
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="offers")
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=10_000, blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=3)
    active = models.BooleanField(_("open to intros"), default=True)

    stages = models.JSONField(_("stages"), default=list, blank=True)
    ticket_min = models.PositiveBigIntegerField(_("smallest ticket"), null=True, blank=True)
    ticket_max = models.PositiveBigIntegerField(_("largest ticket"), null=True, blank=True)
    regions = models.JSONField(_("geography"), default=list, blank=True)
    excluded_sectors = models.ManyToManyField(
        Sector, verbose_name=_("excluded sectors"), blank=True, related_name="excluded_by_offers"
    )

    skills = models.ManyToManyField(
        Tag, verbose_name=_("skills"), blank=True, related_name="talent_offers"
    )
    role_sought = models.CharField(_("role sought"), max_length=120, blank=True)
    availability = models.CharField(
        _("availability"), max_length=12, choices=Availability.choices, blank=True
    )
    city = models.CharField(_("city"), max_length=80, blank=True)
    remote = models.BooleanField(_("open to remote work"), default=False)

    topics = models.ManyToManyField(
        Tag, verbose_name=_("expertise topics"), blank=True, related_name="mentor_offers"
    )
    service_type = models.CharField(
        _("service type"), max_length=12, choices=ServiceType.choices, blank=True
    )
    price_band = models.CharField(
        _("price band"), max_length=12, choices=PriceBand.choices, blank=True
    )

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "title", "id"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        indexes = [models.Index(fields=["kind", "active"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ticket_min__isnull=True)
                | Q(ticket_max__isnull=True)
                | Q(ticket_min__lte=models.F("ticket_max")),
                name="offer_ticket_min_le_max",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Match(models.Model):
    """A stored match score with its reasons, refreshed by a background task; pages read these
    rows and never score on the request path. Only allowed pairs are stored, the best few per
    project and per offer. ``reasons`` is a list of ``[criterion, [values...]]`` (no amounts)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="matches")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="matches")
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    shared_terms = models.JSONField(default=list)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "offer"], name="unique_match_pair"),
        ]
        indexes = [
            models.Index(fields=["project", "-score"]),
            models.Index(fields=["offer", "-score"]),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}×{self.offer_id}: {self.score:.2f}"


class IntroStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DeclineReason(models.TextChoices):
    NOT_A_FIT = "not_a_fit", _("Not a fit")
    TIMING = "timing", _("Bad timing")
    NO_CAPACITY = "no_capacity", _("No capacity right now")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    INVESTED = "invested", _("Invested")
    HIRED = "hired", _("Hired")
    MENTORED = "mentored", _("Mentored")
    ENGAGED = "engaged", _("Service engaged")
    NO_DEAL = "no_deal", _("No deal")


class Intro(models.Model):
    """A double opt-in introduction between a project's team and an offer's owner.

    Each side consents separately: the side that asks consents by asking, an operator's
    proposal needs both. It is accepted when both have said yes and declined as soon as one
    says no. Contact details and the thread open only on acceptance."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="intros")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="intros")
    requested_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    round = models.ForeignKey(
        "MatchingRound", null=True, blank=True, on_delete=models.SET_NULL, related_name="intros"
    )
    message = EncryptedTextField(_("message"), max_length=2000, blank=True)
    score = models.FloatField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=IntroStatus.choices, default=IntroStatus.REQUESTED
    )
    project_consent = models.BooleanField(null=True)
    offer_consent = models.BooleanField(null=True)
    decided_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(
        _("reason"), max_length=12, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.CharField(_("note"), max_length=500, blank=True)
    met_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "offer"],
                condition=Q(status="requested"),
                name="one_pending_intro_per_pair",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "offer", "-decided_at"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"intro {self.project_id}→{self.offer_id} ({self.status})"

    @property
    def stage(self) -> str:
        """Where the intro is in the operators' pipeline."""
        if self.outcome:
            return "outcome"
        if self.met_at:
            return "met"
        return self.status


class IntroMessage(models.Model):
    """The thread of an accepted intro; only its two sides read it."""

    intro = models.ForeignKey(Intro, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    body = EncryptedTextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"message {self.pk} on intro {self.intro_id}"


class MatchingRound(models.Model):
    """An operator's allocation of one kind of offer (mentor office hours by default) to
    projects, optimal under both sides' capacities; proposals go out when the operator sends."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("offers"), max_length=10, choices=OfferKind.choices, default=OfferKind.MENTOR
    )
    fair = models.BooleanField(_("every project gets a match where possible"), default=True)
    min_score = models.FloatField(_("lowest score proposed"), default=0.05)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    total_score = models.FloatField(default=0.0)
    projects_covered = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Proposal(models.Model):
    """One allocated pair of a round, before it is sent as an intro."""

    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="proposals")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list)

    class Meta:
        ordering = ["project__name", "-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "project", "offer"], name="unique_proposal"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}×{self.offer_id} in round {self.round_id}"


class NetworkTables(models.Model):
    """The operators' edited conditional probability tables of the success network (one row,
    the latest wins); empty means the built-in tables."""

    tables = models.JSONField(default=dict)
    updated_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"network tables of {self.updated_at:%Y-%m-%d}"


class StoredModels(models.Model):
    """The Models page's fitted models, as the ``refit_models`` task stored them (the latest row
    wins): a table rather than the cache, so that a restart loses nothing and pages never fit."""

    result = models.JSONField()
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-computed_at", "-id"]

    def __str__(self) -> str:
        return f"models fitted at {self.computed_at:%Y-%m-%d %H:%M}"
