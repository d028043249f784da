import pytest

from seedbed.search.services import MAX_LIMIT, search
from tests.search.conftest import found


def test_the_kinds_filter_keeps_only_the_asked_kinds(index_doc):
    community = index_doc("Robotics club", "", kind="community", object_id=3, community_id=3)
    post = index_doc("", "robotics post", kind="post", age_days=1)
    reply = index_doc("", "robotics reply", kind="reply", age_days=2)
    assert found("robotics", kinds=["post"]) == [post]
    assert set(found("robotics", kinds={"post", "reply"})) == {post, reply}
    assert found("robotics", kinds=("community",)) == [community]
    assert len(found("robotics")) == 3


def test_the_kinds_filter_applies_to_the_fallback(index_doc):
    reply = index_doc("", "天使轮融资", kind="reply")
    index_doc("", "天使轮融资", kind="post")
    assert found("融", kinds=["reply"]) == [reply]


def test_an_empty_kinds_filter_finds_nothing(index_doc):
    index_doc("", "robotics post")
    assert found("robotics", kinds=[]) == []


def test_an_unknown_kind_is_refused_with_its_name(db):
    with pytest.raises(ValueError, match="'meetup'"):
        search("robotics", member_community_ids=[], kinds=["meetup"])


def test_pages_split_the_ranked_list_and_carry_the_total(index_doc):
    posts = [index_doc("", "pitch night", age_days=i) for i in range(7)]
    first = search("pitch", member_community_ids=[], limit=3)
    second = search("pitch", member_community_ids=[], limit=3, offset=3)
    third = search("pitch", member_community_ids=[], limit=3, offset=6)
    assert (first.total, second.total, third.total) == (7, 7, 7)
    pages = [first, second, third]
    assert [[(h.kind, h.object_id) for h in p.hits] for p in pages] == [
        posts[0:3],
        posts[3:6],
        posts[6:7],
    ]


def test_a_page_past_the_end_is_empty_but_keeps_the_total(index_doc):
    for _ in range(3):
        index_doc("", "pitch night")
    page = search("pitch", member_community_ids=[], limit=10, offset=20)
    assert page.hits == []
    assert page.total == 3


def test_fallback_results_are_paginated_too(index_doc):
    posts = [index_doc("", "天使轮融资", age_days=i) for i in range(5)]
    page = search("融", member_community_ids=[], limit=2, offset=2)
    assert page.total == 5
    assert [(h.kind, h.object_id) for h in page.hits] == posts[2:4]


def test_the_page_size_is_capped(index_doc):
    for _ in range(MAX_LIMIT + 5):
        index_doc("", "pitch")
    page = search("pitch", member_community_ids=[], limit=10_000)
    assert len(page.hits) == MAX_LIMIT
    assert page.total == MAX_LIMIT + 5


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (-1, 0), (10, -1)])
def test_a_bad_limit_or_offset_is_refused_with_its_name(db, limit, offset):
    name = "limit" if limit < 1 else "offset"
    with pytest.raises(ValueError, match=name):
        search("pitch", member_community_ids=[], limit=limit, offset=offset)


def test_the_page_reports_the_query_it_ran(db):
    assert search("  robotics   club ", member_community_ids=[]).query == "robotics club"


def test_a_fallback_page_past_the_end_is_empty_but_keeps_the_total(index_doc):
    for _ in range(3):
        index_doc("", "天使轮融资")
    page = search("融", member_community_ids=[], limit=10, offset=20)
    assert page.hits == []
    assert page.total == 3
