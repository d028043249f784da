"""The competition leaderboard: weighted rubric scores, normalised per judge.

Judges differ in how harsh they are and in how much of the 1-10 scale they use. Turning each
judge's weighted scores into z-scores over the entries that judge scored puts every judge on the
same footing: only the order and relative spacing a judge gives counts, not their level or spread.
An entry's standing is the mean of its z-scores over the judges who scored it.

Decisions, so that every input has a defined answer:

- A judge's score for an entry counts only when every criterion is scored (missing values are
  NaN, and conflicted pairs are NaN too); a partly scored entry counts as not scored by that judge.
- The weighted score is the weighted mean of the criterion scores (weights normalised to sum 1),
  so it stays on the scale of the scores themselves.
- z uses the population standard deviation (ddof=0) of that judge's weighted scores. A judge who
  scored a single entry, or gave every entry the same weighted score, carries no information about
  the order: their z is 0 for each entry they scored, and they still count among its judges.
- Entries nobody scored have NaN mean z and raw mean, and rank after every scored entry.
- Ranking is by mean z, best first; mean z values within 1e-9 of each other count as tied. Ties
  are broken by more judges first, then by the lower entry index (the caller orders entries by
  submission, so the earlier entry wins). The raw mean is never a tie-breaker: it depends on each
  judge's level and spread, which the leaderboard promises to ignore.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["Leaderboard", "leaderboard"]

#: Mean z-scores closer than this count as tied.
TIE_TOLERANCE = 1e-9
#: A judge whose weighted scores vary less than this (relative to their size) gave them all alike.
FLAT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Leaderboard:
    """Arrays indexed by entry (as given), except ``order`` (entry indices, best first) and the
    per-judge ``weighted`` and ``z`` (judges x entries, NaN where the judge did not score)."""

    order: np.ndarray
    rank: np.ndarray
    mean_z: np.ndarray
    raw_mean: np.ndarray
    n_judges: np.ndarray
    tied: np.ndarray
    weighted: np.ndarray
    z: np.ndarray

    def __len__(self) -> int:
        return len(self.order)


def _check(scores: ArrayLike, weights: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    s = np.asarray(scores, dtype=float)
    w = np.asarray(weights, dtype=float)
    if s.ndim != 3:
        raise ValueError("scores must be a judges x entries x criteria array")
    if w.ndim != 1 or w.shape[0] != s.shape[2]:
        raise ValueError("weights must have one value per criterion")
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise ValueError("weights must be finite and greater than zero")
    if np.any(np.isinf(s)):
        raise ValueError("scores must be finite numbers or NaN for missing")
    return s, w


def _weighted(s: np.ndarray, w: np.ndarray) -> np.ndarray:
    n_judges, n_entries, n_criteria = s.shape
    if n_criteria == 0:
        return np.full((n_judges, n_entries), np.nan)
    complete = ~np.isnan(s).any(axis=2)
    total = np.einsum("jec,c->je", np.nan_to_num(s), w / w.sum())
    return np.where(complete, total, np.nan)


def _z(weighted: np.ndarray) -> np.ndarray:
    z = np.full(weighted.shape, np.nan)
    for j, row in enumerate(weighted):
        scored = ~np.isnan(row)
        if not scored.any():
            continue
        values = row[scored]
        mean, spread = values.mean(), values.std()
        scale = max(1.0, float(np.abs(values).max()))
        if values.size < 2 or spread <= FLAT_TOLERANCE * scale:
            z[j, scored] = 0.0
        else:
            z[j, scored] = (values - mean) / spread
    return z


def leaderboard(scores: ArrayLike, weights: ArrayLike) -> Leaderboard:
    """Rank entries by their mean per-judge z-score of weighted rubric scores.

    ``scores`` is judges x entries x criteria with NaN for missing or conflicted scores;
    ``weights`` holds one positive weight per criterion.
    """
    s, w = _check(scores, weights)
    weighted = _weighted(s, w)
    z = _z(weighted)
    scored = ~np.isnan(z)
    n_judges = scored.sum(axis=0).astype(int)
    n_entries = s.shape[1]
    mean_z = np.full(n_entries, np.nan)
    raw_mean = np.full(n_entries, np.nan)
    has = n_judges > 0
    mean_z[has] = np.nansum(z[:, has], axis=0) / n_judges[has]
    raw_mean[has] = np.nansum(np.where(scored, weighted, 0.0)[:, has], axis=0) / n_judges[has]

    bucket = np.where(has, np.round(np.nan_to_num(mean_z) / TIE_TOLERANCE), 0.0)
    index = np.arange(n_entries)
    # lexsort: the last key is the primary one
    order = np.lexsort((index, -n_judges, -bucket, ~has))
    rank = np.empty(n_entries, dtype=int)
    rank[order] = np.arange(1, n_entries + 1)
    tied = np.zeros(n_entries, dtype=bool)
    for before, after in itertools.pairwise(order):
        tied[after] = bool(has[before] and has[after] and bucket[before] == bucket[after])
    return Leaderboard(
        order=order,
        rank=rank,
        mean_z=mean_z,
        raw_mean=raw_mean,
        n_judges=n_judges,
        tied=tied,
        weighted=weighted,
        z=z,
    )
