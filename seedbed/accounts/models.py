import hashlib
import re
import secrets
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from seedbed.accounts import access
from seedbed.core import ratelimit
from seedbed.core.models import Sector, Tag

#: The ``LOCATION`` of the database cache in settings.CACHES["ratelimit"].
RATE_LIMIT_CACHE_TABLE = "seedbed_ratelimit_cache"


class PlatformRole(models.TextChoices):
    """Named apart from communities' Role: the OpenAPI document names enums by class."""

    FOUNDER = "founder", _("Founder")
    INVESTOR = "investor", _("Investor")
    MENTOR = "mentor", _("Mentor")
    TALENT = "talent", _("Talent")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    OPERATOR = "operator", _("Operator")


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea")
    PRE_SEED = "pre_seed", _("Pre-seed")
    SEED = "seed", _("Seed")
    SERIES_A = "series_a", _("Series A")
    GROWTH = "growth", _("Growth")


class ProfileVisibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone can see my profile")
    MEMBERS = "members", _("Members only: signed-in members can see my profile")


#: The names other modules import.
Role = PlatformRole
Visibility = ProfileVisibility


class Language(models.TextChoices):
    EN = "en", _("English")
    ZH = "zh", _("Chinese")
    JA = "ja", _("Japanese")
    KO = "ko", _("Korean")
    FR = "fr", _("French")
    DE = "de", _("German")
    ES = "es", _("Spanish")


HANDLE_PATTERN = r"[a-z0-9_](?:[a-z0-9_.-]{0,28}[a-z0-9_])"
_NOT_HANDLE = re.compile(r"[^a-z0-9_.-]+")


def unique_handle(name: str) -> str:
    """A free @handle made from the display name (never from the e-mail address, which is
    private), with a random number added when the plain form is taken."""
    stem = _NOT_HANDLE.sub("", slugify(name).replace("-", "."))[:24].strip(".-")
    stem = stem if len(stem) >= 2 else "member"
    candidate = stem
    for digits in (2, 3, 4, 6, 8, 10):
        if not User.objects.filter(handle=candidate).exists():
            return candidate
        candidate = f"{stem}{secrets.randbelow(10**digits)}"
    return f"{stem}{secrets.token_hex(6)}"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class MemberRole(models.Model):
    """One row per (member, role): members often hold several roles at once."""

    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="role_rows")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_member_role"),
        ]
        indexes = [models.Index(fields=["role", "user"])]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


class User(AbstractUser):
    """A member: the account (e-mail login) and the public profile in one row, so a directory
    page reads one table plus its tags."""

    # E-mail is the login and display_name the name: AbstractUser's columns are dropped.
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80)
    handle = models.CharField(
        _("handle"),
        max_length=30,
        unique=True,
        help_text=_("Others mention you as @handle: 2 to 30 letters, digits, dots, dashes."),
        validators=[
            RegexValidator(
                f"^{HANDLE_PATTERN}$", _("Use 2 to 30 lower-case letters, digits, _ . or -.")
            )
        ],
    )
    headline = models.CharField(_("headline"), max_length=140, blank=True)
    bio = models.TextField(_("bio"), max_length=4000, blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True, db_index=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    stage = models.CharField(_("startup stage"), max_length=20, choices=Stage.choices, blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True)
    skills = models.ManyToManyField(
        Tag, verbose_name=_("skills"), blank=True, related_name="skilled_members"
    )
    interests = models.ManyToManyField(
        Tag, verbose_name=_("interests"), blank=True, related_name="interested_members"
    )
    visibility = models.CharField(
        _("profile visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    #: The onboarding step a new member resumes at after logging in (1 to 3); 0 once finished
    #: or skipped, and for every member who joined before onboarding existed.
    onboarding_step = models.PositiveSmallIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["display_name", "id"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def save(self, *args, **kwargs):
        self.handle = self.handle.lower() or unique_handle(self.display_name)
        super().save(*args, **kwargs)
        if not self.is_active:
            # Revoked, not merely unusable while inactive: reactivation must not revive them.
            ApiToken.objects.filter(user=self, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def roles(self) -> list[str]:
        """Role values, read from prefetched rows when the caller prefetched `role_rows`."""
        return sorted(r.role for r in self.role_rows.all())

    @property
    def role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [str(labels[r]) for r in self.roles]

    @property
    def is_operator(self) -> bool:
        """For templates, which cannot call ``access.is_operator`` themselves."""
        return access.is_operator(self)

    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.languages]


class ApiTokenQuerySet(models.QuerySet):
    def live(self) -> "ApiTokenQuerySet":
        return self.filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now()),
            revoked_at__isnull=True,
            user__is_active=True,
        )


class ApiToken(models.Model):
    """A bearer token for the API. Only a SHA-256 digest is stored: the token carries 256 random
    bits, so a fast hash is enough and a stolen table yields nothing usable."""

    PREFIX = "sbt_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    #: None: until revoked.
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class RateLimitCounter(models.Model):
    """Counts of ``seedbed.core.ratelimit`` when there is no Redis: in the database, so that
    every worker process counts against the same limit."""

    bucket = models.CharField(max_length=255, primary_key=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = ratelimit.COUNTER_TABLE

    def __str__(self) -> str:
        return f"{self.bucket}={self.hits}"


class CacheEntry(models.Model):
    """The table of Django's database cache behind the ``ratelimit`` cache alias when there is
    no Redis (allauth's login, sign-up and reset limits). A model rather than
    ``createcachetable``, so that ``migrate`` makes it and test flushes empty it; the columns
    are the ones that command would create."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = RATE_LIMIT_CACHE_TABLE

    def __str__(self) -> str:
        return self.cache_key
