"""Recommenders on implicit feedback (a CSR user × item matrix) and the harness that measures them.

Pure Python on numpy/scipy (plus ``implicit`` for ALS and BPR); no Django.
"""

from .algorithms import (
    ALS,
    BPR,
    EASE,
    ImplicitItemKNN,
    ItemKNN,
    Popularity,
    RP3beta,
    UserKNN,
)
from .base import Reason, Recommender
from .content import ContentBased, text_features
from .hybrid import Hybrid
from .tuning import Tuned

__all__ = [
    "ALS",
    "BPR",
    "EASE",
    "ContentBased",
    "Hybrid",
    "ImplicitItemKNN",
    "ItemKNN",
    "Popularity",
    "RP3beta",
    "Reason",
    "Recommender",
    "Tuned",
    "UserKNN",
    "text_features",
]
