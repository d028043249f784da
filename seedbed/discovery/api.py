"""Suggestions under /api/v1: the stored rows the For you page shows, and "Not interested"."""

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from seedbed.accounts.auth import MEMBER
from seedbed.core.api import Pages
from seedbed.discovery import services

router = Router(tags=["discovery"])


class RecommendationOut(Schema):
    id: int
    kind: str
    object_id: int
    title: str
    url: str
    reason: str
    score: float

    @staticmethod
    def resolve_object_id(obj: services.Suggestion) -> int:
        return obj.object.pk


class DismissedOut(Schema):
    id: int
    dismissed: bool


@router.get("/recommendations", response=list[RecommendationOut], auth=MEMBER)
@paginate(Pages)
def recommendations(
    request: HttpRequest, kind: Literal["communities", "events", "people", "posts"] | None = None
):
    """One kind, or every kind one after another when ``kind`` is left out."""
    kinds = [kind] if kind else services.KINDS
    return [s for k in kinds for s in services.suggestions_for(request.user, k, services.MAX_LIMIT)]


@router.post("/recommendations/{suggestion_id}/dismiss", response=DismissedOut, auth=MEMBER)
def dismiss(request: HttpRequest, suggestion_id: int):
    services.dismiss_suggestion(request.user, suggestion_id)
    return {"id": suggestion_id, "dismissed": True}
