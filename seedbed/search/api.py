"""GET /api/v1/search: the search page as JSON, with the same hits, counts and visibility
(one service call, ``search_everything``). Bad input is a 422 naming the field."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from seedbed.accounts.auth import VISITOR
from seedbed.search import services
from seedbed.search.services import MAX_PAGE
from seedbed.search.text import MAX_QUERY_CHARS

router = Router(tags=["search"])


class SearchIn(Schema):
    q: str = Field(..., max_length=MAX_QUERY_CHARS, description="What to look for.")
    type: Literal["", "community", "post", "event", "member", "project", "resource"] = Field(
        "",
        description="One tab (project holds projects and offers; resource, the library's "
        "resources); empty for all.",
    )
    page: int = Field(1, ge=1, le=MAX_PAGE)

    @field_validator("q")
    @classmethod
    def _words(cls, value: str) -> str:
        if "\x00" in value:
            raise PydanticCustomError("nul_character", _("This contains a NUL character."))
        if not value.strip():
            raise PydanticCustomError("blank", _("Type what you are looking for."))
        return value


class SearchHitOut(Schema):
    type: str = Field(
        ..., description="The tab: community, post, event, member, project or resource."
    )
    kind: str = Field(..., description="What matched: a post's reply stands for its thread.")
    object_id: int
    title_html: str
    snippet_html: str
    url: str
    score: float
    created_at: datetime
    starts_at: datetime | None
    flag: str = Field(
        ...,
        description='"cancelled" (an event), "closed" or "succeeded" (a project), a library '
        'resource\'s kind ("book", "course"...), or empty.',
    )


class SearchOut(Schema):
    query: str
    total: int = Field(..., description="Hits of the asked type (a thread counts once).")
    counts: dict[str, int] = Field(..., description="Hits per type.")
    capped: bool = Field(..., description="More matched than were ranked: counts are 1,000+.")
    hits: list[SearchHitOut]

    @staticmethod
    def resolve_hits(page: services.SearchPage) -> list[dict]:
        return [{**hit.__dict__, "type": hit.tab} for hit in page.hits]


@router.get("/search", response=SearchOut, auth=VISITOR)
def search(request: HttpRequest, filters: Query[SearchIn]):
    return services.search_everything(request.user, filters.q, type=filters.type, page=filters.page)
