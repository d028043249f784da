"""Full-text search over everything people look for: communities, posts and their replies,
events, members, projects and offers, and the library's resources, in Chinese and English.

The one interface other apps use. Each app pushes plain text in (``index_document`` or
``index_documents`` from its ``indexing`` module) and the search page and API take ranked,
highlighted hits out (``search``); which database answers, and how, stays in here:

- SQLite: an FTS5 table over the segmented text, scored by bm25 with the title weighted;
- PostgreSQL: a generated tsvector with a GIN index, scored by ts_rank_cd (title weight A,
  body weight B);
- both: when the query is single characters (which no word index holds: a document with
  ``融资`` has no token ``融``) or the index finds nothing, a substring search over title and
  body; on PostgreSQL it also accepts words trigram-similar to a title word, so a small typo
  still finds something. It stops at ``CANDIDATES`` matches instead of scanning on.

Ranking: text relevance first (scaled to the best match of the query), nudged by the kind of
thing (a community before a post that names it), recency (an event near its date) and
engagement; a post and its replies make one hit per thread, represented by whichever of them
matched best. Content with an open report ranks below everything else; hidden or removed
content is never in the index. Only the best ``CANDIDATES`` matches are ranked and counted,
so counts past that are shown as "1,000+".

Visibility is a filter inside every query (public; signed-in members for members-only
profiles, projects and offers; members of a community for its content; never an inactive
account's profile or offers; never anything of a community the searcher is banned from,
public or not), never a pass over results, so counts and pages never include
what the searcher may not see. A search costs one query (tab counts and a page together), two
when the fallback runs.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from django.db import connections, router
from django.db.models import BooleanField, Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import Expression, RawSQL

from seedbed.search import text
from seedbed.search.models import Kind, SearchDocument

__all__ = [
    "CANDIDATES",
    "KINDS",
    "MAX_LIMIT",
    "TABS",
    "Document",
    "SearchHit",
    "SearchPage",
    "engagement_boost",
    "index_document",
    "index_documents",
    "remove_community_documents",
    "remove_document",
    "remove_documents",
    "search",
    "search_everything",
    "set_community_visibility",
]

KINDS = frozenset(Kind.values)
MAX_LIMIT = 100
CANDIDATES = 1000
TITLE_WEIGHT = 4.0  # bm25 column weight on SQLite; PostgreSQL uses weights A=1.0, B=0.4

TABS: dict[str, tuple[str, ...]] = {
    "community": (Kind.COMMUNITY,),
    "post": (Kind.POST, Kind.REPLY),
    "event": (Kind.EVENT,),
    "member": (Kind.MEMBER,),
    "project": (Kind.PROJECT, Kind.OFFER),
    "resource": (Kind.RESOURCE,),
}
"""The result tabs and the document kinds each holds (a reply is found as its thread)."""

# How much each kind of thing is lifted above a plain post at equal relevance: the page a
# query names (a community, an event) before the conversations that mention it.
TYPE_BOOST = {
    Kind.COMMUNITY: 0.25,
    Kind.EVENT: 0.15,
    Kind.PROJECT: 0.12,
    Kind.RESOURCE: 0.12,
    Kind.OFFER: 0.10,
    Kind.MEMBER: 0.10,
    Kind.POST: 0.05,
    Kind.REPLY: 0.0,
}
RECENCY_WEIGHT = 0.10
RECENCY_DAYS = 90.0


def engagement_boost(count: int) -> float:
    """The ranking lift of ``count`` replies, reactions, members or RSVPs: logarithmic and
    capped, so engagement only ever breaks near-ties in relevance."""
    return min(0.15, 0.03 * math.log1p(max(0, count)))


@dataclass(frozen=True)
class Document:
    """What an app hands to the index. ``title`` is shown and, unless ``title_searchable``
    is off (a reply carries its thread's title only for display), searched with extra
    weight. See ``SearchDocument`` for who sees it."""

    kind: str
    object_id: int
    title: str
    body: str
    url: str
    created_at: datetime
    community_id: int | None = None
    is_public: bool = False
    members_only: bool = False
    owner_id: int | None = None
    thread_id: int | None = None
    starts_at: datetime | None = None
    flag: str = ""
    boost: float = 0.0
    title_searchable: bool = True


@dataclass(frozen=True)
class SearchHit:
    kind: str
    tab: str
    object_id: int
    community_id: int | None
    title_html: str
    snippet_html: str
    url: str
    score: float
    created_at: datetime
    starts_at: datetime | None = None
    flag: str = ""


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    total: int
    query: str
    counts: dict[str, int] = field(default_factory=dict)
    capped: bool = False

    @property
    def all_count(self) -> int:
        return sum(self.counts.values())


# Writing -----------------------------------------------------------------------------------------


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"Unknown search document kind {kind!r}; use one of {sorted(KINDS)}")
    return kind


_UPDATED = [
    "community_id",
    "is_public",
    "members_only",
    "owner_id",
    "thread_id",
    "title",
    "body",
    "url",
    "created_at",
    "starts_at",
    "flag",
    "anchor",
    "boost",
    "index_title",
    "index_text",
]


def _row(doc: Document) -> SearchDocument:
    _check_kind(doc.kind)
    title, body = text.clean(doc.title), text.clean(doc.body)
    moment = doc.starts_at or doc.created_at
    return SearchDocument(
        kind=doc.kind,
        object_id=doc.object_id,
        community_id=doc.community_id,
        is_public=bool(doc.is_public),
        members_only=bool(doc.members_only),
        owner_id=doc.owner_id,
        thread_id=doc.thread_id,
        title=title,
        body=body,
        url=text.clean(doc.url),
        created_at=doc.created_at,
        starts_at=doc.starts_at,
        flag=doc.flag,
        anchor=moment.timestamp() / 86400,
        boost=float(doc.boost),
        index_title=text.index_text(title) if doc.title_searchable else "",
        index_text=text.index_text(body),
    )


def index_documents(docs: Iterable[Document], batch_size: int = 500) -> int:
    """Add or replace many documents, ``batch_size`` per upsert statement; returns how many.
    The database index follows the rows (triggers on SQLite, a generated column on
    PostgreSQL)."""
    done, batch = 0, []
    for doc in docs:
        batch.append(_row(doc))
        if len(batch) == batch_size:
            done += _upsert(batch)
            batch = []
    return done + _upsert(batch)


def _upsert(rows: list[SearchDocument]) -> int:
    if rows:
        SearchDocument.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=_UPDATED,
        )
    return len(rows)


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
    **details: Any,
) -> None:
    """Add or replace the document for (kind, object_id), in one upsert statement; ``details``
    are the other fields of ``Document``."""
    index_documents(
        [
            Document(
                kind,
                object_id,
                title,
                body,
                url,
                created_at,
                community_id=community_id,
                is_public=is_public,
                **details,
            )
        ]
    )


def remove_document(kind: str, object_id: int) -> None:
    """Take one document out of search; removing a missing one is not an error."""
    remove_documents(kind, [object_id])


def remove_documents(kind: str, object_ids: Collection[int]) -> None:
    _check_kind(kind)
    SearchDocument.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()


def remove_community_documents(community_id: int) -> None:
    """Take a community and everything in it (posts, replies, events) out of search."""
    SearchDocument.objects.filter(
        Q(community_id=community_id) | Q(kind=Kind.COMMUNITY, object_id=community_id)
    ).delete()


def set_community_visibility(community_id: int, *, is_public: bool) -> None:
    """Flip the visibility of everything in a community in one statement, so no document of a
    community that just went private stays findable by outsiders."""
    SearchDocument.objects.filter(
        Q(community_id=community_id) | Q(kind=Kind.COMMUNITY, object_id=community_id)
    ).update(is_public=bool(is_public))


def replace_kind(kinds: Collection[str], docs: Iterable[Document]) -> int:
    """Rebuild every document of ``kinds`` from ``docs``: upsert them, then drop the documents
    of those kinds that ``docs`` no longer holds. For ``reindex_search`` and the demo."""
    kinds = [_check_kind(k) for k in kinds]
    kept: set[tuple[str, int]] = set()

    def remembered() -> Iterable[Document]:
        for doc in docs:
            kept.add((doc.kind, doc.object_id))
            yield doc

    done = index_documents(remembered())
    rows = SearchDocument.objects.filter(kind__in=kinds).values_list("pk", "kind", "object_id")
    stale = [pk for pk, kind, object_id in rows.iterator() if (kind, object_id) not in kept]
    for start in range(0, len(stale), 500):
        SearchDocument.objects.filter(pk__in=stale[start : start + 500]).delete()
    return done


# Searching ---------------------------------------------------------------------------------------


def _inactive_accounts() -> tuple[str, Sequence[Any]]:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=False).values("pk")
    return users.query.sql_with_params()


@dataclass(frozen=True)
class _Scope:
    """Who is searching: the visibility filter every query carries."""

    community_ids: tuple[int, ...]
    signed_in: bool
    banned_ids: tuple[int, ...] = ()

    def visible(self) -> Q:
        visible = Q(is_public=True)
        if self.signed_in:
            visible |= Q(members_only=True)
        if self.community_ids:
            visible |= Q(community_id__in=self.community_ids)
        if self.banned_ids:
            visible &= Q(community_id__isnull=True) | ~Q(community_id__in=self.banned_ids)
        from django.contrib.auth import get_user_model

        inactive = get_user_model().objects.filter(is_active=False).values("pk")
        return visible & (Q(owner_id__isnull=True) | ~Q(owner_id__in=inactive))

    def queryset(self, using: str) -> QuerySet[SearchDocument]:
        return SearchDocument.objects.using(using).filter(self.visible())


_RANKED = ("kind", "object_id", "thread_id", "boost", "anchor")
"""The columns ranking needs, carried along with every match so that the bounded candidates
are grouped, counted and ranked without going back to the table (PostgreSQL would hash the
whole table to join them)."""


class _Matcher(Protocol):
    def matches(self, parsed: text.ParsedQuery, scope: _Scope) -> tuple[str, Sequence[Any]]:
        """SQL and parameters selecting ``id, score`` of every visible match."""
        ...


class _SqliteFts:
    """FTS5 MATCH joined to the documents; bm25 is negative-is-better, so the score is its
    negation. Community ids travel as one JSON parameter (json_each), so a member of many
    communities never hits SQLite's limit on bound variables."""

    bounded = False

    def __init__(self, using: str):
        self.using = using

    def matches(self, parsed: text.ParsedQuery, scope: _Scope) -> tuple[str, Sequence[Any]]:
        table = connections[self.using].ops.quote_name(SearchDocument._meta.db_table)
        inactive, inactive_params = _inactive_accounts()
        members = "OR d.members_only " if scope.signed_in else ""
        sql = (
            f"SELECT d.id AS id, -bm25(search_fts, {TITLE_WEIGHT}, 1.0) AS score, "  # noqa: S608 (constants)
            f"{', '.join(f'd.{c} AS {c}' for c in _RANKED)} "
            f"FROM search_fts JOIN {table} d ON d.id = search_fts.rowid "
            "WHERE search_fts MATCH %s "
            f"AND (d.is_public {members}"
            "OR d.community_id IN (SELECT value FROM json_each(%s))) "
            "AND (d.community_id IS NULL "
            "OR d.community_id NOT IN (SELECT value FROM json_each(%s))) "
            f"AND (d.owner_id IS NULL OR d.owner_id NOT IN ({inactive}))"
        )
        params = [
            parsed.fts5_match(),
            json.dumps(list(scope.community_ids)),
            json.dumps(list(scope.banned_ids)),
            *inactive_params,
        ]
        return sql, params


class _PostgresFts:
    """``search_vector @@ to_tsquery('simple', ...)`` over the generated column, ranked by
    ts_rank_cd. The column is not a model field (Django would try to write it), so it enters
    the query as a typed RawSQL expression and Django's search classes do the rest."""

    bounded = False

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
        return matches.values("id", "score", *_RANKED).order_by().query.sql_with_params()


def _like(term: str) -> tuple[str, str]:
    """A LIKE pattern for ``term`` anywhere (wildcards escaped) and the operator: plain LIKE
    for caseless text such as Chinese, which is cheaper, else ILIKE."""
    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"
    return pattern, "LIKE" if term.lower() == term.upper() else "ILIKE"


class _Substring:
    """The fallback: every whitespace-separated term must occur in the title or the body
    (case-insensitive, LIKE wildcards escaped); a term found in a title scores one. On
    PostgreSQL a term of three or more characters may instead be trigram-similar to a word
    of the title (``<%``, served by the title's trigram index), so a misspelt word still
    finds something; bodies are left out of that, as word similarity over long texts is
    slow. It stops after ``CANDIDATES + 1`` matches: that many are ranked, and more are
    counted as "1,000+"."""

    bounded = True

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
        pattern, operator = _like(term)
        condition = RawSQL(  # noqa: S611 (constant column and operator, bound pattern)
            f"{self.table}.{column} {operator} %s", [pattern], output_field=BooleanField()
        )
        return Q(condition)

    def _driver(self, term: str) -> RawSQL:
        """The ids that could match ``term``, one index-served arm per way of matching it.
        Asked as one OR, PostgreSQL reads the whole table (it expects to stop early at the
        LIMIT, and a query that matches nothing never does); as a UNION, each arm uses its
        trigram index, so finding nothing costs a few index probes."""
        pattern, operator = _like(term)
        arms = [
            f"SELECT id FROM {self.table} WHERE {c} {operator} %s"  # noqa: S608 (constants)
            for c in ("title", "body")
        ]
        params: list[Any] = [pattern, pattern]
        if len(term) >= 3:
            arms.append(f"SELECT id FROM {self.table} WHERE %s <%% title")  # noqa: S608
            params.append(term)
        return RawSQL(" UNION ALL ".join(arms), params)  # noqa: S611 (constants, bound terms)

    def matches(self, parsed: text.ParsedQuery, scope: _Scope) -> tuple[str, Sequence[Any]]:
        condition = Q()
        score: Expression = Value(1.0, output_field=FloatField())  # a match, plus title hits
        for term in parsed.terms:
            # A reply carries its thread's title for display only.
            in_title = self._contains("title", term) & ~Q(kind=Kind.REPLY)
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
        if self.postgres:
            matches = matches.filter(id__in=self._driver(max(parsed.terms, key=len)))
        bounded = matches.values("id", "score", *_RANKED).order_by()[: CANDIDATES + 1]
        return bounded.query.sql_with_params()


_FULL_TEXT: dict[str, Callable[[str], _Matcher]] = {
    "sqlite": _SqliteFts,
    "postgresql": _PostgresFts,
}


def _reported() -> tuple[str, list[Any]]:
    """A CASE that is 1 for a document with an open report (a reply also when its thread's
    post is reported) and 0 otherwise, asked of the bounded candidates only. Reports are
    written by moderation without telling search, so this reads them live."""
    from seedbed.communities.models import Report

    open_reports = Report.objects.filter(status=Report.Status.OPEN)
    posts, post_params = (
        open_reports.filter(reply__isnull=True).values("post_id").query.sql_with_params()
    )
    replies, reply_params = (
        open_reports.filter(reply__isnull=False).values("reply_id").query.sql_with_params()
    )
    sql = (
        f"CASE WHEN (d.kind = 'post' AND d.object_id IN ({posts})) "
        f"OR (d.kind = 'reply' AND (d.object_id IN ({replies}) OR d.thread_id IN ({posts}))) "
        "THEN 1 ELSE 0 END"
    )
    return sql, [*post_params, *reply_params, *post_params]


def _case(mapping: dict[str, Any], default: str) -> str:
    """A CASE over ``d.kind`` built from constants (kinds are validated choices)."""
    whens = " ".join(f"WHEN '{kind}' THEN {value}" for kind, value in mapping.items())
    return f"CASE d.kind {whens} ELSE {default} END"


_TAB_SQL = _case({k: f"'{tab}'" for tab, ks in TABS.items() for k in ks}, "d.kind")
_GROUP_SQL = "CASE WHEN d.thread_id IS NULL THEN -d.id ELSE d.thread_id END"
_TYPE_SQL = _case({str(k): v for k, v in TYPE_BOOST.items()}, "0.0")
_PAGE_FIELDS = (
    "id",
    "kind",
    "object_id",
    "community_id",
    "title",
    "body",
    "url",
    "created_at",
    "starts_at",
    "flag",
)


@dataclass
class _Ranked:
    counts: dict[str, int]
    matched: int
    total: int
    rows: list[dict[str, Any]]


def _rank(
    using: str,
    matches: tuple[str, Sequence[Any]],
    kinds: tuple[str, ...] | None,
    limit: int,
    offset: int,
) -> _Ranked:
    """Tab counts and one page of ranked hits in one query. ``c`` is the best CANDIDATES (+1,
    to know there were more) matches by text score: they are counted per tab, a thread once.
    ``p`` is the same for the asked kinds only, so a tab never loses its hits to another
    tab's better-scoring ones. Each is scaled to the best score among them and lifted by
    kind, recency and engagement; a thread keeps its best document; reported content sorts
    last."""
    sql, params = matches
    ops = connections[using].ops
    table = ops.quote_name(SearchDocument._meta.db_table)
    reported, reported_params = _reported()
    bound = CANDIDATES + 1
    if kinds is None:
        page_set = "c"
    else:
        listed = ", ".join(f"'{_check_kind(k)}'" for k in kinds)
        page_set = (
            f"(SELECT * FROM m WHERE kind IN ({listed}) "  # noqa: S608 (validated kinds)
            f"ORDER BY score DESC, id DESC LIMIT {bound})"
        )
    columns = ", ".join(f"d.{ops.quote_name(name)}" for name in _PAGE_FIELDS)
    nulls = ", ".join("NULL" for _ in _PAGE_FIELDS)
    query = (
        f"WITH m AS ({sql}), "  # noqa: S608 (compiled by Django or built from constants)
        f"c AS (SELECT * FROM m ORDER BY score DESC, id DESC LIMIT {bound}), "
        f"p AS (SELECT * FROM {page_set} pp), "
        f"r AS (SELECT d.id AS id, {_GROUP_SQL} AS grp, {reported} AS reported, "
        f"COALESCE(d.score / NULLIF((SELECT max(score) FROM p), 0), 1.0) * (1.0 + {_TYPE_SQL} "
        f"+ d.boost + {RECENCY_WEIGHT} / (1.0 + abs(%s - d.anchor) / {RECENCY_DAYS})) AS final "
        "FROM p d), "
        "h AS (SELECT id, reported, final FROM (SELECT id, reported, final, ROW_NUMBER() OVER "
        "(PARTITION BY grp ORDER BY reported, final DESC, id DESC) AS rn FROM r) x "
        "WHERE rn = 1) "
        # The typed page rows come first: PostgreSQL types a UNION's NULLs pairwise.
        f"SELECT 3 AS part, {_TAB_SQL} AS tab, 0 AS n, q.reported AS reported, "
        f"q.final AS final, {columns} FROM "
        "(SELECT * FROM h ORDER BY reported, final DESC, id DESC LIMIT %s OFFSET %s) q "
        f"JOIN {table} d ON d.id = q.id "
        f"UNION ALL SELECT 0, {_TAB_SQL}, count(DISTINCT {_GROUP_SQL}), 0, 0.0, {nulls} "
        f"FROM c d GROUP BY {_TAB_SQL} "
        f"UNION ALL SELECT 1, NULL, (SELECT count(*) FROM c), 0, 0.0, {nulls} "
        f"UNION ALL SELECT 2, NULL, (SELECT count(*) FROM h), 0, 0.0, {nulls}"
    )
    now_days = time.time() / 86400
    all_params = [*params, *reported_params, now_days, limit, offset]
    with connections[using].cursor() as cursor:
        cursor.execute(query, all_params)
        names = [c[0] for c in cursor.description]
        fetched = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    counts = {row["tab"]: int(row["n"]) for row in fetched if row["part"] == 0}
    matched = next(int(row["n"]) for row in fetched if row["part"] == 1)
    total = next(int(row["n"]) for row in fetched if row["part"] == 2)
    rows = [row for row in fetched if row["part"] == 3]
    rows.sort(key=lambda row: (row["reported"], -row["final"], -row["id"]))
    return _Ranked(counts=counts, matched=matched, total=total, rows=rows)


def _datetime(using: str, value: Any) -> datetime | None:
    """A raw cursor's datetime as the ORM would give it (SQLite hands back strings)."""
    if value is None or isinstance(value, datetime):
        return value
    connection = connections[using]
    return connection.ops.convert_datetimefield_value(value, None, connection)  # type: ignore[attr-defined]


def search(
    query: str,
    *,
    member_community_ids: Collection[int],
    signed_in: bool = False,
    banned_community_ids: Collection[int] = (),
    kinds: Collection[str] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """Documents matching ``query`` that the searcher may see (public; members-only ones when
    ``signed_in``; content of ``member_community_ids``; never anything of
    ``banned_community_ids``, public or not), best first, one hit per thread, with
    the count of each tab (over every kind, whatever ``kinds`` asks for the page). ``limit``
    is capped at MAX_LIMIT; pages end after CANDIDATES hits. Any query string is accepted;
    bad ``kinds``, ``limit`` or ``offset`` raise ValueError naming the argument."""
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
    scope = _Scope(
        community_ids=tuple(sorted({int(i) for i in member_community_ids})),
        signed_in=bool(signed_in),
        banned_ids=tuple(sorted({int(i) for i in banned_community_ids})),
    )
    using = router.db_for_read(SearchDocument)

    pattern = parsed.token_pattern
    ranked = _Ranked({}, 0, 0, [])
    full_text = _FULL_TEXT.get(connections[using].vendor)
    if full_text is not None and not parsed.needs_fallback_only:
        ranked = _rank(using, full_text(using).matches(parsed, scope), kinds, limit, offset)
    if ranked.matched == 0:
        pattern = parsed.term_pattern
        ranked = _rank(using, _Substring(using).matches(parsed, scope), kinds, limit, offset)

    hits = [
        SearchHit(
            kind=row["kind"],
            tab=row["tab"],
            object_id=row["object_id"],
            community_id=row["community_id"],
            title_html=text.highlight(row["title"], pattern),
            snippet_html=text.snippet(row["body"], pattern),
            url=row["url"],
            score=float(row["final"]),
            created_at=_datetime(using, row["created_at"]),  # type: ignore[arg-type]
            starts_at=_datetime(using, row["starts_at"]),
            flag=row["flag"],
        )
        for row in ranked.rows
    ]
    return SearchPage(
        hits=hits,
        total=ranked.total,
        query=parsed.text,
        counts=ranked.counts,
        capped=ranked.matched > CANDIDATES,
    )


def reindex_all(batch_size: int = 1000) -> int:
    """Recompute every document's index text, after a change in how text is cut."""
    done = 0
    documents = SearchDocument.objects.only("pk", "kind", "title", "body").order_by("pk")
    for start in range(0, documents.count(), batch_size):
        batch = list(documents[start : start + batch_size])
        for document in batch:
            searchable = document.kind != Kind.REPLY
            document.index_title = text.index_text(document.title) if searchable else ""
            document.index_text = text.index_text(document.body)
        SearchDocument.objects.bulk_update(batch, ["index_title", "index_text"])
        done += len(batch)
    return done


# The search page and API ------------------------------------------------------------------------

PAGE_SIZE = 20
MAX_PAGE = CANDIDATES // PAGE_SIZE
TYPES = ("", *TABS)
"""What the page and the API filter by: "" for everything, else a tab."""


def search_everything(user: Any, q: str, *, type: str = "", page: int = 1) -> SearchPage:
    """The search page's and the API's one call: what ``user`` may see of everything that
    matches ``q``, one page of one tab (``type``, "" for all) with every tab's count. Bad input
    raises ValidationError naming the field: an empty or over-long query, an unknown type, a
    page outside 1..MAX_PAGE."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from seedbed.communities.access import member_community_ids

    q = " ".join(str(q or "").split())
    errors: dict[str, list[str]] = {}
    if not q:
        errors["q"] = [_("Type what you are looking for.")]
    elif len(q) > text.MAX_QUERY_CHARS or "\x00" in q:
        errors["q"] = [
            _("Search for at most %(n)d characters, without control characters.")
            % {"n": text.MAX_QUERY_CHARS}
        ]
    if type not in TYPES:
        errors["type"] = [_("Choose one of: %(types)s.") % {"types": ", ".join(TYPES[1:])}]
    if isinstance(page, bool) or not isinstance(page, int) or not 1 <= page <= MAX_PAGE:
        errors["page"] = [_("Choose a page from 1 to %(n)d.") % {"n": MAX_PAGE}]
    if errors:
        raise ValidationError(errors)
    signed_in = bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))
    banned: set[int] = set()
    if signed_in:
        from seedbed.communities.models import Ban

        banned = set(Ban.objects.filter(user=user).values_list("community_id", flat=True))
    return search(
        q,
        member_community_ids=member_community_ids(user) - banned if signed_in else (),
        signed_in=signed_in,
        banned_community_ids=banned,
        kinds=TABS[type] if type else None,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
