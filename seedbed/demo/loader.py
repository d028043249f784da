"""The demo community, loaded step by step: one step per app, in the order their data depends
on each other."""

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from seedbed.core.tasks import enqueue_once_after_commit
from seedbed.demo import accounts, communities, engagement, events, library, matching
from seedbed.discovery.tasks import refresh_recommendations
from seedbed.engagement.tasks import refresh_engagement
from seedbed.insights.tasks import refresh_insights
from seedbed.insights.tasks_analysis import refresh_analyses
from seedbed.search.rebuild import rebuild_everything


@dataclass
class DemoContext:
    members: int
    seed: int

    def rng(self, step: str) -> random.Random:
        """An independent stream per step, so adding a step never changes the others."""
        return random.Random(f"{self.seed}:{step}")


def _members(ctx: DemoContext) -> str:
    result = accounts.load_members(ctx.members, seed=ctx.seed)
    return f"{result['members']} members"


def _communities(ctx: DemoContext) -> str:
    result = communities.load_communities(ctx.rng("communities"), timezone.now())
    return (
        f"{result['communities']} communities, {result['posts']} posts, "
        f"{result['replies']} replies, {result['reactions']} reactions"
    )


def _events(ctx: DemoContext) -> str:
    result = events.load_events(ctx.rng("events"), timezone.now())
    return (
        f"{result['events']} events ({result['past']} past), {result['rsvps']} RSVPs, "
        f"{result['feedback']} feedback, {result['meetings']} roadshow meetings, "
        f"{result['scores']} competition scores"
    )


def _matching(ctx: DemoContext) -> str:
    result = matching.load_matching(ctx.rng("matching"), timezone.now())
    return (
        f"{result['projects']} projects; {result['investor']} investor, {result['mentor']} "
        f"mentor, {result['talent']} talent and {result['service']} service offers; "
        f"{result['matches']} matches, {result['intros']} intros"
    )


def _library(ctx: DemoContext) -> str:
    result = library.load_library(ctx.rng("library"), timezone.now())
    return (
        f"{result['resources']} resources, {result['tracks']} tracks, {result['ratings']} "
        f"ratings, {result['done']} done, {result['saved']} saved, {result['follows']} follows"
    )


def _engagement(ctx: DemoContext) -> str:
    result = engagement.load_engagement(ctx.rng("engagement"), timezone.now())
    # The history's points, levels and badges come from the worker, like the other refreshes.
    transaction.on_commit(lambda: refresh_engagement.enqueue(days=None))
    return (
        f"{result['helpful_marks']} helpful marks, {result['entries']} awards, "
        f"{result['rewards']} rewards, {result['redemptions']} redemptions"
    )


def _search(ctx: DemoContext) -> str:
    """The demo writes its rows in batches behind the services' backs, so the search index
    is built once at the end, from the tables, for every kind."""
    return f"{rebuild_everything()} documents indexed"


DEMO_STEPS: list[tuple[str, Callable[[DemoContext], str]]] = [
    ("members", _members),
    ("communities", _communities),
    ("events", _events),
    ("matching", _matching),
    ("library", _library),
    ("engagement", _engagement),
    ("search", _search),
]


def load_demo(members: int = 200, seed: int = 7, echo: Callable[[str], None] = print) -> bool:
    """Fill an empty database with the demo community. Returns False, changing nothing, when
    the demo is already there, so running it twice is harmless."""
    if accounts.is_loaded():
        return False
    ctx = DemoContext(members=members, seed=seed)
    with transaction.atomic():
        for name, step in DEMO_STEPS:
            echo(f"  {name}: {step(ctx)}")
        # What the intelligence pages read is computed by the worker, which `make run` starts
        # next to the site: the demo is browsable at once and fills in within seconds.
        for refresh in (refresh_recommendations, refresh_insights, refresh_analyses):
            enqueue_once_after_commit(refresh)
    return True
