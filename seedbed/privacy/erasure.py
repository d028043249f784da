"""Self-service account deletion: one function, ``delete_account``, used by the page, the API
and the admin alike, so a member deleted from any of them is deleted the same way.

The account row stays (other rows keep pointing at it: a kept post's author, an audit-log
actor) but nothing personal is left on it: the name becomes "Deleted member", the e-mail
address and @handle unique placeholders that can never log in or be mentioned, the password
unusable. What else happens to each table is listed in ``docs/privacy.md``; an app added
later erases its own rows by giving its AppConfig an ``erase_member(user, keep_content)``
method, which runs inside the same transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from seedbed.accounts import indexing as member_indexing
from seedbed.accounts.models import ApiToken, MemberRole, User, Visibility
from seedbed.communities import indexing as community_indexing
from seedbed.communities.models import (
    Community,
    Invitation,
    JoinRequest,
    Membership,
    Post,
    Reaction,
    Reply,
    Report,
    Role,
)
from seedbed.communities.services.counts import recount_replies, refresh_hot
from seedbed.core import ratelimit
from seedbed.core.models import Tag
from seedbed.discovery.models import DiscoveryPreference, Dismissal, ProfileView, Recommendation
from seedbed.engagement.models import MemberBadge, Standing
from seedbed.events.models import RSVP, CalendarToken, Entry, Feedback, RSVPStatus
from seedbed.events.services import cancel_rsvp
from seedbed.insights.models import ContentSentiment, MemberEngagement, ReachOut
from seedbed.library.models import LibraryEntry, Rating, Resource, ResourceReport, TrackFollow
from seedbed.matching import indexing as matching_indexing
from seedbed.matching.models import Intro, IntroMessage, IntroStatus, Match, Offer, Project
from seedbed.notifications.models import Notification, NotificationSettings

DELETED_NAME = "Deleted member"
#: Password tries at deleting one's account: five in a quarter of an hour.
PASSWORD_TRIES = [(5, 900)]
DELETED_TEXT = "[deleted]"
PLACEHOLDER_DOMAIN = "deleted.invalid"


def is_deleted(user: User) -> bool:
    return user.email.endswith("@" + PLACEHOLDER_DOMAIN)


def last_owned_communities(user: User) -> list[Community]:
    """Live communities where ``user`` is the only owner: deleting them would leave a
    community nobody can manage, so deletion is refused until they hand it on or archive it."""
    owned = Membership.objects.filter(
        user=user, role=Role.OWNER, community__archived_at__isnull=True
    ).values("community_id")
    return list(
        Community.objects.filter(pk__in=owned)
        .annotate(owners=Count("memberships", filter=Q(memberships__role=Role.OWNER)))
        .filter(owners=1)
        .order_by("name")
    )


def check_can_delete(user: User) -> None:
    communities = last_owned_communities(user)
    if communities:
        names = ", ".join(c.name for c in communities)
        raise ValidationError(
            _(
                "You are the last owner of %(names)s: make someone else an owner, or archive "
                "it, before you delete your account."
            )
            % {"names": names},
            code="last_owner",
        )


def delete_own_account(user: User, *, password: str, keep_content: bool) -> User:
    """The member's own deletion: their password first, so a borrowed session is not enough
    (and a few tries only, so it cannot be guessed through this form)."""
    ratelimit.hit(f"delete-account:user:{user.pk}", PASSWORD_TRIES)
    if not password or not user.check_password(password):
        raise ValidationError({"password": [_("The password is wrong.")]}, code="bad_password")
    return delete_account(user, keep_content=keep_content)


def delete_account(user: User, *, keep_content: bool) -> User:
    """Erase a member: anonymise the account, revoke every way in, and keep or remove their
    posts and replies as they chose (others' replies under their posts always stay). Refuses
    (ValidationError) while they are the last owner of a live community."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if is_deleted(user):
            return user
        check_can_delete(user)
        _cancel_upcoming_rsvps(user)
        _erase_community_content(user, keep_content)
        _erase_matching(user, keep_content)
        _erase_rows(user, keep_content)
        for config in apps.get_app_configs():
            erase = getattr(config, "erase_member", None)
            if callable(erase):
                erase(user, keep_content)
        _anonymise_account(user)
        member_indexing.index_member(user)
    return user


def _cancel_upcoming_rsvps(user: User) -> None:
    """Through the events service, so a confirmed seat goes to the next on the waitlist."""
    upcoming = RSVP.objects.filter(
        user=user,
        status__in=[RSVPStatus.CONFIRMED, RSVPStatus.WAITLISTED, RSVPStatus.PENDING],
        event__starts_at__gt=timezone.now(),
        event__cancelled_at__isnull=True,
    ).values_list("event_id", flat=True)
    for event_id in list(upcoming):
        try:
            cancel_rsvp(user, event_id)
        except (Http404, PermissionDenied):
            RSVP.objects.filter(user=user, event_id=event_id).update(
                status=RSVPStatus.CANCELLED, updated_at=timezone.now()
            )


def _erase_community_content(user: User, keep_content: bool) -> None:
    if keep_content:
        return
    replies = list(Reply.objects.filter(author=user).select_related("post__community"))
    for reply in replies:
        community_indexing.remove_reply(reply)
    Reply.objects.filter(author=user).delete()
    for post_id in {r.post_id for r in replies}:
        if Post.objects.filter(pk=post_id).exists():
            recount_replies(post_id)

    reacted = set(Reaction.objects.filter(user=user).values_list("post_id", "reply_id"))
    Reaction.objects.filter(user=user).delete()
    for post_id, reply_id in reacted:
        if post_id is not None:
            count = Reaction.objects.filter(post_id=post_id).count()
            Post.objects.filter(pk=post_id).update(reaction_count=count)
            refresh_hot(post_id)
        else:
            count = Reaction.objects.filter(reply_id=reply_id).count()
            Reply.objects.filter(pk=reply_id).update(reaction_count=count)

    posts = Post.objects.filter(author=user).select_related("community")
    others_replied = set(
        Reply.objects.filter(post__author=user).values_list("post_id", flat=True).distinct()
    )
    for post in posts:
        if post.pk in others_replied:
            _blank_post(post)
        else:
            community_indexing.remove_post(post)
            post.delete()
    Report.objects.filter(reporter=user).delete()
    ContentSentiment.objects.filter(author=user).delete()


def _blank_post(post: Post) -> None:
    """A post others replied to keeps its row, emptied, so their replies stay readable."""
    post.title, post.body, post.body_html = DELETED_TEXT, "", ""
    post.save(update_fields=["title", "body", "body_html"])
    post.tags.clear()
    community_indexing.index_post(post)
    for reply in post.replies.all():
        community_indexing.index_reply(reply, post)


def _erase_matching(user: User, keep_content: bool) -> None:
    now = timezone.now()
    offers = list(Offer.objects.filter(owner=user))
    sole = (
        Project.objects.filter(team=user)
        .annotate(size=Count("team"))
        .filter(size=1)
        .values_list("pk", flat=True)
    )
    Project.objects.filter(pk__in=list(sole)).update(funding_notes="")
    Intro.objects.filter(
        Q(offer__owner=user) | Q(project_id__in=list(sole)), status=IntroStatus.REQUESTED
    ).update(status=IntroStatus.WITHDRAWN, decided_at=now, decided_by=user)
    Project.team.through.objects.filter(user=user).delete()
    Match.objects.filter(offer__owner=user).delete()
    Offer.objects.filter(owner=user).update(
        active=False,
        title=DELETED_TEXT,
        description="",
        role_sought="",
        city="",
        regions=[],
        updated_at=now,
    )
    for offer in offers:
        matching_indexing.index_offer(offer)
    if not keep_content:
        IntroMessage.objects.filter(author=user).delete()
        Intro.objects.filter(requested_by=user).update(message="")
        Intro.objects.filter(decided_by=user).update(decline_note="")


#: Rows that only ever concerned the member (and the ways back into the account).
PERSONAL_ROWS: list[tuple[type[models.Model], str]] = [
    (Membership, "user"),
    (JoinRequest, "user"),
    (Invitation, "invitee"),
    (ApiToken, "user"),
    (CalendarToken, "user"),
    (Notification, "recipient"),
    (NotificationSettings, "user"),
    (Recommendation, "member"),
    (Dismissal, "member"),
    (ProfileView, "viewer"),
    (ProfileView, "member"),
    (DiscoveryPreference, "member"),
    (MemberEngagement, "member"),
    (ReachOut, "member"),
    (EmailAddress, "user"),
    (MemberRole, "user"),
    (MemberBadge, "member"),
    (LibraryEntry, "user"),
    (TrackFollow, "user"),
]


def _erase_rows(user: User, keep_content: bool) -> None:
    for model, field in PERSONAL_ROWS:
        model._default_manager.filter(**{field: user}).delete()
    Standing.objects.filter(member=user).update(hide_from_leaderboards=True)
    if not keep_content:
        Feedback.objects.filter(user=user).delete()
        Entry.objects.filter(submitted_by=user).delete()
        ResourceReport.objects.filter(reporter=user).delete()
        _remove_ratings(user)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=DELETED_NAME)


def _remove_ratings(user: User) -> None:
    rated = list(Rating.objects.filter(user=user).values_list("resource_id", flat=True))
    Rating.objects.filter(user=user).delete()
    for resource_id in rated:
        totals = Rating.objects.filter(resource_id=resource_id).aggregate(
            n=Count("id"), total=Sum("stars")
        )
        Resource.objects.filter(pk=resource_id).update(
            rating_count=totals["n"], rating_sum=totals["total"] or 0
        )


def _anonymise_account(user: User) -> None:
    tags = set(user.skills.values_list("pk", flat=True)) | set(
        user.interests.values_list("pk", flat=True)
    )
    token = secrets.token_hex(8)
    user.email = f"deleted-{token}@{PLACEHOLDER_DOMAIN}"
    user.handle = f"deleted-{token}"
    user.display_name = DELETED_NAME
    user.headline = user.bio = user.city = user.stage = ""
    user.languages = []
    user.visibility = Visibility.MEMBERS
    user.is_active = user.is_staff = user.is_superuser = False
    user.onboarding_step = 0
    user.last_login = None
    user.set_unusable_password()  # also ends every session: their auth hash no longer matches
    user.save()
    user.sectors.clear()
    user.skills.clear()
    user.interests.clear()
    user.groups.clear()
    user.user_permissions.clear()
    delete_unused_tags(tags)


def delete_unused_tags(tag_ids: Iterable[int]) -> None:
    """Tags are shared, but one only this member used would still spell out their skills."""
    candidates = set(tag_ids)
    if not candidates:
        return
    used: set[int] = set()
    for rel in Tag._meta.related_objects:
        name = rel.field.name
        rows = rel.related_model._default_manager.filter(**{f"{name}__in": candidates})
        used |= set(rows.values_list(name if rel.many_to_many else f"{name}_id", flat=True))
    Tag.objects.filter(pk__in=candidates - used).delete()
