"""Full-text search over communities, posts and replies, in Chinese and English.

The one interface other apps use. Callers push plain text in (``index_document``) and take
highlighted hits out (``search``); which database answers, and how, stays in here:

- SQLite: an FTS5 table over the segmented text, ranked by bm25 with the title weighted;
- PostgreSQL: a generated tsvector with a GIN index, ranked by ts_rank_cd (title weight A,
  body weight B);
- both: when the query is single characters (which no word index holds: a document with
  ``融资`` has no token ``融``) or the index finds nothing, a substring search over title and
  body; on PostgreSQL it also accepts words trigram-similar to a title word, so a small typo
  still finds something.

Visibility is a filter inside every query (public, or a community in ``member_community_ids``),
never a pass over results, so totals and pages never count what the searcher may not see.
A search costs one query (a page with its total), two when the fallback runs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.db import connections, router
from django.db.models import BooleanField, Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import Expression, RawSQL

from seedbed.search import text
from seedbed.search.models import Kind, SearchDocument

__all__ = [
    "KINDS",
    "MAX_LIMIT",
    "SearchHit",
    "SearchPage",
    "index_document",
    "remove_community_documents",
    "remove_document",
    "search",
    "set_community_visibility",
]

KINDS = frozenset(Kind.values)
MAX_LIMIT = 100
TITLE_WEIGHT = 4.0  # bm25 column weight on SQLite; PostgreSQL uses weights A=1.0, B=0.4

_HIT_FIELDS = ("kind", "object_id", "community_id", "title", "body", "url", "created_at")


@dataclass(frozen=True)
class SearchHit:
    kind: str
    object_id: int
    community_id: int | None
    title_html: str
    snippet_html: str
    url: str
    score: float
    created_at: datetime


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    total: int
    query: str


# Writing -----------------------------------------------------------------------------------------


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"Unknown search document kind {kind!r}; use one of {sorted(KINDS)}")
    return kind


def index_document(
    kind: str,
    object_id: int,
    *,
    community_id: int | None,
    is_public: bool,
    title: str,
    body: str,
    url: str,
    created_at: datetime,
) -> None:
    """Add or replace the document for (kind, object_id), in one upsert statement. ``title``
    and ``body`` are plain text; the database index follows the row (triggers on SQLite,
    a generated column on PostgreSQL)."""
    _check_kind(kind)
    title, body = text.clean(title), text.clean(body)
    document = SearchDocument(
        kind=kind,
        object_id=object_id,
        community_id=community_id,
        is_public=bool(is_public),
        title=title,
        body=body,
        url=text.clean(url),
        created_at=created_at,
        index_title=text.index_text(title),
        index_text=text.index_text(body),
    )
    SearchDocument.objects.bulk_create(
        [document],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=[
            "community_id",
            "is_public",
            "title",
            "body",
            "url",
            "created_at",
            "index_title",
            "index_text",
        ],
    )


def remove_document(kind: str, object_id: int) -> None:
    """Take one document out of search; removing a missing one is not an error."""
    _check_kind(kind)
    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()


def remove_community_documents(community_id: int) -> None:
    """Take a community and everything posted in it out of search (archive or delete)."""
    SearchDocument.objects.filter(
        Q(community_id=community_id) | Q(kind=Kind.COMMUNITY, object_id=community_id)
    ).delete()


def set_community_visibility(community_id: int, *, is_public: bool) -> None:
    """Flip the visibility of everything in a community in one statement, so no document of a
    community that just went private stays findable by outsiders."""
    SearchDocument.objects.filter(
        Q(community_id=community_id) | Q(kind=Kind.COMMUNITY, object_id=community_id)
    ).update(is_public=bool(is_public))


# Searching ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scope:
    """Who is searching for what: the visibility and kind filters every query carries."""

    community_ids: tuple[int, ...]
    kinds: tuple[str, ...] | None

    def queryset(self, using: str) -> QuerySet[SearchDocument]:
        visible = Q(is_public=True)
        if self.community_ids:
            visible |= Q(community_id__in=self.community_ids)
        qs = SearchDocument.objects.using(using).filter(visible)
        if self.kinds is not None:
            qs = qs.filter(kind__in=self.kinds)
        return qs


class _Matcher(Protocol):
    def matches(self, parsed: text.ParsedQuery, scope: _Scope) -> tuple[str, Sequence[Any]]:
        """SQL and parameters selecting ``id, score, created_at`` of every visible match."""
        ...


class _SqliteFts:
    """FTS5 MATCH joined to the documents; bm25 is negative-is-better, so the score is its
    negation. Ids and kinds travel as one JSON parameter each (json_each), so a member of many
    communities never hits SQLite's limit on bound variables."""

    def __init__(self, using: str):
        self.using = using

    def matches(self, parsed: text.ParsedQuery, scope: _Scope) -> tuple[str, Sequence[Any]]:
        table = connections[self.using].ops.quote_name(SearchDocument._meta.db_table)
        sql = (
            f"SELECT d.id AS id, -bm25(search_fts, {TITLE_WEIGHT}, 1.0) AS score, "  # noqa: S608 (constants)
            f"d.created_at AS created_at "
            f"FROM search_fts JOIN {table} d ON d.id = search_fts.rowid "
            "WHERE search_fts MATCH %s "
            "AND (d.is_public OR d.community_id IN (SELECT value FROM json_each(%s)))"
        )
        params: list = [parsed.fts5_match(), json.dumps(list(scope.community_ids))]
        if scope.kinds is not None:
            sql += " AND d.kind IN (SELECT value FROM json_each(%s))"
            params.append(json.dumps(list(scope.kinds)))
        return sql, params


class _PostgresFts:
    """``search_vector @@ to_tsquery('simple', ...)`` over the generated column, ranked by
    ts_rank_cd. The column is not a model field (Django would try to write it), so it enters
    the query as a typed RawSQL expression and Django's search classes do the rest."""

    def __init__(self, using: str):
        self.using = using

    def matches(self, parsed: text.ParsedQuery, scope: _Scope) -> tuple[str, Sequence[Any]]:
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField

        table = connections[self.using].ops.quote_name(SearchDocument._meta.db_table)
        vector = RawSQL(  # noqa: S611 (a constant column name)
            f"{table}.search_vector", [], output_field=SearchVectorField()
        )
        query = SearchQuery(parsed.tsquery(), search_type="raw", config="simple")
        matches = (
            scope.queryset(self.using)
            .alias(vector=vector)
            .filter(vector=query)
            .annotate(score=SearchRank(F("vector"), query, cover_density=True))
        )
        return matches.values("id", "score", "created_at").order_by().query.sql_with_params()


class _Substring:
    """The fallback: every whitespace-separated term must occur in the title or the body
    (case-insensitive, LIKE wildcards escaped), titles first, newest first. On PostgreSQL a
    term of three or more characters may instead be trigram-similar to a word of the title
    (``<%``, served by the title's trigram index), so a misspelt word still finds something;
    bodies are left out of that, as word similarity over long texts is slow."""

    def __init__(self, using: str):
        self.using = using
        self.postgres = connections[using].vendor == "postgresql"
        self.table = connections[using].ops.quote_name(SearchDocument._meta.db_table)

    def _contains(self, column: str, term: str) -> Q:
        if not self.postgres:
            return Q(**{f"{column}__icontains": term})
        # Django spells icontains UPPER(col) LIKE UPPER(...) on PostgreSQL, which the trigram
        # index on the bare column cannot serve; ILIKE can, and plain LIKE is cheaper still
        # for caseless text such as Chinese.
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"
        operator = "LIKE" if term.lower() == term.upper() else "ILIKE"
        condition = RawSQL(  # noqa: S611 (constant column and operator, bound pattern)
            f"{self.table}.{column} {operator} %s", [pattern], output_field=BooleanField()
        )
        return Q(condition)

    def matches(self, parsed: text.ParsedQuery, scope: _Scope) -> tuple[str, Sequence[Any]]:
        condition = Q()
        score: Expression = Value(0.0, output_field=FloatField())
        for term in parsed.terms:
            in_title = self._contains("title", term)
            # A term not in the title is in the body, so only title hits need scoring.
            score += Case(When(in_title, then=Value(1.0)), default=Value(0.0))
            if self.postgres and len(term) >= 3:
                from django.contrib.postgres.search import TrigramWordSimilarity

                similar = RawSQL(  # noqa: S611 (constant column, bound term)
                    f"%s <%% {self.table}.title", [term], output_field=BooleanField()
                )
                in_title |= Q(similar)
                score += TrigramWordSimilarity(Value(term), "title")  # type: ignore[arg-type]
            condition &= in_title | self._contains("body", term)
        matches = scope.queryset(self.using).filter(condition).annotate(score=score)
        return matches.values("id", "score", "created_at").order_by().query.sql_with_params()


def _page_and_total(
    using: str, matches: tuple[str, Sequence[Any]], limit: int, offset: int
) -> tuple[list[SearchDocument], int]:
    """One page of matches, best first then newest, and their total, in one query: the matches
    are computed once (a CTE used twice is materialised on both databases), counted, and only
    the page's rows are joined back to the documents. The count sits on the left of a LEFT
    JOIN, so a page past the end still brings back the total."""
    sql, params = matches
    ops = connections[using].ops
    table = ops.quote_name(SearchDocument._meta.db_table)
    columns = ", ".join(f"d.{ops.quote_name(name)}" for name in ("id", *_HIT_FIELDS))
    query = (
        f"WITH m AS ({sql}) "  # noqa: S608 (compiled by Django or built from constants)
        f"SELECT t.total AS total, p.score AS score, {columns} "
        "FROM (SELECT count(*) AS total FROM m) t "
        "LEFT JOIN (SELECT * FROM m ORDER BY score DESC, created_at DESC, id DESC "
        "LIMIT %s OFFSET %s) p ON TRUE "
        f"LEFT JOIN {table} d ON d.id = p.id "
        "ORDER BY p.score DESC, p.created_at DESC, p.id DESC"
    )
    rows = list(SearchDocument.objects.db_manager(using).raw(query, [*params, limit, offset]))
    return [row for row in rows if row.pk is not None], rows[0].total  # type: ignore[attr-defined]  # raw() column


_FULL_TEXT: dict[str, Callable[[str], _Matcher]] = {
    "sqlite": _SqliteFts,
    "postgresql": _PostgresFts,
}


def search(
    query: str,
    *,
    member_community_ids: Collection[int],
    kinds: Collection[str] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """Documents matching ``query`` that the searcher may see (public, or in one of
    ``member_community_ids``), best first and newest first on ties. ``limit`` is capped at
    MAX_LIMIT. Any query string is accepted; bad ``kinds``, ``limit`` or ``offset`` raise
    ValueError naming the argument."""
    if kinds is not None:
        kinds = tuple(sorted({_check_kind(k) for k in kinds}))
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError("limit must be a positive integer")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise ValueError("offset must be a non-negative integer")
    limit = min(limit, MAX_LIMIT)
    parsed = text.parse_query(query)
    if parsed.is_empty or kinds == ():
        return SearchPage(hits=[], total=0, query=parsed.text)
    scope = _Scope(community_ids=tuple(sorted({int(i) for i in member_community_ids})), kinds=kinds)
    using = router.db_for_read(SearchDocument)

    total, pattern = 0, parsed.token_pattern
    rows: list[SearchDocument] = []
    full_text = _FULL_TEXT.get(connections[using].vendor)
    if full_text is not None and not parsed.needs_fallback_only:
        matcher = full_text(using)
        rows, total = _page_and_total(using, matcher.matches(parsed, scope), limit, offset)
    if total == 0:
        pattern = parsed.term_pattern
        fallback = _Substring(using).matches(parsed, scope)
        rows, total = _page_and_total(using, fallback, limit, offset)

    hits = [
        SearchHit(
            kind=row.kind,
            object_id=row.object_id,
            community_id=row.community_id,
            title_html=text.highlight(row.title, pattern),
            snippet_html=text.snippet(row.body, pattern),
            url=row.url,
            score=float(row.score),  # type: ignore[attr-defined]
            created_at=row.created_at,
        )
        for row in rows
    ]
    return SearchPage(hits=hits, total=total, query=parsed.text)


def reindex_all(batch_size: int = 1000) -> int:
    """Recompute every document's index text, after a change in how text is cut."""
    done = 0
    documents = SearchDocument.objects.only("pk", "title", "body").order_by("pk")
    for start in range(0, documents.count(), batch_size):
        batch = list(documents[start : start + batch_size])
        for document in batch:
            document.index_title = text.index_text(document.title)
            document.index_text = text.index_text(document.body)
        SearchDocument.objects.bulk_update(batch, ["index_title", "index_text"])
        done += len(batch)
    return done
