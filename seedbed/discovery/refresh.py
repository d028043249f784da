"""The background refresh: fit the engine on the platform's signals, rank what each member may
see, give each suggestion a true reason, and store the rows the pages read.

One model per kind (the engine's ``Hybrid``: popularity, item-kNN and EASE blended with weights
chosen on a temporal validation split, plus the content model over item texts and members'
declared interests, which also serves members with no history at once). A dismissed item is
never stored again and pushes down the items most like it."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import scipy.sparse as sp
from django.db import connection, transaction
from django.utils import timezone

from seedbed.discovery import adapter
from seedbed.discovery.adapter import KindData, Snapshot
from seedbed.discovery.models import Kind, Recommendation
from seedbed.discovery.reasons import VIA
from seedbed.engine.recommend import ContentBased, Hybrid, Recommender, text_features

log = logging.getLogger(__name__)

STORE_PER_KIND = 30
"""Rows stored per member and kind: more than any page shows, so read-time filtering (a join
or a cancellation since the refresh) still leaves enough."""
DISMISS_PENALTY = 2.0
DISMISS_NEIGHBOURS = 20
MATCH_BOOST = 3.0
BATCH = 256
MIN_INTERACTIONS_FOR_HYBRID = 20
MIN_KNOWN_MEMBERS = 3
LOCK_KEY = 0x5EEDD15C


@dataclass
class Fitted:
    """One kind's fitted models and the features its reasons read."""

    data: KindData
    model: Recommender
    content: ContentBased
    item_features: sp.csr_matrix
    user_features: sp.csr_matrix
    vocabulary: list[str]
    cooccurrence: sp.csr_matrix
    holders: np.ndarray  # members per item


def features(
    item_texts: list[str], user_texts: list[str]
) -> tuple[sp.csr_matrix, sp.csr_matrix, list[str]]:
    """The engine's TF-IDF features, or empty ones when no text has a word in it yet (a young
    platform): content then scores nothing and the other components decide."""
    try:
        return text_features(item_texts, user_texts)
    except ValueError:
        return (
            sp.csr_matrix((len(item_texts), 1)),
            sp.csr_matrix((len(user_texts), 1)),
            [""],
        )


def fit_kind(snap: Snapshot, kind: str, content_only: bool = False) -> Fitted | None:
    """``content_only`` skips the hybrid's tuning, for members with no history in this kind:
    the hybrid would rank them by content alone anyway, and it costs seconds, not milliseconds."""
    data = snap.kinds[kind]
    if not data.item_ids or not snap.member_ids:
        return None
    items, users, vocabulary = features(data.texts, snap.declared)
    content = ContentBased().fit(data.matrix, items, users)
    model: Recommender = content
    big_enough = data.matrix.nnz >= MIN_INTERACTIONS_FOR_HYBRID and len(data.item_ids) > 2
    if big_enough and not content_only:
        try:
            model = Hybrid().fit(
                data.matrix, timestamps=data.times, item_features=items, user_features=users
            )
        except ValueError as exc:  # too little data for a split: content alone still serves
            log.warning("Hybrid for %s fell back to content: %s", kind, exc)
    binary = data.matrix.copy()
    binary.data[:] = 1
    return Fitted(
        data,
        model,
        content,
        items,
        users,
        vocabulary,
        sp.csr_matrix(binary.T @ binary),
        np.asarray(binary.sum(axis=0)).ravel(),
    )


# Reasons: each sentence is true of the member and the item, strongest evidence first --------


def _evidence(
    snap: Snapshot, fitted: Fitted, row: int, cols: np.ndarray
) -> tuple[dict[int, int], dict[int, object]]:
    """For the chosen columns of one member, at once: the item in their row most often shared
    with each by other members (two or more), and the declared-interest word that weighs most
    in each (a sector as both its names)."""
    matrix = fitted.data.matrix
    mine = matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]
    neighbours: dict[int, int] = {}
    if mine.size:
        shared = fitted.cooccurrence[mine][:, cols].toarray()
        best = shared.argmax(axis=0)
        for i, col in enumerate(cols):
            if shared[best[i], i] >= 2:
                neighbours[int(col)] = int(mine[best[i]])
    terms: dict[int, object] = {}
    overlap = sp.csr_matrix(fitted.item_features[cols].multiply(fitted.user_features[row]))
    for i, col in enumerate(cols):
        data = overlap.data[overlap.indptr[i] : overlap.indptr[i + 1]]
        if data.size:
            word = fitted.vocabulary[int(overlap.indices[overlap.indptr[i] + np.argmax(data)])]
            terms[int(col)] = snap_sector(snap, word)
    return neighbours, terms


def snap_sector(snap: Snapshot, word: str) -> object:
    for names in snap.sector_names.values():
        if word in (names["en"].lower(), names["zh"]):
            return names
    return word


def reason_for(
    snap: Snapshot,
    fitted: Fitted,
    member: int,
    col: int,
    can_read: set[int],
    neighbour: int | None,
    term: object | None,
) -> tuple[str, dict]:
    kind, item = fitted.data.kind, fitted.data.item_ids[col]
    names = snap.names[kind]
    contacts = snap.contacts.get(member, set())
    if kind == Kind.COMMUNITY:
        known = len(contacts & snap.community_members.get(item, set()))
        if known >= MIN_KNOWN_MEMBERS:
            return "replied_members_in", {"count": known}
    if kind == Kind.EVENT:
        known = len(contacts & snap.going.get(item, set()))
        if known:
            return "contacts_going", {"count": known}
    if neighbour is not None:
        other = fitted.data.item_ids[neighbour]
        if kind == Kind.COMMUNITY and other in can_read:
            return "co_joined", {"community": names[other], VIA: other}
        if kind == Kind.EVENT and _event_readable(snap, other, can_read):
            return "co_attended", {"event": names[other], VIA: snap.event_community[other]}
        if kind == Kind.POST and snap.post_community[other] in can_read:
            return "similar_post", {"title": names[other], VIA: snap.post_community[other]}
    community = snap.event_community.get(item) if kind == Kind.EVENT else None
    if community is not None and community in snap.joined.get(member, set()):
        return "in_your_community", {
            "community": snap.names[Kind.COMMUNITY][community],
            VIA: community,
        }
    if kind == Kind.PERSON:
        shared = snap.member_sectors.get(member, set()) & snap.member_sectors.get(item, set())
        founders = all("founder" in snap.roles.get(m, set()) for m in (member, item))
        if founders and shared:
            return "fellow_founder", {"term": snap.sector_names[sorted(shared)[0]]}
    if term is not None:
        return "matches_interest", {"term": term}
    if kind == Kind.POST and snap.post_community[item] in snap.joined.get(member, set()):
        community = snap.post_community[item]
        return "in_your_community", {
            "community": snap.names[Kind.COMMUNITY][community],
            VIA: community,
        }
    if kind == Kind.PERSON:
        both = len(snap.joined.get(member, set()) & snap.joined.get(item, set()))
        if both:
            return "shared_communities", {"count": both}
        city = snap.cities.get(member)
        if city and city.lower() == snap.cities.get(item, "").lower():
            return "same_city", {"city": city}
    return "popular", {"count": int(fitted.holders[col])}


def _event_readable(snap: Snapshot, event: int, can_read: set[int]) -> bool:
    community = snap.event_community.get(event)
    return community is None or community in can_read


# Ranking ------------------------------------------------------------------------------------


def _penalise_dismissed(
    fitted: Fitted, scores: np.ndarray, dismissed_cols: list[int]
) -> np.ndarray:
    """Items like a dismissed one lose up to ``DISMISS_PENALTY`` (content similarity, so it
    works from the first dismissal, before anyone else touched the item)."""
    if not dismissed_cols:
        return scores
    ids, sims = fitted.content.similar_items(dismissed_cols, n=DISMISS_NEIGHBOURS)
    ids, sims = np.atleast_2d(ids), np.atleast_2d(sims)
    penalty = np.zeros_like(scores)
    for row_ids, row_sims in zip(ids, sims, strict=True):
        ok = (row_ids >= 0) & np.isfinite(row_sims) & (row_sims > 0)
        np.maximum.at(penalty, row_ids[ok], row_sims[ok])
    return scores - DISMISS_PENALTY * penalty


def rank_kind(
    snap: Snapshot,
    fitted: Fitted,
    member_ids: Iterable[int],
    leads: dict[int, list[adapter.MatchLead]],
) -> list[tuple]:
    """Each member's best ``STORE_PER_KIND`` items of the kind they may be shown, as rows
    ``(member, kind, object id, score, rank, reason code, reason parameters)``."""
    kind, data = fitted.data.kind, fitted.data
    index = snap.member_index
    item_index = data.index
    rows_out: list[tuple] = []
    members = [m for m in member_ids if m in index]
    for start in range(0, len(members), BATCH):
        batch = members[start : start + BATCH]
        user_rows = np.asarray([index[m] for m in batch])
        scores = fitted.model.score(user_rows, data.matrix[user_rows])
        for position, member in enumerate(batch):
            row = user_rows[position]
            can_read = adapter.readable(snap, member)
            mask = adapter.candidate_mask(snap, kind, member, can_read)
            seen = data.matrix.indices[data.matrix.indptr[row] : data.matrix.indptr[row + 1]]
            mask[seen] = False
            score = scores[position].astype(np.float64)
            dismissed = [
                item_index[d] for d in snap.dismissed.get((member, kind), ()) if d in item_index
            ]
            score = _penalise_dismissed(fitted, score, dismissed)
            special: dict[int, adapter.MatchLead] = {}
            for lead in leads.get(member, []) if kind == Kind.PERSON else []:
                col = item_index.get(lead.person)
                if col is not None and mask[col]:
                    score[col] += MATCH_BOOST * (1 + lead.score)
                    if col not in special or lead.score > special[col].score:
                        special[col] = lead
            score[~mask] = -np.inf
            count = min(STORE_PER_KIND, int(mask.sum()))
            if not count:
                continue
            best = np.argpartition(-score, count - 1)[:count]
            best = best[np.lexsort((best, -score[best]))]
            best = best[np.isfinite(score[best])]
            neighbours, terms = _evidence(snap, fitted, row, best)
            for rank, col in enumerate(best):
                if col in special:
                    code, params = special[col].code, special[col].params
                else:
                    code, params = reason_for(
                        snap,
                        fitted,
                        member,
                        int(col),
                        can_read,
                        neighbours.get(int(col)),
                        terms.get(int(col)),
                    )
                rows_out.append(
                    (
                        member,
                        kind,
                        data.item_ids[col],
                        round(float(score[col]), 4),
                        rank,
                        code,
                        params,
                    )
                )
    return rows_out


def refresh(member_ids: Iterable[int] | None = None) -> int:
    """Recompute and store the suggestions of ``member_ids`` (every active member when None);
    returns the number of rows stored. Rows of inactive members are dropped."""
    snap = adapter.snapshot()
    wanted = set(snap.member_ids) if member_ids is None else set(member_ids) & set(snap.member_ids)
    leads = adapter.match_leads(snap, wanted) if wanted else {}
    rows: list[tuple] = []
    rows_of = {pk: i for i, pk in enumerate(snap.member_ids)}
    for kind in Kind.values:
        history = snap.kinds[kind].matrix
        newcomers_only = member_ids is not None and all(
            history[rows_of[pk]].nnz == 0 for pk in wanted if rows_of[pk] < history.shape[0]
        )
        fitted = fit_kind(snap, kind, content_only=newcomers_only) if wanted else None
        if fitted is not None:
            rows += rank_kind(snap, fitted, sorted(wanted), leads)
    with transaction.atomic():
        _lock_the_table()
        if member_ids is None:
            Recommendation.objects.all().delete()
        else:
            Recommendation.objects.filter(member_id__in=set(member_ids)).delete()
        _insert(rows, timezone.now())
    return len(rows)


def _lock_the_table() -> None:
    """Writers of stored suggestions take turns (a full refresh and a member's refresh would
    otherwise both insert that member's rows): an advisory lock on PostgreSQL; SQLite's
    IMMEDIATE transactions already let one writer in at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _insert(rows: list[tuple], computed_at: datetime) -> None:
    """One ``executemany`` of plain tuples, like the matching refresh: the ORM's
    ``bulk_create`` spent most of a demo refresh preparing 19,000 rows one by one."""
    if not rows:
        return
    ops = connection.ops
    sql = (
        "INSERT INTO discovery_recommendation (member_id, kind, object_id, score, rank, "
        "reason_code, reason_params, computed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
    )
    stamp = ops.adapt_datetimefield_value(computed_at)
    params = [
        (m, k, o, score, rank, code, ops.adapt_json_value(p, None), stamp)
        for m, k, o, score, rank, code, p in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
