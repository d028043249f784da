from datetime import UTC, datetime

import pytest

from seedbed.search import services
from seedbed.search.models import SearchDocument

pytestmark = pytest.mark.django_db
WHEN = datetime(2026, 5, 1, tzinfo=UTC)


@pytest.mark.parametrize("word", ["易测云", "极客帮", "创投圈", "融资"])
def test_an_invented_name_is_found_when_typed_alone(word):
    services.index_document(
        "post",
        1,
        community_id=None,
        is_public=True,
        title=f"{word}发布了新版本，欢迎试用",
        body="正文",
        url="/p/1/",
        created_at=WHEN,
    )
    assert services.search(word, member_community_ids=[]).total == 1


def test_reindexing_recomputes_every_document():
    services.index_document(
        "post",
        2,
        community_id=None,
        is_public=True,
        title="Demo day",
        body="pitch practice",
        url="/p/2/",
        created_at=WHEN,
    )
    SearchDocument.objects.update(index_title="", index_text="")
    services.reindex_all()
    document = SearchDocument.objects.get()
    assert (document.index_title, document.index_text) == ("demo day", "pitch practice")
