"""Held-out metrics for the regression and the SVM, with how the folds were made."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import clone, is_classifier
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    mean_absolute_error,
    mean_squared_error,
    r2_score,
)
from sklearn.model_selection import KFold, StratifiedKFold, TimeSeriesSplit

from seedbed.engine.predict.common import (
    Code,
    CodedValueError,
    check_X,
    check_y_labels,
    check_y_numeric,
)
from seedbed.engine.predict.regression import OLSRegression
from seedbed.engine.predict.svm import SVMClassifier


@dataclass(frozen=True)
class CrossValidation:
    """Held-out metrics per fold, with how the folds were made and any caveat."""

    folds: list[dict[str, float]]
    method: str
    note: str = ""
    method_code: Code | None = None
    note_code: Code | None = None

    def mean(self) -> dict[str, float]:
        keys = self.folds[0].keys()
        return {k: float(np.mean([f[k] for f in self.folds])) for k in keys}

    def std(self) -> dict[str, float]:
        keys = self.folds[0].keys()
        return {k: float(np.std([f[k] for f in self.folds])) for k in keys}

    def to_dict(self) -> dict[str, Any]:
        return {
            "folds": self.folds,
            "method": self.method,
            "note": self.note,
            "mean": self.mean(),
            "std": self.std(),
        }


def cross_validate(
    model: OLSRegression | SVMClassifier,
    X: ArrayLike,
    y: ArrayLike,
    *,
    n_splits: int = 5,
    random_state: int | None = 0,
    time_ordered: bool = False,
) -> CrossValidation:
    """Refit a copy of ``model`` on each training fold and score it on the held-out fold.

    Classifiers get stratified folds (fewer folds when the smaller class is rarer than
    ``n_splits``) and a majority-class baseline per fold, so the page can show whether the model
    beats guessing. Regressions over time should pass ``time_ordered`` so that no fold trains on
    the future.
    """
    X_ = check_X(X)
    n = X_.shape[0]
    if n_splits < 2:
        raise ValueError(f"n_splits must be at least 2, got {n_splits}")
    note, note_code = "", None
    if is_classifier(model):
        y_ = check_y_labels(y, n)
        classes, counts = np.unique(y_, return_counts=True)
        if classes.shape[0] < 2:
            raise CodedValueError(
                "y contains only one class; cannot cross-validate a classifier", "one_class"
            )
        smallest = int(counts.min())
        if smallest < 2:
            label = classes.tolist()[int(counts.argmin())]
            raise CodedValueError(
                f"class {label!r} has a single example; "
                "stratified cross-validation needs at least 2 per class",
                "single_example_class",
                label=label,
            )
        k = min(n_splits, smallest)
        if k < n_splits:
            note = f"reduced to {k} folds because the smaller class has only {smallest} examples"
            note_code = ("fewer_folds_small_class", {"k": k, "smallest": smallest})
        splitter: Any = StratifiedKFold(
            k, shuffle=random_state is not None, random_state=random_state
        )
        method, method_code = f"stratified {k}-fold", ("stratified_k_fold", {"k": k})
        splits = splitter.split(X_, y_)
    else:
        y_ = check_y_numeric(y, n)
        k = min(n_splits, n // 2) if not time_ordered else min(n_splits, n - 2)
        if k < 2:
            raise CodedValueError(
                f"too few samples to cross-validate: {n}", "too_few_to_cross_validate", n=n
            )
        if k < n_splits:
            note = f"reduced to {k} folds because there are only {n} samples"
            note_code = ("fewer_folds_few_samples", {"k": k, "n": n})
        if time_ordered:
            splitter = TimeSeriesSplit(k)
            method, method_code = f"time-ordered {k}-split", ("time_ordered_splits", {"k": k})
        else:
            splitter = KFold(k, shuffle=random_state is not None, random_state=random_state)
            method, method_code = f"{k}-fold", ("k_fold", {"k": k})
        splits = splitter.split(X_)

    folds = []
    for train, test in splits:
        fitted = clone(model).fit(X_[train], y_[train])
        pred = fitted.predict(X_[test])
        if is_classifier(model):
            values, counts = np.unique(y_[train], return_counts=True)
            majority = values[counts.argmax()]
            folds.append(
                {
                    "accuracy": float(accuracy_score(y_[test], pred)),
                    "balanced_accuracy": float(balanced_accuracy_score(y_[test], pred)),
                    "f1": float(
                        f1_score(y_[test], pred, pos_label=fitted.classes_[1], zero_division=0.0)
                    ),
                    "baseline_accuracy": float(np.mean(y_[test] == majority)),
                    "n_train": float(len(train)),
                    "n_test": float(len(test)),
                }
            )
        else:
            folds.append(
                {
                    "r2": float(r2_score(y_[test], pred)) if len(test) > 1 else float("nan"),
                    "rmse": float(math.sqrt(mean_squared_error(y_[test], pred))),
                    "mae": float(mean_absolute_error(y_[test], pred)),
                    "n_train": float(len(train)),
                    "n_test": float(len(test)),
                }
            )
    return CrossValidation(folds, method, note, method_code, note_code)
