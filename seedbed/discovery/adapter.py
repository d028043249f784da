"""The one place where the platform's rows meet the recommender engine: ORM rows in (joins,
posts, replies, reactions, RSVPs and check-ins, intros, profile views, dismissals), the engine's
inputs out (a CSR member × item matrix per kind with each interaction's latest time, item texts,
members' declared interests), and the bulk visibility facts the refresh filters with.

Every interaction is weighted by what it says (a check-in says more than an RSVP, a join more
than a reaction) and decays with age: it counts half after ``half_life_days()``."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from seedbed.accounts.models import MemberRole, User
from seedbed.communities.models import (
    Ban,
    Community,
    ContentStatus,
    Membership,
    Post,
    Reaction,
    Reply,
    Visibility,
)
from seedbed.core.models import Sector
from seedbed.discovery.models import Dismissal, Kind, ProfileView
from seedbed.events.models import RSVP, Event, RSVPStatus
from seedbed.matching.models import Intro, IntroStatus, Match, Project, ProjectStatus

HALF_LIFE_DAYS = 120.0
"""Default half-life of a signal; ``settings.DISCOVERY_HALF_LIFE_DAYS`` overrides it."""

#: Signals older than this many half-lives weigh under 0.4% and are not read at all.
HORIZON_HALF_LIVES = 8

WEIGHTS = {
    "join": 3.0,
    "post_in_community": 1.0,
    "reply_in_community": 0.5,
    "reply_to_post": 2.0,
    "react_to_post": 1.0,
    "react_to_reply": 0.5,
    "rsvp": 2.0,
    "check_in": 3.0,
    "intro_requested": 1.0,
    "intro_accepted": 3.0,
    "profile_view": 1.0,
    "replied_to_person": 1.0,
    "reacted_to_person": 0.5,
}

ACTIVE_RSVP = (RSVPStatus.CONFIRMED, RSVPStatus.WAITLISTED, RSVPStatus.PENDING)
TEXT_LIMIT = 1500


def half_life_days() -> float:
    return float(getattr(settings, "DISCOVERY_HALF_LIFE_DAYS", HALF_LIFE_DAYS))


def decay(age_days: float, half_life: float) -> float:
    return 0.5 ** (max(age_days, 0.0) / half_life)


@dataclass
class KindData:
    """The engine's inputs for one kind: rows are ``Snapshot.member_ids``, columns
    ``item_ids``; ``times`` runs along the canonical CSR data (each pair's latest signal)."""

    kind: str
    item_ids: list[int]
    texts: list[str]
    matrix: sp.csr_matrix = field(default_factory=lambda: sp.csr_matrix((0, 0)))
    times: np.ndarray = field(default_factory=lambda: np.empty(0))

    @property
    def index(self) -> dict[int, int]:
        return {pk: i for i, pk in enumerate(self.item_ids)}


@dataclass
class Snapshot:
    """Everything the refresh needs, read in a fixed number of queries."""

    now: datetime
    member_ids: list[int]
    declared: list[str]  # each member's interests, skills and sectors, for content matching
    cities: dict[int, str]
    roles: dict[int, set[str]]
    member_sectors: dict[int, set[str]]
    sector_names: dict[str, dict[str, str]]  # slug -> {"en", "zh"}
    names: dict[str, dict[int, str]]  # kind -> pk -> title / name
    communities: dict[int, tuple[str, bool]]  # pk -> (visibility, archived)
    event_community: dict[int, int | None]
    event_upcoming: set[int]
    post_community: dict[int, int]
    post_author: dict[int, int]
    joined: dict[int, set[int]]  # member -> communities
    banned: dict[int, set[int]]
    community_members: dict[int, set[int]]
    answered: dict[int, set[int]]  # member -> events with any RSVP
    going: dict[int, set[int]]  # event -> members confirmed
    contacts: dict[int, set[int]]  # member -> members they replied to or who replied to them
    dismissed: dict[tuple[int, str], set[int]]
    kinds: dict[str, KindData]

    @property
    def member_index(self) -> dict[int, int]:
        return {pk: i for i, pk in enumerate(self.member_ids)}


class _Signals:
    """Accumulates weighted, decayed interactions as (member, item) -> (weight, latest time)."""

    def __init__(self, now: datetime, half_life: float) -> None:
        self.now, self.half_life = now, half_life
        self.pairs: dict[tuple[int, int], list[float]] = {}

    def add(self, member: int, item: int, weight: float, when: datetime | None) -> None:
        when = when or self.now
        age = (self.now - when).total_seconds() / 86400
        value = weight * decay(age, self.half_life)
        stamp = when.timestamp()
        found = self.pairs.get((member, item))
        if found is None:
            self.pairs[(member, item)] = [value, stamp]
        else:
            found[0] += value
            found[1] = max(found[1], stamp)

    def matrix(
        self, members: dict[int, int], items: dict[int, int]
    ) -> tuple[sp.csr_matrix, np.ndarray]:
        rows, cols, data, times = [], [], [], []
        for (m, i), (value, stamp) in self.pairs.items():
            if m in members and i in items and value > 0:
                rows.append(members[m])
                cols.append(items[i])
                data.append(value)
                times.append(stamp)
        shape = (len(members), len(items))
        if not rows:
            return sp.csr_matrix(shape, dtype=np.float32), np.empty(0)
        r, c = np.asarray(rows), np.asarray(cols)
        order = np.lexsort((c, r))
        indptr = np.concatenate([[0], np.cumsum(np.bincount(r, minlength=shape[0]))])
        matrix = sp.csr_matrix(
            (np.asarray(data, dtype=np.float32)[order], c[order], indptr), shape=shape
        )
        return matrix, np.asarray(times, dtype=np.float64)[order]


def _join(*parts: object) -> str:
    return " ".join(str(p) for p in parts if p)[:TEXT_LIMIT]


def snapshot(now: datetime | None = None) -> Snapshot:
    """Read the platform once and build every kind's engine inputs."""
    now = now or timezone.now()
    half_life = half_life_days()
    since = now - timedelta(days=half_life * HORIZON_HALF_LIVES)

    sectors = {s.pk: s for s in Sector.objects.all()}
    sector_names = {s.slug: {"en": s.name_en, "zh": s.name_zh} for s in sectors.values()}
    users = list(
        User.objects.filter(is_active=True)
        .order_by("pk")
        .values_list("pk", "display_name", "headline", "bio", "city")
    )
    member_ids = [u[0] for u in users]
    active = set(member_ids)
    roles: dict[int, set[str]] = defaultdict(set)
    for user_id, role in MemberRole.objects.values_list("user_id", "role"):
        roles[user_id].add(role)
    member_sectors: dict[int, set[str]] = defaultdict(set)
    for user_id, sector_id in User.sectors.through.objects.values_list("user_id", "sector_id"):
        member_sectors[user_id].add(sectors[sector_id].slug)
    interests: dict[int, list[str]] = defaultdict(list)
    through = User.interests.through.objects.values_list("user_id", "tag__name")
    skills = User.skills.through.objects.values_list("user_id", "tag__name")
    for user_id, name in [*through, *skills]:
        interests[user_id].append(name)

    def sector_words(slugs: set[str]) -> list[str]:
        return [w for s in sorted(slugs) for w in sector_names[s].values()]

    declared = [_join(*interests[pk], *sector_words(member_sectors[pk])) for pk in member_ids]
    person_texts = [
        _join(headline, *interests[pk], *sector_words(member_sectors[pk]), *roles[pk], city, bio)
        for pk, _name, headline, bio, city in users
    ]

    # Communities -----------------------------------------------------------------------------
    community_rows = list(
        Community.objects.filter(archived_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "name", "description", "visibility", "sector__slug")
    )
    community_tags: dict[int, list[str]] = defaultdict(list)
    for cid, name in Community.tags.through.objects.values_list("community_id", "tag__name"):
        community_tags[cid].append(name)
    communities = {pk: (vis, False) for pk, _n, _d, vis, _s in community_rows}
    community_texts = [
        _join(
            name,
            *community_tags[pk],
            *(sector_names[slug].values() if slug else ()),
            description,
        )
        for pk, name, description, _v, slug in community_rows
    ]
    joined: dict[int, set[int]] = defaultdict(set)
    community_members: dict[int, set[int]] = defaultdict(set)
    signals = {kind: _Signals(now, half_life) for kind in Kind.values}
    for user_id, cid, joined_at in Membership.objects.values_list(
        "user_id", "community_id", "joined_at"
    ):
        joined[user_id].add(cid)
        community_members[cid].add(user_id)
        signals[Kind.COMMUNITY].add(user_id, cid, WEIGHTS["join"], joined_at)
    banned: dict[int, set[int]] = defaultdict(set)
    for user_id, cid in Ban.objects.values_list("user_id", "community_id"):
        banned[user_id].add(cid)

    # Posts, replies, reactions ---------------------------------------------------------------
    post_rows = list(
        Post.objects.filter(
            status=ContentStatus.VISIBLE,
            community__archived_at__isnull=True,
            created_at__gte=since,
        )
        .order_by("pk")
        .values_list("pk", "title", "body", "community_id", "author_id", "created_at")
    )
    post_tags: dict[int, list[str]] = defaultdict(list)
    for pid, name in Post.tags.through.objects.filter(post__created_at__gte=since).values_list(
        "post_id", "tag__name"
    ):
        post_tags[pid].append(name)
    community_name = {pk: name for pk, name, *_rest in community_rows}
    post_texts = [
        _join(title, *post_tags[pk], community_name.get(cid, ""), body)
        for pk, title, body, cid, _a, _c in post_rows
    ]
    post_community = {r[0]: r[3] for r in post_rows}
    post_author = {r[0]: r[4] for r in post_rows}
    for _pk, _t, _b, cid, author, created in post_rows:
        signals[Kind.COMMUNITY].add(author, cid, WEIGHTS["post_in_community"], created)
    contacts: dict[int, set[int]] = defaultdict(set)
    for author, post_id, post_author_id, cid, created in Reply.objects.filter(
        status=ContentStatus.VISIBLE, created_at__gte=since
    ).values_list("author_id", "post_id", "post__author_id", "post__community_id", "created_at"):
        signals[Kind.POST].add(author, post_id, WEIGHTS["reply_to_post"], created)
        signals[Kind.COMMUNITY].add(author, cid, WEIGHTS["reply_in_community"], created)
        if author != post_author_id:
            signals[Kind.PERSON].add(author, post_author_id, WEIGHTS["replied_to_person"], created)
            contacts[author].add(post_author_id)
            contacts[post_author_id].add(author)
    for user_id, post_id, reply_post, post_author_id, created in Reaction.objects.filter(
        created_at__gte=since
    ).values_list("user_id", "post_id", "reply__post_id", "post__author_id", "created_at"):
        if post_id:
            signals[Kind.POST].add(user_id, post_id, WEIGHTS["react_to_post"], created)
            if post_author_id and post_author_id != user_id:
                signals[Kind.PERSON].add(
                    user_id, post_author_id, WEIGHTS["reacted_to_person"], created
                )
        elif reply_post:
            signals[Kind.POST].add(user_id, reply_post, WEIGHTS["react_to_reply"], created)

    # Events ----------------------------------------------------------------------------------
    event_rows = list(
        Event.objects.filter(cancelled_at__isnull=True)
        .filter(Q(community__isnull=True) | Q(community__archived_at__isnull=True))
        .filter(Q(ends_at__gt=now) | Q(starts_at__gte=since))
        .order_by("pk")
        .values_list("pk", "title", "description", "kind", "venue", "community_id", "ends_at")
    )
    event_texts = [
        _join(title, kind, venue, community_name.get(cid or 0, ""), description)
        for _pk, title, description, kind, venue, cid, _e in event_rows
    ]
    event_community: dict[int, int | None] = {r[0]: r[5] for r in event_rows}
    event_upcoming = {r[0] for r in event_rows if r[6] > now}
    answered: dict[int, set[int]] = defaultdict(set)
    going: dict[int, set[int]] = defaultdict(set)
    for user_id, event_id, status, joined_at, checked_in in RSVP.objects.filter(
        event_id__in=event_community
    ).values_list("user_id", "event_id", "status", "joined_at", "checked_in_at"):
        answered[user_id].add(event_id)
        if status == RSVPStatus.CONFIRMED:
            going[event_id].add(user_id)
        if checked_in:
            signals[Kind.EVENT].add(user_id, event_id, WEIGHTS["check_in"], checked_in)
        elif status in ACTIVE_RSVP:
            signals[Kind.EVENT].add(user_id, event_id, WEIGHTS["rsvp"], joined_at)

    # People: intros and profile views --------------------------------------------------------
    team: dict[int, set[int]] = defaultdict(set)
    for project_id, user_id in Project.team.through.objects.values_list("project_id", "user_id"):
        team[project_id].add(user_id)
    for project_id, owner, status, created in Intro.objects.filter(
        created_at__gte=since
    ).values_list("project_id", "offer__owner_id", "status", "created_at"):
        weight = WEIGHTS["intro_accepted" if status == IntroStatus.ACCEPTED else "intro_requested"]
        if status in (IntroStatus.DECLINED, IntroStatus.WITHDRAWN):
            continue
        for founder in team[project_id] - {owner}:
            signals[Kind.PERSON].add(founder, owner, weight, created)
            signals[Kind.PERSON].add(owner, founder, weight, created)
    for viewer, viewed, views, last in ProfileView.objects.filter(
        last_viewed_at__gte=since
    ).values_list("viewer_id", "member_id", "views", "last_viewed_at"):
        weight = WEIGHTS["profile_view"] * (1 + math.log(max(views, 1)))
        signals[Kind.PERSON].add(viewer, viewed, weight, last)

    dismissed: dict[tuple[int, str], set[int]] = defaultdict(set)
    for user_id, kind, object_id in Dismissal.objects.values_list("member_id", "kind", "object_id"):
        dismissed[(user_id, kind)].add(object_id)

    member_index = {pk: i for i, pk in enumerate(member_ids)}
    kinds: dict[str, KindData] = {
        Kind.COMMUNITY: KindData(Kind.COMMUNITY, [r[0] for r in community_rows], community_texts),
        Kind.EVENT: KindData(Kind.EVENT, [r[0] for r in event_rows], event_texts),
        Kind.POST: KindData(Kind.POST, [r[0] for r in post_rows], post_texts),
        Kind.PERSON: KindData(Kind.PERSON, list(member_ids), person_texts),
    }
    for kind, data in kinds.items():
        data.matrix, data.times = signals[kind].matrix(member_index, data.index)

    return Snapshot(
        now=now,
        member_ids=member_ids,
        declared=declared,
        cities={pk: city.strip() for pk, _n, _h, _b, city in users if city and city.strip()},
        roles={pk: roles[pk] for pk in member_ids},
        member_sectors={pk: member_sectors[pk] for pk in member_ids},
        sector_names=sector_names,
        names={
            Kind.COMMUNITY: community_name,
            Kind.EVENT: {r[0]: r[1] for r in event_rows},
            Kind.POST: {r[0]: r[1] for r in post_rows},
            Kind.PERSON: {u[0]: u[1] for u in users},
        },
        communities=communities,
        event_community=event_community,
        event_upcoming=event_upcoming,
        post_community=post_community,
        post_author=post_author,
        joined={pk: joined[pk] & set(communities) for pk in member_ids},
        banned=dict(banned),
        community_members={c: m & active for c, m in community_members.items()},
        answered=dict(answered),
        going={e: m & active for e, m in going.items()},
        contacts={m: c & active for m, c in contacts.items()},
        dismissed=dict(dismissed),
        kinds=kinds,
    )


# Visibility in bulk: the same rules as ``seedbed.discovery.access``, for every member at once --


def _open(snap: Snapshot, community_id: int) -> bool:
    visibility, archived = snap.communities.get(community_id, (Visibility.HIDDEN, True))
    return visibility == Visibility.PUBLIC and not archived


def readable(snap: Snapshot, member: int) -> set[int]:
    """Communities whose content ``member`` may read (archived ones are not in the snapshot)."""
    mine = snap.joined.get(member, set())
    banned = snap.banned.get(member, set())
    return mine | {c for c in snap.communities if _open(snap, c) and c not in banned}


def candidate_mask(snap: Snapshot, kind: str, member: int, can_read: set[int]) -> np.ndarray:
    """Which items of ``kind`` may be suggested to ``member``: what they may see and have not
    joined, answered, written or dismissed."""
    data = snap.kinds[kind]
    dismissed = snap.dismissed.get((member, kind), set())
    if kind == Kind.COMMUNITY:
        closed = snap.joined.get(member, set()) | snap.banned.get(member, set())
        allowed = [_open(snap, c) and c not in closed for c in data.item_ids]
    elif kind == Kind.EVENT:
        answered = snap.answered.get(member, set())
        allowed = [
            e in snap.event_upcoming
            and e not in answered
            and (snap.event_community[e] is None or snap.event_community[e] in can_read)
            for e in data.item_ids
        ]
    elif kind == Kind.POST:
        allowed = [
            snap.post_community[p] in can_read and snap.post_author[p] != member
            for p in data.item_ids
        ]
    else:
        allowed = [p != member for p in data.item_ids]
    mask = np.asarray(allowed, dtype=bool)
    if dismissed:
        mask &= ~np.isin(np.asarray(data.item_ids), list(dismissed))
    return mask


# People from matching: the member's projects' stored matches and their own offers' ---------


@dataclass(frozen=True)
class MatchLead:
    """A person the member's matches point to, with the reason as a code and parameters."""

    person: int
    score: float
    code: str
    params: dict


NEED_CODES = {
    "mentor": "mentor_for_need",
    "investor": "investor_for_need",
    "talent": "talent_for_need",
    "service": "provider_for_need",
}


def _need_term(snap: Snapshot, reasons: list) -> object | None:
    """The first shared sector, skill or topic of a match's reasons (never the ticket, the
    stage or other deal terms): a sector as both its names, a tag as it is."""
    found = {str(key): list(values) for key, values in reasons if isinstance(values, list)}
    for key in ("topics", "skills"):
        if found.get(key):
            return str(found[key][0])
    if found.get("sectors"):
        slug = str(found["sectors"][0])
        return snap.sector_names.get(slug, {"en": slug, "zh": slug})
    return None


def match_leads(snap: Snapshot, member_ids: set[int]) -> dict[int, list[MatchLead]]:
    """For each member: owners of active offers matched with a project they are on (what
    its team may see), and teams of active projects matched with an offer they own (what an
    offer's owner may see). Only inactive-free pairs; no deal data goes into a reason."""
    team: dict[int, set[int]] = defaultdict(set)
    for project_id, user_id in Project.team.through.objects.filter(
        user__is_active=True
    ).values_list("project_id", "user_id"):
        team[project_id].add(user_id)
    leads: dict[int, list[MatchLead]] = defaultdict(list)
    rows = (
        Match.objects.filter(offer__active=True, offer__owner__is_active=True)
        .filter(Q(offer__owner_id__in=member_ids) | Q(project__team__in=member_ids))
        .distinct()
        .values_list(
            "project_id",
            "project__name",
            "project__status",
            "offer__owner_id",
            "offer__kind",
            "score",
            "reasons",
        )
    )
    for project_id, project_name, status, owner, offer_kind, score, reasons in rows:
        term = _need_term(snap, reasons or [])
        for founder in team[project_id] & member_ids:
            if founder != owner and term is not None and offer_kind in NEED_CODES:
                leads[founder].append(
                    MatchLead(owner, float(score), NEED_CODES[offer_kind], {"term": term})
                )
        if owner in member_ids and status == ProjectStatus.ACTIVE:
            for founder in team[project_id] - {owner}:
                leads[owner].append(
                    MatchLead(
                        founder, float(score), "offer_fits_project", {"project": project_name}
                    )
                )
    return leads
