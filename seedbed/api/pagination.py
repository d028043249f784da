from ninja import Field, Schema
from ninja.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """Page numbers for every API list, capped so that the offset stays a number the database
    can take: a huge page number is a 422 naming ``page``, not a 500."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000)
        page_size: int | None = Field(None, ge=1)
