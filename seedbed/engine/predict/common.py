"""What every predictive model shares: verdicts and coded errors, and input checks.

A verdict says in English and as stable codes whether the data behind a model is thick enough to
trust, so that a caller can word it in its reader's language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

Code = tuple[str, dict[str, Any]]
"""A stable code with its parameters, e.g. ``("too_few_samples", {"n": 12, "needed": 35})``, so
that a caller can word what the English text says in its reader's language."""


class CodedValueError(ValueError):
    """A ``ValueError`` whose cause is also given as a ``Code`` (``code``, ``params``)."""

    def __init__(self, message: str, code: str, **params: Any):
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Verdict:
    """Whether a model fitted on this data deserves an operator's trust, said in plain words.

    ``message`` and ``problems`` are English sentences; ``reasons`` (one per problem) and
    ``context`` say the same as codes with parameters, for pages in other languages.
    """

    trustworthy: bool
    message: str
    problems: tuple[str, ...] = ()
    reasons: tuple[Code, ...] = ()
    context: Code | None = None

    def __bool__(self) -> bool:
        return self.trustworthy

    def to_dict(self) -> dict[str, Any]:
        return {
            "trustworthy": self.trustworthy,
            "message": self.message,
            "problems": list(self.problems),
        }


def problem(text: str, code: str, **params: Any) -> tuple[str, Code]:
    return text, (code, params)


def make_verdict(problems: list[tuple[str, Code]], context: str, context_code: Code) -> Verdict:
    if problems:
        texts = tuple(text for text, _code in problems)
        return Verdict(
            False,
            f"Not enough to trust yet ({context}): " + "; ".join(texts) + ".",
            texts,
            tuple(code for _text, code in problems),
            context_code,
        )
    return Verdict(True, f"Enough data to fit this model ({context}).", context=context_code)


def names_of_features(X: Any, n_features: int, given: Sequence[str] | None) -> list[str]:
    if given is not None:
        names = [str(name) for name in given]
        if len(names) != n_features:
            raise ValueError(f"feature_names has {len(names)} names but X has {n_features} columns")
        return names
    columns = getattr(X, "columns", None)
    if columns is not None and len(columns) == n_features:
        return [str(c) for c in columns]
    return [f"x{j}" for j in range(n_features)]


def check_X(X: ArrayLike, names: Sequence[str] | None = None) -> np.ndarray:
    """``X`` as a 2-D float array (a 1-D array is one feature), for helpers that are not
    estimators; estimators validate with scikit-learn's ``validate_data``."""
    try:
        arr = np.asarray(X, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"X must be numeric: {exc}") from None
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2:
        raise ValueError(f"X must be a 2-D array of shape (samples, features), got {arr.ndim}-D")
    return require_finite(arr, names)


def require_finite(X: np.ndarray, names: Sequence[str] | None = None) -> np.ndarray:
    """Refuse missing or infinite values, naming the first column that has them, which says
    more to an operator than scikit-learn's "Input X contains NaN"."""
    if not np.isfinite(X).all():
        bad = int(np.flatnonzero(~np.isfinite(X).all(axis=0))[0])
        label = names[bad] if names is not None and bad < len(names) else f"column {bad}"
        raise ValueError(f"X contains missing or infinite values in {label}")
    return X


def check_y_numeric(y: ArrayLike, n_samples: int) -> np.ndarray:
    try:
        arr = np.asarray(y, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"y must be numeric: {exc}") from None
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError("y must be a 1-D array")
    if arr.shape[0] != n_samples:
        raise ValueError(f"X has {n_samples} rows but y has {arr.shape[0]}")
    if not np.isfinite(arr).all():
        raise ValueError("y contains missing or infinite values")
    return arr


def check_y_labels(y: ArrayLike, n_samples: int) -> np.ndarray:
    arr = np.asarray(y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError("y must be a 1-D array of class labels")
    if arr.shape[0] != n_samples:
        raise ValueError(f"X has {n_samples} rows but y has {arr.shape[0]}")
    return arr


def num(x: float) -> float | None:
    """A float for JSON: None when it is not finite."""
    x = float(x)
    return x if math.isfinite(x) else None


def join_list(items: Sequence[Any]) -> str:
    return ", ".join(repr(i) for i in items)


def rows_mismatch(rows: int, targets: int) -> tuple[str, Code]:
    return problem(
        f"X has {rows} rows but y has {targets}", "rows_mismatch", rows=rows, targets=targets
    )
