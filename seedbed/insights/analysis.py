"""What the sentiment, structure and forecast pages show, and the one action among them
(introducing an isolated newcomer). Every function starts with ``insights_scope``: operators
platform-wide and everywhere, a community's owners and moderators for their own community;
a community the caller may not read answers 404.

The pages only read stored results (``ContentSentiment`` and ``StoredAnalysis`` rows); the
tasks in ``tasks_analysis`` compute them."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from seedbed.accounts.models import User
from seedbed.communities.models import COLOURS
from seedbed.core import ratelimit
from seedbed.insights import analysis_forecasts, analysis_sentiment
from seedbed.insights.access import Scope, insights_scope
from seedbed.insights.alerts import INTRODUCED, INTRODUCED_BY_SITE
from seedbed.insights.analysis_sentiment import CommunityMood, NegativeItem, Week
from seedbed.insights.analysis_structure import KIND as STRUCTURE
from seedbed.insights.models import StoredAnalysis
from seedbed.matching.predictive import Growth
from seedbed.notifications.services import notify

log = logging.getLogger("seedbed.insights.audit")

INTRODUCTIONS = "introductions"
INTRODUCE_LIMITS = [(10, 60), (60, 86_400)]
SHOWN_LOG = 20

Someone = User | AnonymousUser


# Sentiment -------------------------------------------------------------------------------------


@dataclass
class SentimentPage:
    scope: Scope
    weeks: list[Week]
    negatives: list[NegativeItem]
    moods: list[CommunityMood] = field(default_factory=list)
    alert: dict[str, Any] | None = None
    alert_share: float = analysis_sentiment.ALERT_SHARE
    alert_min: int = analysis_sentiment.ALERT_MIN_POSTS

    @property
    def scored(self) -> int:
        return sum(w.total for w in self.weeks)


def sentiment_page(user: Someone, slug: str | None) -> SentimentPage:
    scope = insights_scope(user, slug)
    assert isinstance(user, User)
    now = timezone.now()
    page = SentimentPage(
        scope,
        analysis_sentiment.weekly_trend(scope, now),
        analysis_sentiment.most_negative(scope, user, now),
    )
    if scope is None:
        page.moods = analysis_sentiment.moods_by_community(now)
    else:
        page.alert = analysis_sentiment.last_alert(scope)
    return page


# Structure -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dot:
    member: User
    cluster: int
    x: float
    y: float
    r: float
    colour: str
    pagerank: float | None
    betweenness: float | None
    degree: int


@dataclass(frozen=True)
class Newcomer:
    member: User
    ties: int
    suggestions: list[tuple[User, bool]]  # (whom to meet, already introduced)


@dataclass
class StructurePage:
    scope: Scope
    computed_at: datetime | None = None
    members: int = 0
    ties: int = 0
    modularity: float | None = None
    clusters: list[dict[str, Any]] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)
    lines: list[tuple[float, float, float, float]] = field(default_factory=list)
    influencers: list[Dot] = field(default_factory=list)
    bridges: list[Dot] = field(default_factory=list)
    newcomers: list[Newcomer] = field(default_factory=list)
    introductions: list[dict[str, Any]] = field(default_factory=list)

    width: int = 800
    height: int = 560
    pad: int = 24


def _visible_members(scope: Scope, ids: set[int]) -> dict[int, User]:
    """The members of this scope among ``ids`` whom its Insights may name: active accounts,
    and in a community only its members now (one query)."""
    people = User.objects.filter(pk__in=ids, is_active=True).only("pk", "display_name", "handle")
    if scope is not None:
        people = people.filter(memberships__community=scope)
    return {u.pk: u for u in people}


def _introductions(scope: Scope) -> list[dict[str, Any]]:
    stored = StoredAnalysis.objects.filter(kind=INTRODUCTIONS, community=scope).first()
    return list(stored.payload.get("log", [])) if stored is not None else []


def structure_page(user: Someone, slug: str | None) -> StructurePage:
    scope = insights_scope(user, slug)
    page = StructurePage(scope)
    stored = StoredAnalysis.objects.filter(kind=STRUCTURE, community=scope).first()
    log_rows = _introductions(scope)
    if stored is None:
        return page
    data = stored.payload
    ids = {n["id"] for n in data["nodes"]} | set(data["influencers"]) | set(data["bridges"])
    for newcomer in data["newcomers"]:
        ids |= {newcomer["id"], *newcomer["suggest"]}
    ids |= {row[k] for row in log_rows[-SHOWN_LOG:] for k in ("newcomer", "member")}
    people = _visible_members(scope, ids)
    page.computed_at = stored.computed_at
    page.members, page.ties, page.modularity = data["members"], data["ties"], data["modularity"]
    page.clusters = data["clusters"]
    inner_w, inner_h = page.width - 2 * page.pad, page.height - 2 * page.pad
    top_rank = max((n["pagerank"] or 0 for n in data["nodes"]), default=0) or 1
    dots: dict[int, Dot] = {}
    for node in data["nodes"]:
        member = people.get(node["id"])
        if member is None:
            continue
        dots[node["id"]] = Dot(
            member,
            node["cluster"],
            round(page.pad + inner_w * node["x"], 1),
            round(page.pad + inner_h * node["y"], 1),
            round(3 + 9 * ((node["pagerank"] or 0) / top_rank) ** 0.5, 1),
            COLOURS[node["cluster"] % len(COLOURS)],
            node["pagerank"],
            node["betweenness"],
            node["degree"],
        )
    page.dots = sorted(dots.values(), key=lambda d: d.r)
    nodes = data["nodes"]
    for a, b, _w in data["edges"]:
        one, two = dots.get(nodes[a]["id"]), dots.get(nodes[b]["id"])
        if one is not None and two is not None:
            page.lines.append((one.x, one.y, two.x, two.y))
    page.influencers = [dots[i] for i in data["influencers"] if i in dots]
    page.bridges = [dots[i] for i in data["bridges"] if i in dots]
    done = {(row["newcomer"], row["member"]) for row in log_rows}
    for newcomer in data["newcomers"]:
        member = people.get(newcomer["id"])
        if member is None:
            continue
        suggestions = [
            (people[s], (newcomer["id"], s) in done) for s in newcomer["suggest"] if s in people
        ]
        page.newcomers.append(Newcomer(member, newcomer["ties"], suggestions))
    shown = log_rows[-SHOWN_LOG:]
    makers = _visible_members(None, {row["by"] for row in shown}) if shown else {}
    page.introductions = [
        row
        | {
            "people": [
                makers.get(row["by"]),
                people.get(row["newcomer"]),
                people.get(row["member"]),
            ]
        }
        for row in reversed(shown)
    ]
    return page


def introduce(user: Someone, slug: str | None, newcomer_id: int, member_id: int) -> None:
    """Introduce an isolated newcomer to one of the members the analysis suggested for them:
    each is told about the other in a notification, and the introduction is logged with who
    made it. Only pairs of the stored suggestions (anything else answers 404, like a member
    one may not see), each pair once, at a limited pace."""
    scope = insights_scope(user, slug)
    assert isinstance(user, User)
    stored = StoredAnalysis.objects.filter(kind=STRUCTURE, community=scope).first()
    suggested = {
        (n["id"], s) for n in (stored.payload["newcomers"] if stored else []) for s in n["suggest"]
    }
    if (newcomer_id, member_id) not in suggested:
        raise Http404
    people = _visible_members(scope, {newcomer_id, member_id})
    if len(people) != 2:
        raise Http404
    ratelimit.hit(f"introduce:user:{user.pk}", INTRODUCE_LIMITS)
    newcomer, member = people[newcomer_id], people[member_id]
    with transaction.atomic():
        StoredAnalysis.objects.get_or_create(
            kind=INTRODUCTIONS,
            community=scope,
            defaults={"payload": {"log": []}, "computed_at": timezone.now()},
        )
        record = StoredAnalysis.objects.select_for_update().get(kind=INTRODUCTIONS, community=scope)
        entries = list(record.payload.get("log", []))
        if any(e["newcomer"] == newcomer_id and e["member"] == member_id for e in entries):
            raise ValidationError(
                _("%(newcomer)s and %(member)s were already introduced.")
                % {"newcomer": newcomer.display_name, "member": member.display_name}
            )
        now = timezone.now()
        entries.append(
            {"by": user.pk, "newcomer": newcomer_id, "member": member_id, "at": now.isoformat()}
        )
        record.payload = {"log": entries}
        record.computed_at = now
        record.save(update_fields=["payload", "computed_at"])
        kind = INTRODUCED if scope is not None else INTRODUCED_BY_SITE
        notify([newcomer], kind, actor=member, community=scope)
        notify([member], kind, actor=newcomer, community=scope)
    log.info(
        "introduction by %s of %s to %s in %s",
        user.pk,
        newcomer_id,
        member_id,
        scope.slug if scope is not None else "the platform",
    )


# Forecasts -------------------------------------------------------------------------------------


@dataclass
class ForecastsPage:
    scope: Scope
    growth: list[Growth] = field(default_factory=list)
    computed_at: datetime | None = None


def forecasts_page(user: Someone, slug: str | None) -> ForecastsPage:
    scope = insights_scope(user, slug)
    page = ForecastsPage(scope)
    found = analysis_forecasts.stored_forecasts(scope)
    if found is not None:
        page.growth, page.computed_at = found
    return page
