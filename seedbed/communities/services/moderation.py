"""Moderation: reports, the queue, hiding, restoring and removing content, and the audit log
every moderator action is written to. Hiding or removing content takes back the points it
earned (restoring gives them back), and reports by members of a higher trust level come first
in the queue."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from seedbed.accounts.access import is_operator
from seedbed.accounts.models import User
from seedbed.communities import access, indexing
from seedbed.communities.access import CommunityAccess
from seedbed.communities.models import (
    Community,
    ContentStatus,
    ModerationAction,
    Post,
    Reply,
    Report,
)
from seedbed.communities.services.counts import recount_replies
from seedbed.communities.services.reading import get_post, get_reply, require_moderator
from seedbed.core.services import clean_text
from seedbed.engagement import services as points
from seedbed.engagement.models import Standing
from seedbed.engagement.trust import REPORT_WEIGHTS

Action = ModerationAction.Action

STATUS_FOR_ACTION = {
    "hide": ContentStatus.HIDDEN,
    "restore": ContentStatus.VISIBLE,
    "remove": ContentStatus.REMOVED,
}
ACTION_FOR_STATUS = {
    ContentStatus.HIDDEN.value: Action.HIDE,
    ContentStatus.VISIBLE.value: Action.RESTORE,
    ContentStatus.REMOVED.value: Action.REMOVE,
}


def log_action(community: Community, actor: User, action: str, **targets: Any) -> None:
    ModerationAction.objects.create(community=community, actor=actor, action=action, **targets)


def get_reportable(
    user: User | AnonymousUser, *, post_id: int | None = None, reply_id: int | None = None
) -> tuple[Post | Reply, CommunityAccess]:
    """The post or reply this user may report: any signed-in reader, except its author."""
    content: Post | Reply
    if post_id is not None:
        content, found = get_post(user, post_id)
    elif reply_id is not None:
        content, found = get_reply(user, reply_id)
    else:
        raise ValidationError({"target": [_("Report a post or a reply.")]})
    if not found.can_report(content):
        raise PermissionDenied(_("You cannot report your own writing."))
    return content, found


def report_content(
    user: User | AnonymousUser,
    *,
    reason: str,
    post_id: int | None = None,
    reply_id: int | None = None,
) -> Report:
    reason = clean_text("reason", reason, required=True, limit=1000)
    content, found = get_reportable(user, post_id=post_id, reply_id=reply_id)
    reporter = access.signed_in_member(user)
    post, reply = (content, None) if isinstance(content, Post) else (content.post, content)
    existing = Report.objects.filter(
        reporter=reporter, status=Report.Status.OPEN, post=post, reply=reply
    ).first()
    if existing:
        return existing
    return Report.objects.create(
        community=found.community, reporter=reporter, reason=reason, post=post, reply=reply
    )


def _weighted(reports: QuerySet[Report]) -> QuerySet[Report]:
    """Heaviest first (the reporter's trust level, see ``REPORT_WEIGHTS``), then oldest."""
    level = Subquery(Standing.objects.filter(member=OuterRef("reporter")).values("level")[:1])
    weight = Case(
        *(When(reporter_level=lvl, then=Value(w)) for lvl, w in REPORT_WEIGHTS.items()),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        reports.annotate(reporter_level=Coalesce(level, Value(0)))
        .annotate(weight=weight)
        .order_by("-weight", "created_at", "id")
    )


def moderation_queue(user: User | AnonymousUser, slug: str | None = None) -> QuerySet[Report]:
    """Open reports for one community's moderators, or for operators across all."""
    reports = Report.objects.filter(status=Report.Status.OPEN).select_related(
        "community", "reporter", "post", "post__author", "reply", "reply__author"
    )
    if slug is None:
        if not is_operator(user):
            raise PermissionDenied(_("Only operators see every community's queue."))
        return _weighted(reports)
    found = require_moderator(user, slug)
    return _weighted(reports.filter(community=found.community))


def set_status(user: User, found: CommunityAccess, content: Post | Reply, status: str) -> None:
    """Hide, restore or remove one post or reply; resolves its open reports; logged; its
    points follow (taken back when hidden or removed, given back when restored)."""
    was_visible = content.status == ContentStatus.VISIBLE
    content.status = status
    content.save(update_fields=["status"])
    if was_visible and status != ContentStatus.VISIBLE:
        points.reverse_points_for_content(content, user)
    elif not was_visible and status == ContentStatus.VISIBLE:
        points.restore_points_for_content(content, user)
    is_post = isinstance(content, Post)
    log_action(
        found.community,
        user,
        ACTION_FOR_STATUS[status],
        post_id=content.pk if is_post else None,
        reply_id=None if is_post else content.pk,
        target_user_id=content.author_id,
    )
    reports = Report.objects.filter(status=Report.Status.OPEN)
    if isinstance(content, Post):
        reports = reports.filter(post=content, reply=None)
    else:
        reports = reports.filter(reply=content)
    reports.update(status=Report.Status.RESOLVED, resolved_by=user, resolved_at=timezone.now())


def moderate(
    user: User | AnonymousUser,
    *,
    action: str,
    post_id: int | None = None,
    reply_id: int | None = None,
) -> None:
    """hide, restore or remove a post or reply; resolves its open reports; logged."""
    if action not in STATUS_FOR_ACTION:
        raise ValidationError({"action": [_("Choose hide, restore or remove.")]})
    status = STATUS_FOR_ACTION[action]
    if post_id is not None:
        post = Post.objects.select_related("community").filter(pk=post_id).first()
        if post is None:
            raise Http404
        moderator, found = _moderator_of(user, post.community)
        with transaction.atomic():
            set_status(moderator, found, post, status)
            if status == ContentStatus.VISIBLE:
                indexing.index_post(post)
            else:
                indexing.remove_post(post)
    elif reply_id is not None:
        reply = Reply.objects.select_related("post", "post__community").filter(pk=reply_id).first()
        if reply is None:
            raise Http404
        moderator, found = _moderator_of(user, reply.post.community)
        with transaction.atomic():
            set_status(moderator, found, reply, status)
            if status == ContentStatus.VISIBLE:
                indexing.index_reply(reply, reply.post)
            else:
                indexing.remove_reply(reply)
            recount_replies(reply.post_id)
    else:
        raise ValidationError({"target": [_("Moderate a post or a reply.")]})


def _moderator_of(user: User | AnonymousUser, community: Community) -> tuple[User, CommunityAccess]:
    """Moderators act on reported content even where they could not read it otherwise
    (operators in private communities); others learn nothing about unreadable communities."""
    found = access.access_to(user, community)
    if not found.can_moderate:
        if access.can_read(user, community, found.membership):
            raise PermissionDenied(_("Only moderators can do this."))
        raise Http404
    return access.signed_in_member(user), found


def dismiss_report(user: User | AnonymousUser, report_id: int) -> Report:
    report = Report.objects.select_related("community").filter(pk=report_id).first()
    if report is None:
        raise Http404
    moderator, _found = _moderator_of(user, report.community)
    report.status = Report.Status.RESOLVED
    report.resolved_by = moderator
    report.resolved_at = timezone.now()
    report.save()
    log_action(
        report.community,
        moderator,
        Action.DISMISS,
        post_id=report.post_id,
        reply_id=report.reply_id,
    )
    return report


def audit_log(user: User | AnonymousUser, slug: str) -> QuerySet[ModerationAction]:
    found = require_moderator(user, slug)
    return ModerationAction.objects.filter(community=found.community).select_related(
        "actor", "target_user"
    )
