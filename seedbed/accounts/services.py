"""Every write and every rule about members, profiles and API tokens.

Views and API handlers parse input, call one function here and render the result.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string  # search stays out of auth's imports
from django.utils.translation import gettext as _

from seedbed.accounts.access import is_operator, visible_profiles
from seedbed.accounts.models import ApiToken, Language, MemberRole, Role, User, Visibility
from seedbed.core import ratelimit
from seedbed.core.models import Sector, Tag, normalise_tag
from seedbed.core.services import tags_named
from seedbed.core.text import single_line

MAX_TAGS = 20


def member_list_queryset() -> QuerySet[User]:
    """Members with everything a directory card shows, in a fixed number of queries."""
    return User.objects.filter(is_active=True).prefetch_related(
        Prefetch("role_rows", queryset=MemberRole.objects.order_by("role")),
        "sectors",
        "skills",
        "interests",
    )


def members_visible_to(viewer: User | AnonymousUser | None) -> QuerySet[User]:
    """Signed-in members see every active profile; visitors see only public ones."""
    return member_list_queryset().filter(visible_profiles(viewer))


@dataclass(frozen=True)
class DirectoryFilters:
    role: str = ""
    sector: str = ""
    skill: str = ""
    city: str = ""
    q: str = ""


def search_directory(
    viewer: User | AnonymousUser | None, filters: DirectoryFilters
) -> QuerySet[User]:
    members = members_visible_to(viewer)
    if filters.role:
        members = members.filter(role_rows__role=filters.role)
    if filters.sector:
        members = members.filter(sectors__slug=filters.sector)
    if filters.skill:
        members = members.filter(skills__name=normalise_tag(filters.skill))
    if filters.city:
        members = members.filter(city__iexact=filters.city.strip())
    if filters.q:
        q = filters.q.strip()
        members = members.filter(Q(display_name__icontains=q) | Q(headline__icontains=q))
    return members.order_by("display_name", "id")


def get_visible_member(viewer: User | AnonymousUser | None, member_id: int) -> User:
    """The member, or User.DoesNotExist when missing *or* hidden from this viewer, so that a
    members-only profile looks exactly like a missing one."""
    return members_visible_to(viewer).get(pk=member_id)


# Registration ----------------------------------------------------------------------------------


def register_member(
    request: HttpRequest, *, email: str, password: str, display_name: str
) -> User | None:
    """Create a member and send the verification e-mail (on commit). An address that is
    already registered gets a mail telling its owner instead, and None comes back: the caller
    answers both alike, as allauth's sign-up page does, so the API reveals no address. The
    password is hashed either way so the answer takes as long."""
    email = email.strip().lower()
    display_name = display_name.strip()
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    if not display_name:
        errors["display_name"] = [_("Enter a display name.")]
    candidate = User(email=email, display_name=display_name)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    if User.objects.filter(email__iexact=email).exists():
        make_password(password)
        transaction.on_commit(lambda: _send_already_registered(request, email))
        return None
    with transaction.atomic():
        # By dotted path: onboarding reads the communities and discovery apps, which the
        # accounts services (imported by every app) must not import.
        first_step = import_string("seedbed.accounts.onboarding.FIRST_STEP")
        user = User.objects.create_user(
            email=email, password=password, display_name=display_name, onboarding_step=first_step
        )
        address = EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
        transaction.on_commit(lambda: _send_verification(request, address))
        transaction.on_commit(lambda: import_string("seedbed.accounts.indexing.index_member")(user))
    return user


def _send_already_registered(request: HttpRequest, email: str) -> None:
    with allauth_context.request_context(request):
        get_adapter(request).send_account_already_exists_mail(email)


def _send_verification(request: HttpRequest, address: EmailAddress) -> None:
    # allauth's mailer reads the request from its context, which an on-commit callback may
    # run outside of.
    with allauth_context.request_context(request):
        address.send_confirmation(request, signup=True)


def authenticate_for_token(request: HttpRequest, *, email: str, password: str) -> User:
    """Check credentials under allauth's failed-login throttle (per IP and per account) and
    its verification rule. Raises ValidationError with a code saying why."""
    adapter = get_adapter(request)
    user = adapter.authenticate(request, email=email.strip().lower(), password=password)
    if user is None:
        raise ValidationError(_("The e-mail address or password is wrong."), code="invalid")
    if not user.is_active:
        raise ValidationError(_("This account is inactive."), code="inactive")
    if settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory" and not (
        EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
    ):
        raise ValidationError(_("Verify your e-mail address first."), code="unverified")
    return user


def create_operator(*, email: str, password: str, display_name: str) -> User:
    """An operator is staff with a verified address and the operator role."""
    email = email.strip().lower()
    with transaction.atomic():
        user, _created = User.objects.get_or_create(
            email=email, defaults={"display_name": display_name}
        )
        user.display_name = display_name or user.display_name
        user.is_staff = True
        user.set_password(password)
        user.save()
        MemberRole.objects.get_or_create(user=user, role=Role.OPERATOR)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        transaction.on_commit(lambda: import_string("seedbed.accounts.indexing.index_member")(user))
    return user


# Profile ---------------------------------------------------------------------------------------


def _clean_tag_names(field: str, names: Iterable[str]) -> list[str]:
    cleaned = list(dict.fromkeys(n for n in (normalise_tag(x) for x in names) if n))
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({field: [_("At most %(n)d tags.") % {"n": MAX_TAGS}]})
    too_long = [n for n in cleaned if len(n) > Tag.MAX_LENGTH]
    if too_long:
        raise ValidationError(
            {field: [_("A tag can be at most %(n)d characters.") % {"n": Tag.MAX_LENGTH}]}
        )
    return cleaned


PROFILE_TEXT_FIELDS = ("display_name", "handle", "headline", "bio", "city", "stage", "visibility")


def update_profile(user: User, **changes: Any) -> User:
    """Apply a partial profile change; unknown choices and over-long values are rejected with
    the field named, and nothing is written unless every field is valid."""
    errors: dict[str, list[str]] = {}
    for name in PROFILE_TEXT_FIELDS:
        if name in changes:
            value = (changes[name] or "").strip()
            setattr(user, name, value.lower() if name == "handle" else value)
    if "languages" in changes:
        known = set(Language.values)
        languages = list(dict.fromkeys(changes["languages"] or []))
        unknown = [code for code in languages if code not in known]
        if unknown:
            errors["languages"] = [_("Unknown language: %(v)s") % {"v": ", ".join(unknown)}]
        user.languages = languages
    roles = sectors = skills = interests = None
    if "roles" in changes:
        roles = list(dict.fromkeys(changes["roles"] or []))
        unknown = [r for r in roles if r not in Role.values]
        if unknown:
            errors["roles"] = [_("Unknown role: %(v)s") % {"v": ", ".join(unknown)}]
        elif Role.OPERATOR in roles and not is_operator(user):
            errors["roles"] = [_("Only staff can hold the operator role.")]
    if "sectors" in changes:
        slugs = list(dict.fromkeys(changes["sectors"] or []))
        sectors = list(Sector.objects.filter(slug__in=slugs))
        unknown = sorted(set(slugs) - {s.slug for s in sectors})
        if unknown:
            errors["sectors"] = [_("Unknown sector: %(v)s") % {"v": ", ".join(unknown)}]
    try:
        if "skills" in changes:
            skills = _clean_tag_names("skills", changes["skills"] or [])
        if "interests" in changes:
            interests = _clean_tag_names("interests", changes["interests"] or [])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        user.full_clean(exclude=["password", "last_login", "email"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user.save()
        if roles is not None:
            MemberRole.objects.filter(user=user).exclude(role__in=roles).delete()
            MemberRole.objects.bulk_create(
                [MemberRole(user=user, role=r) for r in roles], ignore_conflicts=True
            )
        if sectors is not None:
            user.sectors.set(sectors)
        if skills is not None:
            user.skills.set(tags_named(skills))
        if interests is not None:
            user.interests.set(tags_named(interests))
        transaction.on_commit(lambda: import_string("seedbed.accounts.indexing.index_member")(user))
    return user


# API tokens ------------------------------------------------------------------------------------


def create_api_token(
    user: User, name: str, *, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token and its secret, under a per-member rate limit (``API_TOKEN_RATE_LIMITS``):
    a stolen session must not mint tokens without end. The secret is returned once and never
    stored; ``expires_at`` (None: never) must lie in the future."""
    name = single_line(name)
    if not name:
        raise ValidationError({"name": [_("Give the token a name.")]})
    if len(name) > 80:
        raise ValidationError({"name": [_("A token name can be at most 80 characters.")]})
    if expires_at is not None and timezone.is_naive(expires_at):
        expires_at = timezone.make_aware(expires_at, UTC)
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": [_("The expiry must be in the future.")]})
    ratelimit.hit(f"api-token:user:{user.pk}", settings.API_TOKEN_RATE_LIMITS)
    raw = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=user, name=name, digest=ApiToken.digest_of(raw), hint=raw[:8], expires_at=expires_at
    )
    return token, raw


def revoke_every_api_token(user: User) -> int:
    """Revoke all of a member's live tokens: a changed or reset password means the old
    credentials, and every token made with them, may be in someone else's hands."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def revoke_api_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; someone else's token is ApiToken.DoesNotExist."""
    token = ApiToken.objects.get(pk=token_id, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def live_token(raw: str) -> ApiToken | None:
    """The live token with this secret (its owner loaded), recording its use at most once a
    minute."""
    if not raw.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.live().select_related("user").filter(digest=ApiToken.digest_of(raw))
    ).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


# Operator overview ------------------------------------------------------------------------------


def active_member_count() -> int:
    return User.objects.filter(is_active=True).count()


def member_statistics(viewer: User | AnonymousUser, now: datetime | None = None) -> dict[str, Any]:
    """Headline numbers about the membership, in a fixed number of queries: operators only,
    since they count members whose profiles are not public."""
    if not is_operator(viewer):
        raise PermissionDenied
    now = now or timezone.now()
    active = User.objects.filter(is_active=True)
    totals = active.aggregate(
        total=Count("id"),
        joined_7d=Count("id", filter=Q(date_joined__gte=now - timedelta(days=7))),
        joined_30d=Count("id", filter=Q(date_joined__gte=now - timedelta(days=30))),
        public=Count("id", filter=Q(visibility=Visibility.PUBLIC)),
        operators=Count("id", filter=Q(is_staff=True)),
    )
    verified = EmailAddress.objects.filter(user__is_active=True, verified=True).count()
    labels = dict(Role.choices)
    by_role = [
        {"role": row["role"], "label": labels[row["role"]], "count": row["n"]}
        for row in MemberRole.objects.filter(user__is_active=True)
        .values("role")
        .annotate(n=Count("id"))
        .order_by("-n", "role")
    ]
    by_city = list(
        active.exclude(city="")
        .values("city")
        .annotate(count=Count("id"))
        .order_by("-count", "city")[:10]
    )
    return {**totals, "verified": verified, "by_role": by_role, "by_city": by_city}
