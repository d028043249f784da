"""Every rule and every write about communities, memberships, posts, replies, reactions,
moderation and notifications. Views and API handlers parse, call one function, render.

Conventions: something the caller may not see raises Http404 (exactly like a missing object);
something visible that the caller may not do raises PermissionDenied; bad input raises
ValidationError naming the field; too many posts raises RateLimited.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from seedbed.accounts.models import User
from seedbed.communities import access, indexing
from seedbed.communities.models import (
    COLOURS,
    Ban,
    Community,
    ContentStatus,
    DigestFrequency,
    Invitation,
    JoinRequest,
    Membership,
    ModerationAction,
    Notification,
    NotificationSettings,
    Post,
    Reaction,
    ReactionKind,
    Reply,
    Report,
    Role,
    Visibility,
    hot_score,
)
from seedbed.core import ratelimit
from seedbed.core.markdown import extract_mentions, render_markdown
from seedbed.core.models import Sector, normalise_tag
from seedbed.core.services import clean_text, tags_named
from seedbed.search import services as search_index

MAX_POST_TAGS = 5
MAX_TITLE = 200
MAX_BODY = 20_000
INVITATION_DAYS = 14
Action = ModerationAction.Action


# Reading ---------------------------------------------------------------------------------------


@dataclass
class CommunityView:
    community: Community
    membership: Membership | None
    can_moderate: bool

    @property
    def is_member(self) -> bool:
        return self.membership is not None

    @property
    def is_owner(self) -> bool:
        return access.is_owner(self.membership)


def get_community(user, slug: str) -> CommunityView:
    """The community for reading, or Http404 when missing or not readable by this user."""
    community = (
        Community.objects.select_related("sector").prefetch_related("tags").filter(slug=slug)
    ).first()
    if community is None:
        raise Http404
    membership = access.membership_of(user, community)
    if not access.can_read(user, community, membership):
        raise Http404
    return CommunityView(community, membership, access.can_moderate(user, membership))


def get_listed_community(user, slug: str) -> Community:
    """A community this user may know exists (to ask to join a private one)."""
    community = access.listed_communities(user).filter(slug=slug).first()
    if community is None:
        raise Http404
    return community


def community_directory(user, *, q: str = "", sector: str = "") -> QuerySet[Community]:
    """Listed communities, biggest first, each with `is_member` and `visible_member_count`
    (the member count, or None for a private community the user is not in: counts are part of
    what private hides)."""
    communities = access.listed_communities(user).select_related("sector")
    if q:
        communities = communities.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if sector:
        communities = communities.filter(sector__slug=sector)
    if user and user.is_authenticated:
        is_member = Exists(Membership.objects.filter(community=OuterRef("pk"), user=user))
    else:
        is_member = Value(False)
    count = Count("memberships", distinct=True)
    return communities.annotate(
        is_member=is_member,
        member_count=count,
        visible_member_count=Case(
            When(Q(visibility=Visibility.PUBLIC) | Q(is_member=True), then=count),
            default=None,
        ),
    ).order_by(F("visible_member_count").desc(nulls_last=True), "name")


def _post_queryset() -> QuerySet[Post]:
    return Post.objects.select_related("author", "community").prefetch_related("tags")


def community_posts(view: CommunityView, *, order: str = "new", tag: str = "") -> QuerySet[Post]:
    """Pinned posts first, then newest (or hottest)."""
    posts = _post_queryset().filter(community=view.community, status=ContentStatus.VISIBLE)
    if tag:
        posts = posts.filter(tags__name=normalise_tag(tag))
    second = "-hot" if order == "hot" else "-created_at"
    return posts.order_by("-pinned", second, "-id")


def get_post(user, post_id: int) -> tuple[Post, CommunityView]:
    post = _post_queryset().filter(pk=post_id).first()
    if post is None or post.status == ContentStatus.REMOVED:
        raise Http404
    membership = access.membership_of(user, post.community)
    if not access.can_read(user, post.community, membership):
        raise Http404
    can_moderate = access.can_moderate(user, membership)
    if post.status == ContentStatus.HIDDEN and not can_moderate:
        raise Http404
    return post, CommunityView(post.community, membership, can_moderate)


def post_replies(post: Post, view: CommunityView) -> QuerySet[Reply]:
    replies = Reply.objects.filter(post=post).select_related("author")
    statuses = [ContentStatus.VISIBLE] + ([ContentStatus.HIDDEN] if view.can_moderate else [])
    return replies.filter(status__in=statuses).order_by("created_at", "id")


def get_reply(user, reply_id: int) -> tuple[Reply, CommunityView]:
    reply = (
        Reply.objects.select_related("post", "post__community", "author")
        .filter(pk=reply_id)
        .first()
    )
    if reply is None or reply.status == ContentStatus.REMOVED:
        raise Http404
    _post, view = get_post(user, reply.post_id)
    if reply.status == ContentStatus.HIDDEN and not view.can_moderate:
        raise Http404
    return reply, view


def reactions_by(user, posts: list[Post] | None = None, replies: list[Reply] | None = None):
    """The reaction kinds this user left, keyed by ("post", id) / ("reply", id)."""
    if not (user and user.is_authenticated):
        return {}
    rows = Reaction.objects.filter(user=user).filter(
        Q(post__in=posts or []) | Q(reply__in=replies or [])
    )
    mine: dict[tuple[str, int], set[str]] = {}
    for r in rows:
        key = ("post", r.post_id) if r.post_id else ("reply", r.reply_id)
        mine.setdefault(key, set()).add(r.kind)
    return mine


def reaction_counts(posts: list[Post] | None = None, replies: list[Reply] | None = None):
    rows = (
        Reaction.objects.filter(Q(post__in=posts or []) | Q(reply__in=replies or []))
        .values("post_id", "reply_id", "kind")
        .annotate(n=Count("id"))
    )
    counts: dict[tuple[str, int], dict[str, int]] = {}
    for row in rows:
        key = ("post", row["post_id"]) if row["post_id"] else ("reply", row["reply_id"])
        counts.setdefault(key, {})[row["kind"]] = row["n"]
    return counts


ROLE_ORDER = Case(
    When(role=Role.OWNER, then=Value(0)), When(role=Role.MODERATOR, then=Value(1)), default=Value(2)
)


def community_members(view: CommunityView) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(community=view.community, user__is_active=True)
        .select_related("user")
        .order_by(ROLE_ORDER, "user__display_name", "user_id")
    )


# Search ----------------------------------------------------------------------------------------

SEARCH_KINDS = ("community", "post", "reply")
SEARCH_PAGE = 20


def search_content(user, query: str, *, kind: str = "", page: int = 1) -> search_index.SearchPage:
    """Communities, posts and replies matching `query` that this user may read: public
    content, and content of communities the user belongs to."""
    kinds = [kind] if kind in SEARCH_KINDS else None
    page = max(1, min(page, 50))
    return search_index.search(
        query[:200],
        member_community_ids=access.member_community_ids(user),
        kinds=kinds,
        limit=SEARCH_PAGE,
        offset=(page - 1) * SEARCH_PAGE,
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


def home_feed(user, cursor: str = "", limit: int = FEED_PAGE) -> tuple[list[Post], str]:
    """Posts from the member's communities, newest first; returns the page and the cursor
    of the next page ("" at the end). A cursor, unlike a page number, never skips or repeats
    a post when new ones arrive."""
    posts = _post_queryset().filter(
        status=ContentStatus.VISIBLE,
        community__in=access.readable_communities(user).filter(memberships__user=user),
    )
    if cursor:
        stamp, pk = _decode_cursor(cursor)
        posts = posts.filter(Q(created_at__lt=stamp) | Q(created_at=stamp, pk__lt=pk))
    page = list(posts.order_by("-created_at", "-id")[: limit + 1])
    next_cursor = _encode_cursor(page[limit - 1]) if len(page) > limit else ""
    return page[:limit], next_cursor


# Communities -----------------------------------------------------------------------------------


def _check_can_create(user) -> None:
    if settings.COMMUNITY_CREATION == "operators" and not user.is_staff:
        raise PermissionDenied(_("Only operators can create communities here."))


def _clean_community(fields: dict, instance: Community | None = None) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = dict(fields)
    if "name" in fields:
        cleaned["name"] = (fields["name"] or "").strip()
        if not cleaned["name"]:
            errors["name"] = [_("Give the community a name.")]
        elif len(cleaned["name"]) > 80:
            errors["name"] = [_("A name can be at most 80 characters.")]
    if "description" in fields:
        cleaned["description"] = (fields["description"] or "").strip()
        if len(cleaned["description"]) > 5000:
            errors["description"] = [_("A description can be at most 5,000 characters.")]
    if "visibility" in fields and fields["visibility"] not in Visibility.values:
        errors["visibility"] = [_("Choose public, private or hidden.")]
    if fields.get("sector"):
        sector = Sector.objects.filter(slug=fields["sector"]).first()
        if sector is None:
            errors["sector"] = [_("Unknown sector: %(v)s") % {"v": fields["sector"]}]
        cleaned["sector"] = sector
    elif "sector" in fields:
        cleaned["sector"] = None
    if "colour" in fields and fields["colour"] and fields["colour"] not in COLOURS:
        errors["colour"] = [_("Choose one of the offered colours.")]
    if "tags" in fields:
        names = list(dict.fromkeys(n for n in map(normalise_tag, fields["tags"] or []) if n))
        if len(names) > MAX_POST_TAGS:
            errors["tags"] = [_("At most %(n)d tags.") % {"n": MAX_POST_TAGS}]
        cleaned["tags"] = names
    if errors:
        raise ValidationError(errors)
    return cleaned


def _free_slug(name: str) -> str:
    base = slugify(name)[:50] or "community"
    slug, n = base, 2
    while Community.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_community(user, **fields) -> Community:
    _check_can_create(user)
    fields.setdefault("name", "")
    cleaned = _clean_community(fields)
    tags = cleaned.pop("tags", [])
    requested_slug = slugify(cleaned.pop("slug", "") or "")
    with transaction.atomic():
        if requested_slug and Community.objects.filter(slug=requested_slug).exists():
            raise ValidationError({"slug": [_("This address is taken.")]})
        community = Community.objects.create(
            slug=requested_slug or _free_slug(cleaned["name"]),
            created_by=user,
            description_html=render_markdown(cleaned.get("description", "")),
            colour=cleaned.pop("colour", "") or COLOURS[Community.objects.count() % len(COLOURS)],
            **cleaned,
        )
        community.tags.set(tags_named(tags))
        Membership.objects.create(community=community, user=user, role=Role.OWNER)
        indexing.index_community(community)
    return community


def community_for_editing(user, slug: str) -> CommunityView:
    view = get_community(user, slug)
    if not (view.is_owner or user.is_staff):
        raise PermissionDenied(_("Only owners can edit the community."))
    return view


def update_community(user, slug: str, **fields) -> Community:
    view = community_for_editing(user, slug)
    cleaned = _clean_community(fields, view.community)
    community = view.community
    tags = cleaned.pop("tags", None)
    cleaned.pop("slug", None)
    with transaction.atomic():
        for name, value in cleaned.items():
            setattr(community, name, value)
        community.description_html = render_markdown(community.description)
        community.save()
        if tags is not None:
            community.tags.set(tags_named(tags))
        indexing.index_community(community, with_content=True)
    return community


def archive_community(user, slug: str) -> Community:
    view = get_community(user, slug)
    if not (view.is_owner or user.is_staff):
        raise PermissionDenied(_("Only owners can archive the community."))
    with transaction.atomic():
        view.community.archived_at = timezone.now()
        view.community.save(update_fields=["archived_at"])
        _log(view.community, user, Action.ARCHIVE)
        indexing.remove_community(view.community)
    return view.community


# Membership ------------------------------------------------------------------------------------


def _check_not_banned(user, community: Community) -> None:
    if Ban.objects.filter(community=community, user=user).exists():
        raise PermissionDenied(_("You are banned from this community."))


def join_community(user, slug: str, message: str = "") -> Membership | JoinRequest:
    """Public: join at once. Private: ask the moderators. Hidden: only by invitation."""
    community = get_listed_community(user, slug)
    with transaction.atomic():
        existing = Membership.objects.filter(community=community, user=user).first()
        if existing:
            return existing
        _check_not_banned(user, community)
        if community.visibility == Visibility.PUBLIC:
            return Membership.objects.create(community=community, user=user)
        if community.visibility == Visibility.HIDDEN:
            raise Http404
        pending = JoinRequest.objects.filter(
            community=community, user=user, status=JoinRequest.Status.PENDING
        ).first()
        if pending:
            return pending
        request = JoinRequest.objects.create(
            community=community, user=user, message=(message or "").strip()[:500]
        )
        _notify(
            _moderators(community),
            Notification.Kind.JOIN_REQUEST,
            actor=user,
            community=community,
        )
        return request


def has_pending_request(user, community: Community) -> bool:
    return (
        user.is_authenticated
        and JoinRequest.objects.filter(
            community=community, user=user, status=JoinRequest.Status.PENDING
        ).exists()
    )


def _moderators(community: Community) -> list[int]:
    return list(
        Membership.objects.filter(
            community=community, role__in=[Role.OWNER, Role.MODERATOR]
        ).values_list("user_id", flat=True)
    )


def pending_requests(user, slug: str) -> tuple[CommunityView, QuerySet[JoinRequest]]:
    view = _require_moderator(user, slug)
    requests = JoinRequest.objects.filter(
        community=view.community, status=JoinRequest.Status.PENDING
    ).select_related("user")
    return view, requests


def _require_moderator(user, slug: str) -> CommunityView:
    view = get_community(user, slug)
    if not view.can_moderate:
        raise PermissionDenied(_("Only moderators can do this."))
    return view


def decide_join_request(user, request_id: int, *, approve: bool) -> JoinRequest:
    request = JoinRequest.objects.select_related("community").filter(pk=request_id).first()
    if request is None:
        raise Http404
    view = _require_moderator(user, request.community.slug)
    with transaction.atomic():
        request = JoinRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != JoinRequest.Status.PENDING:
            raise ValidationError(_("This request was already decided."))
        request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
        request.decided_by = user
        request.decided_at = timezone.now()
        request.save()
        if approve:
            Ban.objects.filter(community=view.community, user_id=request.user_id).delete()
            Membership.objects.get_or_create(community=view.community, user_id=request.user_id)
            _notify(
                [request.user_id],
                Notification.Kind.REQUEST_APPROVED,
                actor=user,
                community=view.community,
            )
        _log(
            view.community,
            user,
            Action.APPROVE if approve else Action.DECLINE,
            target_user_id=request.user_id,
        )
    return request


def invite_member(user, slug: str, invitee_id: int) -> Invitation:
    view = get_community(user, slug)
    if not view.is_member:
        raise PermissionDenied(_("Only members can invite."))
    if view.community.visibility != Visibility.PUBLIC and not view.can_moderate:
        raise PermissionDenied(_("Only moderators can invite to this community."))
    invitee = User.objects.filter(pk=invitee_id, is_active=True).first()
    if invitee is None:
        raise ValidationError({"invitee": [_("No such member.")]})
    if Membership.objects.filter(community=view.community, user=invitee).exists():
        raise ValidationError({"invitee": [_("Already a member.")]})
    with transaction.atomic():
        invitation = Invitation.objects.create(
            community=view.community,
            invited_by=user,
            invitee=invitee,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        _notify([invitee.pk], Notification.Kind.INVITATION, actor=user, community=view.community)
    return invitation


def create_invite_link(user, slug: str, days: int = 7) -> Invitation:
    view = _require_moderator(user, slug)
    if not 1 <= days <= 90:
        raise ValidationError({"days": [_("Choose between 1 and 90 days.")]})
    return Invitation.objects.create(
        community=view.community,
        invited_by=user,
        expires_at=timezone.now() + timedelta(days=days),
    )


def get_invitation(user, token: str) -> Invitation:
    """A usable invitation for this user; anything else looks missing."""
    invitation = Invitation.objects.select_related("community").filter(token=token).first()
    if invitation is None or not invitation.is_usable() or invitation.community.archived_at:
        raise Http404
    if invitation.invitee_id and invitation.invitee_id != user.pk:
        raise Http404
    return invitation


def accept_invitation(user, token: str) -> Membership:
    invitation = get_invitation(user, token)
    community = invitation.community
    with transaction.atomic():
        _check_not_banned(user, community)
        membership, _created = Membership.objects.get_or_create(community=community, user=user)
        if invitation.invitee_id:
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
        JoinRequest.objects.filter(
            community=community, user=user, status=JoinRequest.Status.PENDING
        ).update(status=JoinRequest.Status.APPROVED, decided_at=timezone.now())
    return membership


def _owner_count(community: Community) -> int:
    return Membership.objects.filter(community=community, role=Role.OWNER).count()


def leave_community(user, slug: str) -> None:
    view = get_community(user, slug)
    if not view.is_member:
        return
    with transaction.atomic():
        Community.objects.select_for_update().get(pk=view.community.pk)
        if view.is_owner and _owner_count(view.community) == 1:
            raise ValidationError(
                _("You are the last owner: make someone else an owner before you leave.")
            )
        view.membership.delete()


def set_member_role(user, slug: str, member_id: int, role: str) -> Membership:
    """Only owners grant roles; the last owner cannot be demoted."""
    view = get_community(user, slug)
    if not view.is_owner:
        raise PermissionDenied(_("Only owners can change roles."))
    if role not in Role.values:
        raise ValidationError({"role": [_("Choose owner, moderator or member.")]})
    with transaction.atomic():
        Community.objects.select_for_update().get(pk=view.community.pk)
        target = Membership.objects.filter(community=view.community, user_id=member_id).first()
        if target is None:
            raise Http404
        if target.role == Role.OWNER and role != Role.OWNER and _owner_count(view.community) == 1:
            raise ValidationError({"role": [_("The last owner cannot be demoted.")]})
        target.role = role
        target.save(update_fields=["role"])
        _log(view.community, user, Action.SET_ROLE, target_user_id=member_id, note=role)
    return target


def remove_member(user, slug: str, member_id: int, *, ban: bool = False, reason: str = "") -> None:
    view = _require_moderator(user, slug)
    with transaction.atomic():
        target = Membership.objects.filter(community=view.community, user_id=member_id).first()
        if target and target.role == Role.OWNER:
            raise PermissionDenied(_("Owners cannot be removed; demote them first."))
        if target and target.role == Role.MODERATOR and not (view.is_owner or user.is_staff):
            raise PermissionDenied(_("Only owners can remove a moderator."))
        if target is None and not ban:
            raise Http404
        if target:
            target.delete()
        if ban:
            if not User.objects.filter(pk=member_id).exists():
                raise Http404
            Ban.objects.get_or_create(
                community=view.community,
                user_id=member_id,
                defaults={"banned_by": user, "reason": reason[:500]},
            )
            JoinRequest.objects.filter(
                community=view.community, user_id=member_id, status=JoinRequest.Status.PENDING
            ).update(status=JoinRequest.Status.DECLINED, decided_at=timezone.now())
        _log(
            view.community,
            user,
            Action.BAN if ban else Action.REMOVE_MEMBER,
            target_user_id=member_id,
            note=reason[:500],
        )


def unban_member(user, slug: str, member_id: int) -> None:
    view = _require_moderator(user, slug)
    deleted, _rows = Ban.objects.filter(community=view.community, user_id=member_id).delete()
    if not deleted:
        raise Http404
    _log(view.community, user, Action.UNBAN, target_user_id=member_id)


# Posts and replies -----------------------------------------------------------------------------


def _check_rate(user, token_id: int | None) -> None:
    limits = settings.POSTING_RATE_LIMITS
    ratelimit.hit(f"post:user:{user.pk}", limits)
    if token_id is not None:
        ratelimit.hit(f"post:token:{token_id}", limits)


def _clean_post_tags(tags) -> list[str]:
    names = list(dict.fromkeys(n for n in map(normalise_tag, tags or []) if n))
    if len(names) > MAX_POST_TAGS:
        raise ValidationError({"tags": [_("At most %(n)d tags.") % {"n": MAX_POST_TAGS}]})
    if any(len(n) > 40 for n in names):
        raise ValidationError({"tags": [_("A tag can be at most %(n)d characters.") % {"n": 40}]})
    return names


def _require_poster(user, view: CommunityView) -> None:
    if not (user and user.is_authenticated):
        raise PermissionDenied
    _check_not_banned(user, view.community)
    if not view.is_member:
        raise PermissionDenied(_("Join the community to post."))
    if view.community.archived_at:
        raise PermissionDenied(_("This community is archived."))


def _mentioned_users(text: str, community: Community, author) -> list[User]:
    names = extract_mentions(text)
    if not names:
        return []
    lowered = {n.lower() for n in names}
    users = list(User.objects.filter(handle__in=lowered, is_active=True))
    found = {u.handle for u in users}
    by_name = [n for n in names if n.lower() not in found]
    if by_name:
        candidates = User.objects.filter(
            display_name__in=by_name, is_active=True, memberships__community=community
        )
        counts: dict[str, list[User]] = {}
        for u in candidates:
            counts.setdefault(u.display_name, []).append(u)
        users += [group[0] for group in counts.values() if len(group) == 1]
    readers = set(
        Membership.objects.filter(community=community, user__in=users).values_list(
            "user_id", flat=True
        )
    )
    return [
        u
        for u in users
        if u.pk != author.pk and (community.visibility == Visibility.PUBLIC or u.pk in readers)
    ]


def _render(text: str) -> str:
    def mention_url(name: str) -> str | None:
        user = User.objects.filter(handle=name.lower(), is_active=True).only("pk").first()
        return reverse("accounts:profile", args=[user.pk]) if user else None

    return render_markdown(text, mention_url=mention_url)


def create_post(user, slug: str, *, title: str, body: str, tags=(), token_id=None) -> Post:
    view = get_community(user, slug)
    _require_poster(user, view)
    title = clean_text("title", title, required=True, limit=MAX_TITLE)
    body = clean_text("body", body, required=True, limit=MAX_BODY)
    tag_names = _clean_post_tags(tags)
    _check_rate(user, token_id)
    now = timezone.now()
    with transaction.atomic():
        post = Post.objects.create(
            community=view.community,
            author=user,
            title=title,
            body=body,
            body_html=_render(body),
            created_at=now,
            last_activity_at=now,
            hot=hot_score(now, 0, 0),
        )
        post.tags.set(tags_named(tag_names))
        mentioned = _mentioned_users(f"{title}\n{body}", view.community, user)
        _notify(
            [u.pk for u in mentioned],
            Notification.Kind.MENTION,
            actor=user,
            community=view.community,
            post=post,
        )
        indexing.index_post(post)
    return post


def _require_author_or_moderator(user, author_id: int, view: CommunityView) -> None:
    if not (user.is_authenticated and (user.pk == author_id or view.can_moderate)):
        raise PermissionDenied(_("Only the author or a moderator can do this."))


def edit_post(user, post_id: int, *, title=None, body=None, tags=None) -> Post:
    post, view = get_post(user, post_id)
    _require_author_or_moderator(user, post.author_id, view)
    if title is not None:
        post.title = clean_text("title", title, required=True, limit=MAX_TITLE)
    if body is not None:
        post.body = clean_text("body", body, required=True, limit=MAX_BODY)
        post.body_html = _render(post.body)
    tag_names = _clean_post_tags(tags) if tags is not None else None
    with transaction.atomic():
        post.edited_at = timezone.now()
        post.save()
        if tag_names is not None:
            post.tags.set(tags_named(tag_names))
        indexing.index_post(post)
    return post


def delete_post(user, post_id: int) -> None:
    """The author deletes for good; a moderator removes (kept for the audit log)."""
    post, view = get_post(user, post_id)
    _require_author_or_moderator(user, post.author_id, view)
    with transaction.atomic():
        indexing.remove_post(post)
        if user.pk == post.author_id:
            post.delete()
        else:
            _set_status(user, view, post=post, status=ContentStatus.REMOVED)


def set_pinned(user, post_id: int, pinned: bool) -> Post:
    post, view = get_post(user, post_id)
    if not view.can_moderate:
        raise PermissionDenied(_("Only moderators can pin posts."))
    post.pinned = pinned
    post.save(update_fields=["pinned"])
    _log(view.community, user, Action.PIN if pinned else Action.UNPIN, post_id=post.pk)
    return post


def create_reply(user, post_id: int, *, body: str, token_id=None) -> Reply:
    post, view = get_post(user, post_id)
    _require_poster(user, view)
    if post.status != ContentStatus.VISIBLE:
        raise PermissionDenied(_("This post is hidden."))
    body = clean_text("body", body, required=True, limit=MAX_BODY)
    _check_rate(user, token_id)
    now = timezone.now()
    with transaction.atomic():
        reply = Reply.objects.create(
            post=post, author=user, body=body, body_html=_render(body), created_at=now
        )
        Post.objects.filter(pk=post.pk).update(
            reply_count=F("reply_count") + 1, last_activity_at=now
        )
        _refresh_hot(post.pk)
        mentioned = _mentioned_users(body, view.community, user)
        recipients = {u.pk for u in mentioned}
        _notify(
            list(recipients),
            Notification.Kind.MENTION,
            actor=user,
            community=view.community,
            post=post,
            reply=reply,
        )
        if post.author_id != user.pk and post.author_id not in recipients:
            _notify(
                [post.author_id],
                Notification.Kind.REPLY,
                actor=user,
                community=view.community,
                post=post,
                reply=reply,
            )
        indexing.index_reply(reply, post)
    return reply


def edit_reply(user, reply_id: int, *, body: str) -> Reply:
    reply, view = get_reply(user, reply_id)
    _require_author_or_moderator(user, reply.author_id, view)
    reply.body = clean_text("body", body, required=True, limit=MAX_BODY)
    reply.body_html = _render(reply.body)
    reply.edited_at = timezone.now()
    with transaction.atomic():
        reply.save()
        indexing.index_reply(reply, reply.post)
    return reply


def delete_reply(user, reply_id: int) -> None:
    reply, view = get_reply(user, reply_id)
    _require_author_or_moderator(user, reply.author_id, view)
    with transaction.atomic():
        indexing.remove_reply(reply)
        if user.pk == reply.author_id:
            reply.delete()
        else:
            _set_status(user, view, reply=reply, status=ContentStatus.REMOVED)
        _recount_replies(reply.post_id)


def _recount_replies(post_id: int) -> None:
    count = Reply.objects.filter(post_id=post_id, status=ContentStatus.VISIBLE).count()
    Post.objects.filter(pk=post_id).update(reply_count=count)
    _refresh_hot(post_id)


def _refresh_hot(post_id: int) -> None:
    post = Post.objects.only("created_at", "reply_count", "reaction_count").get(pk=post_id)
    Post.objects.filter(pk=post_id).update(
        hot=hot_score(post.created_at, post.reply_count, post.reaction_count)
    )


def toggle_reaction(
    user, *, kind: str, post_id: int | None = None, reply_id: int | None = None
) -> bool:
    """Add the reaction, or take it back if it is there. Returns whether it is now on."""
    if kind not in ReactionKind.values:
        raise ValidationError({"kind": [_("Unknown reaction.")]})
    if post_id is not None:
        post, view = get_post(user, post_id)
        target = {"post": post, "reply": None}
    elif reply_id is not None:
        reply, view = get_reply(user, reply_id)
        target = {"reply": reply, "post": None}
    else:
        raise ValidationError({"target": [_("React to a post or a reply.")]})
    _require_poster(user, view)
    with transaction.atomic():
        deleted, _rows = Reaction.objects.filter(user=user, kind=kind, **target).delete()
        on = not deleted
        if on:
            try:
                with transaction.atomic():
                    Reaction.objects.create(user=user, kind=kind, **target)
            except IntegrityError:
                pass
        delta = 1 if on else -1
        if target["post"] is not None:
            Post.objects.filter(pk=target["post"].pk).update(
                reaction_count=F("reaction_count") + delta
            )
            _refresh_hot(target["post"].pk)
        else:
            Reply.objects.filter(pk=target["reply"].pk).update(
                reaction_count=F("reaction_count") + delta
            )
    return on


# Moderation ------------------------------------------------------------------------------------


def report_content(
    user, *, reason: str, post_id: int | None = None, reply_id: int | None = None
) -> Report:
    reason = clean_text("reason", reason, required=True, limit=1000)
    if post_id is not None:
        post, view = get_post(user, post_id)
        target = {"post": post}
    elif reply_id is not None:
        reply, view = get_reply(user, reply_id)
        target = {"reply": reply, "post": reply.post}
    else:
        raise ValidationError({"target": [_("Report a post or a reply.")]})
    if not user.is_authenticated:
        raise PermissionDenied
    existing = Report.objects.filter(
        reporter=user,
        status=Report.Status.OPEN,
        post=target.get("post"),
        reply=target.get("reply"),
    ).first()
    if existing:
        return existing
    return Report.objects.create(community=view.community, reporter=user, reason=reason, **target)


def moderation_queue(user, slug: str | None = None) -> QuerySet[Report]:
    """Open reports for one community's moderators, or for operators across all."""
    reports = Report.objects.filter(status=Report.Status.OPEN).select_related(
        "community", "reporter", "post", "post__author", "reply", "reply__author"
    )
    if slug is None:
        if not user.is_staff:
            raise PermissionDenied(_("Only operators see every community's queue."))
        return reports.order_by("created_at", "id")
    view = _require_moderator(user, slug)
    return reports.filter(community=view.community).order_by("created_at", "id")


def _set_status(user, view: CommunityView, *, status: str, post=None, reply=None) -> None:
    target = post or reply
    target.status = status
    target.save(update_fields=["status"])
    action = {
        ContentStatus.HIDDEN: Action.HIDE,
        ContentStatus.VISIBLE: Action.RESTORE,
        ContentStatus.REMOVED: Action.REMOVE,
    }[status]
    _log(
        view.community,
        user,
        action,
        post_id=post.pk if post else None,
        reply_id=reply.pk if reply else None,
        target_user_id=target.author_id,
    )
    Report.objects.filter(
        status=Report.Status.OPEN, **({"post": post, "reply": None} if post else {"reply": reply})
    ).update(status=Report.Status.RESOLVED, resolved_by=user, resolved_at=timezone.now())


def moderate(user, *, action: str, post_id: int | None = None, reply_id: int | None = None) -> None:
    """hide, restore or remove a post or reply; resolves its open reports; logged."""
    statuses = {
        "hide": ContentStatus.HIDDEN,
        "restore": ContentStatus.VISIBLE,
        "remove": ContentStatus.REMOVED,
    }
    if action not in statuses:
        raise ValidationError({"action": [_("Choose hide, restore or remove.")]})
    if post_id is not None:
        post = Post.objects.select_related("community").filter(pk=post_id).first()
        if post is None:
            raise Http404
        view = _moderation_view(user, post.community)
        with transaction.atomic():
            _set_status(user, view, post=post, status=statuses[action])
            if statuses[action] == ContentStatus.VISIBLE:
                indexing.index_post(post)
            else:
                indexing.remove_post(post)
    elif reply_id is not None:
        reply = Reply.objects.select_related("post", "post__community").filter(pk=reply_id).first()
        if reply is None:
            raise Http404
        view = _moderation_view(user, reply.post.community)
        with transaction.atomic():
            _set_status(user, view, reply=reply, status=statuses[action])
            if statuses[action] == ContentStatus.VISIBLE:
                indexing.index_reply(reply, reply.post)
            else:
                indexing.remove_reply(reply)
            _recount_replies(reply.post_id)
    else:
        raise ValidationError({"target": [_("Moderate a post or a reply.")]})


def _moderation_view(user, community: Community) -> CommunityView:
    membership = access.membership_of(user, community)
    if not access.can_moderate(user, membership):
        if access.can_read(user, community, membership):
            raise PermissionDenied(_("Only moderators can do this."))
        raise Http404
    return CommunityView(community, membership, True)


def dismiss_report(user, report_id: int) -> Report:
    report = Report.objects.select_related("community").filter(pk=report_id).first()
    if report is None:
        raise Http404
    _moderation_view(user, report.community)
    report.status = Report.Status.RESOLVED
    report.resolved_by = user
    report.resolved_at = timezone.now()
    report.save()
    _log(report.community, user, Action.DISMISS, post_id=report.post_id, reply_id=report.reply_id)
    return report


def audit_log(user, slug: str) -> QuerySet[ModerationAction]:
    view = _require_moderator(user, slug)
    return ModerationAction.objects.filter(community=view.community).select_related(
        "actor", "target_user"
    )


def _log(community, actor, action, **targets) -> None:
    ModerationAction.objects.create(community=community, actor=actor, action=action, **targets)


# Notifications ---------------------------------------------------------------------------------


def _notify(recipient_ids, kind, *, actor, community=None, post=None, reply=None) -> None:
    ids = [pk for pk in dict.fromkeys(recipient_ids) if pk != getattr(actor, "pk", None)]
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk, kind=kind, actor=actor, community=community, post=post, reply=reply
            )
            for pk in ids
        ]
    )


def notifications_for(user) -> QuerySet[Notification]:
    """The member's notifications, minus any about content they can no longer read."""
    readable = access.readable_communities(user)
    return (
        Notification.objects.filter(recipient=user)
        .filter(
            Q(community__isnull=True)
            | Q(community__in=readable)
            | Q(kind=Notification.Kind.INVITATION)
        )
        .exclude(post__status__in=[ContentStatus.HIDDEN, ContentStatus.REMOVED])
        .select_related("actor", "community", "post", "event", "intro__project", "intro__offer")
    )


def unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def notification_settings(user) -> NotificationSettings:
    settings_, _created = NotificationSettings.objects.get_or_create(user=user)
    return settings_


def set_digest_frequency(user, frequency: str) -> NotificationSettings:
    if frequency not in DigestFrequency.values:
        raise ValidationError({"digest": [_("Choose never, daily or weekly.")]})
    current = notification_settings(user)
    current.digest = frequency
    current.save(update_fields=["digest"])
    return current


def mark_notifications_read(user, ids: list[int] | None = None) -> int:
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())


# E-mail digests --------------------------------------------------------------------------------

DIGEST_PERIOD = {
    DigestFrequency.DAILY: timedelta(days=1),
    DigestFrequency.WEEKLY: timedelta(days=7),
}
DIGEST_POSTS = 10


def members_due_a_digest(frequency: str) -> QuerySet[User]:
    """Members who chose this frequency (weekly is the default for those who never chose)."""
    chose = Q(notification_settings__digest=frequency)
    if frequency == DigestFrequency.WEEKLY:
        chose |= Q(notification_settings__isnull=True)
    return User.objects.filter(chose, is_active=True).order_by("pk")


def digest_for(user, since: datetime) -> dict:
    """What a digest would say: the liveliest new posts in the member's communities and the
    number of unread notifications."""
    posts = list(
        _post_queryset()
        .filter(
            status=ContentStatus.VISIBLE,
            created_at__gte=since,
            community__in=access.readable_communities(user).filter(memberships__user=user),
        )
        .order_by("-hot")[:DIGEST_POSTS]
    )
    return {"posts": posts, "unread": unread_count(user)}


def send_digest(user, frequency: str, now: datetime | None = None) -> bool:
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
