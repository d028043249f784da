"""What communities tell their members, registered with the notifications app, and the new
posts the e-mail digest sums up."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from seedbed.accounts.models import User
from seedbed.communities.access import readable_communities
from seedbed.communities.models import ContentStatus
from seedbed.communities.services.reading import post_queryset
from seedbed.core.pages import absolute_url
from seedbed.notifications.models import Notification
from seedbed.notifications.registry import register, register_digest_section

DIGEST_POSTS = 10


def _in_readable_community(user: User) -> Q:
    return Q(community__in=readable_communities(user))


def _readable_post(user: User) -> Q:
    """The post is in a community the reader may read and neither it nor the reply was taken
    down."""
    gone = [ContentStatus.HIDDEN, ContentStatus.REMOVED]
    return _in_readable_community(user) & ~Q(post__status__in=gone) & ~Q(reply__status__in=gone)


def _post(n: Notification) -> dict[str, str]:
    assert n.post is not None
    return {"post": n.post.title}


def _post_link(n: Notification) -> str:
    anchor = f"#reply-{n.reply_id}" if n.reply_id else ""
    return reverse("communities:post", args=[n.post_id]) + anchor


def _community(n: Notification) -> dict[str, str]:
    assert n.community is not None
    return {"community": n.community.name}


def _community_link(n: Notification) -> str:
    assert n.community is not None
    return reverse("communities:detail", args=[n.community.slug])


def _requests_link(n: Notification) -> str:
    assert n.community is not None
    return reverse("communities:requests", args=[n.community.slug])


MENTION = register(
    "mention",
    _("%(actor)s mentioned you in “%(post)s”."),
    names=_post,
    link=_post_link,
    related=("post",),
    visible=_readable_post,
)
REPLY = register(
    "reply",
    _("%(actor)s replied to your post “%(post)s”."),
    names=_post,
    link=_post_link,
    related=("post",),
    visible=_readable_post,
)
JOIN_REQUEST = register(
    "join_request",
    _("%(actor)s asked to join %(community)s."),
    names=_community,
    link=_requests_link,
    related=("community",),
    visible=_in_readable_community,
)
REQUEST_APPROVED = register(
    "request_approved",
    _("%(actor)s approved your request to join %(community)s."),
    names=_community,
    link=_community_link,
    related=("community",),
    visible=_in_readable_community,
)
# The invitee cannot read a hidden community yet, and the notification does not carry the
# invitation's token: it names the community and links nowhere.
INVITATION = register(
    "invitation",
    _("%(actor)s invited you to join %(community)s."),
    names=_community,
    link=lambda n: "",
    related=("community",),
)


def _new_posts(user: User, since: datetime) -> dict[str, Any] | None:
    """The liveliest new posts in the member's communities."""
    posts = list(
        post_queryset()
        .filter(
            status=ContentStatus.VISIBLE,
            created_at__gte=since,
            community__in=readable_communities(user).filter(memberships__user=user),
        )
        .order_by("-hot")[:DIGEST_POSTS]
    )
    if not posts:
        return None
    return {"posts": [(p, absolute_url(reverse("communities:post", args=[p.pk]))) for p in posts]}


register_digest_section("communities/email/digest_posts.txt", _new_posts)
