from seedbed.search.services import search


def only_hit(query):
    page = search(query, member_community_ids=[])
    assert page.total == 1
    return page.hits[0]


def test_the_matched_english_word_is_marked_in_title_and_snippet(index_doc):
    index_doc("Founders breakfast", "Founders meet investors over coffee")
    hit = only_hit("found")
    assert hit.title_html == "<mark>Founders</mark> breakfast"
    assert hit.snippet_html == "<mark>Founders</mark> meet investors over coffee"


def test_the_matched_chinese_word_is_marked_without_spaces_around_it(index_doc):
    index_doc("", "我们正在寻找天使轮融资，欢迎联系")
    assert only_hit("融资").snippet_html == "我们正在寻找天使轮<mark>融资</mark>，欢迎联系"


def test_a_single_character_found_by_the_fallback_is_marked(index_doc):
    index_doc("", "我们正在寻找天使轮融资")
    assert only_hit("融").snippet_html == "我们正在寻找天使轮<mark>融</mark>资"


def test_markup_in_the_document_comes_back_escaped(index_doc):
    index_doc(
        "<b>Pitch</b> & <i>demo</i>",
        'Pitch <script>alert("x")</script> night <img src=x onerror=alert(1)>',
    )
    hit = only_hit("pitch")
    assert hit.title_html == "&lt;b&gt;<mark>Pitch</mark>&lt;/b&gt; &amp; &lt;i&gt;demo&lt;/i&gt;"
    assert hit.snippet_html == (
        "<mark>Pitch</mark> &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; night "
        "&lt;img src=x onerror=alert(1)&gt;"
    )


def test_a_query_that_looks_like_markup_is_escaped_too(index_doc):
    index_doc("", "see <script> tags in the wild")
    hit = search("<script>", member_community_ids=[]).hits[0]
    assert "<script>" not in hit.snippet_html
    assert "&lt;<mark>script</mark>&gt;" in hit.snippet_html


def test_the_only_tags_in_highlighted_html_are_marks(index_doc):
    index_doc("<mark>fake</mark> <script>x</script>", "<div>融资</div> <mark>融资</mark>")
    hit = only_hit("融资")
    for html in (hit.title_html, hit.snippet_html):
        stripped = html.replace("<mark>", "").replace("</mark>", "")
        assert "<" not in stripped and ">" not in stripped


def test_a_long_body_is_cut_to_a_window_around_the_first_match(index_doc):
    before = "lorem ipsum dolor sit amet " * 20
    after = " consectetur adipiscing elit" * 20
    index_doc("", before + "robotics" + after)
    snippet = only_hit("robotics").snippet_html
    text = snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<mark>robotics</mark>" in snippet
    assert text.startswith("…") and text.endswith("…")
    assert 120 <= len(text) <= 170


def test_a_long_chinese_body_is_cut_around_the_match(index_doc):
    index_doc("", "今天天气很好。" * 40 + "我们正在寻找天使轮融资。" + "欢迎大家参加活动。" * 40)
    snippet = only_hit("融资").snippet_html
    text = snippet.replace("<mark>", "").replace("</mark>", "")
    assert "天使轮<mark>融资</mark>" in snippet
    assert text.startswith("…") and text.endswith("…")
    assert 120 <= len(text) <= 170


def test_without_a_match_in_the_body_the_snippet_is_the_start_of_the_body(index_doc):
    index_doc("Robotics meetup", "Bring your robot. " * 30)
    snippet = only_hit("robotics").snippet_html
    assert snippet.startswith("Bring your robot.")
    assert snippet.endswith("…")
    assert "<mark>" not in snippet


def test_line_breaks_in_the_body_become_single_spaces(index_doc):
    index_doc("", "first line\n\nsecond   line about robotics")
    assert only_hit("robotics").snippet_html == "first line second line about <mark>robotics</mark>"
