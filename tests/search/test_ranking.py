from tests.search.conftest import found


def test_a_title_match_ranks_above_a_body_only_match(index_doc):
    body_only = index_doc("Weekly notes", "We talked about fundraising at length", age_days=0)
    in_title = index_doc("Fundraising basics", "Notes from the weekly session", age_days=5)
    assert found("fundraising") == [in_title, body_only]


def test_a_chinese_title_match_ranks_above_a_body_only_match(index_doc):
    body_only = index_doc("本周笔记", "我们讨论了融资的问题", age_days=0)
    in_title = index_doc("融资入门", "本周分享的笔记", age_days=5)
    assert found("融资") == [in_title, body_only]


def test_a_document_that_says_it_more_often_ranks_higher(index_doc):
    once = index_doc("", "robotics and a lot of other unrelated words about the weekly meeting")
    often = index_doc("", "robotics robotics robotics, all about robotics", age_days=10)
    assert found("robotics") == [often, once]


def test_equal_matches_come_newest_first(index_doc):
    old = index_doc("", "pitch night", age_days=3)
    new = index_doc("", "pitch night", age_days=1)
    middle = index_doc("", "pitch night", age_days=2)
    assert found("pitch") == [new, middle, old]


def test_fallback_matches_also_put_titles_first_then_newest(index_doc):
    body_new = index_doc("", "天使轮融资", age_days=0)
    title_old = index_doc("融资", "", age_days=9)
    body_old = index_doc("", "天使轮融资", age_days=4)
    assert found("融") == [title_old, body_new, body_old]


def test_scores_decrease_down_the_page(index_doc):
    from seedbed.search.services import search

    index_doc("Fundraising", "fundraising fundraising")
    index_doc("", "fundraising once")
    index_doc("Fundraising", "")
    scores = [hit.score for hit in search("fundraising", member_community_ids=[]).hits]
    assert len(scores) == 3
    assert scores == sorted(scores, reverse=True)
    assert all(score > 0 for score in scores)
