"""ORM rows → engine inputs for match scoring and for matching rounds, and the engine's results
back into ``Match`` and ``Proposal`` rows.

The engine works on ids and sets of plain strings; this module is the only place that knows how
a project's needs and an offer's fields map onto them (a service type is a topic, a talent open
to remote work has no region, an investor's excluded sectors exclude those projects)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from seedbed.engine.matching import MatchScorer, allocate
from seedbed.engine.matching import Offer as EngineOffer
from seedbed.engine.matching import Project as EngineProject
from seedbed.matching.models import (
    Intro,
    IntroStatus,
    Match,
    MatchingRound,
    Offer,
    Project,
    ProjectStatus,
    Proposal,
)

KEEP_PER_SIDE = 30
"""Best matches stored per project and per offer; pages show at most this many."""


def _place(city: str) -> str:
    return city.strip().casefold()


def engine_project(p: Project) -> EngineProject:
    """The ask goes in as its published band (``Project.funding_band``), never as the hidden
    amounts: whether a project matches an offer's ticket range must tell nothing more."""
    needs = {
        kind
        for kind, wanted in (
            ("investor", p.needs_funding),
            ("talent", p.needs_talent),
            ("mentor", p.needs_mentoring),
            ("service", p.needs_services),
        )
        if wanted
    }
    ask_min, ask_max = p.funding_band or (None, None)
    return EngineProject(
        id=str(p.pk),
        description=f"{p.name}. {p.one_liner}\n{p.description}\n{p.roles_sought}",
        sectors=frozenset(s.slug for s in p.sectors.all()),
        stage=p.stage,
        ask_min=None if ask_min is None else float(ask_min),
        ask_max=None if ask_max is None else float(ask_max),
        region=_place(p.city),
        needs=frozenset(needs) or frozenset({"none"}),
        skills=frozenset(t.name for t in p.skills_sought.all()),
        topics=frozenset(t.name for t in p.topics_sought.all()) | frozenset(p.services_sought),
        capacity=p.intro_limit,
    )


def engine_offer(o: Offer, excluded_projects: frozenset[str] = frozenset()) -> EngineOffer:
    topics = frozenset(t.name for t in o.topics.all())
    if o.service_type:
        topics |= {o.service_type}
    if o.kind == "talent":
        regions = frozenset() if o.remote or not o.city else frozenset({_place(o.city)})
    else:
        regions = frozenset(_place(r) for r in o.regions if r.strip())
    return EngineOffer(
        id=str(o.pk),
        kind=o.kind,
        description=f"{o.title}\n{o.description}\n{o.role_sought}",
        sectors=frozenset(s.slug for s in o.sectors.all()),
        stages=frozenset(o.stages) if o.kind == "investor" else frozenset(),
        ticket_min=float(o.ticket_min) if o.ticket_min is not None else None,
        ticket_max=float(o.ticket_max) if o.ticket_max is not None else None,
        regions=regions,
        skills=frozenset(t.name for t in o.skills.all()),
        topics=topics,
        capacity=o.capacity,
        exclude=excluded_projects,
    )


def matchable_projects():
    return (
        Project.objects.filter(status=ProjectStatus.ACTIVE)
        .prefetch_related("sectors", "skills_sought", "topics_sought")
        .order_by("id")
    )


def matchable_offers():
    return (
        Offer.objects.filter(active=True, owner__is_active=True)
        .prefetch_related("sectors", "skills", "topics", "excluded_sectors")
        .order_by("id")
    )


def engine_inputs(projects, offers) -> tuple[list[EngineProject], list[EngineOffer]]:
    """Engine projects and offers; an offer excludes the projects of its excluded sectors and
    the projects its owner is on (nobody is matched with themselves)."""
    by_sector: dict[str, set[str]] = defaultdict(set)
    team_projects: dict[int, set[str]] = defaultdict(set)
    for p in projects:
        for s in p.sectors.all():
            by_sector[s.slug].add(str(p.pk))
    memberships = Project.team.through.objects.filter(project__in=[p.pk for p in projects])
    for user_id, project_id in memberships.values_list("user_id", "project_id"):
        team_projects[user_id].add(str(project_id))
    e_projects = [engine_project(p) for p in projects]
    e_offers = []
    for o in offers:
        excluded = set(team_projects.get(o.owner_id, ()))
        for s in o.excluded_sectors.all():
            excluded |= by_sector.get(s.slug, set())
        e_offers.append(engine_offer(o, frozenset(excluded)))
    return e_projects, e_offers


def past_outcomes() -> list[tuple[str, str, bool]]:
    """Decided intros as (project id, offer id, accepted) for the learned part of the score."""
    rows = Intro.objects.filter(
        status__in=[IntroStatus.ACCEPTED, IntroStatus.DECLINED]
    ).values_list("project_id", "offer_id", "status")
    return [(str(p), str(o), s == IntroStatus.ACCEPTED) for p, o, s in rows]


def refresh_matches(keep: int = KEEP_PER_SIDE) -> int:
    """Score every active project against every active offer and store each side's best
    ``keep`` allowed pairs with their reasons; returns the number of stored matches."""
    projects, offers = list(matchable_projects()), list(matchable_offers())
    e_projects, e_offers = engine_inputs(projects, offers)
    rows: list[tuple] = []
    if e_projects and e_offers:
        scorer = MatchScorer().fit(e_projects, e_offers, past_outcomes())
        scores = scorer.score(e_projects, e_offers)
        chosen = _best_pairs(scores, keep)
        explanations = scorer.explain(e_projects, e_offers, chosen, scores)
        for (r, c), why in zip(chosen, explanations, strict=True):
            reasons = [[key, list(values)] for key, values in why.criteria]
            score = round(float(scores[r, c]), 4)
            rows.append((projects[r].pk, offers[c].pk, score, reasons, list(why.shared_terms)))
    with transaction.atomic():
        Match.objects.all().delete()
        _insert_matches(rows, timezone.now())
    return len(rows)


def _insert_matches(rows: list[tuple], computed_at) -> None:
    """One ``executemany`` of plain tuples: at 2,000 × 2,000 the ORM's ``bulk_create`` spent
    most of the refresh building 84,000 model instances and preparing their values one by one
    (bench/bench_matching_store.py); the values here are adapted the way Django would."""
    if not rows:
        return
    ops = connection.ops
    sql = (
        "INSERT INTO matching_match (project_id, offer_id, score, reasons, shared_terms, "
        "computed_at) VALUES (%s, %s, %s, %s, %s, %s)"
    )
    stamp = ops.adapt_datetimefield_value(computed_at)
    params = [
        (p, o, score, ops.adapt_json_value(reasons, None), ops.adapt_json_value(terms, None), stamp)
        for p, o, score, reasons, terms in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _best_pairs(scores: np.ndarray, keep: int) -> list[tuple[int, int]]:
    finite = np.where(np.isfinite(scores), scores, -np.inf)
    mask = np.zeros(scores.shape, dtype=bool)
    for axis in (0, 1):
        k = min(keep, scores.shape[axis])
        idx = np.argsort(-finite, axis=axis, kind="stable")
        idx = idx[:k, :] if axis == 0 else idx[:, :k]
        np.put_along_axis(mask, idx, True, axis=axis)
    mask &= np.isfinite(scores) & (scores > 0)
    rows, cols = np.nonzero(mask)
    return list(zip(rows.tolist(), cols.tolist(), strict=True))


def recently_declined_pairs(days: int) -> set[tuple[int, int]]:
    since = timezone.now() - timedelta(days=days)
    return set(
        Intro.objects.filter(status=IntroStatus.DECLINED, decided_at__gte=since).values_list(
            "project_id", "offer_id"
        )
    )


def allocate_round(round_: MatchingRound, exclude: set[tuple[int, int]]) -> None:
    """Share out the offers of the round's kind among active projects from the stored match
    scores, within each offer's capacity and each project's intro limit, and store the chosen
    pairs as the round's proposals. Row r of the score matrix is a project, column c an offer;
    a pair without a stored match (or in ``exclude``, as (project id, offer id)) is NaN, which
    the allocator never chooses."""
    matches = [
        m
        for m in Match.objects.filter(
            offer__kind=round_.kind,
            offer__active=True,
            offer__owner__is_active=True,
            project__status=ProjectStatus.ACTIVE,
        ).select_related("project", "offer")
        if (m.project_id, m.offer_id) not in exclude
    ]
    if not matches:
        return
    projects = {m.project_id: m.project for m in matches}
    offers = {m.offer_id: m.offer for m in matches}
    row = {pk: r for r, pk in enumerate(projects)}
    col = {pk: c for c, pk in enumerate(offers)}
    scores = np.full((len(projects), len(offers)), np.nan)
    for m in matches:
        scores[row[m.project_id], col[m.offer_id]] = m.score
    result = allocate(
        scores,
        [p.intro_limit for p in projects.values()],
        [o.capacity for o in offers.values()],
        fair=round_.fair,
        min_score=round_.min_score if round_.min_score > 0 else None,
    )
    by_cell = {(row[m.project_id], col[m.offer_id]): m for m in matches}
    chosen = [by_cell[(r, c)] for r, c in result.pairs()]
    Proposal.objects.bulk_create(
        Proposal(
            round=round_,
            project_id=m.project_id,
            offer_id=m.offer_id,
            score=m.score,
            reasons=m.reasons,
        )
        for m in chosen
    )
    round_.total_score = round(result.total_score, 4)
    round_.projects_covered = result.covered
    round_.save(update_fields=["total_score", "projects_covered"])
