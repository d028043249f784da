import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seedbed.search.services import search
from seedbed.search.text import parse_query
from tests.search.conftest import found

SYNTAX = [
    '"',
    "'",
    "*",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(",
    "(",
    ")",
    "-",
    "+",
    ":",
    "^",
    "{",
    "}",
    "title:",
    "index_text:",
    "&",
    "|",
    "!",
    "<->",
    ":*",
    "%",
    "_",
    "\\",
    "\x00",
    "''",
    '""',
    "*:",
    " ",
    "融资",
    "融",
    "found",
    "a",
    "\t",
    "\n",
    "；",
    "　",
    "<script>",
    "%%",
    "\\%",
]
hostile = st.lists(st.sampled_from(SYNTAX) | st.text(max_size=8), max_size=12).map("".join)
any_text = st.text(max_size=300)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@pytest.mark.slow
@given(query=hostile | any_text, offset=st.integers(0, 5), member_of=st.lists(st.integers(1, 4)))
def test_no_query_string_makes_search_raise(index_doc, query, offset, member_of):
    if not getattr(index_doc, "seeded", False):
        index_doc("融资 Founders", '我们正在寻找天使轮融资 founders AND investors (NEAR) * - : "x"')
        index_doc("", "100% of 50_50 \\ deals", community_id=2, is_public=False)
        index_doc.seeded = True
    page = search(query, member_community_ids=member_of, limit=3, offset=offset)
    assert page.total >= len(page.hits)
    for hit in page.hits:
        assert "<script>" not in hit.title_html + hit.snippet_html


def test_query_syntax_is_searched_as_plain_words(index_doc):
    post = index_doc("", "pros or cons of NEAR field payments")
    assert [(h.kind, h.object_id) for h in search("near", member_community_ids=[]).hits] == [post]
    assert search('"pros" OR "cons"', member_community_ids=[]).total == 1
    assert search("pros OR gardening", member_community_ids=[]).total == 0
    assert search("NOT payments", member_community_ids=[]).total == 0
    assert search("payments -pros", member_community_ids=[]).total == 1


def test_percent_and_underscore_are_literal_in_the_fallback(index_doc):
    index_doc("", "we sold 100% of it")
    index_doc("", "we sold 1000 of it")
    assert search("%", member_community_ids=[]).total == 1
    assert search("_", member_community_ids=[]).total == 0


def test_every_query_token_is_quoted_for_fts5_and_tsquery():
    parsed = parse_query('fo"o AND bar*')
    assert parsed.tokens == ("fo", "o", "and", "bar")
    assert parsed.fts5_match() == '"fo" "o" "and"* "bar"*'
    assert parsed.tsquery() == "'fo' & 'o' & 'and':* & 'bar':*"


def test_a_two_letter_latin_word_is_matched_whole_but_longer_words_as_prefixes(index_doc):
    ai = index_doc("", "AI for clinics")
    index_doc("", "Our aim is air quality")
    founders = index_doc("", "founders meet")
    assert found("AI") == [ai]
    assert found("found") == [founders]


@given(st.text(max_size=50))
def test_built_full_text_queries_never_leave_a_quote_open(query):
    parsed = parse_query(query)
    assert parsed.fts5_match().replace('""', "").count('"') == 2 * len(parsed.tokens)
    assert parsed.tsquery().replace("''", "").count("'") == 2 * len(parsed.tokens)
