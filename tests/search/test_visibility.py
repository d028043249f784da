from seedbed.search.services import search
from tests.search.conftest import found


def test_a_public_community_document_is_found_by_anyone(index_doc):
    post = index_doc("", "robotics demo", community_id=7, is_public=True)
    assert found("robotics") == [post]
    assert found("robotics", member_of=[99]) == [post]


def test_a_private_community_document_is_hidden_from_outsiders(index_doc):
    index_doc("", "secret robotics plan", community_id=7, is_public=False)
    assert found("robotics") == []
    assert found("robotics", member_of=[8, 9]) == []


def test_a_private_community_document_is_found_by_its_members(index_doc):
    post = index_doc("", "secret robotics plan", community_id=7, is_public=False)
    assert found("robotics", member_of=[3, 7]) == [post]


def test_the_total_counts_only_what_the_searcher_may_see(index_doc):
    index_doc("", "robotics", community_id=1, is_public=True)
    index_doc("", "robotics", community_id=2, is_public=False)
    index_doc("", "robotics", community_id=3, is_public=False)
    assert search("robotics", member_community_ids=[]).total == 1
    assert search("robotics", member_community_ids=[2]).total == 2


def test_the_fallback_respects_visibility_too(index_doc):
    public = index_doc("", "天使轮融资", community_id=1, is_public=True)
    private = index_doc("", "天使轮融资", community_id=2, is_public=False, age_days=1)
    assert found("融") == [public]
    assert found("融", member_of=[2]) == [public, private]


def test_a_private_chinese_document_is_hidden_from_outsiders(index_doc):
    index_doc("", "我们正在寻找天使轮融资", community_id=5, is_public=False)
    assert found("融资") == []
    assert found("融资", member_of=[5]) != []


def test_membership_ids_may_come_as_any_collection(index_doc):
    post = index_doc("", "robotics", community_id=4, is_public=False)
    assert found("robotics", member_of={4}) == [post]
    assert found("robotics", member_of=frozenset({4, 5})) == [post]
    assert found("robotics", member_of=(4,)) == [post]
