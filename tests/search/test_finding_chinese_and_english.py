from tests.search.conftest import found


def test_a_chinese_two_character_word_finds_the_sentence_it_is_in(index_doc):
    post = index_doc("寻找投资人", "我们正在寻找天使轮融资")
    index_doc("团队介绍", "我们的团队来自北京和上海")
    assert found("融资") == [post]


def test_a_chinese_word_inside_a_longer_word_is_found(index_doc):
    post = index_doc("", "欢迎各位投资人参加路演")
    assert found("投资") == [post]


def test_an_english_word_is_found_whatever_its_case(index_doc):
    post = index_doc("Demo day", "Founders pitch to INVESTORS on Friday")
    index_doc("Office hours", "Mentors meet teams every week")
    assert found("investors") == [post]
    assert found("Investors") == [post]


def test_an_english_prefix_finds_the_longer_word(index_doc):
    post = index_doc("", "Calling all founders in fintech")
    index_doc("", "A fund for climate startups")
    assert found("found") == [post]


def test_every_word_of_a_query_must_match(index_doc):
    both = index_doc("", "seed funding for robotics")
    index_doc("", "seed funding for biotech")
    assert found("seed robotics") == [both]


def test_mixed_chinese_and_english_queries_find_mixed_text(index_doc):
    post = index_doc("AI 医疗", "我们做 AI 医疗 SaaS，正在寻找 CTO")
    index_doc("", "我们做教育 SaaS")
    assert found("AI 医疗") == [post]


def test_a_single_chinese_character_is_found_through_the_fallback(index_doc):
    post = index_doc("", "我们正在寻找天使轮融资")
    index_doc("", "我们的团队来自北京")
    assert found("融") == [post]


def test_a_word_the_segmenter_cuts_differently_is_still_found_by_substring(index_doc):
    post = index_doc("", "我们正在寻找天使轮融资")
    assert found("轮融") == [post]


def test_a_query_that_matches_nothing_finds_nothing(index_doc):
    index_doc("Demo day", "Founders pitch to investors")
    assert found("blockchain") == []
    assert found("区块链") == []


def test_an_empty_or_blank_query_finds_nothing(index_doc):
    index_doc("Demo day", "Founders pitch to investors")
    assert found("") == []
    assert found("   ") == []
