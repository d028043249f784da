"""Recommenders on implicit feedback (a CSR user × item matrix) and the harness that measures them.

Pure Python on numpy/scipy (plus ``implicit`` for ALS and BPR); no Django.
"""

from .algorithms import ALS, BPR, EASE, ImplicitItemKNN, ItemKNN, Popularity, UserKNN
from .base import Reason, Recommender
from .content import ContentBased, text_features
from .hybrid import Hybrid

__all__ = [
    "ALS",
    "BPR",
    "EASE",
    "ContentBased",
    "Hybrid",
    "ImplicitItemKNN",
    "ItemKNN",
    "Popularity",
    "Reason",
    "Recommender",
    "UserKNN",
    "text_features",
]
