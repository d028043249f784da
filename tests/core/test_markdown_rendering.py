from html.parser import HTMLParser

import pytest

from seedbed.core.markdown import (
    MAX_BODY_CHARS,
    extract_mentions,
    plain_text,
    render_markdown,
    render_with_mentions,
)

REL = 'rel="nofollow ugc noopener noreferrer"'


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def text_of(html: str) -> str:
    parts: list[str] = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_data = parts.append  # type: ignore[method-assign]
    parser.feed(html)
    parser.close()
    return "".join(parts)


def links(html: str) -> list[dict[str, str | None]]:
    return [attrs for tag, attrs in elements(html) if tag == "a"]


def profile_urls(known: set[str]):
    return lambda handle: f"/members/{handle}/" if handle in known else None


def test_headings_are_demoted_two_levels_so_a_post_cannot_outrank_the_page():
    html = render_markdown("# Title\n\n## Section\n\n### Sub\n\n###### Deep")
    assert html == "<h3>Title</h3>\n<h4>Section</h4>\n<h5>Sub</h5>\n<h6>Deep</h6>\n"


def test_setext_headings_are_demoted_too():
    assert render_markdown("Title\n=====") == "<h3>Title</h3>\n"


def test_emphasis_strong_and_strikethrough_render():
    html = render_markdown("*em* **strong** ~~gone~~")
    assert html == "<p><em>em</em> <strong>strong</strong> <del>gone</del></p>\n"


def test_bullet_and_numbered_lists_render_and_keep_the_start_number():
    html = render_markdown("- a\n- b\n\n3. c\n4. d")
    assert "<ul>\n<li>a</li>\n<li>b</li>\n</ul>" in html
    assert '<ol start="3">\n<li>c</li>\n<li>d</li>\n</ol>' in html


def test_blockquote_and_horizontal_rule_render():
    assert (
        render_markdown("> quoted\n\n---") == "<blockquote>\n<p>quoted</p>\n</blockquote>\n<hr>\n"
    )


def test_tables_render_with_alignment_as_align_attribute_not_style():
    html = render_markdown("| name | amount |\n|:--|--:|\n| 种子轮 | 500万 |")
    assert [(tag, attrs) for tag, attrs in elements(html) if tag in ("th", "td")] == [
        ("th", {"align": "left"}),
        ("th", {"align": "right"}),
        ("td", {"align": "left"}),
        ("td", {"align": "right"}),
    ]
    assert '<td align="left">种子轮</td>' in html
    assert "style" not in html


def test_fenced_code_keeps_its_content_escaped_and_drops_the_language_class():
    html = render_markdown("```python\nif a < b and c > d: print('<b>&amp;</b>')\n```")
    assert html == (
        "<pre><code>if a &lt; b and c &gt; d: print('&lt;b&gt;&amp;amp;&lt;/b&gt;')\n</code></pre>\n"
    )


def test_inline_code_keeps_its_content_escaped():
    assert render_markdown("run `<script>alert(1)</script>`") == (
        "<p>run <code>&lt;script&gt;alert(1)&lt;/script&gt;</code></p>\n"
    )


def test_indented_code_block_keeps_its_content_escaped():
    assert render_markdown("    <i>x</i>") == "<pre><code>&lt;i&gt;x&lt;/i&gt;\n</code></pre>\n"


def test_bare_urls_and_domains_become_links_via_linkify():
    html = render_markdown("see https://seedbed.org/events and www.example.com")
    assert [a["href"] for a in links(html)] == [
        "https://seedbed.org/events",
        "http://www.example.com",
    ]


def test_bare_email_addresses_become_mailto_links():
    assert [a["href"] for a in links(render_markdown("write to team@seedbed.org"))] == [
        "mailto:team@seedbed.org"
    ]


def test_every_link_gets_nofollow_ugc_noopener_noreferrer_and_no_target():
    html = render_markdown("[a](https://a.example) <https://b.example> https://c.example")
    assert len(links(html)) == 3
    for attrs in links(html):
        assert attrs["rel"] == "nofollow ugc noopener noreferrer"
        assert "target" not in attrs


def test_link_title_survives():
    assert links(render_markdown('[a](https://a.example "About A")')) == [
        {"href": "https://a.example", "title": "About A", "rel": "nofollow ugc noopener noreferrer"}
    ]


def test_relative_links_are_allowed_for_pages_of_the_site():
    html = render_markdown("[the event](/events/42/) and [notes](#agenda)")
    assert [a["href"] for a in links(html)] == ["/events/42/", "#agenda"]


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](ftp://files.example/a)",
        "[x](data:text/html,hi)",
        "[x](jav&#x09;ascript:alert(1))",
        "<javascript:alert(1)>",
    ],
)
def test_links_with_other_schemes_are_shown_as_text(source):
    assert links(render_markdown(source)) == []


def test_images_become_links_labelled_with_their_alt_text():
    html = render_markdown('![our *demo* day](https://cdn.example/p.png "Demo day")')
    assert "<img" not in html
    assert html == (
        f'<p><a href="https://cdn.example/p.png" title="Demo day" {REL}>our demo day</a></p>\n'
    )


def test_image_without_alt_text_is_labelled_with_its_url():
    html = render_markdown("![](https://cdn.example/p.png)")
    assert (
        html == f'<p><a href="https://cdn.example/p.png" {REL}>https://cdn.example/p.png</a></p>\n'
    )


def test_image_inside_a_link_leaves_only_its_alt_text_so_links_do_not_nest():
    html = render_markdown("[![build passing](https://ci.example/b.svg)](https://ci.example)")
    assert html == f'<p><a href="https://ci.example" {REL}>build passing</a></p>\n'


def test_chinese_text_passes_through_unchanged():
    text = "我们是一个专注于硬科技的孵化器，欢迎创始人加入！「路演」将于下周三举行。"
    assert render_markdown(text) == f"<p>{text}</p>\n"


def test_mixed_chinese_and_english_emphasis_renders():
    assert render_markdown("**融资** round") == "<p><strong>融资</strong> round</p>\n"


def test_raw_html_in_the_source_is_shown_as_text():
    html = render_markdown('<b onclick="x()">bold</b>\n\n<div>\nblock\n</div>')
    assert [tag for tag, _ in elements(html)] == ["p", "p"]
    assert text_of(html) == '<b onclick="x()">bold</b>\n<div>\nblock\n</div>\n'


def test_raw_html_inside_a_paragraph_is_shown_as_text():
    html = render_markdown("click <a href='/x'>here</a> <!-- note -->")
    assert links(html) == []
    assert text_of(html) == "click <a href='/x'>here</a> <!-- note -->\n"


def test_html_entities_in_the_source_are_decoded_once_and_escaped_again():
    assert render_markdown("AT&amp;T &lt;3 &copy;") == "<p>AT&amp;T &lt;3 ©</p>\n"


def test_max_body_chars_is_exported_for_callers():
    assert MAX_BODY_CHARS == 20_000


def test_mentions_are_extracted_in_order_without_duplicates():
    assert extract_mentions("@grace and @ada.l, then @grace again") == ["grace", "ada.l"]


def test_mentions_in_chinese_stop_at_whitespace_and_punctuation():
    text = "感谢@王伟，还有 @李娜 的分享。cc @lin_xiao!"
    assert extract_mentions(text) == ["王伟", "李娜", "lin_xiao"]


def test_trailing_dots_and_dashes_belong_to_the_sentence_not_the_handle():
    assert extract_mentions("thanks @ada. and @bob-") == ["ada", "bob"]


def test_mentions_in_code_spans_and_blocks_are_ignored():
    text = "`@inline` code\n\n```\n@fenced\n```\n\n    @indented\n\nbut @real"
    assert extract_mentions(text) == ["real"]


def test_email_addresses_are_not_mentions():
    assert extract_mentions("mail ada@example.com or ada@localhost, or a.b+c@x.org") == []


def test_at_signs_inside_urls_and_link_text_are_not_mentions():
    text = "see https://medium.com/@writer and [@label](https://x.example)"
    assert extract_mentions(text) == []


def test_a_lone_at_sign_is_not_a_mention():
    assert extract_mentions("meet @ 3pm, @ home") == []


def test_mentions_whose_callable_returns_a_url_become_links():
    html = render_markdown("hi @grace and @王伟", mention_url=profile_urls({"grace", "王伟"}))
    assert html == (
        f'<p>hi <a href="/members/grace/" {REL}>@grace</a> and '
        f'<a href="/members/%E7%8E%8B%E4%BC%9F/" {REL}>@王伟</a></p>\n'
    )


def test_unknown_handles_stay_text():
    html = render_markdown("hi @grace and @nobody", mention_url=profile_urls({"grace"}))
    assert html == f'<p>hi <a href="/members/grace/" {REL}>@grace</a> and @nobody</p>\n'


def test_mentions_stay_text_without_a_callable():
    assert render_markdown("hi @grace") == "<p>hi @grace</p>\n"


def test_mentions_in_code_are_not_linked():
    html = render_markdown("`@grace`", mention_url=profile_urls({"grace"}))
    assert html == "<p><code>@grace</code></p>\n"


def test_the_mention_callable_is_asked_once_per_handle():
    asked: list[str] = []

    def resolve(handle: str) -> str:
        asked.append(handle)
        return f"/members/{handle}/"

    render_markdown("@grace @grace\n\n- @grace @ada", mention_url=resolve)
    assert asked == ["grace", "ada"]


def test_a_mention_url_with_a_forbidden_scheme_leaves_the_mention_as_text():
    html = render_markdown("@grace", mention_url=lambda handle: "javascript:alert(1)")
    assert html == "<p>@grace</p>\n"


def test_a_known_name_with_a_space_is_one_mention_and_one_link():
    urls = profile_urls({"Umar Chen", "umar"})
    html = render_markdown("thanks @Umar Chen, and @umar", urls, mention_names={"Umar Chen"})
    assert html == (
        f'<p>thanks <a href="/members/Umar%20Chen/" {REL}>@Umar Chen</a>, and '
        f'<a href="/members/umar/" {REL}>@umar</a></p>\n'
    )


def test_a_known_name_only_counts_where_the_word_ends():
    html = render_markdown("@Umar Chenko", profile_urls({"Umar Chen"}), mention_names={"Umar Chen"})
    assert html == "<p>@Umar Chenko</p>\n"


def test_rendering_tells_which_mentions_became_links():
    html, linked = render_with_mentions(
        "@贾雨桐，@nobody `@grace` @Umar Chen @贾雨桐",
        profile_urls({"贾雨桐", "Umar Chen", "grace"}),
        mention_names={"贾雨桐", "Umar Chen"},
    )
    assert linked == ["贾雨桐", "Umar Chen"]
    assert html.count("<a ") == 3


def test_plain_text_has_no_markup_and_collapsed_whitespace():
    source = "# Demo day\n\n**Pitch**   your [startup](https://x.example)!\n\n- one\n- `two`\n\n```\na   b\n```"
    assert plain_text(source) == "Demo day Pitch your startup! one two a b"


def test_plain_text_keeps_image_alt_text_and_decodes_entities():
    assert (
        plain_text("![team photo](https://x.example/p.png) AT&amp;T <b>") == "team photo AT&T <b>"
    )


def test_plain_text_without_a_limit_is_not_cut():
    text = "word " * 1000
    assert plain_text(text) == text.strip()


def test_plain_text_shorter_than_the_limit_is_not_cut():
    assert plain_text("short text", limit=10) == "short text"


def test_plain_text_is_cut_on_a_word_boundary_with_an_ellipsis_within_the_limit():
    result = plain_text("Founders meet investors every Thursday", limit=20)
    assert result == "Founders meet…"
    assert len(result) <= 20


def test_plain_text_in_chinese_is_cut_between_characters():
    result = plain_text("我们是一个专注于硬科技的孵化器", limit=8)
    assert result == "我们是一个专注…"


def test_plain_text_with_one_long_word_is_cut_at_the_limit():
    assert plain_text("Supercalifragilistic", limit=6) == "Super…"


def test_plain_text_rejects_a_limit_below_one():
    with pytest.raises(ValueError, match="limit"):
        plain_text("x", limit=0)
