"""Communities, memberships, posts, replies, reactions, reports and the feed under
/api/v1, with exactly the rules of the pages (the same service functions)."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from seedbed.accounts.auth import MEMBER, VISITOR
from seedbed.communities import services
from seedbed.communities.models import (
    Community,
    JoinRequest,
    Membership,
    Post,
    ReactionKind,
    Report,
    Role,
    Visibility,
)
from seedbed.core.api import Input, Pages

router = Router(tags=["communities"])


def _token(request: HttpRequest) -> int | None:
    return getattr(request, "api_token_id", None)


class AuthorOut(Schema):
    id: int
    display_name: str
    handle: str


class CommunityOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    description_html: str
    visibility: Visibility
    colour: str
    sector: str | None
    tags: list[str]
    created_at: datetime

    @staticmethod
    def resolve_sector(obj: Community) -> str | None:
        return obj.sector.slug if obj.sector else None

    @staticmethod
    def resolve_tags(obj: Community) -> list[str]:
        return [t.name for t in obj.tags.all()]


class CommunityListItem(Schema):
    id: int
    slug: str
    name: str
    description: str
    visibility: Visibility
    colour: str
    sector: str | None
    member_count: int | None = Field(
        None, description="Only for public communities and those you belong to."
    )
    is_member: bool

    @staticmethod
    def resolve_member_count(obj: Community) -> int | None:
        """Annotated by ``community_directory``."""
        count: int | None = getattr(obj, "visible_member_count", None)
        return count

    @staticmethod
    def resolve_sector(obj: Community) -> str | None:
        return obj.sector.slug if obj.sector else None


class CommunityIn(Input):
    name: str = Field(..., max_length=80)
    slug: str = Field("", max_length=60)
    description: str = Field("", max_length=5000)
    visibility: Visibility = Visibility.PUBLIC
    sector: str = ""
    colour: str = ""
    tags: list[str] = []


class CommunityPatch(Input):
    name: str | None = Field(None, max_length=80)
    description: str | None = Field(None, max_length=5000)
    visibility: Visibility | None = None
    sector: str | None = None
    colour: str | None = None
    tags: list[str] | None = None


class CommunityMemberOut(Schema):
    user: AuthorOut
    role: Role
    joined_at: datetime


class CommunityJoinIn(Input):
    message: str = Field("", max_length=500)


class JoinOut(Schema):
    status: Literal["member", "pending"]


class RoleIn(Input):
    role: Role


class RequestOut(Schema):
    id: int
    user: AuthorOut
    message: str
    created_at: datetime


class InvitationIn(Input):
    invitee_id: int | None = None
    link_days: int | None = Field(None, ge=1, le=90)


class InvitationOut(Schema):
    token: str | None
    expires_at: datetime


class PostOut(Schema):
    id: int
    community: str
    author: AuthorOut
    title: str
    body: str
    body_html: str
    tags: list[str]
    pinned: bool
    created_at: datetime
    edited_at: datetime | None
    reply_count: int
    reaction_count: int

    @staticmethod
    def resolve_community(obj: Post) -> str:
        return obj.community.slug

    @staticmethod
    def resolve_tags(obj: Post) -> list[str]:
        return [t.name for t in obj.tags.all()]


class PostIn(Input):
    title: str = Field(..., max_length=200)
    body: str = Field(..., max_length=20_000)
    tags: list[str] = []


class PostPatch(Input):
    title: str | None = Field(None, max_length=200)
    body: str | None = Field(None, max_length=20_000)
    tags: list[str] | None = None


class PinIn(Input):
    pinned: bool


class ReplyOut(Schema):
    id: int
    post_id: int
    author: AuthorOut
    body: str
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    reaction_count: int


class ReplyIn(Input):
    body: str = Field(..., max_length=20_000)


class ReactionIn(Input):
    kind: ReactionKind


class ReactionOut(Schema):
    on: bool


class ContentReportIn(Input):
    post_id: int | None = None
    reply_id: int | None = None
    reason: str = Field(..., max_length=1000)


class ContentReportOut(Schema):
    id: int
    community: str
    post_id: int | None
    reply_id: int | None
    reason: str
    created_at: datetime

    @staticmethod
    def resolve_community(obj: Report) -> str:
        return obj.community.slug


class ModerationIn(Input):
    action: Literal["hide", "restore", "remove"]
    post_id: int | None = None
    reply_id: int | None = None


class FeedOut(Schema):
    items: list[PostOut]
    next_cursor: str


# Communities -----------------------------------------------------------------------------------


@router.get("/communities", response=list[CommunityListItem], auth=VISITOR)
@paginate(Pages)
def list_communities(request: HttpRequest, q: str = "", sector: str = ""):
    """Listed communities: public ones, private ones (name and description only, so you can
    ask to join), and hidden ones you belong to."""
    return services.community_directory(request.user, q=q[:80], sector=sector[:50])


@router.post("/communities", response={201: CommunityOut}, auth=MEMBER)
def create_community(request: HttpRequest, payload: CommunityIn):
    return Status(201, services.create_community(request.user, **payload.dict()))


@router.get("/communities/{slug}", response=CommunityOut, auth=VISITOR)
def get_community(request: HttpRequest, slug: str):
    return services.get_community(request.user, slug).community


@router.patch("/communities/{slug}", response=CommunityOut, auth=MEMBER)
def patch_community(request: HttpRequest, slug: str, payload: CommunityPatch):
    return services.update_community(request.user, slug, **payload.dict(exclude_unset=True))


@router.post("/communities/{slug}/archive", response={204: None}, auth=MEMBER)
def archive_community(request: HttpRequest, slug: str):
    services.archive_community(request.user, slug)
    return Status(204, None)


@router.post("/communities/{slug}/join", response=JoinOut, auth=MEMBER)
def join(request: HttpRequest, slug: str, payload: CommunityJoinIn):
    result = services.join_community(request.user, slug, payload.message)
    return {"status": "pending" if isinstance(result, JoinRequest) else "member"}


@router.post("/communities/{slug}/leave", response={204: None}, auth=MEMBER)
def leave(request: HttpRequest, slug: str):
    services.leave_community(request.user, slug)
    return Status(204, None)


@router.get("/communities/{slug}/members", response=list[CommunityMemberOut], auth=VISITOR)
@paginate(Pages)
def list_members(request: HttpRequest, slug: str):
    return services.community_members(services.get_community(request.user, slug))


@router.put("/communities/{slug}/members/{user_id}/role", response=CommunityMemberOut, auth=MEMBER)
def set_role(request: HttpRequest, slug: str, user_id: int, payload: RoleIn):
    membership = services.set_member_role(request.user, slug, user_id, payload.role)
    return Membership.objects.select_related("user").get(pk=membership.pk)


@router.delete("/communities/{slug}/members/{user_id}", response={204: None}, auth=MEMBER)
def remove_member(
    request: HttpRequest, slug: str, user_id: int, ban: bool = False, reason: str = ""
):
    services.remove_member(request.user, slug, user_id, ban=ban, reason=reason[:500])
    return Status(204, None)


@router.delete("/communities/{slug}/bans/{user_id}", response={204: None}, auth=MEMBER)
def unban(request: HttpRequest, slug: str, user_id: int):
    services.unban_member(request.user, slug, user_id)
    return Status(204, None)


@router.get("/communities/{slug}/requests", response=list[RequestOut], auth=MEMBER)
def list_requests(request: HttpRequest, slug: str):
    return services.pending_requests(request.user, slug)[1]


@router.post(
    "/communities/{slug}/requests/{request_id}/{decision}", response={204: None}, auth=MEMBER
)
def decide_request(
    request: HttpRequest, slug: str, request_id: int, decision: Literal["approve", "decline"]
):
    services.decide_join_request(request.user, slug, request_id, decision)
    return Status(204, None)


@router.post("/communities/{slug}/invitations", response={201: InvitationOut}, auth=MEMBER)
def invite(request: HttpRequest, slug: str, payload: InvitationIn):
    if payload.invitee_id is not None:
        invitation = services.invite_member(request.user, slug, payload.invitee_id)
        return Status(201, {"token": None, "expires_at": invitation.expires_at})
    invitation = services.create_invite_link(request.user, slug, payload.link_days or 7)
    return Status(201, {"token": invitation.token, "expires_at": invitation.expires_at})


@router.post("/invitations/{token}/accept", response={204: None}, auth=MEMBER)
def accept_invitation(request: HttpRequest, token: str):
    services.accept_invitation(request.user, token)
    return Status(204, None)


# Posts, replies, reactions ---------------------------------------------------------------------


@router.get("/communities/{slug}/posts", response=list[PostOut], auth=VISITOR)
@paginate(Pages)
def list_posts(
    request: HttpRequest, slug: str, order: Literal["new", "hot"] = "new", tag: str = ""
):
    view = services.get_community(request.user, slug)
    return services.community_posts(view, order=order, tag=tag[:40])


@router.post("/communities/{slug}/posts", response={201: PostOut}, auth=MEMBER)
def create_post(request: HttpRequest, slug: str, payload: PostIn):
    post = services.create_post(request.user, slug, **payload.dict(), token_id=_token(request))
    return Status(201, services.get_post(request.user, post.pk)[0])


@router.get("/posts/{post_id}", response=PostOut, auth=VISITOR)
def get_post(request: HttpRequest, post_id: int):
    return services.get_post(request.user, post_id)[0]


@router.patch("/posts/{post_id}", response=PostOut, auth=MEMBER)
def patch_post(request: HttpRequest, post_id: int, payload: PostPatch):
    services.edit_post(request.user, post_id, **payload.dict(exclude_unset=True))
    return services.get_post(request.user, post_id)[0]


@router.delete("/posts/{post_id}", response={204: None}, auth=MEMBER)
def delete_post(request: HttpRequest, post_id: int):
    services.delete_post(request.user, post_id)
    return Status(204, None)


@router.post("/posts/{post_id}/pin", response=PostOut, auth=MEMBER)
def pin_post(request: HttpRequest, post_id: int, payload: PinIn):
    services.set_pinned(request.user, post_id, payload.pinned)
    return services.get_post(request.user, post_id)[0]


@router.get("/posts/{post_id}/replies", response=list[ReplyOut], auth=VISITOR)
@paginate(Pages)
def list_replies(request: HttpRequest, post_id: int):
    post, view = services.get_post(request.user, post_id)
    return services.post_replies(post, view)


@router.post("/posts/{post_id}/replies", response={201: ReplyOut}, auth=MEMBER)
def create_reply(request: HttpRequest, post_id: int, payload: ReplyIn):
    reply = services.create_reply(
        request.user, post_id, body=payload.body, token_id=_token(request)
    )
    return Status(201, services.get_reply(request.user, reply.pk)[0])


@router.patch("/replies/{reply_id}", response=ReplyOut, auth=MEMBER)
def patch_reply(request: HttpRequest, reply_id: int, payload: ReplyIn):
    services.edit_reply(request.user, reply_id, body=payload.body)
    return services.get_reply(request.user, reply_id)[0]


@router.delete("/replies/{reply_id}", response={204: None}, auth=MEMBER)
def delete_reply(request: HttpRequest, reply_id: int):
    services.delete_reply(request.user, reply_id)
    return Status(204, None)


@router.post("/posts/{post_id}/reactions", response=ReactionOut, auth=MEMBER)
def react_to_post(request: HttpRequest, post_id: int, payload: ReactionIn):
    return {"on": services.toggle_reaction(request.user, kind=payload.kind, post_id=post_id)}


@router.post("/replies/{reply_id}/reactions", response=ReactionOut, auth=MEMBER)
def react_to_reply(request: HttpRequest, reply_id: int, payload: ReactionIn):
    return {"on": services.toggle_reaction(request.user, kind=payload.kind, reply_id=reply_id)}


# Moderation ------------------------------------------------------------------------------------


@router.post("/reports", response={201: ContentReportOut}, auth=MEMBER)
def report(request: HttpRequest, payload: ContentReportIn):
    created = services.report_content(
        request.user, reason=payload.reason, post_id=payload.post_id, reply_id=payload.reply_id
    )
    return Status(201, created)


@router.get("/reports", response=list[ContentReportOut], auth=MEMBER)
@paginate(Pages)
def moderation_queue(request: HttpRequest, community: str | None = None):
    """Open reports: one community's (its moderators), or all (operators)."""
    return services.moderation_queue(request.user, community)


@router.post("/reports/{report_id}/dismiss", response={204: None}, auth=MEMBER)
def dismiss_report(request: HttpRequest, report_id: int):
    services.dismiss_report(request.user, report_id)
    return Status(204, None)


@router.post("/moderation", response={204: None}, auth=MEMBER)
def moderate(request: HttpRequest, payload: ModerationIn):
    services.moderate(
        request.user, action=payload.action, post_id=payload.post_id, reply_id=payload.reply_id
    )
    return Status(204, None)


# Feed ----------------------------------------------------------------------------------------


@router.get("/feed", response=FeedOut, auth=MEMBER)
def feed(
    request: HttpRequest,
    cursor: str = Query("", max_length=200),
    limit: int = Query(20, ge=1, le=100),
):
    items, next_cursor = services.home_feed(request.user, cursor, limit)
    return {"items": items, "next_cursor": next_cursor}
