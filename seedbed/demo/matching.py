"""Demo resource matching: about sixty startup projects built by the demo's founders, forty
investor theses, forty mentors' office hours, sixty talent offers and fifteen services from
members with those roles, scored by the real matcher, and some 120 intros over the last ten
months in every state of the pipeline, plus one past mentor matching round.

Everything follows the members' profiles: a project's sectors, stage and city are its founders',
an investor's tickets fit the stages it backs, a talent offers the skills on their profile, a
mentor's topics are their skills. Intros are drawn mostly from the best-scoring pairs, and the
better the match the likelier it was accepted, so the learned part of the score has a signal.
The demo member has a project with matches, an intro waiting for an answer and an accepted one.

Deterministic for a given random stream and ``now``; every table is written with bulk inserts
and the counts stop growing past a few hundred members, so the step costs a fixed number of
queries at any demo size.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.utils.text import slugify

from seedbed.accounts.models import MemberRole, Role, Stage, User
from seedbed.core.models import Sector
from seedbed.core.services import tags_named
from seedbed.demo import matching_text as text
from seedbed.demo.accounts import DEMO_DOMAIN, EN_CITIES, ZH_CITIES
from seedbed.demo.communities import PRODUCT_ZH
from seedbed.engine.matching import MatchScorer
from seedbed.matching import adapter
from seedbed.matching import notifications as kinds
from seedbed.matching.models import (
    Availability,
    DeclineReason,
    Instrument,
    Intro,
    IntroMessage,
    IntroStatus,
    MatchingRound,
    Offer,
    OfferKind,
    Outcome,
    PriceBand,
    Project,
    ProjectStatus,
    Proposal,
    ServiceType,
)
from seedbed.notifications.models import Notification

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
BATCH = 1000
DEFAULT_MEMBERS = 200
MAX_SCALE = 1.5
"""Counts grow with the community up to 1.5× the default demo's (450 members), then stop."""
DEMO_PROJECT_AGE = 300 * DAY
HISTORY = 300 * DAY
"""Intros go back about ten months."""

QUOTAS = {"projects": 60, "investor": 40, "mentor": 40, "talent": 60, "service": 15, "intros": 120}
STAGES = list(Stage.values)
ASK: dict[str, tuple[int, int]] = {  # what a project of each stage raises (low end, high end)
    Stage.IDEA: (50_000, 300_000),
    Stage.PRE_SEED: (200_000, 1_000_000),
    Stage.SEED: (800_000, 3_000_000),
    Stage.SERIES_A: (3_000_000, 12_000_000),
    Stage.GROWTH: (15_000_000, 60_000_000),
}
TICKET: dict[str, tuple[int, int]] = {  # what an investor at each stage writes
    Stage.IDEA: (20_000, 200_000),
    Stage.PRE_SEED: (100_000, 800_000),
    Stage.SEED: (300_000, 3_000_000),
    Stage.SERIES_A: (2_000_000, 10_000_000),
    Stage.GROWTH: (8_000_000, 50_000_000),
}
INSTRUMENTS: dict[str, list[Instrument]] = {
    Stage.IDEA: [Instrument.GRANT, Instrument.SAFE],
    Stage.PRE_SEED: [Instrument.SAFE, Instrument.CONVERTIBLE, Instrument.EQUITY],
    Stage.SEED: [Instrument.EQUITY, Instrument.EQUITY, Instrument.SAFE, Instrument.CONVERTIBLE],
    Stage.SERIES_A: [Instrument.EQUITY],
    Stage.GROWTH: [Instrument.EQUITY, Instrument.DEBT],
}
OFTEN_EXCLUDED = ["web3", "gaming", "proptech", "biotech", "semiconductors", "consumer"]
OUTCOME_OF_KIND: dict[str, Outcome] = {
    OfferKind.INVESTOR: Outcome.INVESTED,
    OfferKind.TALENT: Outcome.HIRED,
    OfferKind.MENTOR: Outcome.MENTORED,
    OfferKind.SERVICE: Outcome.ENGAGED,
}
# Share of the intros in each final state: pending, declined, withdrawn, accepted, met, outcome.
STATE_WEIGHTS = {
    "requested": 0.21,
    "declined": 0.22,
    "withdrawn": 0.07,
    "accepted": 0.12,
    "met": 0.12,
    "outcome": 0.31,
}
PENDING_ASKERS = ["project", "offer", "operator", "project", "offer"]
INTRO_MIX = {"investor": 0.35, "mentor": 0.3, "talent": 0.25, "service": 0.1}
"""Share of the intros per offer kind, as long as there are matches to fill it."""
THREADS = 8
"""Accepted intros with a short thread."""


@dataclass
class _Member:
    pk: int
    handle: str
    lang: str
    city: str
    stage: str
    joined: datetime
    staff: bool
    roles: set[str] = field(default_factory=set)
    sectors: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)


@dataclass
class _ProjectPlan:
    project: Project
    team: list[_Member]
    lang: str
    sectors: list[str]
    skills: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    sector_label: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.project.status == ProjectStatus.ACTIVE

    def until(self, now: datetime) -> datetime:
        """Until when the project was looking: now, or when it succeeded or closed."""
        return now if self.active else self.project.updated_at


@dataclass
class _OfferPlan:
    offer: Offer
    owner: _Member
    sectors: list[str]
    excluded: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def _load_members(now: datetime) -> list[_Member]:
    rows = (
        User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}", is_active=True)
        .order_by("pk")
        .values_list("pk", "handle", "languages", "city", "stage", "date_joined", "is_staff")
    )
    members = [
        _Member(pk, handle, (langs or ["en"])[0], city, stage, min(joined, now - DAY), staff)
        for pk, handle, langs, city, stage, joined, staff in rows
    ]
    by_pk = {m.pk: m for m in members}
    for pk, role in MemberRole.objects.values_list("user_id", "role").order_by("user_id", "role"):
        if pk in by_pk:
            by_pk[pk].roles.add(role)
    lists = (
        ("sectors", User.sectors.through.objects.values_list("user_id", "sector__slug")),
        ("skills", User.skills.through.objects.values_list("user_id", "tag__name")),
        ("interests", User.interests.through.objects.values_list("user_id", "tag__name")),
    )
    for name, pairs in lists:
        for pk, value in pairs.order_by("user_id", "id"):
            if pk in by_pk:
                getattr(by_pk[pk], name).append(value)
    return members


def scale(member_count: int) -> float:
    """How big the matching demo is relative to the default one: linear below 200 members,
    growing with the square root above, capped."""
    ratio = member_count / DEFAULT_MEMBERS
    return ratio if ratio <= 1 else min(MAX_SCALE, math.sqrt(ratio))


def _quota(name: str, factor: float) -> int:
    return max(1, round(QUOTAS[name] * factor))


def _nice(amount: float) -> int:
    """Round to two significant figures, as people write amounts."""
    if amount <= 0:
        return 0
    step = 10 ** max(0, int(math.log10(amount)) - 1)
    return int(round(amount / step) * step)


def _between(rng: random.Random, lo: datetime, hi: datetime) -> datetime:
    if hi <= lo:
        return lo
    return lo + (hi - lo) * rng.random()


# Projects ---------------------------------------------------------------------------------------


def _brand(rng: random.Random, taken: set[str]) -> str:
    for _attempt in range(50):
        brand = rng.choice(text.BRANDS_EN[0]) + rng.choice(text.BRANDS_EN[1])
        if slugify(brand) not in taken:
            return brand
    return f"{brand}{len(taken)}"


def _zh_name(rng: random.Random) -> str:
    return rng.choice(PRODUCT_ZH[0]) + rng.choice(PRODUCT_ZH[1]) + rng.choice(PRODUCT_ZH[2])


def _teams(rng, founders: list[_Member], count: int, demo: _Member | None, now: datetime):
    """Teams of one to three founders, preferably from one city; a founder is on at most two
    projects (a serial founder's old one and new one). The demo member leads the first, with
    a co-founder who was already here when it started (``DEMO_PROJECT_AGE`` ago)."""
    load = {m.pk: 0 for m in founders}
    order = founders[:]
    rng.shuffle(order)
    if demo is not None:
        order.remove(demo)
        order.insert(0, demo)
    teams: list[list[_Member]] = []
    for k in range(count):
        leads = [m for m in order if load[m.pk] == 0] or [m for m in order if load[m.pk] < 2]
        if not leads:
            break
        lead = leads[0] if k == 0 else rng.choice(leads[:5])
        size = 2 if k == 0 else rng.choices([1, 2, 3], [50, 35, 15])[0]
        others = [m for m in order if m is not lead and load[m.pk] == 0]
        if lead is demo:
            others = [m for m in others if m.joined < now - DEMO_PROJECT_AGE]
        local = [m for m in others if m.city == lead.city]
        team = [lead]
        for pool in (local, others):
            while len(team) < size and pool:
                pick = pool.pop(rng.randrange(len(pool)))
                if pick not in team:
                    team.append(pick)
        for m in team:
            load[m.pk] += 1
        order.remove(lead)
        order.append(lead)
        teams.append(team)
    return teams


def _project(rng, team: list[_Member], now: datetime, taken: set[str], demo: bool) -> _ProjectPlan:
    lead = team[0]
    lang = lead.lang
    stage = lead.stage or Stage.SEED
    team_sectors = list(dict.fromkeys(s for m in team for s in m.sectors))
    sectors = [s for s in (lead.sectors[:1] or team_sectors[:1])]
    if len(team_sectors) > 1 and rng.random() < 0.45:
        sectors.append(rng.choice([s for s in team_sectors if s not in sectors]))
    sector = sectors[0] if sectors else "ai"
    brand = _brand(rng, taken)
    zh_name = _zh_name(rng)
    if demo:
        brand, zh_name, sectors = "ClinicPilot", "诊所领航", ["ai", "healthtech"]
        sector = "healthtech"
    slug, n = slugify(brand), 2
    while slug in taken:  # left behind by an earlier demo whose members were deleted
        slug, n = f"{slugify(brand)}-{n}", n + 1
    pitch_en, problem_en = rng.choice(text.PITCHES.get(sector, text.PITCHES["ai"])["en"])
    pitch_zh, problem_zh = rng.choice(text.PITCHES.get(sector, text.PITCHES["ai"])["zh"])
    if demo:
        pitch_en, problem_en = text.PITCHES["ai"]["en"][0]
        pitch_zh, problem_zh = text.PITCHES["ai"]["zh"][0]
    n, k = rng.randint(3, 9) * 10, rng.randint(3, 12)
    traction = {
        lang_: rng.choice(text.TRACTION[stage][lang_]).format(n=n, k=k, m=n / 20, g=n // 10)
        for lang_ in ("en", "zh")
    }
    if lang == "zh" and not demo:
        name = f"{zh_name} {brand}" if rng.random() < 0.7 else zh_name
        one_liner = pitch_zh
        description = f"{zh_name}：{pitch_zh}。{problem_zh}{traction['zh']}团队位于{lead.city}。"
        traction_text = traction["zh"]
    elif not demo:
        name = brand if rng.random() < 0.7 else f"{brand} {zh_name}"
        one_liner = pitch_en[0].upper() + pitch_en[1:]
        description = (
            f"{brand} builds {pitch_en}. {problem_en} {traction['en']} "
            f"The team is based in {lead.city}."
        )
        traction_text = traction["en"]
    else:
        name = f"{brand} {zh_name}"
        one_liner = "AI paperwork for clinics · 面向诊所的 AI 病历助手"
        description = (
            f"{brand} builds {pitch_en}. {problem_en}\n\n{zh_name}：{pitch_zh}。{problem_zh}"
        )
        traction_text = f"{traction['en']}\n{traction['zh']}"
    taken.add(slug)
    joined = max(m.joined for m in team)
    created = min(joined + rng.uniform(3, 30) * DAY, now - rng.uniform(2, 20) * DAY)
    created = max(created, joined)
    if demo:
        created = now - DEMO_PROJECT_AGE
    rank = STAGES.index(stage)
    project = Project(
        slug=slug,
        name=name,
        one_liner=one_liner[:160],
        description=description,
        stage=stage,
        city=lead.city,
        traction=traction_text,
        has_working_product=rank >= 1 or rng.random() < 0.2,
        has_paying_customers=rank >= 2 or (rank == 1 and rng.random() < 0.4),
        created_by_id=lead.pk,
        created_at=created,
        updated_at=_between(rng, created, now),
        intro_limit=rng.choice([2, 3, 3, 4, 5]),
    )
    if not demo and created < now - 330 * DAY and rng.random() < 0.55:
        project.status = (
            ProjectStatus.SUCCEEDED
            if rank >= 2 or (rank == 1 and rng.random() < 0.3)
            else ProjectStatus.CLOSED
        )
        project.updated_at = created + (now - created) * rng.uniform(0.6, 0.9)
    return _ProjectPlan(project, team, lang, sectors)


def _needs(rng: random.Random, plan: _ProjectPlan, demo: bool) -> None:
    """What an active project looks for; a finished one looks for nothing any more."""
    p = plan.project
    if not plan.active:
        return
    wants = {
        "funding": demo or rng.random() < 0.65,
        "talent": demo or rng.random() < 0.5,
        "mentoring": demo or rng.random() < 0.55,
        "services": demo or rng.random() < 0.3,
    }
    if not any(wants.values()):
        wants[rng.choice(list(wants))] = True
    if wants["funding"]:
        lo, hi = ASK[p.stage]
        p.needs_funding = True
        p.funding_min = _nice(rng.uniform(lo, lo + (hi - lo) * 0.5))
        p.funding_max = _nice(p.funding_min * rng.uniform(1.3, 2.0))
        p.funding_instrument = rng.choice(INSTRUMENTS[p.stage])
        notes = text.FUNDING_NOTES[plan.lang]
        p.funding_notes = rng.choice(notes).format(
            v=rng.randint(4, 9), p=rng.choice([40, 50, 60]), m=rng.choice([18, 24])
        )
        if demo:
            p.funding_min, p.funding_max = 1_500_000, 3_000_000
            p.funding_instrument = Instrument.EQUITY
    if wants["talent"]:
        hires = rng.sample(text.HIRES, k=rng.choice([1, 1, 2]))
        if demo:
            hires = [text.HIRES[0]]
        p.needs_talent = True
        zh = plan.lang == "zh"
        p.roles_sought = ("、" if zh else ", ").join(h[1] if zh else h[0] for h in hires)
        skills = [s for h in hires for s in (h[3] if zh else h[2])]
        if demo or rng.random() < 0.5:  # a bilingual job post
            skills += [s for h in hires for s in (h[2] if zh else h[3])]
        plan.skills = list(dict.fromkeys(skills))
    if wants["mentoring"]:
        topics = rng.sample(text.TOPICS, k=rng.randint(1, 3))
        if demo:
            topics = [text.TOPICS[0], text.TOPICS[1]]
        p.needs_mentoring = True
        both = demo or rng.random() < 0.5
        names = []
        for topic_en, topic_zh in topics:
            first, second = (
                (topic_zh, topic_en) if plan.lang == "zh" and topic_zh else (topic_en, topic_zh)
            )
            names += [first, second] if both and second else [first]
        plan.topics = list(dict.fromkeys(n for n in names if n))
    if wants["services"]:
        p.needs_services = True
        services = [ServiceType.LEGAL, ServiceType.CLOUD] if demo else None
        p.services_sought = services or rng.sample(ServiceType.values, k=rng.randint(1, 2))


# Offers -----------------------------------------------------------------------------------------


def _owners(rng: random.Random, pool: list[_Member], count: int, most: int) -> list[_Member]:
    """``count`` offer owners from ``pool``: everyone once, then some twice, at most ``most``."""
    owners: list[_Member] = []
    for _round in range(most):
        batch = pool[:]
        rng.shuffle(batch)
        owners += batch[: count - len(owners)]
        if len(owners) >= count:
            break
    return owners


def _created(rng: random.Random, owner: _Member, now: datetime) -> datetime:
    """Members post their offer in their first weeks."""
    start = owner.joined + rng.uniform(1, 30) * DAY
    return min(start, now - rng.uniform(1, 10) * DAY)


def _investor(rng, owner: _Member, sectors: dict[str, Sector], now, second: bool) -> _OfferPlan:
    lang = owner.lang
    anchor = rng.choices(STAGES, [8, 30, 34, 20, 8])[0]
    if second:
        anchor = STAGES[min(len(STAGES) - 1, STAGES.index(anchor) + 1)]
    i = STAGES.index(anchor)
    width = rng.choice([0, 1, 1, 2])
    lo_i, hi_i = max(0, i - width // 2), min(len(STAGES) - 1, i + (width + 1) // 2)
    stages = STAGES[lo_i : hi_i + 1]
    own = owner.sectors or ["ai"]
    offer_sectors = own[:]
    if rng.random() < 0.3:
        offer_sectors.append(rng.choice([s for s in sectors if s not in offer_sectors]))
    excluded = []
    if rng.random() < 0.35:
        choices = [s for s in OFTEN_EXCLUDED if s not in offer_sectors]
        excluded = rng.sample(choices, k=min(len(choices), rng.randint(1, 2)))
    cities = _cities(lang)
    regions = [] if rng.random() < 0.4 else _regions(rng, owner.city, cities)
    fund = rng.choice(text.FUNDS[lang])
    label = text.STAGE_LABEL[lang]
    names = [sectors[s].name_zh if lang == "zh" else sectors[s].name_en for s in offer_sectors]
    if lang == "zh":
        title = f"{fund} · {'、'.join(names[:2])}{label[stages[0]]}投资"
        description = (
            f"{fund}关注{'、'.join(names)}方向的{'、'.join(label[s] for s in stages)}项目，"
            f"看重团队的行业积累和早期客户验证。"
        )
    else:
        title = f"{fund}: {label[stages[0]]} {names[0].lower()}"
        description = (
            f"{fund} backs {', '.join(label[s] for s in stages)} companies in "
            f"{', '.join(n.lower() for n in names)}. We like founders with deep domain "
            f"experience and early customer proof."
        )
    if excluded:
        description += (
            f" 不投：{'、'.join(sectors[s].name_zh for s in excluded)}。"
            if lang == "zh"
            else f" We do not invest in {', '.join(sectors[s].name_en.lower() for s in excluded)}."
        )
    offer = Offer(
        kind=OfferKind.INVESTOR,
        owner_id=owner.pk,
        title=title[:120],
        description=description,
        stages=stages,
        ticket_min=_nice(TICKET[stages[0]][0] * rng.uniform(1, 1.5)),
        ticket_max=_nice(TICKET[stages[-1]][1] * rng.uniform(0.7, 1)),
        regions=regions,
        capacity=rng.randint(3, 8),
        created_at=_created(rng, owner, now),
    )
    return _OfferPlan(offer, owner, offer_sectors, excluded)


def _cities(lang: str) -> list[str]:
    return ZH_CITIES if lang == "zh" else EN_CITIES


def _regions(rng: random.Random, home: str, cities: list[str]) -> list[str]:
    others = [c for c in cities if c != home]
    return [home, *rng.sample(others, k=min(len(others), rng.randint(2, 4)))]


def _mentor(rng, owner: _Member, sectors: dict[str, Sector], now, second: bool) -> _OfferPlan:
    lang = owner.lang
    known = {n for pair in text.TOPICS for n in pair if n}
    topics = [s for s in owner.skills if s in known]
    if second:  # a second offer: the rest of their topics and what they are interested in
        topics = (topics[2:] or topics[-1:]) + owner.interests[:2]
    bilingual = [pair for pair in text.TOPICS if pair[1]]
    topics = topics[: rng.randint(2, 3)] or [rng.choice(bilingual)[0 if lang == "en" else 1]]
    hours = rng.randint(2, 8)
    names = [sectors[s].name_zh if lang == "zh" else sectors[s].name_en for s in owner.sectors]
    if lang == "zh":
        title = f"{'与'.join(topics[:2])}辅导 · 每月 {hours} 小时"
        description = (
            f"在{'、'.join(names) or '创业'}行业有十年以上经验，可以在{'、'.join(topics)}"
            f"方面给早期团队建议。每月开放 {hours} 小时办公时间。"
        )
    else:
        title = f"Office hours on {' and '.join(topics[:2])}"
        description = (
            f"Ten years as an operator in {', '.join(n.lower() for n in names) or 'startups'}. "
            f"I help early teams with {', '.join(topics)}; {hours} office hours a month."
        )
    offer = Offer(
        kind=OfferKind.MENTOR,
        owner_id=owner.pk,
        title=title[:120],
        description=description,
        capacity=hours,
        created_at=_created(rng, owner, now),
    )
    return _OfferPlan(offer, owner, owner.sectors[:], tags=topics)


def _talent(rng, owner: _Member, sectors: dict[str, Sector], now, second: bool) -> _OfferPlan:
    lang = owner.lang
    known = {s for h in text.HIRES for s in (*h[2], *h[3])}
    skills = [s for s in owner.skills if s in known]
    if not skills:
        skills = rng.choice(text.HIRES)[3 if lang == "zh" else 2][:]
    best = max(text.HIRES, key=lambda h: len(set(skills) & {*h[2], *h[3]}))
    role = best[1] if lang == "zh" else best[0]
    availability = rng.choices(
        [Availability.FULL_TIME, Availability.PART_TIME, Availability.CONTRACT],
        [50, 20, 30],
    )[0]
    if second:
        availability = (
            Availability.CONTRACT
            if availability != Availability.CONTRACT
            else (Availability.PART_TIME)
        )
    remote = rng.random() < 0.4
    sector = sectors[owner.sectors[0]] if owner.sectors else None
    if lang == "zh":
        title = f"{role}，寻找{sector.name_zh if sector else '创业'}团队"
        description = f"擅长{'、'.join(skills)}，希望加入早期团队。" + (
            "可远程。" if remote else f"常驻{owner.city}。"
        )
    else:
        area = sector.name_en.lower() if sector else "early-stage"
        title = f"{role[0].upper()}{role[1:]}, open to {area} startups"
        description = f"I work with {', '.join(skills)} and want to join an early team. " + (
            "Open to remote work." if remote else f"Based in {owner.city}."
        )
    offer = Offer(
        kind=OfferKind.TALENT,
        owner_id=owner.pk,
        title=title[:120],
        description=description,
        role_sought=role,
        availability=availability,
        city=owner.city,
        remote=remote,
        capacity=1,
        created_at=_created(rng, owner, now),
    )
    return _OfferPlan(offer, owner, owner.sectors[:], tags=skills)


def _service(rng, owner: _Member, sectors: dict[str, Sector], now, second: bool) -> _OfferPlan:
    lang = owner.lang
    types = [text.SERVICE_OF_SKILL[s] for s in owner.skills if s in text.SERVICE_OF_SKILL]
    service = types[0] if types else rng.choice(ServiceType.values)
    en, zh = text.SERVICE_LABEL[service]
    firm = rng.choice(text.PROVIDERS[lang])
    band = rng.choices(PriceBand.values, [15, 50, 30, 5])[0]
    if lang == "zh":
        title = f"{firm}{zh}"
        description = f"{firm}为早期创业公司提供{zh}，已服务 {rng.randint(3, 20)}0 余家企业。"
    else:
        title = f"{firm}: {en}"
        description = (
            f"{firm} offers {en} to early-stage startups; "
            f"{rng.randint(3, 20)}0 startups served so far."
        )
    offer = Offer(
        kind=OfferKind.SERVICE,
        owner_id=owner.pk,
        title=title[:120],
        description=description,
        service_type=service,
        price_band=band,
        capacity=rng.randint(3, 10),
        created_at=_created(rng, owner, now),
    )
    return _OfferPlan(offer, owner, owner.sectors[:])


MAKERS = {
    OfferKind.INVESTOR: (Role.INVESTOR, _investor),
    OfferKind.MENTOR: (Role.MENTOR, _mentor),
    OfferKind.TALENT: (Role.TALENT, _talent),
    OfferKind.SERVICE: (Role.SERVICE_PROVIDER, _service),
}


def _offers(rng, members: list[_Member], sectors, factor: float, now) -> list[_OfferPlan]:
    plans: list[_OfferPlan] = []
    for kind, (role, make) in MAKERS.items():
        pool = [m for m in members if role in m.roles and not m.staff]
        if not pool:
            continue
        most = 1 if kind == OfferKind.SERVICE else 3
        seen: set[int] = set()
        for owner in _owners(rng, pool, _quota(kind, factor), most):
            plans.append(make(rng, owner, sectors, now, owner.pk in seen))
            seen.add(owner.pk)
    for plan in plans:
        offer = plan.offer
        offer.updated_at = _between(rng, offer.created_at, now)
        if rng.random() < 0.06:
            offer.active = False
    return plans


# Writing projects and offers --------------------------------------------------------------------


def _write(projects: list[_ProjectPlan], offers: list[_OfferPlan], sectors, tags) -> None:
    Project.objects.bulk_create([p.project for p in projects], batch_size=BATCH)
    Offer.objects.bulk_create([o.offer for o in offers], batch_size=BATCH)
    through = {
        "team": Project.team.through,
        "p_sectors": Project.sectors.through,
        "skills_sought": Project.skills_sought.through,
        "topics_sought": Project.topics_sought.through,
        "o_sectors": Offer.sectors.through,
        "excluded": Offer.excluded_sectors.through,
        "skills": Offer.skills.through,
        "topics": Offer.topics.through,
    }
    rows: dict[str, list] = {name: [] for name in through}
    for plan in projects:
        pk = plan.project.pk
        rows["team"] += [through["team"](project_id=pk, user_id=m.pk) for m in plan.team]
        rows["p_sectors"] += [
            through["p_sectors"](project_id=pk, sector_id=sectors[s].pk) for s in plan.sectors
        ]
        rows["skills_sought"] += [
            through["skills_sought"](project_id=pk, tag_id=tags[t].pk) for t in plan.skills
        ]
        rows["topics_sought"] += [
            through["topics_sought"](project_id=pk, tag_id=tags[t].pk) for t in plan.topics
        ]
    tag_tables: dict[str, str] = {OfferKind.TALENT: "skills", OfferKind.MENTOR: "topics"}
    for offer_plan in offers:
        pk, kind = offer_plan.offer.pk, offer_plan.offer.kind
        rows["o_sectors"] += [
            through["o_sectors"](offer_id=pk, sector_id=sectors[s].pk) for s in offer_plan.sectors
        ]
        rows["excluded"] += [
            through["excluded"](offer_id=pk, sector_id=sectors[s].pk) for s in offer_plan.excluded
        ]
        tag_table = tag_tables.get(kind)
        if tag_table:
            rows[tag_table] += [
                through[tag_table](offer_id=pk, tag_id=tags[t].pk) for t in offer_plan.tags
            ]
    for name, model in through.items():
        model._default_manager.bulk_create(rows[name], batch_size=BATCH)


def _scores(projects: list[_ProjectPlan], offers: list[_OfferPlan]):
    """The matcher's scores of every project (finished ones too: they were active when their
    intros happened) against every offer, built exactly as the stored matches are."""
    p_rows = list(
        Project.objects.filter(pk__in=[p.project.pk for p in projects])
        .prefetch_related("sectors", "skills_sought", "topics_sought")
        .order_by("id")
    )
    o_rows = list(
        Offer.objects.filter(pk__in=[o.offer.pk for o in offers])
        .prefetch_related("sectors", "skills", "topics", "excluded_sectors")
        .order_by("id")
    )
    e_projects, e_offers = adapter.engine_inputs(p_rows, o_rows)
    scorer = MatchScorer().fit(e_projects, e_offers)
    scores = scorer.score(e_projects, e_offers)
    p_order = {p.pk: k for k, p in enumerate(p_rows)}
    o_order = {o.pk: k for k, o in enumerate(o_rows)}
    rows = [p_order[p.project.pk] for p in projects]
    cols = [o_order[o.offer.pk] for o in offers]
    matrix = scores[np.ix_(rows, cols)] if rows and cols else np.zeros((len(rows), len(cols)))
    return matrix, scorer, [e_projects[r] for r in rows], [e_offers[c] for c in cols]


# Intros -----------------------------------------------------------------------------------------


@dataclass
class _Draft:
    p: _ProjectPlan
    o: _OfferPlan
    rc: tuple[int, int]
    score: float
    state: str
    asker: str  # "project", "offer" or "operator"
    round: MatchingRound | None = None
    created: datetime | None = None
    deal: bool | None = None


SPAN = {  # days from the request to the end a state needs at least; longer ones are squeezed
    "requested": 0,
    "withdrawn": 7,
    "declined": 2,
    "accepted": 3,
    "met": 14,
    "outcome": 45,
}
SHORTER = {"outcome": "met", "met": "accepted", "accepted": "declined", "withdrawn": "declined"}
"""A state that does not fit in a pair's time becomes the next shorter one."""


def _end(d: _Draft, now: datetime) -> datetime:
    """Until when the pair could move on: now, or when the project or the offer closed."""
    offer = d.o.offer
    return min(d.p.until(now), now if offer.active else offer.updated_at, now - HOUR)


def _window(d: _Draft, now: datetime) -> tuple[datetime, datetime] | None:
    """When the intro can have been requested so that all its steps fit before the end."""
    lo = max(d.p.project.created_at, d.o.offer.created_at, now - HISTORY) + DAY
    if d.state == "requested":
        lo = max(lo, now - (50 if d.asker == "operator" else 25) * DAY)
    hi = _end(d, now) - SPAN[d.state] * DAY
    return (lo, hi) if lo < hi else None


def _state(rng: random.Random, quality: float, live: bool) -> str:
    """A better match is likelier to have been accepted and gone further."""
    weights = dict(STATE_WEIGHTS)
    if not live:
        weights.pop("requested")
        weights.pop("withdrawn")
    for s in ("accepted", "met", "outcome"):
        weights[s] *= 0.4 + 1.2 * quality
    weights["declined"] *= 1.6 - 1.2 * quality
    states = list(weights)
    return rng.choices(states, [weights[s] for s in states])[0]


def _best(row: np.ndarray) -> list[int]:
    """Columns of the allowed pairs of a score row, best first."""
    order = np.argsort(-np.where(np.isfinite(row), row, -1.0), kind="stable")
    return [int(c) for c in order if np.isfinite(row[c]) and row[c] > 0]


def _pick_pairs(rng: random.Random, scores: np.ndarray, kinds: list[str], used):
    """Candidate pairs in a random order weighted by score: most from each project's three
    best matches of each kind, some from anywhere allowed."""
    top = []
    for r in range(scores.shape[0]):
        best = _best(scores[r])
        for kind in OfferKind.values:
            top += [(r, c) for c in best if kinds[c] == kind][:3]
    finite = np.isfinite(scores) & (scores > 0)
    anywhere = [(int(r), int(c)) for r, c in zip(*np.nonzero(finite), strict=True)]
    rng.shuffle(anywhere)
    top_set = set(top)
    anywhere = [pair for pair in anywhere if pair not in top_set]
    keys = {pair: rng.random() ** (1 / max(scores[pair], 1e-6) ** 2) for pair in top}
    picked = sorted((pair for pair in top if pair not in used), key=lambda x: -keys[x])
    for pair in anywhere[: len(picked) // 5]:  # one in six from outside the best matches
        if pair not in used:
            picked.insert(rng.randrange(len(picked) + 1), pair)
    return picked


def _timeline(rng: random.Random, intro: Intro, d: _Draft, now: datetime) -> None:
    """Decided, met and outcome times after the request, squeezed to end before the pair's end."""
    if d.state == "requested":
        return
    steps = [rng.uniform(6, 20) if d.state == "withdrawn" else rng.uniform(0.2, 9)]
    if d.state in ("met", "outcome"):
        steps.append(steps[-1] + rng.uniform(2, 25))
    if d.state == "outcome":
        steps.append(steps[-1] + rng.uniform(7, 90))
    room = (_end(d, now) - intro.created_at) / DAY
    squeeze = min(1.0, room / steps[-1]) if steps[-1] > 0 else 1.0
    times = [intro.created_at + days * squeeze * DAY for days in steps]
    intro.decided_at = times[0]
    if len(times) > 1:
        intro.met_at = times[1]
    if len(times) > 2:
        intro.outcome_at = times[2]


def _intro(rng: random.Random, d: _Draft, operator: _Member | None, now: datetime) -> Intro:
    p, o = d.p, d.o
    assert d.created is not None, "unplaced drafts never become intros"
    kind = o.offer.kind
    lead = p.team[0]
    asker = {"project": rng.choice(p.team), "offer": o.owner}.get(d.asker, operator)
    lang = (lead if d.asker == "project" else o.owner).lang
    label = text.STAGE_LABEL[lang][p.project.stage]
    topic = (p.topics or o.tags or p.project.services_sought or [label])[0]
    if d.asker == "operator":
        message = text.OPERATOR_MESSAGE
    else:
        table = text.ASK_MESSAGES if d.asker == "project" else text.OFFER_ASKS
        message = rng.choice(table[kind][lang]).format(
            stage=label, sector=p.sector_label.get(lang, ""), topic=topic
        )
    intro = Intro(
        project=p.project,
        offer=o.offer,
        requested_by_id=asker.pk if asker else None,
        round=d.round,
        message=message,
        score=round(d.score, 4),
        created_at=d.created,
        project_consent=True if d.asker == "project" else None,
        offer_consent=True if d.asker == "offer" else None,
    )
    _timeline(rng, intro, d, now)
    if d.state == "requested":
        if d.asker == "operator" and rng.random() < 0.3:
            intro.project_consent = True  # the team said yes; the offer's owner has not yet
        return intro
    if d.state == "withdrawn":
        intro.status = IntroStatus.WITHDRAWN
        intro.decided_by_id = asker.pk if asker else None
        return intro
    answerer = {"project": "offer", "offer": "project"}.get(d.asker) or rng.choice(
        ["project", "offer"]
    )
    answerer_user = lead if answerer == "project" else o.owner
    intro.decided_by_id = answerer_user.pk
    if d.state == "declined":
        intro.status = IntroStatus.DECLINED
        setattr(intro, f"{answerer}_consent", False)
        reason = rng.choices(DeclineReason.values, [45, 25, 20, 10])[0]
        if kind == OfferKind.MENTOR and answerer == "offer" and rng.random() < 0.5:
            reason = DeclineReason.NO_CAPACITY
        intro.decline_reason = reason
        if rng.random() < 0.75:
            intro.decline_note = rng.choice(text.DECLINE_NOTES[reason][answerer_user.lang])
        return intro
    intro.status = IntroStatus.ACCEPTED
    intro.project_consent = intro.offer_consent = True
    if d.state == "outcome":
        deal = d.deal if d.deal is not None else rng.random() < 0.3 + d.score
        intro.outcome = OUTCOME_OF_KIND[kind] if deal else Outcome.NO_DEAL
    return intro


def _demo_drafts(projects, offers, scores, used, now) -> list[_Draft]:
    """The demo member's project: an investor's request waiting for their answer (two days
    old), an accepted mentor intro (it gets a thread) and a met talent intro."""
    if not projects or projects[0].team[0].handle != "demo":
        return []
    row = scores[0]
    drafts = []
    wanted = [
        (OfferKind.INVESTOR, "requested", "offer"),
        (OfferKind.MENTOR, "accepted", "project"),
        (OfferKind.TALENT, "met", "project"),
    ]
    for kind, state, asker in wanted:
        cols = [c for c in _best(row) if offers[c].offer.active and (0, c) not in used]
        cols = [c for c in cols if offers[c].offer.kind == kind] or cols
        if not cols:
            continue
        c = cols[0]
        used.add((0, c))
        draft = _Draft(projects[0], offers[c], (0, c), float(row[c]), state, asker)
        if state == "requested":
            draft.created = now - 2 * DAY
        drafts.append(draft)
    return drafts


def _round_drafts(rng, projects, offers, scores, used, now, operator) -> list[_Draft]:
    """A mentor round sent about two and a half months ago: one mentor per project, within
    each mentor's office hours, best pairs first."""
    if operator is None:
        return []
    sent = now - rng.uniform(70, 80) * DAY
    mentors = [c for c, o in enumerate(offers) if o.offer.kind == OfferKind.MENTOR]
    pairs = sorted(
        (
            (float(scores[r, c]), r, c)
            for r, p in enumerate(projects)
            for c in mentors
            if np.isfinite(scores[r, c])
            and (r, c) not in used
            and p.project.created_at < sent - DAY
            and offers[c].offer.created_at < sent - DAY
            and p.until(now) > sent + 30 * DAY
            and (offers[c].offer.active or offers[c].offer.updated_at > sent + 30 * DAY)
        ),
        reverse=True,
    )
    round_ = MatchingRound(
        name=text.ROUND_NAME.format(month=f"{sent:%B %Y}"),
        kind=OfferKind.MENTOR,
        created_by_id=operator.pk,
        created_at=sent - rng.uniform(1, 3) * DAY,
        sent_at=sent,
    )
    load: dict[int, int] = {}
    covered: set[int] = set()
    drafts: list[_Draft] = []
    for score, r, c in pairs:
        if r in covered or load.get(c, 0) >= offers[c].offer.capacity or len(drafts) >= 12:
            continue
        covered.add(r)
        load[c] = load.get(c, 0) + 1
        used.add((r, c))
        state = rng.choices(["declined", "accepted", "met", "outcome"], [20, 15, 25, 40])[0]
        drafts.append(
            _Draft(projects[r], offers[c], (r, c), score, state, "operator", round_, sent)
        )
    return drafts


def _thread(rng, intro: Intro, d: _Draft, now: datetime) -> list[IntroMessage]:
    lang = "zh" if d.p.lang == "zh" and d.o.owner.lang == "zh" else "en"
    decided = intro.decided_at
    assert decided is not None, "only accepted intros have a thread"
    end = min(intro.met_at or now, decided + 10 * DAY, now - HOUR)
    lines = text.THREADS[lang][: rng.randint(2, 4) if intro.met_at else rng.randint(2, 3)]
    authors = [d.p.team[0].pk, d.o.owner.pk]
    if intro.requested_by_id == d.o.owner.pk:
        authors.reverse()
    times = sorted(_between(rng, decided, end) for _ in lines)
    return [
        IntroMessage(intro=intro, author_id=authors[k % 2], body=line, created_at=when)
        for k, (line, when) in enumerate(zip(lines, times, strict=True))
    ]


def _notifications(intros: list[Intro], drafts: list[_Draft]) -> list[Notification]:
    """Pending intros sit, unread, in the inboxes of the side that has to answer."""
    rows = []
    for intro, d in zip(intros, drafts, strict=True):
        if intro.status != IntroStatus.REQUESTED:
            continue
        recipients = [m.pk for m in d.p.team] if intro.project_consent is None else []
        if intro.offer_consent is None:
            recipients.append(d.o.owner.pk)
        kind = kinds.INTRO_PROPOSED if d.asker == "operator" else kinds.INTRO_REQUESTED
        rows += [
            Notification(
                recipient_id=pk,
                kind=kind,
                actor_id=intro.requested_by_id,
                intro=intro,
                created_at=intro.created_at,
            )
            for pk in dict.fromkeys(recipients)
            if pk != intro.requested_by_id
        ]
    return rows


def _proposals(drafts: list[_Draft], scorer, e_projects, e_offers, scores) -> list[Proposal]:
    """The round's proposals with the matcher's reasons; the round gets its totals."""
    drafts = [d for d in drafts if d.round is not None]
    if not drafts:
        return []
    explanations = scorer.explain(e_projects, e_offers, [d.rc for d in drafts], scores)
    proposals = [
        Proposal(
            round=d.round,
            project=d.p.project,
            offer=d.o.offer,
            score=round(d.score, 4),
            reasons=[[key, list(values)] for key, values in why.criteria],
        )
        for d, why in zip(drafts, explanations, strict=True)
    ]
    round_ = proposals[0].round
    round_.total_score = round(sum(p.score for p in proposals), 4)
    round_.projects_covered = len({d.rc[0] for d in drafts})
    return proposals


def _intros(rng, projects, offers, scores, factor, now, operator) -> list[_Draft]:
    """The drafts of every intro, placed in time: the demo member's, a past round's, and the
    rest drawn mostly from good matches."""
    used: set[tuple[int, int]] = set()
    drafts = _demo_drafts(projects, offers, scores, used, now)
    drafts += _round_drafts(rng, projects, offers, scores, used, now, operator)
    count = _quota("intros", factor)
    finite = scores[np.isfinite(scores)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    by_kind = Counter(d.o.offer.kind for d in drafts)
    by_state: Counter[str] = Counter()
    deals: set[str] = set()
    candidates = _pick_pairs(rng, scores, [o.offer.kind for o in offers], used)
    for mixed in (True, False):  # the second pass fills up whatever the kind mix
        for r, c in candidates:
            kind = offers[c].offer.kind
            if len(drafts) >= count:
                break
            if (r, c) in used or (mixed and by_kind[kind] >= INTRO_MIX[kind] * count):
                continue
            p, o = projects[r], offers[c]
            quality = (float(scores[r, c]) - lo) / (hi - lo) if hi > lo else 0.5
            asker = rng.choices(["project", "offer", "operator"], [55, 30, 15])[0]
            state = _state(rng, quality, p.active and o.offer.active)
            if state == "requested":  # pending ones from both sides and from operators
                asker = PENDING_ASKERS[by_state["requested"] % len(PENDING_ASKERS)]
            if state == "withdrawn" and asker == "operator":
                asker = "project"
            draft = _Draft(p, o, (r, c), float(scores[r, c]), state, asker)
            if state in ("declined", "accepted", "met", "outcome") and kind not in deals:
                draft.state, draft.deal = "outcome", True  # a success story of every kind
            if _place(rng, draft, now):
                by_state[draft.state] += 1
                if draft.state == "outcome" and draft.deal:
                    deals.add(kind)
                draft.deal = draft.deal if draft.state == "outcome" else None
                used.add((r, c))
                by_kind[kind] += 1
                drafts.append(draft)
    return [d for d in drafts if d.created is not None or _place(rng, d, now)]


def _place(rng: random.Random, d: _Draft, now: datetime) -> bool:
    """Give the draft a request time; a state that does not fit becomes a shorter one."""
    window = _window(d, now)
    while window is None and d.state in SHORTER:
        d.state = SHORTER[d.state]
        window = _window(d, now)
    if window is not None:  # early in the window: most pairs could only meet lately
        lo, hi = window
        d.created = lo + (hi - lo) * rng.random() ** 2
    return window is not None


def _write_intros(rng, drafts, scorer, e_projects, e_offers, scores, now, operator) -> dict:
    proposals = _proposals(drafts, scorer, e_projects, e_offers, scores)
    MatchingRound.objects.bulk_create(list({id(p.round): p.round for p in proposals}.values()))
    Proposal.objects.bulk_create(proposals, batch_size=BATCH)
    intros = [_intro(rng, d, operator, now) for d in drafts]
    Intro.objects.bulk_create(intros, batch_size=BATCH)
    accepted = [
        (i, d) for i, d in zip(intros, drafts, strict=True) if i.status == IntroStatus.ACCEPTED
    ]
    accepted.sort(key=lambda pair: pair[1].p.team[0].handle != "demo")
    threads = accepted[:1] + rng.sample(accepted[1:], k=min(len(accepted) - 1, THREADS - 1))
    messages = [m for i, d in threads for m in _thread(rng, i, d, now)]
    IntroMessage.objects.bulk_create(messages, batch_size=BATCH)
    Notification.objects.bulk_create(_notifications(intros, drafts), batch_size=BATCH)
    return {"intros": len(intros), "messages": len(messages), "proposals": len(proposals)}


# The step ---------------------------------------------------------------------------------------


def load_matching(rng: random.Random, now: datetime) -> dict:
    """Create the demo's projects, offers, intros and a past matching round, then store the
    match scores once. Returns counts."""
    members = _load_members(now)
    factor = scale(len(members))
    by_handle = {m.handle: m for m in members}
    demo, operator = by_handle.get("demo"), by_handle.get("operator")
    sectors = {s.slug: s for s in Sector.objects.order_by("slug")}
    for m in members:
        m.sectors = [s for s in m.sectors if s in sectors]

    founders = [m for m in members if Role.FOUNDER in m.roles and not m.staff]
    if demo not in founders:
        demo = None
    teams = _teams(rng, founders, min(_quota("projects", factor), len(founders)), demo, now)
    taken = set(Project.objects.values_list("slug", flat=True))
    projects = []
    for k, team in enumerate(teams):
        is_demo = k == 0 and demo is not None
        plan = _project(rng, team, now, taken, is_demo)
        _needs(rng, plan, is_demo)
        first = sectors.get(plan.sectors[0]) if plan.sectors else None
        plan.sector_label = {"en": first.name_en, "zh": first.name_zh} if first else {}
        projects.append(plan)
    offers = _offers(rng, members, sectors, factor, now)
    names = {t for p in projects for t in (*p.skills, *p.topics)}
    names |= {t for o in offers for t in o.tags}
    tags = {t.name: t for t in tags_named(sorted(names))}
    _write(projects, offers, sectors, tags)

    scores, scorer, e_projects, e_offers = _scores(projects, offers)
    drafts = _intros(rng, projects, offers, scores, factor, now, operator)
    counts = _write_intros(rng, drafts, scorer, e_projects, e_offers, scores, now, operator)
    kinds = [o.offer.kind for o in offers]
    return {
        "projects": len(projects),
        **{kind: kinds.count(kind) for kind in OfferKind.values},
        **counts,
        "matches": adapter.refresh_matches(),
    }
