import pytest

from seedbed.search.services import search

QUERIES = [
    "founders",  # full text
    "融资",  # full text, Chinese
    "融",  # straight to the substring fallback
    "nothingmatchesthis",  # full text finds nothing, then the fallback
]


def seed(index_doc, n):
    for i in range(n):
        private = i % 3 == 0
        index_doc(
            f"Founders {i} 融资",
            f"We are founders looking for 天使轮融资, round {i}",
            community_id=i % 5,
            is_public=not private,
        )


@pytest.mark.parametrize("offset", [0, 1000])
@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("size", [5, 120])
def test_a_search_runs_at_most_three_queries_whatever_the_data_size(
    index_doc, django_assert_max_num_queries, query, size, offset
):
    seed(index_doc, size)
    with django_assert_max_num_queries(3):
        page = search(query, member_community_ids=[1, 2], limit=50, offset=offset)
    if query != "nothingmatchesthis":
        assert page.total > 0
        assert len(page.hits) == max(0, min(50, page.total - offset))


def test_a_search_for_nothing_runs_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        search("   ", member_community_ids=[1])
