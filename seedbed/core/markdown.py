"""User Markdown to safe HTML, mentions and plain text: the one place where this happens.

Every member-written body (community descriptions, posts, replies, event and project
descriptions) goes through :func:`render_markdown` before it reaches a page, so the rules
below are the whole policy:

- markdown-it-py parses CommonMark plus tables, strikethrough and linkify, with raw HTML
  turned off: ``<b>`` typed by a member is shown as the text ``<b>``, never passed through.
- nh3 then sanitises the rendered HTML against an explicit allow-list. Our renderer emits only
  what is on that list, so nh3 changes nothing in the normal case; it is there so that a bug
  in the parser, a plugin or a renderer rule of ours cannot turn into an XSS hole.
- Links keep only the http, https and mailto schemes, or are relative (see
  :func:`_is_allowed_url`), and every link gets ``rel="nofollow ugc noopener noreferrer"``.
- Images become links (see :func:`_render_image_as_link`); headings are demoted by two levels
  (see :func:`_demote_headings`).

The output is a ``str`` of HTML; callers wrap it with ``mark_safe``. Length limits belong to
the callers' forms and models, which use :data:`MAX_BODY_CHARS`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

__all__ = [
    "MAX_BODY_CHARS",
    "extract_mentions",
    "plain_text",
    "render_markdown",
    "render_with_mentions",
]

MAX_BODY_CHARS = 20_000

MentionResolver = Callable[[str], str | None]

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}, "ol": {"start"}}

_CELL_ALIGNMENTS = {"left", "center", "right"}

LINK_REL = "nofollow ugc noopener noreferrer"

_SCHEME_PREFIX = re.compile(r"[^/?#]*?:")

_MENTION_START = r"(?<![A-Za-z0-9_.+\-/@])@"
_MENTION_WORD = r"\w(?:[\w.\-]*\w)?"
_MENTION = re.compile(rf"{_MENTION_START}({_MENTION_WORD})")

_HEADING_SHIFT = 2


def _is_allowed_url(url: str) -> bool:
    """Accept http, https and mailto URLs, and relative ones.

    Relative links are allowed because posts point at other pages of the site (an event, a
    profile, an anchor) and a URL without a scheme cannot run script. A URL counts as
    relative only when no colon comes before its first ``/``, ``?`` or ``#``; anything else
    (``java%09script:``, ``data:``, an unknown scheme) is refused. Browsers drop whitespace and
    control characters inside a scheme, so we drop them before looking at it.
    """
    cleaned = "".join(ch for ch in url if not (ch.isspace() or unicodedata.category(ch) == "Cc"))
    prefix = _SCHEME_PREFIX.match(cleaned)
    return prefix is None or prefix.group()[:-1].lower() in ALLOWED_SCHEMES


def _demote_headings(state: StateCore) -> None:
    """Shift headings down two levels (``#`` becomes h3), capped at h6.

    A post sits inside a page that already has its h1 and h2; a member's ``# Title`` must not
    outrank the page's own headings, in the layout or in the document outline that screen
    readers navigate by. Shifting (rather than clamping) keeps the post's own hierarchy.
    """
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + _HEADING_SHIFT, 6)
            token.tag = f"h{level}"


def _align_cells_without_style(state: StateCore) -> None:
    """Express table column alignment as ``align`` instead of ``style``.

    The sanitiser allows no ``style`` attribute at all (it is an injection surface and our
    CSP would block it anyway); ``align`` restricted to three values keeps the author's
    alignment without opening that door.
    """
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and token.attrs:
            style = str(token.attrs.pop("style", ""))
            alignment = style.removeprefix("text-align:")
            if alignment in _CELL_ALIGNMENTS:
                token.attrs["align"] = alignment


def _strikethrough_as_del(state: StateCore) -> None:
    """Mark ``~~struck~~`` text up as ``<del>``, as GitHub does, rather than markdown-it's ``<s>``.

    Keeping one element for it keeps the allow-list short.
    """
    for block in state.tokens:
        for token in block.children or []:
            if token.type in ("s_open", "s_close"):
                token.tag = "del"


def _mark_images_inside_links(state: StateCore) -> None:
    for block in state.tokens:
        depth = 0
        for token in block.children or []:
            depth += (token.type == "link_open") - (token.type == "link_close")
            if token.type == "image" and depth > 0:
                token.meta["inside_link"] = True


def _mention_pattern(names: Collection[str]) -> re.Pattern[str]:
    """A mention is ``@`` and one of ``names`` (longest first; a name may contain spaces, such
    as a display name) not followed by a Latin letter or digit, else ``@`` and one word."""
    if not names:
        return _MENTION
    known = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True) if n)
    return re.compile(rf"{_MENTION_START}((?:{known})(?![A-Za-z0-9_])|{_MENTION_WORD})")


def _mentions_in(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(1)) for m in pattern.finditer(text)]


def _link_mentions(state: StateCore) -> None:
    """Find @mentions in text nodes, record them in ``env`` and link the resolvable ones.

    Working on the token stream means code spans and blocks (separate token types), link text
    (including the text of e-mail addresses linkify turned into mailto links) and image alt text
    never yield mentions, and nothing here ever has to parse HTML.
    """
    env = state.env
    found: list[str] = env.setdefault("mentions", [])
    resolve: MentionResolver | None = env.get("mention_url")
    resolved: dict[str, str | None] = env.setdefault("mention_urls", {})
    pattern: re.Pattern[str] = env.get("mention_pattern", _MENTION)
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        link_depth = 0
        for token in block.children:
            if token.type == "link_open":
                link_depth += 1
            elif token.type == "link_close":
                link_depth -= 1
            if token.type != "text" or link_depth or "@" not in token.content:
                children.append(token)
                continue
            children.extend(_split_mentions(state, token, pattern, found, resolve, resolved))
        block.children = children


def _split_mentions(
    state: StateCore,
    token: Token,
    pattern: re.Pattern[str],
    found: list[str],
    resolve: MentionResolver | None,
    resolved: dict[str, str | None],
) -> list[Token]:
    content = token.content
    mentions = _mentions_in(content, pattern)
    if not mentions:
        return [token]
    found.extend(handle for _, _, handle in mentions)
    if resolve is None:
        return [token]
    pieces: list[Token] = []
    position = 0
    for start, end, handle in mentions:
        if handle not in resolved:
            url = resolve(handle)
            if url is not None:
                url = state.md.normalizeLink(url)
                if not state.md.validateLink(url):
                    url = None
            resolved[handle] = url
        url = resolved[handle]
        if url is None:
            continue
        if start > position:
            pieces.append(_text_token(content[position:start], token.level))
        link_open = Token("link_open", "a", 1, level=token.level, markup="mention")
        link_open.attrs = {"href": url}
        pieces.append(link_open)
        pieces.append(_text_token(content[start:end], token.level + 1))
        pieces.append(Token("link_close", "a", -1, level=token.level, markup="mention"))
        position = end
    if position < len(content):
        pieces.append(_text_token(content[position:], token.level))
    return pieces


def _text_token(content: str, level: int) -> Token:
    return Token("text", "", 0, content=content, level=level)


def _render_image_as_link(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: dict[str, Any],
) -> str:
    """Render ``![alt](src)`` as a link to the image, labelled with its alt text.

    An ``<img>`` pointing elsewhere would make every reader's browser fetch from a third
    party, and the product promises pages that make no third-party requests (nor can we
    proxy and scan images yet). A link keeps what the author meant to share, one click away.
    Inside a link (a linked badge) the alt text alone is shown, since links cannot nest.
    """
    token = tokens[idx]
    label = self.renderInlineAsText(token.children or [], options, env)
    if token.meta.get("inside_link"):
        return escapeHtml(label)
    src = str(token.attrGet("src") or "")
    title = token.attrGet("title")
    title_attr = f' title="{escapeHtml(str(title))}"' if title else ""
    return f'<a href="{escapeHtml(src)}"{title_attr}>{escapeHtml(label or src)}</a>'


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["table", "strikethrough", "linkify"])
    md.validateLink = _is_allowed_url  # type: ignore[method-assign]
    md.core.ruler.push("seedbed_headings", _demote_headings)
    md.core.ruler.push("seedbed_table_alignment", _align_cells_without_style)
    md.core.ruler.push("seedbed_strikethrough", _strikethrough_as_del)
    md.core.ruler.push("seedbed_images_in_links", _mark_images_inside_links)
    md.core.ruler.push("seedbed_mentions", _link_mentions)
    md.add_render_rule("image", _render_image_as_link)
    return md


_parser = _build_parser()

_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes=ALLOWED_ATTRIBUTES,
    tag_attribute_values={"th": {"align": _CELL_ALIGNMENTS}, "td": {"align": _CELL_ALIGNMENTS}},
    url_schemes=set(ALLOWED_SCHEMES),
    url_relative="pass_through",
    link_rel=LINK_REL,
    strip_comments=True,
)


def render_markdown(
    text: str, mention_url: MentionResolver | None = None, *, mention_names: Collection[str] = ()
) -> str:
    """Render member-written Markdown to HTML that is safe to put on a page as it is.

    ``mention_url`` maps a mentioned name (without the ``@``) to the URL of that member's
    profile, or to ``None`` when there is no such member (or the reader may not see them);
    resolvable mentions become links, the rest stay text. It is called once per distinct name.
    A mention is one word (a handle) unless it is one of ``mention_names``, which may contain
    spaces (display names such as "Umar Chen").
    """
    return render_with_mentions(text, mention_url, mention_names=mention_names)[0]


def render_with_mentions(
    text: str, mention_url: MentionResolver | None, *, mention_names: Collection[str] = ()
) -> tuple[str, list[str]]:
    """:func:`render_markdown`, and the mentioned names that became links, in order of first
    appearance: whoever is told about a mention must be exactly whoever is linked."""
    env: dict[str, Any] = {
        "mention_url": mention_url,
        "mention_pattern": _mention_pattern(mention_names),
    }
    html = _cleaner.clean(_parser.render(text, env))
    return html, [name for name, url in env.get("mention_urls", {}).items() if url is not None]


def extract_mentions(text: str) -> list[str]:
    """Return the handles mentioned in ``text``, in order of first appearance, without ``@``.

    A mention is ``@`` followed by a run of word characters (Latin, digits, CJK and other
    scripts, ``_``) that may contain ``.`` and ``-`` inside but not at its end, so
    ``@王伟，你好`` and ``thanks @ada.`` both find the name. Mentions inside code, inside
    link text and in e-mail addresses (``a@b.com``) do not count, exactly as in
    :func:`render_markdown`. Handles come back as written; callers normalise them (handles are
    stored lower-case). To tell people about mentions, use what :func:`render_with_mentions`
    linked, so notifications and links agree.
    """
    env: dict[str, Any] = {}
    _parser.parse(text, env)
    return list(dict.fromkeys(env.get("mentions", [])))


def _is_cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F") and char.isalnum()


def _inline_text(tokens: Sequence[Token], parts: list[str]) -> None:
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            _inline_text(token.children or [], parts)


def plain_text(text: str, limit: int | None = None) -> str:
    """Reduce Markdown to one line of plain text, for search indexing, digests and snippets.

    The result is text, not HTML: entities are decoded (``&lt;`` becomes ``<``), so templates
    must escape it as usual. With ``limit``, the result is at most ``limit`` characters,
    ellipsis included, cut on a word boundary: a space, or either side of a CJK character,
    since Chinese has no spaces between words. A single word longer than the limit is cut
    where the limit falls.
    """
    if limit is not None and limit < 1:
        raise ValueError("limit must be at least 1")
    parts: list[str] = []
    for token in _parser.parse(text, {}):
        if token.type == "inline":
            _inline_text(token.children or [], parts)
        elif token.type in ("code_block", "fence"):
            parts.append(token.content)
        parts.append(" ")
    collapsed = " ".join("".join(parts).split())
    if limit is None or len(collapsed) <= limit:
        return collapsed
    return _truncate(collapsed, limit)


def _truncate(text: str, limit: int) -> str:
    cut = limit - 1
    for i in range(cut, 0, -1):
        before, after = text[i - 1], text[i]
        if after == " " or before == " " or _is_cjk(before) or _is_cjk(after):
            cut = i
            break
    return text[:cut].rstrip() + "…"
