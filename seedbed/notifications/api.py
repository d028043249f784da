"""Notifications under /api/v1: the same list, count and sentences as the inbox page."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from seedbed.accounts.auth import MEMBER
from seedbed.core.api import Input, Pages
from seedbed.notifications import registry, services
from seedbed.notifications.models import Notification

router = Router(tags=["notifications"])


class ActorOut(Schema):
    id: int
    display_name: str
    handle: str


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    actor: ActorOut | None
    community: str | None
    post_id: int | None
    reply_id: int | None
    event_id: int | None
    intro_id: int | None
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_text(obj: Notification) -> str:
        return registry.kind(obj.kind).text(obj)

    @staticmethod
    def resolve_url(obj: Notification) -> str:
        return registry.kind(obj.kind).link(obj)

    @staticmethod
    def resolve_community(obj: Notification) -> str | None:
        return obj.community.slug if obj.community else None


class ReadIn(Input):
    ids: list[int] | None = None


class CountOut(Schema):
    count: int


@router.get("/notifications", response=list[NotificationOut], auth=MEMBER)
@paginate(Pages)
def notifications(request: HttpRequest, unread: bool = False):
    items = services.notifications_for(request.user)
    return items.filter(read_at__isnull=True) if unread else items


@router.get("/notifications/unread-count", response=CountOut, auth=MEMBER)
def unread(request: HttpRequest):
    return {"count": services.unread_count(request.user)}


@router.post("/notifications/read", response=CountOut, auth=MEMBER)
def mark_read(request: HttpRequest, payload: ReadIn):
    return {"count": services.mark_notifications_read(request.user, payload.ids)}
