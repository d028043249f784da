import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from seedbed.search import services

_ids = itertools.count(1)
BASE_TIME = timezone.now().replace(microsecond=0)


@pytest.fixture
def index_doc(db):
    """Index a document with sensible defaults; returns its (kind, object_id)."""

    def index(
        title: str = "",
        body: str = "",
        *,
        kind: str = "post",
        object_id: int | None = None,
        community_id: int | None = 1,
        is_public: bool = True,
        age_days: float = 0,
    ) -> tuple[str, int]:
        object_id = object_id if object_id is not None else next(_ids)
        services.index_document(
            kind,
            object_id,
            community_id=community_id,
            is_public=is_public,
            title=title,
            body=body,
            url=f"/{kind}s/{object_id}/",
            created_at=BASE_TIME - timedelta(days=age_days),
        )
        return kind, object_id

    return index


def found(query: str, *, member_of=(), **kwargs) -> list[tuple[str, int]]:
    """(kind, object_id) of every hit, in order."""
    page = services.search(query, member_community_ids=member_of, **kwargs)
    return [(hit.kind, hit.object_id) for hit in page.hits]
