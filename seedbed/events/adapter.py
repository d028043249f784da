"""The one place where the events app's rows meet the engine: ORM rows in, the engine's arrays
built, its answer turned back into rows. The engine never sees a model, and the services never
see an array.

- Competitions: scores become a judges × entries × criteria cube for
  `seedbed.engine.competition.leaderboard`.
- Roadshow meetings: participants, slots, availability and preferences become the weight,
  availability and capacity arrays of `seedbed.engine.matching.schedule_meetings`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from seedbed.engine import competition as competition_engine
from seedbed.engine.matching import PREFERENCE_WEIGHTS, pair_weights, schedule_meetings
from seedbed.events.models import (
    Criterion,
    Entry,
    Judge,
    Meeting,
    MeetingParticipant,
    MeetingPreference,
    MeetingRole,
    MeetingSlot,
    Score,
)

# Competitions ----------------------------------------------------------------------------------


@dataclass
class Standing:
    entry: Entry
    rank: int
    mean_z: float | None
    raw_mean: float | None
    judges: int
    tied: bool


def standings(event_id: int, rubric: list[Criterion]) -> tuple[list[Standing], int]:
    """Every entry's standing, best first, and the number of judges. Entries go to the engine
    by submission (so earlier entries win exact ties), judges by id, criteria in rubric order;
    conflicted pairs become NaN, so they never count."""
    entries = list(Entry.objects.filter(event_id=event_id))
    judge_ids = list(
        Judge.objects.filter(event_id=event_id).order_by("pk").values_list("pk", flat=True)
    )
    if not entries:
        return [], len(judge_ids)
    e_index = {e.pk: i for i, e in enumerate(entries)}
    j_index = {pk: i for i, pk in enumerate(judge_ids)}
    c_index = {c.pk: i for i, c in enumerate(rubric)}
    cube = np.full((len(judge_ids), len(entries), len(rubric)), np.nan)
    for judge_id, entry_id, criterion_id, value in Score.objects.filter(
        entry__event_id=event_id
    ).values_list("judge_id", "entry_id", "criterion_id", "value"):
        cube[j_index[judge_id], e_index[entry_id], c_index[criterion_id]] = value
    conflicts = Judge.conflicts.through.objects.filter(judge__event_id=event_id).values_list(
        "judge_id", "entry_id"
    )
    for judge_id, entry_id in conflicts:
        if entry_id in e_index:
            cube[j_index[judge_id], e_index[entry_id], :] = np.nan
    board = competition_engine.leaderboard(cube, [c.weight for c in rubric])
    rows = []
    for i in board.order:
        n = int(board.n_judges[i])
        rows.append(
            Standing(
                entry=entries[i],
                rank=int(board.rank[i]),
                mean_z=float(board.mean_z[i]) if n else None,
                raw_mean=float(board.raw_mean[i]) if n else None,
                judges=n,
                tied=bool(board.tied[i]),
            )
        )
    return rows, len(judge_ids)


# Roadshow meetings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingInputs:
    """Everything the scheduler reads, as plain tuples, so two reads compare equal exactly
    when nothing changed in between."""

    participants: tuple[tuple[int, str, int | None], ...]
    available: tuple[tuple[int, int], ...]
    slots: tuple[tuple[int, int], ...]
    preferences: tuple[tuple[int, int, str], ...]

    @property
    def size(self) -> int:
        """Founders × investors × slots: how hard the instance is."""
        founders = sum(1 for _p, role, _m in self.participants if role == MeetingRole.FOUNDER)
        investors = len(self.participants) - founders
        return founders * investors * len(self.slots)


def meeting_inputs(event_id: int) -> MeetingInputs:
    through = MeetingParticipant.available_slots.through
    return MeetingInputs(
        tuple(
            MeetingParticipant.objects.filter(event_id=event_id)
            .order_by("pk")
            .values_list("pk", "role", "max_meetings")
        ),
        tuple(
            through.objects.filter(
                meetingparticipant__event_id=event_id, meetingslot__event_id=event_id
            )
            .order_by("meetingparticipant_id", "meetingslot_id")
            .values_list("meetingparticipant_id", "meetingslot_id")
        ),
        tuple(
            MeetingSlot.objects.filter(event_id=event_id)
            .order_by("starts_at", "pk")
            .values_list("pk", "tables")
        ),
        tuple(
            MeetingPreference.objects.filter(
                participant__event_id=event_id, other__event_id=event_id
            )
            .order_by("participant_id", "other_id")
            .values_list("participant_id", "other_id", "level")
        ),
    )


@dataclass
class BuildResult:
    meetings: int
    total_weight: float
    upper_bound: float
    gap: float
    status: str
    queued: bool = False


def solve_meetings(inputs: MeetingInputs, time_limit: float) -> tuple[list[Meeting], BuildResult]:
    """The optimal schedule for these inputs, as unsaved Meeting rows (without their event)."""
    founders = [p for p, role, _m in inputs.participants if role == MeetingRole.FOUNDER]
    investors = [p for p, role, _m in inputs.participants if role == MeetingRole.INVESTOR]
    limit = {p: m for p, _role, m in inputs.participants}
    f_index = {p: k for k, p in enumerate(founders)}
    i_index = {p: k for k, p in enumerate(investors)}
    slot_ids = [s for s, _t in inputs.slots]
    s_index = {s: k for k, s in enumerate(slot_ids)}
    n_f, n_i, n_s = len(founders), len(investors), len(slot_ids)

    founder_side = np.zeros((n_f, n_i))
    investor_side = np.zeros((n_f, n_i))
    for who, other, level in inputs.preferences:
        weight = PREFERENCE_WEIGHTS[level]
        if who in f_index and other in i_index:
            founder_side[f_index[who], i_index[other]] = weight
        elif who in i_index and other in f_index:
            investor_side[f_index[other], i_index[who]] = weight

    chosen: dict[int, set[int]] = defaultdict(set)
    for who, slot in inputs.available:
        if slot in s_index:
            chosen[who].add(s_index[slot])

    def availability(people: list[int]) -> np.ndarray:
        """No slot ticked means every slot."""
        grid = np.ones((len(people), n_s), dtype=bool)
        for row, p in enumerate(people):
            if chosen.get(p):
                grid[row] = False
                grid[row, sorted(chosen[p])] = True
        return grid

    def limits(people: list[int]) -> np.ndarray:
        return np.array([n_s if limit[p] is None else limit[p] for p in people], dtype=np.int64)

    result = schedule_meetings(
        pair_weights(founder_side, investor_side),
        availability(founders),
        availability(investors),
        np.array([t for _s, t in inputs.slots], dtype=np.int64),
        limits(founders),
        limits(investors),
        time_limit=time_limit,
    )
    rows = [
        Meeting(
            slot_id=slot_ids[m.slot],
            table=m.table,
            founder_id=founders[m.founder],
            investor_id=investors[m.investor],
            weight=m.weight,
        )
        for m in result.meetings
    ]
    gap = result.gap if math.isfinite(result.gap) else 1.0
    return rows, BuildResult(len(rows), result.total_weight, result.upper_bound, gap, result.status)
