"""Sending notifications, reading them, the digest setting and the e-mail digests. This app
knows no other app: what a kind says, where it leads and who may still see it come from the
registry, and the digest's other sections from the apps that registered them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from seedbed.accounts.models import User
from seedbed.core.pages import absolute_url
from seedbed.notifications import registry
from seedbed.notifications.models import (
    OBJECT_FIELDS,
    DigestFrequency,
    DigestSent,
    Notification,
    NotificationSettings,
)
from seedbed.notifications.registry import Said

INBOX_SIZE = 100
DIGEST_NOTIFICATIONS = 20


def _member(user: User | AnonymousUser) -> User:
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user


def _rows(
    recipients: Iterable[int | User], kind: str, actor: User | None, objects: dict[str, Any]
) -> list[Notification]:
    registry.kind(kind)
    unknown = set(objects) - set(OBJECT_FIELDS)
    if unknown:
        raise ValueError(f"A notification cannot point at {', '.join(sorted(unknown))}.")
    ids = dict.fromkeys(r if isinstance(r, int) else r.pk for r in recipients)
    return [
        Notification(recipient_id=pk, kind=kind, actor=actor, **objects)
        for pk in ids
        if actor is None or pk != actor.pk
    ]


def notify(
    recipients: Iterable[int | User],
    kind: str,
    *,
    actor: User | None = None,
    **objects: models.Model | None,
) -> list[Notification]:
    """One notification of a registered kind per recipient, never to the actor; ``objects`` are
    what it is about (``community=``, ``post=``, ``reply=``, ``event=``, ``intro=``)."""
    return Notification.objects.bulk_create(_rows(recipients, kind, actor, objects))


def notify_each(
    kind: str,
    batches: Iterable[tuple[Iterable[int | User], dict[str, Any]]],
    *,
    actor: User | None = None,
) -> list[Notification]:
    """:func:`notify` for many objects at once (recipients, objects) in one insert."""
    return Notification.objects.bulk_create(
        [row for recipients, objects in batches for row in _rows(recipients, kind, actor, objects)]
    )


def notifications_for(user: User | AnonymousUser) -> QuerySet[Notification]:
    """The member's notifications of registered kinds, minus any about something they can no
    longer read (each kind's own rule), with everything their sentences name."""
    member = _member(user)
    return (
        Notification.objects.filter(recipient=member)
        .filter(registry.visible_to(member))
        .select_related("actor", *registry.related())
    )


def said(notifications: Iterable[Notification]) -> list[Said]:
    return [registry.say(n) for n in notifications]


def inbox(user: User | AnonymousUser) -> list[Said]:
    return said(notifications_for(user)[:INBOX_SIZE])


def unread_count(user: User | AnonymousUser) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def mark_notifications_read(user: User | AnonymousUser, ids: list[int] | None = None) -> int:
    rows = Notification.objects.filter(recipient=_member(user), read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())


def notification_settings(user: User | AnonymousUser) -> NotificationSettings:
    settings_, _created = NotificationSettings.objects.get_or_create(user=_member(user))
    return settings_


def set_digest_frequency(user: User | AnonymousUser, frequency: str) -> NotificationSettings:
    if frequency not in DigestFrequency.values:
        raise ValidationError({"digest": [_("Choose never, daily or weekly.")]})
    current = notification_settings(user)
    current.digest = frequency
    current.save(update_fields=["digest"])
    return current


# E-mail digests --------------------------------------------------------------------------------

DIGEST_PERIOD = {
    DigestFrequency.DAILY.value: timedelta(days=1),
    DigestFrequency.WEEKLY.value: timedelta(days=7),
}


def digest_period(frequency: str, now: datetime) -> date:
    """The first day of the period ``now`` is in: the day itself, or the week's Monday (in the
    site's time zone). A member gets at most one digest of each kind per period."""
    day = timezone.localdate(now)
    return day if frequency == DigestFrequency.DAILY else day - timedelta(days=day.weekday())


def members_due_a_digest(frequency: str, now: datetime | None = None) -> QuerySet[User]:
    """Members who chose this frequency (weekly is the default for those who never chose) and
    were not sent this period's digest yet."""
    chose = Q(notification_settings__digest=frequency)
    if frequency == DigestFrequency.WEEKLY:
        chose |= Q(notification_settings__isnull=True)
    sent = DigestSent.objects.filter(
        user=OuterRef("pk"),
        frequency=frequency,
        period_start=digest_period(frequency, now or timezone.now()),
    )
    return User.objects.filter(chose, is_active=True).exclude(Exists(sent)).order_by("pk")


def digest_for(user: User, since: datetime) -> dict[str, Any]:
    """What a digest would say, in the active language: each app's section that has news, and
    the notifications that came since and are still unread, as sentences with their links
    (only those the member may still see, as in the inbox), so no note is mailed twice."""
    sections = []
    for section in registry.DIGEST_SECTIONS:
        context = section.collect(user, since)
        if context:
            sections.append(render_to_string(section.template, context))
    unread = notifications_for(user).filter(read_at__isnull=True, created_at__gte=since)
    return {
        "sections": sections,
        "notifications": [
            (item.text, absolute_url(item.url) if item.url else "")
            for item in said(unread[:DIGEST_NOTIFICATIONS])
        ],
        "unread": unread.count(),
    }


def language_of(user: User) -> str:
    return "zh-hans" if (user.languages or ["en"])[0] == "zh" else "en"


def send_digest(user: User, frequency: str, now: datetime | None = None) -> bool:
    """Mail one member this period's digest unless there is nothing to say or it went already.

    The period's ``DigestSent`` row is claimed first (its unique constraint decides between
    two runs or two workers), then the mail is sent; if the mailer fails, the claim is given
    back so a re-run sends it. A worker killed between the two (or during the send, when
    nobody knows whether the mail left) keeps the claim and so loses that one digest rather
    than ever mailing it twice; the next period's digest starts where the last sent one did."""
    now = now or timezone.now()
    current = notification_settings(user)
    since = current.last_digest_at or now - DIGEST_PERIOD[frequency]
    with translation.override(language_of(user)):
        content = digest_for(user, since)
        if not content["sections"] and not content["unread"]:
            return False
        subject = _("Your Seedbed digest")
        body = render_to_string(
            "notifications/email/digest.txt",
            {
                "user": user,
                "inbox_url": absolute_url(reverse("notifications:inbox")),
                "settings_url": absolute_url(reverse("notifications:settings")),
                **content,
            },
        )
    try:
        with transaction.atomic():
            claim = DigestSent.objects.create(
                user=user, frequency=frequency, period_start=digest_period(frequency, now)
            )
    except IntegrityError:
        return False
    try:
        send_mail(subject, body, None, [user.email], fail_silently=False)
    except Exception:
        claim.delete()
        raise
    current.last_digest_at = now
    current.save(update_fields=["last_digest_at"])
    return True
