"""Segmentation, query parsing and highlighting for search, shared by both database backends.

Neither SQLite nor PostgreSQL can cut Chinese into words, so the cutting happens here: the stored
``index_title``/``index_text`` hold space-joined tokens (jieba's search-mode words for CJK runs,
lower-cased word runs otherwise), and the databases only split on spaces. Queries go through the
same function, so a query token always has a chance to equal an indexed token.

Snippets and highlights are computed here from the stored plain text, so both databases return
the same HTML for the same hit.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import jieba
from django.utils.html import escape

jieba.setLogLevel(logging.WARNING)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_WORD = re.compile(r"[^\W_]+")
_LATIN_CHAR = rf"(?:(?![{_CJK}])[^\W_])"
_UNSAFE = re.compile("[\x00\ud800-\udfff]")

MAX_QUERY_CHARS = 200
MAX_QUERY_TOKENS = 16
MAX_FALLBACK_TERMS = 8
MAX_INDEX_CHARS = 100_000
SNIPPET_CHARS = 160
ELLIPSIS = "…"


def clean(text: str) -> str:
    """Drop what no database accepts in a text value (NUL, lone surrogates)."""
    return _UNSAFE.sub("", text or "")


def tokens(text: str) -> list[str]:
    """Index and query tokens of ``text``, in order, repeats kept."""
    text = unicodedata.normalize("NFKC", clean(text)).lower()
    out: list[str] = []
    pos = 0
    for run in _CJK_RUN.finditer(text):
        out.extend(_WORD.findall(text, pos, run.start()))
        # HMM off: its guesses at unknown words depend on the context, so a name cut as one
        # word inside a title could be cut differently when typed alone as a query. Without it
        # an unknown word falls apart into the same characters in both places.
        out.extend(w for w in jieba.lcut_for_search(run.group(), HMM=False) if w.strip())
        pos = run.end()
    out.extend(_WORD.findall(text, pos))
    return out


def index_text(text: str) -> str:
    """The space-joined tokens stored for the database to index (bounded, because a PostgreSQL
    tsvector holds at most 1 MB)."""
    joined = " ".join(tokens(text))
    if len(joined) > MAX_INDEX_CHARS:
        joined = joined[:MAX_INDEX_CHARS].rsplit(" ", 1)[0]
    return joined


EXACT_LATIN_CHARS = 2


def _star(token: str, star: str) -> str:
    """The prefix operator for ``token``: none for a Latin word of two letters or fewer, which
    as a prefix finds mostly other words ("ai" would find "aim", "air", "aisle")."""
    if len(token) <= EXACT_LATIN_CHARS and not _CJK_CHAR.search(token):
        return ""
    return star


@dataclass(frozen=True)
class ParsedQuery:
    """A user's query, cut the way documents are cut, plus the raw terms for the substring
    fallback."""

    text: str
    tokens: tuple[str, ...] = field(default=())
    terms: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not self.terms

    @property
    def needs_fallback_only(self) -> bool:
        """Single characters (``融``, ``a``) are not words to jieba or to the full-text index:
        a document holding ``融资`` has no token ``融``. They go straight to substring search."""
        return not self.tokens or all(len(t) < 2 for t in self.tokens)

    def fts5_match(self) -> str:
        """An FTS5 MATCH expression: every token as a quoted string, with a prefix star unless
        it is a short Latin word, joined by FTS5's implicit AND. Quoting makes operators (AND,
        NEAR, ``-``, ``:``, ``(``) plain text; a double quote inside a token is doubled,
        FTS5's only escape inside strings."""
        return " ".join('"' + t.replace('"', '""') + '"' + _star(t, "*") for t in self.tokens)

    def tsquery(self) -> str:
        """A ``to_tsquery`` expression: every token a quoted lexeme (prefix-matched unless a
        short Latin word), joined by ``&``. Inside quotes only ``'`` and ``\\`` are special,
        so they are escaped."""
        quoted = (
            "'" + t.replace("\\", "\\\\").replace("'", "''") + "'" + _star(t, ":*")
            for t in self.tokens
        )
        return " & ".join(quoted)

    @cached_property
    def token_pattern(self) -> re.Pattern[str] | None:
        """What full-text hits are highlighted by: CJK tokens as substrings, other tokens as
        word starts running to the end of the word (``found`` marks ``founders``)."""
        parts = []
        for token in sorted(set(self.tokens), key=len, reverse=True):
            if _CJK_CHAR.search(token):
                parts.append(re.escape(token))
            else:
                tail = f"{_LATIN_CHAR}*" if _star(token, "*") else rf"(?!{_LATIN_CHAR})"
                parts.append(rf"(?:(?<![^\W_])|(?<=[{_CJK}])){re.escape(token)}{tail}")
        return re.compile("|".join(parts), re.IGNORECASE) if parts else None

    @cached_property
    def term_pattern(self) -> re.Pattern[str] | None:
        """What substring-fallback hits are highlighted by: the raw terms."""
        parts = [re.escape(t) for t in sorted(set(self.terms), key=len, reverse=True)]
        return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def parse_query(query: str) -> ParsedQuery:
    text = " ".join(clean(query).split())[:MAX_QUERY_CHARS].strip()
    unique = tuple(dict.fromkeys(tokens(text)))[:MAX_QUERY_TOKENS]
    terms = tuple(dict.fromkeys(text.split()))[:MAX_FALLBACK_TERMS]
    return ParsedQuery(text=text, tokens=unique, terms=terms)


def highlight(text: str, pattern: re.Pattern[str] | None) -> str:
    """``text`` HTML-escaped, with each match of ``pattern`` wrapped in ``<mark>``. Matches are
    found in the raw text and every piece is escaped separately, so no markup from the text
    survives and no entity is ever split."""
    if pattern is None:
        return escape(text)
    out: list[str] = []
    pos = 0
    for match in pattern.finditer(text):
        if match.end() == match.start():
            continue
        out.append(escape(text[pos : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        pos = match.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def snippet(body: str, pattern: re.Pattern[str] | None, width: int = SNIPPET_CHARS) -> str:
    """About ``width`` characters of ``body`` around its first match (or its start), escaped and
    highlighted, with ellipses where text was cut."""
    body = " ".join(body.split())
    match = pattern.search(body) if pattern is not None else None
    start = 0
    if match is not None and len(body) > width:
        start = max(0, min(match.start() - width // 4, len(body) - width))
        if start > 0 and _WORD.match(body[start - 1]) and not _CJK_CHAR.match(body[start]):
            space = body.find(" ", start, match.start())
            if space != -1 and space - start < 20:
                start = space + 1
    end = min(len(body), start + width)
    if end < len(body) and not _CJK_CHAR.match(body[end - 1]):
        space = body.rfind(" ", start + width // 2, end)
        if space != -1 and end - space < 20:
            end = space
    html = highlight(body[start:end], pattern)
    return (ELLIPSIS if start > 0 else "") + html + (ELLIPSIS if end < len(body) else "")


def both_languages(labels: Iterable[Any]) -> str:
    """Choice labels (lazy translations) in English and Chinese, so a member finds a role or
    a stage in either language whatever language the index was written in."""
    from django.utils import translation

    words: list[str] = []
    for language in ("en", "zh-hans"):
        with translation.override(language):
            words.extend(str(label) for label in labels)
    return " ".join(dict.fromkeys(words))
