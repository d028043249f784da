"""The member interaction graph per community and platform-wide: who talks to whom, its
clusters, the influencers and bridges, and the newcomers nobody talks to yet with people to
introduce them to. Built and analysed by the background task, stored as one JSON payload per
scope (``StoredAnalysis(kind="structure")``); the page only draws what is stored.

Ties of the last year, undirected, weighted by how much they say about knowing each other:
a reply or a mention 1, a reaction 0.5, an accepted intro 2 (platform-wide only: intros are
deal data, not a community's business), and sitting in the same event 1/(people − 1), so a
salon of six ties its guests more than a conference of a hundred.

Payload (positions in [0, 1]; ids are user ids; names are looked up when the page is drawn,
so a renamed or deactivated member is shown as they are now)::

    {"members": n, "ties": m, "modularity": q, "clusters": [{"cluster": k, "size": s}],
     "nodes": [{"id", "cluster", "pagerank", "betweenness", "degree", "x", "y"}],
     "edges": [[i, j, weight]],                  # indices into "nodes", the drawn ones only
     "influencers": [id], "bridges": [id],
     "newcomers": [{"id", "ties", "suggest": [id]}]}
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import combinations
from typing import Any

import networkx as nx
import numpy as np
from django.db.models import Q
from django.utils import timezone

from seedbed.accounts.models import User
from seedbed.communities.models import Community, Membership, Reaction, Reply
from seedbed.engine.graph import StructureAnalysis
from seedbed.events.models import RSVP, RSVPStatus
from seedbed.insights.models import StoredAnalysis
from seedbed.matching.models import Intro, IntroStatus
from seedbed.notifications.models import Notification

KIND = "structure"
WINDOW = timedelta(days=365)
NEWCOMER_DAYS = 30
#: A newcomer with at most this many people is isolated.
ISOLATED_TIES = 1
TOP = 10
SUGGESTIONS = 3
MAX_NEWCOMERS = 20
#: The picture shows at most this many members (the most central, and every isolated newcomer).
MAX_DRAWN = 250
MAX_EDGES_DRAWN = 1500
#: Events larger than this tie their guests to no one in particular.
MAX_EVENT_SIZE = 200
WEIGHTS = {"reply": 1.0, "mention": 1.0, "reaction": 0.5, "intro": 2.0}


def _pairs(rows: Iterable[tuple[Any, Any]], weight: float) -> list[tuple[int, int, float]]:
    return [(a, b, weight) for a, b in rows if a is not None and b is not None and a != b]


def interactions(community: Community | None, now: datetime) -> list[tuple[int, int, float]]:
    """Every tie of the window as (user, user, weight); six queries."""
    since = now - WINDOW
    replies = Reply.objects.filter(created_at__gte=since)
    mentions = Notification.objects.filter(kind="mention", created_at__gte=since)
    on_posts = Reaction.objects.filter(post__isnull=False, created_at__gte=since)
    on_replies = Reaction.objects.filter(reply__isnull=False, created_at__gte=since)
    seats = RSVP.objects.filter(
        Q(status=RSVPStatus.CONFIRMED) | Q(checked_in_at__isnull=False),
        event__starts_at__gte=since,
        event__starts_at__lt=now,
        event__cancelled_at__isnull=True,
    )
    if community is not None:
        replies = replies.filter(post__community=community)
        mentions = mentions.filter(community=community)
        on_posts = on_posts.filter(post__community=community)
        on_replies = on_replies.filter(reply__post__community=community)
        seats = seats.filter(event__community=community)
    edges = [
        *_pairs(replies.values_list("author_id", "post__author_id"), WEIGHTS["reply"]),
        *_pairs(mentions.values_list("actor_id", "recipient_id"), WEIGHTS["mention"]),
        *_pairs(on_posts.values_list("user_id", "post__author_id"), WEIGHTS["reaction"]),
        *_pairs(on_replies.values_list("user_id", "reply__author_id"), WEIGHTS["reaction"]),
    ]
    guests: dict[int, list[int]] = defaultdict(list)
    for event_id, user_id in seats.values_list("event_id", "user_id"):
        guests[event_id].append(user_id)
    for people in guests.values():
        if 1 < len(people) <= MAX_EVENT_SIZE:
            edges += [(a, b, 1.0 / (len(people) - 1)) for a, b in combinations(people, 2)]
    if community is None:
        accepted = Intro.objects.filter(status=IntroStatus.ACCEPTED, created_at__gte=since)
        edges += _pairs(accepted.values_list("offer__owner_id", "project__team"), WEIGHTS["intro"])
    return edges


def _members(community: Community | None) -> list[tuple[int, datetime]]:
    if community is None:
        return list(
            User.objects.filter(is_active=True).order_by("pk").values_list("pk", "date_joined")
        )
    return list(
        Membership.objects.filter(community=community, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", "joined_at")
    )


def _profiles(ids: list[int]) -> dict[int, tuple[set[int], str]]:
    """Sectors and interests (as one set of keys) and the city of each member (three queries)."""
    found: dict[int, tuple[set[int], str]] = {
        pk: (set(), city) for pk, city in User.objects.filter(pk__in=ids).values_list("pk", "city")
    }
    sectors = User.sectors.through.objects.filter(user_id__in=ids)
    for user_id, sector_id in sectors.values_list("user_id", "sector_id"):
        found[user_id][0].add(-sector_id)
    interests = User.interests.through.objects.filter(user_id__in=ids)
    for user_id, tag_id in interests.values_list("user_id", "tag_id"):
        found[user_id][0].add(tag_id)
    return found


def _suggest(
    newcomers: list[int],
    candidates: list[int],
    graph: nx.Graph,
    ids: list[int],
    rank: dict[int, int],
) -> dict[int, list[int]]:
    """For each isolated newcomer, the best-connected members who share the most with them
    (sectors and interests, then the same city), whom they are not tied to yet."""
    profiles = _profiles([ids[i] for i in [*newcomers, *candidates]])
    chosen = {}
    for node in newcomers:
        mine, city = profiles.get(ids[node], (set(), ""))
        tied = set(graph.neighbors(node))

        def fit(other: int, mine: set[int] = mine, city: str = city) -> tuple[float, int]:
            theirs, where = profiles.get(ids[other], (set(), ""))
            shared = len(mine & theirs) + (0.5 if city and city == where else 0.0)
            return -shared, rank[other]

        pool = [c for c in candidates if c != node and c not in tied]
        chosen[ids[node]] = [ids[c] for c in sorted(pool, key=fit)[:SUGGESTIONS]]
    return chosen


def _layout(graph: nx.Graph, nodes: list[int]) -> dict[int, tuple[float, float]]:
    """A seeded spring layout of the drawn members who have a tie among them, scaled to fill the
    unit square above a bottom row where the ones without any (isolated newcomers) wait in a
    line: left free, the spring layout flings them to the edges and squeezes everyone else into
    a blob in the middle."""
    sub = graph.subgraph(nodes)
    if not nodes:
        return {}
    tied = [n for n in nodes if sub.degree(n) > 0]
    alone = [n for n in nodes if sub.degree(n) == 0]
    top = 0.88 if alone else 1.0
    placed: dict[int, tuple[float, float]] = {}
    if tied:
        k = 1.5 / math.sqrt(len(tied))
        found = nx.spring_layout(sub.subgraph(tied), k=k, seed=0, weight="weight", iterations=60)
        xy = np.array([found[n] for n in tied]).reshape(-1, 2)
        low, high = xy.min(axis=0), xy.max(axis=0)
        span = np.where(high - low > 0, high - low, 1.0)
        unit = (xy - low) / span * np.array([1.0, top])
        placed = {n: (float(x), float(y)) for n, (x, y) in zip(tied, unit, strict=True)}
    for i, n in enumerate(alone):
        placed[n] = ((i + 0.5) / len(alone), 1.0 if tied else 0.5)
    return {n: (round(x, 4), round(y, 4)) for n, (x, y) in placed.items()}


EMPTY: dict[str, Any] = {
    "members": 0,
    "ties": 0,
    "modularity": None,
    "clusters": [],
    "nodes": [],
    "edges": [],
    "influencers": [],
    "bridges": [],
    "newcomers": [],
}


def _num(value: float) -> float | None:
    return round(float(value), 6) if math.isfinite(value) else None


def analyse_scope(community: Community | None, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    members = _members(community)
    ids = [pk for pk, _joined in members]
    if not ids:
        return EMPTY
    index = {pk: i for i, pk in enumerate(ids)}
    ties = [
        (index[a], index[b], w)
        for a, b, w in interactions(community, now)
        if a in index and b in index
    ]
    src = [a for a, _b, _w in ties]
    dst = [b for _a, b, _w in ties]
    weights = [w for _a, _b, w in ties]
    analysis = StructureAnalysis(seed=0).fit(src, dst, weights, n_nodes=len(ids))
    graph = analysis.graph_
    degree = np.array([graph.degree(i) for i in range(len(ids))], dtype=np.int64)
    order = list(analysis.influencers(top=len(ids)))
    rank = {int(node): r for r, node in enumerate(order)}
    influencers = [int(i) for i in order[:TOP] if degree[i] > 0]
    bridges = [int(i) for i in analysis.bridges(top=TOP)]
    recent = now - timedelta(days=NEWCOMER_DAYS)
    new = [i for i, (_pk, joined) in enumerate(members) if joined >= recent]
    isolated = [int(i) for i in analysis.isolated_newcomers(new, ISOLATED_TIES)][:MAX_NEWCOMERS]
    newcomers = set(new)
    established = [int(i) for i in order if degree[i] > ISOLATED_TIES and i not in newcomers]
    suggestions = _suggest(isolated, established[: TOP * 10], graph, ids, rank)
    drawn = list(dict.fromkeys([*(int(i) for i in order[:MAX_DRAWN]), *isolated]))
    positions = _layout(graph, drawn)
    position_of = {node: k for k, node in enumerate(drawn)}
    edges = sorted(
        (
            (position_of[a], position_of[b], round(float(d["weight"]), 3))
            for a, b, d in graph.subgraph(drawn).edges(data=True)
        ),
        key=lambda e: -e[2],
    )[:MAX_EDGES_DRAWN]
    sizes = np.bincount(analysis.community_, minlength=1)
    return {
        "members": len(ids),
        "ties": graph.number_of_edges(),
        "modularity": _num(analysis.modularity_),
        "clusters": [{"cluster": k, "size": int(n)} for k, n in enumerate(sizes.tolist()) if n > 1],
        "nodes": [
            {
                "id": ids[i],
                "cluster": int(analysis.community_[i]),
                "pagerank": _num(analysis.pagerank_[i]),
                "betweenness": _num(analysis.betweenness_[i]),
                "degree": int(degree[i]),
                "x": positions[i][0],
                "y": positions[i][1],
            }
            for i in drawn
        ],
        "edges": [list(e) for e in edges],
        "influencers": [ids[i] for i in influencers],
        "bridges": [ids[i] for i in bridges],
        "newcomers": [
            {"id": ids[i], "ties": int(degree[i]), "suggest": suggestions[ids[i]]} for i in isolated
        ],
    }


def store_scope(community: Community | None, now: datetime | None = None) -> StoredAnalysis:
    now = now or timezone.now()
    stored, _created = StoredAnalysis.objects.update_or_create(
        kind=KIND,
        community=community,
        defaults={"payload": analyse_scope(community, now), "computed_at": now},
    )
    return stored


def refresh_all(now: datetime | None = None) -> int:
    now = now or timezone.now()
    scopes: list[Community | None] = [None, *Community.objects.active()]
    for community in scopes:
        store_scope(community, now)
    return len(scopes)
