"""Notifications and e-mail digests, together so they can move to their own app as one piece:
creating notifications, listing and counting them, marking them read, the digest setting and
the digests themselves."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from seedbed.accounts.models import User
from seedbed.communities import access
from seedbed.communities.models import (
    Community,
    ContentStatus,
    DigestFrequency,
    Notification,
    NotificationSettings,
    Post,
    Reply,
)
from seedbed.communities.services.reading import post_queryset


def notify(
    recipient_ids: Iterable[int],
    kind: str,
    *,
    actor: User,
    community: Community | None = None,
    post: Post | None = None,
    reply: Reply | None = None,
) -> None:
    """One notification per recipient, never to the actor."""
    ids = [pk for pk in dict.fromkeys(recipient_ids) if pk != actor.pk]
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk, kind=kind, actor=actor, community=community, post=post, reply=reply
            )
            for pk in ids
        ]
    )


def notifications_for(user: User | AnonymousUser) -> QuerySet[Notification]:
    """The member's notifications, minus any about content they can no longer read."""
    readable = access.readable_communities(user)
    return (
        Notification.objects.filter(recipient=access.signed_in_member(user))
        .filter(
            Q(community__isnull=True)
            | Q(community__in=readable)
            | Q(kind=Notification.Kind.INVITATION)
        )
        .exclude(post__status__in=[ContentStatus.HIDDEN, ContentStatus.REMOVED])
        .select_related("actor", "community", "post", "event", "intro__project", "intro__offer")
    )


def unread_count(user: User | AnonymousUser) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def notification_settings(user: User | AnonymousUser) -> NotificationSettings:
    settings_, _created = NotificationSettings.objects.get_or_create(
        user=access.signed_in_member(user)
    )
    return settings_


def set_digest_frequency(user: User | AnonymousUser, frequency: str) -> NotificationSettings:
    if frequency not in DigestFrequency.values:
        raise ValidationError({"digest": [_("Choose never, daily or weekly.")]})
    current = notification_settings(user)
    current.digest = frequency
    current.save(update_fields=["digest"])
    return current


def mark_notifications_read(user: User | AnonymousUser, ids: list[int] | None = None) -> int:
    rows = Notification.objects.filter(
        recipient=access.signed_in_member(user), read_at__isnull=True
    )
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())


# E-mail digests --------------------------------------------------------------------------------

DIGEST_PERIOD = {
    DigestFrequency.DAILY.value: timedelta(days=1),
    DigestFrequency.WEEKLY.value: timedelta(days=7),
}
DIGEST_POSTS = 10


def members_due_a_digest(frequency: str) -> QuerySet[User]:
    """Members who chose this frequency (weekly is the default for those who never chose)."""
    chose = Q(notification_settings__digest=frequency)
    if frequency == DigestFrequency.WEEKLY:
        chose |= Q(notification_settings__isnull=True)
    return User.objects.filter(chose, is_active=True).order_by("pk")


def digest_for(user: User, since: datetime) -> dict[str, Any]:
    """What a digest would say: the liveliest new posts in the member's communities and the
    number of unread notifications."""
    posts = list(
        post_queryset()
        .filter(
            status=ContentStatus.VISIBLE,
            created_at__gte=since,
            community__in=access.readable_communities(user).filter(memberships__user=user),
        )
        .order_by("-hot")[:DIGEST_POSTS]
    )
    return {"posts": posts, "unread": unread_count(user)}


def send_digest(user: User, frequency: str, now: datetime | None = None) -> bool:
    """Send one member's digest (on commit) unless there is nothing to say; remember when."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    now = now or timezone.now()
    current = notification_settings(user)
    since = current.last_digest_at or now - DIGEST_PERIOD[frequency]
    content = digest_for(user, since)
    if not content["posts"] and not content["unread"]:
        return False
    language = "zh-hans" if (user.languages or ["en"])[0] == "zh" else "en"
    with translation.override(language):
        subject = _("Your Seedbed digest: %(n)d new posts") % {"n": len(content["posts"])}
        body = render_to_string(
            "communities/email/digest.txt",
            {
                "user": user,
                "site_url": settings.SITE_URL,
                **content,
            },
        )
    with transaction.atomic():
        current.last_digest_at = now
        current.save(update_fields=["last_digest_at"])
        transaction.on_commit(
            lambda: send_mail(subject, body, None, [user.email], fail_silently=False)
        )
    return True
