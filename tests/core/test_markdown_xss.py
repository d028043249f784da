"""Whatever a member types, the rendered HTML carries no script.

One checker, built on Python's own HTML parser (never a regex over HTML), judges both the
hand-written payload corpus and hypothesis-generated Markdown. It is tested on its own first,
so a checker that silently passes everything would fail the suite.
"""

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seedbed.core.markdown import ALLOWED_TAGS, render_markdown

PAYLOADS_FILE = Path(__file__).parent / "data" / "xss_payloads.txt"

FORBIDDEN_ELEMENTS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
    "style", "link", "meta", "base", "form", "input", "button", "textarea", "select",
    "img", "video", "audio", "source", "template", "noscript",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "srcset", "action", "formaction", "data", "poster", "background",
    "xlink:href", "codebase", "cite", "longdesc", "manifest",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"[^/?#]*?:")


def url_scheme(value: str) -> str | None:
    """The scheme a browser could see in an (already HTML-unescaped) attribute value.

    Whitespace and control/format characters are removed everywhere, which is stricter than
    browsers (they remove tabs and newlines anywhere, others only at the ends). ``None`` means
    the URL is relative: no colon before its first ``/``, ``?`` or ``#``.
    """
    cleaned = "".join(
        ch for ch in value if not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"))
    ).lower()
    match = _SCHEME.match(cleaned)
    return match.group()[:-1] if match else None


class _UnsafeMarkupFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"element <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            elif name == "style":
                self.problems.append(f"style= on <{tag}>")
            elif name in URL_ATTRIBUTES and value is not None:
                scheme = url_scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    self.problems.append(f"{name}={value!r} (scheme {scheme!r}) on <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"element </{tag}>")

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"comment <!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"declaration <!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"processing instruction <?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.problems.append(f"declaration <![{data}]>")


def unsafe_markup(html: str) -> list[str]:
    """Everything in ``html`` that could run script, load a resource or restyle the page."""
    finder = _UnsafeMarkupFinder()
    finder.feed(html)
    finder.close()
    finder.problems.extend(
        f"element <{tag}> outside the allow-list" for tag in sorted(finder.tags - ALLOWED_TAGS)
    )
    return finder.problems


def _decode(line: str) -> str:
    replacements = {"n": "\n", "t": "\t", "r": "\r"}
    return re.sub(
        r"\\(?:u([0-9a-fA-F]{4})|([ntr]))",
        lambda m: chr(int(m.group(1), 16)) if m.group(1) else replacements[m.group(2)],
        line,
    )


def load_payloads() -> list[str]:
    lines = PAYLOADS_FILE.read_text(encoding="utf-8").splitlines()
    return [_decode(line) for line in lines if line.strip() and not line.startswith("#")]


PAYLOADS = load_payloads()


def profile_url(handle: str) -> str:
    return f"/members/{handle}/"


def hostile_url(handle: str) -> str:
    return "javascript:alert(1)" if len(handle) % 2 else "data:text/html,<script>alert(1)</script>"


def assert_safe(source: str) -> None:
    for resolver in (None, profile_url, hostile_url):
        html = render_markdown(source, mention_url=resolver)
        assert unsafe_markup(html) == [], f"source={source!r}\nresolver={resolver}\nhtml={html!r}"


@pytest.mark.parametrize(
    "html",
    [
        '<a href="javascript:x">x</a>',
        '<a href="JavaScript:x">x</a>',
        '<a href=" jav&#x09;ascript:x">x</a>',
        '<a href="&#106;avascript:x">x</a>',
        '<a href="\x01javascript:x">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<a href="vbscript:x">x</a>',
        '<a href="ftp://x.example/">x</a>',
        '<p onclick="x()">x</p>',
        '<p ONMOUSEOVER="x()">x</p>',
        '<p style="color:red">x</p>',
        "<script>x()</script>",
        "<svg></svg>",
        "<iframe></iframe>",
        "<math></math>",
        "<form></form>",
        "<style></style>",
        "<object></object>",
        "<embed>",
        '<img src="https://x.example/a.png">',
        "<span>x</span>",
        "<!-- x -->",
        "<![CDATA[x]]>",
    ],
)
def test_the_checker_reports_unsafe_html(html):
    assert unsafe_markup(html) != []


@pytest.mark.parametrize(
    "html",
    [
        '<p><a href="https://x.example/a?b=c#d" rel="nofollow">x</a></p>',
        '<a href="http://x.example">x</a>',
        '<a href="mailto:a@b.example">x</a>',
        '<a href="/events/42/">x</a>',
        '<a href="#agenda">x</a>',
        '<a href="a/b:c">x</a>',
        '<table><thead><tr><th align="left">x</th></tr></thead></table>',
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)</p>",
    ],
)
def test_the_checker_accepts_safe_html(html):
    assert unsafe_markup(html) == []


def test_the_corpus_holds_at_least_sixty_payloads():
    assert len(PAYLOADS) >= 60
    assert len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS, ids=[f"line{i}" for i in range(len(PAYLOADS))])
def test_corpus_payload_renders_without_script(payload):
    assert_safe(payload)


def test_payloads_that_look_like_links_render_as_text_not_as_links():
    for payload in ("[x](javascript:alert(1))", "<javascript:alert(1)>", "[x](<javascript:x>)"):
        assert "<a " not in render_markdown(payload)


_URL_PREFIXES = [
    "", "http://", "https://", "mailto:", "//", "/", "#", "javascript:", "JaVaScRiPt:",
    " javascript:", "java\tscript:", "java\nscript:", "jav&#x09;ascript:", "&#106;avascript:",
    "javascript&colon;", "vbscript:", "data:text/html,", "data:image/png;base64,", "file:",
    "\x00javascript:", "\u200bjavascript:", "ｊａｖａｓｃｒｉｐｔ:",
]  # fmt: skip
_TAGS = ["script", "img", "svg", "iframe", "a", "style", "math", "object", "p", "table", "form"]
_ATTRIBUTES = ["onerror", "onload", "href", "src", "style", "xlink:href", "srcdoc", "action"]

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
ascii_text = st.text(alphabet="abc<>\"'`()[]!:/&#;@*_~|\\ \n\t=-x", max_size=20)
urls = st.builds(lambda prefix, rest: prefix + rest, st.sampled_from(_URL_PREFIXES), ascii_text)
link_syntax = st.one_of(
    st.builds("[{}]({})".format, ascii_text, urls),
    st.builds("![{}]({})".format, ascii_text, urls),
    st.builds("[{}](<{}>)".format, ascii_text, urls),
    st.builds('[{}]({} "{}")'.format, ascii_text, urls, ascii_text),
    st.builds("<{}>".format, urls),
    st.builds("[{0}][r]\n\n[r]: {1}\n".format, ascii_text, urls),
    st.builds("![{0}][r]\n\n[r]: <{1}>\n".format, ascii_text, urls),
    urls,
)
html_ish = st.one_of(
    st.builds(
        '<{0} {1}="{2}">{3}</{0}>'.format,
        st.sampled_from(_TAGS),
        st.sampled_from(_ATTRIBUTES),
        urls,
        ascii_text,
    ),
    st.builds("<{} {}={}>".format, st.sampled_from(_TAGS), st.sampled_from(_ATTRIBUTES), urls),
    st.sampled_from(["<!--", "-->", "<![CDATA[", "]]>", "</", "<", ">", "`", "```\n", "\n\n"]),
)
payload_fragment = st.builds(
    lambda payload, start, length: payload[start : start + length],
    st.sampled_from(PAYLOADS),
    st.integers(0, 40),
    st.integers(1, 80),
)
markdown_syntax = st.sampled_from(
    ["# ", "> ", "- ", "1. ", "**", "*", "_", "~~", "`", "| a |\n|---|\n| ", "\n", "    ", "@"]
)
markdown_documents = st.lists(
    st.one_of(text, ascii_text, link_syntax, html_ish, payload_fragment, markdown_syntax),
    max_size=12,
).map("".join)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown_documents)
def test_generated_markdown_renders_without_script(source):
    assert_safe(source)
