"""Writing: posts, replies, reactions and the mentions in them; marking a reply helpful,
moving a post. Points follow the writing: a reaction earns its author points, deleting takes
them back (see :mod:`seedbed.engagement.services`), and new members' limits apply here (see
:mod:`seedbed.engagement.trust`)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from seedbed.accounts.models import User
from seedbed.communities import access, indexing
from seedbed.communities import notifications as kinds
from seedbed.communities.access import CommunityAccess
from seedbed.communities.models import (
    Community,
    ContentStatus,
    ModerationAction,
    Post,
    Reaction,
    ReactionKind,
    Reply,
    Report,
    Visibility,
    hot_score,
)
from seedbed.communities.services.counts import add_reactions, add_reply, recount_replies
from seedbed.communities.services.moderation import log_action, set_status
from seedbed.communities.services.reading import get_community, get_post, get_reply
from seedbed.core import ratelimit
from seedbed.core.markdown import extract_mentions, render_with_mentions
from seedbed.core.models import normalise_tag
from seedbed.core.services import clean_text, tags_named
from seedbed.core.tasks import enqueue_once_after_commit
from seedbed.core.text import single_line
from seedbed.engagement import services as points
from seedbed.engagement.models import Action as PointAction
from seedbed.engagement.models import HelpfulMark
from seedbed.engagement.trust import NEW_MEMBER_POSTS_PER_DAY
from seedbed.insights.tasks_analysis import score_sentiment
from seedbed.notifications.models import Notification
from seedbed.notifications.services import notify

MAX_POST_TAGS = 5
MAX_TITLE = 200
MAX_BODY = 20_000
MAX_MENTIONS = 50


def _check_rate(user: User, token_id: int | None, found: CommunityAccess) -> None:
    limits = settings.POSTING_RATE_LIMITS
    ratelimit.hit(f"post:user:{user.pk}", limits)
    if token_id is not None:
        ratelimit.hit(f"post:token:{token_id}", limits)
    if found.is_restricted:
        ratelimit.hit(f"post:new:{user.pk}", [(NEW_MEMBER_POSTS_PER_DAY, 86_400)])


_OUTSIDE_LINK = re.compile(r'<a href="(?:https?:|mailto:|//)[^"]*"[^>]*>(.*?)</a>', re.S)


def _without_outside_links(html: str) -> str:
    """A new member's links as plain text (their words stay; links to the site's own pages,
    such as mentions, stay links): spam is what new accounts post most."""
    return _OUTSIDE_LINK.sub(r"\1", html)


def _clean_post_tags(tags: Iterable[str] | None) -> list[str]:
    names = list(dict.fromkeys(n for n in map(normalise_tag, tags or []) if n))
    if len(names) > MAX_POST_TAGS:
        raise ValidationError({"tags": [_("At most %(n)d tags.") % {"n": MAX_POST_TAGS}]})
    if any(len(n) > 40 for n in names):
        raise ValidationError({"tags": [_("A tag can be at most %(n)d characters.") % {"n": 40}]})
    return names


def _poster(user: User | AnonymousUser, found: CommunityAccess) -> User:
    author = access.signed_in_member(user)
    if not found.can_post:
        raise PermissionDenied(
            _("This community is archived.")
            if found.is_archived
            else _("Join the community to post.")
        )
    return author


def _editor(user: User | AnonymousUser, found: CommunityAccess, content: Post | Reply) -> User:
    editor = access.signed_in_member(user)
    if not found.can_edit(content):
        raise PermissionDenied(
            _("This community is archived.")
            if found.is_archived
            else _("Only the author or a moderator can do this.")
        )
    return editor


# Mentions --------------------------------------------------------------------------------------


class _Mentionable:
    """Whom ``@name`` in a community's text can mean: a member by handle (any case), or by a
    display name that only one member of the community has. In a public community anyone
    can be mentioned by handle; in a private or hidden one only its members, so a mention
    never tells an outsider about it."""

    def __init__(self, text: str, community: Community) -> None:
        words = extract_mentions(text)[:MAX_MENTIONS]
        self.handles: dict[str, User] = {}
        self.names: dict[str, User] = {}
        if not words:
            return
        people = User.objects.filter(is_active=True)
        members = people.filter(memberships__community=community)
        by_handle = people if community.visibility == Visibility.PUBLIC else members
        self.handles = {
            u.handle: u for u in by_handle.filter(handle__in={w.lower() for w in words})
        }
        starts = reduce(or_, (Q(display_name__startswith=f"{w} ") for w in words))
        named = list(members.filter(starts | Q(display_name__in=words)))
        taken = Counter(u.display_name for u in named)
        self.names = {u.display_name: u for u in named if taken[u.display_name] == 1}

    def person(self, name: str) -> User | None:
        return self.handles.get(name.lower()) or self.names.get(name)

    def profile_url(self, name: str) -> str | None:
        person = self.person(name)
        return reverse("accounts:profile", args=[person.pk]) if person else None


def _render(text: str, found: CommunityAccess) -> tuple[str, list[User]]:
    """The HTML of a post or reply body, and the members its mentions link to: one resolver
    decides both, so whoever is told about a mention is exactly whoever it links."""
    mentionable = _Mentionable(text, found.community)
    html, linked = render_with_mentions(
        text, mentionable.profile_url, mention_names=mentionable.names.keys()
    )
    if found.is_restricted:
        html = _without_outside_links(html)
    people = [mentionable.person(name) for name in linked]
    return html, list({u.pk: u for u in people if u is not None}.values())


def _tell_mentioned(
    mentioned: list[User], author: User, post: Post, reply: Reply | None = None
) -> set[int]:
    """Notify the mentioned members not yet told about this post or reply (an edit tells only
    those it adds); returns everyone mentioned."""
    ids = {u.pk for u in mentioned}
    told = set(
        Notification.objects.filter(
            kind=kinds.MENTION, post=post, reply=reply, recipient_id__in=ids
        ).values_list("recipient_id", flat=True)
    )
    notify(
        ids - told,
        kinds.MENTION,
        actor=author,
        community=post.community,
        post=post,
        reply=reply,
    )
    return ids


# Posts -----------------------------------------------------------------------------------------


def create_post(
    user: User | AnonymousUser,
    slug: str,
    *,
    title: str,
    body: str,
    tags: Iterable[str] = (),
    token_id: int | None = None,
) -> Post:
    found = get_community(user, slug)
    author = _poster(user, found)
    title = single_line(clean_text("title", title, required=True, limit=MAX_TITLE))
    if not title:
        raise ValidationError({"title": [_("This cannot be empty.")]})
    body = clean_text("body", body, required=True, limit=MAX_BODY)
    tag_names = _clean_post_tags(tags)
    _check_rate(author, token_id, found)
    now = timezone.now()
    with transaction.atomic():
        html, mentioned = _render(body, found)
        post = Post.objects.create(
            community=found.community,
            author=author,
            title=title,
            body=body,
            body_html=html,
            created_at=now,
            last_activity_at=now,
            hot=hot_score(now, 0, 0),
        )
        post.tags.set(tags_named(tag_names))
        _tell_mentioned(mentioned, author, post)
        indexing.index_post(post)
        enqueue_once_after_commit(score_sentiment)
    return post


def edit_post(
    user: User | AnonymousUser,
    post_id: int,
    *,
    title: str | None = None,
    body: str | None = None,
    tags: Iterable[str] | None = None,
) -> Post:
    post, found = get_post(user, post_id)
    editor = _editor(user, found, post)
    if title is not None:
        post.title = single_line(clean_text("title", title, required=True, limit=MAX_TITLE))
        if not post.title:
            raise ValidationError({"title": [_("This cannot be empty.")]})
    mentioned: list[User] = []
    if body is not None:
        post.body = clean_text("body", body, required=True, limit=MAX_BODY)
        post.body_html, mentioned = _render(post.body, found)
    tag_names = _clean_post_tags(tags) if tags is not None else None
    with transaction.atomic():
        post.edited_at = timezone.now()
        post.save(update_fields=["title", "body", "body_html", "edited_at"])
        if tag_names is not None:
            post.tags.set(tags_named(tag_names))
        _tell_mentioned(mentioned, editor, post)
        indexing.index_post(post)
        enqueue_once_after_commit(score_sentiment)
    return post


def delete_post(user: User | AnonymousUser, post_id: int) -> None:
    """The author deletes for good; a moderator removes (kept for the audit log)."""
    post, found = get_post(user, post_id)
    editor = _editor(user, found, post)
    with transaction.atomic():
        indexing.remove_post(post)
        points.reverse_points_for_content(post, editor, with_replies=True)
        if found.wrote(post):
            post.delete()
        else:
            set_status(editor, found, post, ContentStatus.REMOVED)


def set_pinned(user: User | AnonymousUser, post_id: int, pinned: bool) -> Post:
    post, found = get_post(user, post_id)
    if not found.can_pin:
        raise PermissionDenied(_("Only moderators can pin posts."))
    post.pinned = pinned
    post.save(update_fields=["pinned"])
    action = ModerationAction.Action.PIN if pinned else ModerationAction.Action.UNPIN
    log_action(found.community, access.signed_in_member(user), action, post_id=post.pk)
    return post


# Replies ---------------------------------------------------------------------------------------


def create_reply(
    user: User | AnonymousUser, post_id: int, *, body: str, token_id: int | None = None
) -> Reply:
    post, found = get_post(user, post_id)
    author = _poster(user, found)
    if post.status != ContentStatus.VISIBLE:
        raise PermissionDenied(_("This post is hidden."))
    body = clean_text("body", body, required=True, limit=MAX_BODY)
    _check_rate(author, token_id, found)
    now = timezone.now()
    with transaction.atomic():
        html, mentioned = _render(body, found)
        reply = Reply.objects.create(
            post=post, author=author, body=body, body_html=html, created_at=now
        )
        add_reply(post.pk, now)
        told = _tell_mentioned(mentioned, author, post, reply)
        if post.author_id not in told:
            notify(
                [post.author_id],
                kinds.REPLY,
                actor=author,
                community=found.community,
                post=post,
                reply=reply,
            )
        indexing.index_reply(reply, post)
        enqueue_once_after_commit(score_sentiment)
    return reply


def edit_reply(user: User | AnonymousUser, reply_id: int, *, body: str) -> Reply:
    reply, found = get_reply(user, reply_id)
    editor = _editor(user, found, reply)
    reply.body = clean_text("body", body, required=True, limit=MAX_BODY)
    reply.body_html, mentioned = _render(reply.body, found)
    reply.edited_at = timezone.now()
    with transaction.atomic():
        reply.save(update_fields=["body", "body_html", "edited_at"])
        _tell_mentioned(mentioned, editor, reply.post, reply)
        indexing.index_reply(reply, reply.post)
        enqueue_once_after_commit(score_sentiment)
    return reply


def delete_reply(user: User | AnonymousUser, reply_id: int) -> None:
    reply, found = get_reply(user, reply_id)
    editor = _editor(user, found, reply)
    with transaction.atomic():
        indexing.remove_reply(reply)
        points.reverse_points_for_content(reply, editor)
        if found.wrote(reply):
            reply.delete()
        else:
            set_status(editor, found, reply, ContentStatus.REMOVED)
        recount_replies(reply.post_id)


# Reactions -------------------------------------------------------------------------------------


def toggle_reaction(
    user: User | AnonymousUser,
    *,
    kind: str,
    post_id: int | None = None,
    reply_id: int | None = None,
) -> bool:
    """Add the reaction, or take it back if it is there. Returns whether it is now on.

    The stored counter moves only by the rows this request really inserted or deleted, in
    the database: when two requests toggle at the same moment, each counts what it did."""
    if kind not in ReactionKind.values:
        raise ValidationError({"kind": [_("Unknown reaction.")]})
    target: dict[str, Any]
    content: Post | Reply
    if post_id is not None:
        content, found = get_post(user, post_id)
        target = {"post": content, "reply": None}
    elif reply_id is not None:
        content, found = get_reply(user, reply_id)
        target = {"reply": content, "post": None}
    else:
        raise ValidationError({"target": [_("React to a post or a reply.")]})
    member = _poster(user, found)
    with transaction.atomic():
        deleted, _rows = Reaction.objects.filter(user=member, kind=kind, **target).delete()
        delta = -deleted
        if not deleted:
            try:
                with transaction.atomic():
                    Reaction.objects.create(user=member, kind=kind, **target)
                delta = 1
            except IntegrityError:
                pass
        add_reactions(delta, post_id=post_id, reply_id=reply_id)
        if delta > 0 and content.status == ContentStatus.VISIBLE:
            points.award(
                content.author_id,
                PointAction.REACTION,
                content,
                counterpart=member,
                community_id=found.community.pk,
            )
    return not deleted


# Helpful replies and moving posts --------------------------------------------------------------


def mark_helpful(user: User | AnonymousUser, reply_id: int) -> HelpfulMark:
    """The asker (the post's author) marks a reply helpful; its author earns points once."""
    reply, found = get_reply(user, reply_id)
    asker = _poster(user, found)
    if reply.post.author_id != asker.pk:
        raise PermissionDenied(_("Only the person who asked can mark a reply helpful."))
    if reply.author_id == asker.pk:
        raise PermissionDenied(_("You cannot mark your own reply helpful."))
    if reply.status != ContentStatus.VISIBLE:
        raise PermissionDenied(_("This reply is hidden."))
    with transaction.atomic():
        mark, _created = HelpfulMark.objects.get_or_create(
            reply=reply, defaults={"post": reply.post, "marked_by": asker}
        )
        points.award(
            reply.author_id,
            PointAction.HELPFUL,
            reply,
            counterpart=asker,
            community_id=found.community.pk,
        )
    return mark


def move_post(user: User | AnonymousUser, post_id: int, to_slug: str) -> Post:
    """Moderators and leaders move a post, with its replies, to another community they may
    post in; its open reports follow it. Logged in both communities."""
    post, found = get_post(user, post_id)
    mover = access.signed_in_member(user)
    if not found.can_pin:
        raise PermissionDenied(_("Only moderators and leaders can move posts."))
    target = get_community(user, to_slug)
    if target.community.pk == post.community_id:
        raise ValidationError({"community": [_("The post is already in this community.")]})
    if not target.can_post:
        raise PermissionDenied(_("Move posts only to communities you belong to and may post in."))
    source = found.community
    with transaction.atomic():
        post.community = target.community
        post.save(update_fields=["community"])
        Report.objects.filter(post=post).update(community=target.community)
        note = f"{source.slug} → {target.community.slug}"
        for community in (source, target.community):
            log_action(community, mover, ModerationAction.Action.MOVE, post_id=post.pk, note=note)
        indexing.index_post(post)
        for reply in post.replies.all():
            indexing.index_reply(reply, post)
    return post
