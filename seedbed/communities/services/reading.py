"""Reading communities: the directory, a community with what the reader may do there, its
posts, replies, reactions and members, search, and the home feed."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from seedbed.accounts.services import members_visible_to
from seedbed.communities import access
from seedbed.communities.access import CommunityAccess, Someone
from seedbed.communities.models import (
    Community,
    ContentStatus,
    Membership,
    Post,
    Reaction,
    Reply,
    Role,
    Visibility,
)
from seedbed.core.models import normalise_tag

ReactionKey = tuple[str, int]


def get_community(user: Someone, slug: str) -> CommunityAccess:
    """The community and what this user may do in it, or Http404 when it is missing or not
    readable by this user."""
    community = (
        Community.objects.select_related("sector").prefetch_related("tags").filter(slug=slug)
    ).first()
    if community is None:
        raise Http404
    found = access.access_to(user, community)
    if not access.can_read(user, community, found.membership):
        raise Http404
    return found


def require_moderator(user: Someone, slug: str) -> CommunityAccess:
    """The community for one of its moderators; PermissionDenied for other readers."""
    found = get_community(user, slug)
    if not found.can_moderate:
        raise PermissionDenied(_("Only moderators can do this."))
    return found


def get_listed_community(user: Someone, slug: str) -> Community:
    """A community this user may know exists (to ask to join a private one)."""
    community = access.listed_communities(user).filter(slug=slug).first()
    if community is None:
        raise Http404
    return community


def community_directory(user: Someone, *, q: str = "", sector: str = "") -> QuerySet[Community]:
    """Listed communities, biggest first, each with `is_member` and `visible_member_count`
    (the member count, or None for a private community the user is not in: counts are part of
    what private hides). A visitor's count leaves out members-only profiles, as the member
    list does."""
    communities = access.listed_communities(user).select_related("sector")
    if q:
        communities = communities.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if sector:
        communities = communities.filter(sector__slug=sector)
    is_member: Exists | Value = Value(False)
    if user is not None and user.is_authenticated:
        is_member = Exists(Membership.objects.filter(community=OuterRef("pk"), user=user))
    count = Count(
        "memberships",
        filter=Q(memberships__user__in=members_visible_to(user).values("pk")),
        distinct=True,
    )
    return communities.annotate(
        is_member=is_member,
        member_count=count,
        visible_member_count=Case(
            When(Q(visibility=Visibility.PUBLIC) | Q(is_member=True), then=count),
            default=None,
        ),
    ).order_by(F("visible_member_count").desc(nulls_last=True), "name")


def post_queryset() -> QuerySet[Post]:
    return Post.objects.select_related("author", "community").prefetch_related("tags")


def community_posts(found: CommunityAccess, *, order: str = "new", tag: str = "") -> QuerySet[Post]:
    """Pinned posts first, then newest (or hottest)."""
    posts = post_queryset().filter(community=found.community, status=ContentStatus.VISIBLE)
    if tag:
        posts = posts.filter(tags__name=normalise_tag(tag))
    second = "-hot" if order == "hot" else "-created_at"
    return posts.order_by("-pinned", second, "-id")


def get_post(user: Someone, post_id: int) -> tuple[Post, CommunityAccess]:
    """The post and what this user may do in its community; hidden posts only for moderators."""
    post = post_queryset().filter(pk=post_id).first()
    if post is None or post.status == ContentStatus.REMOVED:
        raise Http404
    found = access.access_to(user, post.community)
    if not access.can_read(user, post.community, found.membership):
        raise Http404
    if post.status == ContentStatus.HIDDEN and not found.can_moderate:
        raise Http404
    return post, found


def post_replies(post: Post, found: CommunityAccess) -> QuerySet[Reply]:
    replies = Reply.objects.filter(post=post).select_related("author")
    statuses = [ContentStatus.VISIBLE] + ([ContentStatus.HIDDEN] if found.can_moderate else [])
    return replies.filter(status__in=statuses).order_by("created_at", "id")


def get_reply(user: Someone, reply_id: int) -> tuple[Reply, CommunityAccess]:
    reply = (
        Reply.objects.select_related("post", "post__community", "author")
        .filter(pk=reply_id)
        .first()
    )
    if reply is None or reply.status == ContentStatus.REMOVED:
        raise Http404
    _post, found = get_post(user, reply.post_id)
    if reply.status == ContentStatus.HIDDEN and not found.can_moderate:
        raise Http404
    return reply, found


def _reaction_key(post_id: int | None, reply_id: int | None) -> ReactionKey:
    return ("post", post_id) if post_id else ("reply", reply_id or 0)


def reactions_by(
    user: Someone, posts: list[Post] | None = None, replies: list[Reply] | None = None
) -> dict[ReactionKey, set[str]]:
    """The reaction kinds this user left, keyed by ("post", id) / ("reply", id)."""
    if not (user and user.is_authenticated):
        return {}
    rows = Reaction.objects.filter(user=user).filter(
        Q(post__in=posts or []) | Q(reply__in=replies or [])
    )
    mine: dict[ReactionKey, set[str]] = {}
    for r in rows:
        mine.setdefault(_reaction_key(r.post_id, r.reply_id), set()).add(r.kind)
    return mine


def reaction_counts(
    posts: list[Post] | None = None, replies: list[Reply] | None = None
) -> dict[ReactionKey, dict[str, int]]:
    rows = (
        Reaction.objects.filter(Q(post__in=posts or []) | Q(reply__in=replies or []))
        .values("post_id", "reply_id", "kind")
        .annotate(n=Count("id"))
    )
    counts: dict[ReactionKey, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(_reaction_key(row["post_id"], row["reply_id"]), {})[row["kind"]] = row[
            "n"
        ]
    return counts


ROLE_ORDER = Case(
    When(role=Role.OWNER, then=Value(0)), When(role=Role.MODERATOR, then=Value(1)), default=Value(2)
)


def community_members(found: CommunityAccess) -> QuerySet[Membership]:
    """The members whose profiles the reader may see (the member directory's rule: visitors
    see public profiles only), so a members-only profile is neither listed nor counted."""
    return (
        Membership.objects.filter(
            community=found.community, user__in=members_visible_to(found.user).values("pk")
        )
        .select_related("user")
        .order_by(ROLE_ORDER, "user__display_name", "user_id")
    )


# Feed ------------------------------------------------------------------------------------------

FEED_PAGE = 20


def _encode_cursor(post: Post) -> str:
    raw = f"{post.created_at.isoformat()}|{post.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|")
        return datetime.fromisoformat(stamp), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationError({"cursor": [_("This page link is not valid.")]}) from None


def home_feed(user: Someone, cursor: str = "", limit: int = FEED_PAGE) -> tuple[list[Post], str]:
    """Posts from the member's communities, newest first; returns the page and the cursor
    of the next page ("" at the end). A cursor, unlike a page number, never skips or repeats
    a post when new ones arrive."""
    posts = post_queryset().filter(
        status=ContentStatus.VISIBLE,
        community__in=access.readable_communities(user).filter(
            memberships__user=access.signed_in_member(user)
        ),
    )
    if cursor:
        stamp, pk = _decode_cursor(cursor)
        posts = posts.filter(Q(created_at__lt=stamp) | Q(created_at=stamp, pk__lt=pk))
    page = list(posts.order_by("-created_at", "-id")[: limit + 1])
    next_cursor = _encode_cursor(page[limit - 1]) if len(page) > limit else ""
    return page[:limit], next_cursor
