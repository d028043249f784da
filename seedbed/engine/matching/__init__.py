"""Resource matching: meeting scheduling, match scoring with explanations, allocation.

Pure Python on numpy/scipy/scikit-learn; no Django. See each module's docstring for the method
and why it was chosen.
"""

from seedbed.engine.matching.allocate import Allocation, allocate, greedy_allocate
from seedbed.engine.matching.schedule import (
    PREFERENCE_WEIGHTS,
    Meeting,
    Schedule,
    greedy_schedule,
    pair_weights,
    preference_weight,
    schedule_meetings,
)
from seedbed.engine.matching.score import (
    DEFAULT_WEIGHTS,
    FEATURES,
    OFFER_KINDS,
    Explanation,
    MatchScorer,
    Offer,
    OutcomeModel,
    Project,
    top_matches,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "FEATURES",
    "OFFER_KINDS",
    "PREFERENCE_WEIGHTS",
    "Allocation",
    "Explanation",
    "MatchScorer",
    "Meeting",
    "Offer",
    "OutcomeModel",
    "Project",
    "Schedule",
    "allocate",
    "greedy_allocate",
    "greedy_schedule",
    "pair_weights",
    "preference_weight",
    "schedule_meetings",
    "top_matches",
]
