import pytest

from seedbed.search.services import search

QUERIES = [
    "founders",  # full text: one query
    "融资",  # full text, Chinese: one query
    "融",  # straight to the substring fallback: one query
    "nothingmatchesthis",  # full text finds nothing, then the fallback: two queries
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
def test_a_search_runs_at_most_two_queries_whatever_the_data_size(
    index_doc, django_assert_max_num_queries, query, size, offset
):
    seed(index_doc, size)
    with django_assert_max_num_queries(2):
        page = search(query, member_community_ids=[1, 2], limit=50, offset=offset)
    if query != "nothingmatchesthis":
        assert page.total > 0
        assert len(page.hits) == max(0, min(50, page.total - offset))


def test_a_search_for_nothing_runs_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        search("   ", member_community_ids=[1])


def test_a_full_text_hit_costs_one_query_with_its_total(index_doc, django_assert_num_queries):
    seed(index_doc, 30)
    with django_assert_num_queries(1):
        page = search("founders", member_community_ids=[], limit=5, offset=100)
    assert page.hits == [] and page.total == 20
