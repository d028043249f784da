"""A binary support vector machine whose linear weights are reported per named feature."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.svm import SVC
from sklearn.utils import Tags
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from seedbed.engine.predict.common import (
    Code,
    Verdict,
    make_verdict,
    names_of_features,
    problem,
    require_finite,
    rows_mismatch,
)


class SVMClassifier(ClassifierMixin, BaseEstimator):
    """A binary support vector machine whose linear weights are reported per named feature.

    Features are standardised before the SVM sees them (so C means the same thing whatever the
    units), but ``coef_`` and ``intercept_`` are mapped back to the original units, so that
    ``decision_function(x) == x @ coef_ + intercept_`` holds for the numbers the operator sees.
    ``standardized_coef_`` is the unit-free version for comparing features' importance.
    A positive decision value means ``classes_[1]``; zero means ``classes_[0]``.
    """

    def __init__(
        self,
        kernel: str = "linear",
        C: float = 1.0,
        gamma: str | float = "scale",
        class_weight: str | Mapping[Any, float] | None = None,
        standardize: bool = True,
        feature_names: Sequence[str] | None = None,
    ):
        self.kernel = kernel
        self.C = C
        self.gamma = gamma
        self.class_weight = class_weight
        self.standardize = standardize
        self.feature_names = feature_names

    def fit(self, X: ArrayLike, y: ArrayLike) -> SVMClassifier:
        X_, y_ = validate_data(self, X, y, dtype=np.float64, ensure_all_finite=False)
        p = X_.shape[1]
        names = names_of_features(X, p, self.feature_names)
        require_finite(X_, names)
        check_classification_targets(y_)
        classes = np.unique(y_)
        if classes.shape[0] < 2:
            only = classes.tolist()[0] if classes.shape[0] else "nothing"
            raise ValueError(
                f"y contains only one class ({only!r}); an SVM needs examples of both outcomes"
            )
        if classes.shape[0] > 2:
            raise ValueError(
                f"Only binary classification is supported, but y has {classes.shape[0]} classes: "
                f"{', '.join(map(repr, classes.tolist()))}"
            )
        if self.standardize:
            mean = X_.mean(axis=0)
            scale = X_.std(axis=0)
            scale[scale == 0] = 1.0
        else:
            mean, scale = np.zeros(p), np.ones(p)
        svc = SVC(kernel=self.kernel, C=self.C, gamma=self.gamma, class_weight=self.class_weight)
        svc.fit((X_ - mean) / scale, y_)
        self.estimator_ = svc
        self.classes_ = svc.classes_
        self.feature_names_ = names
        self.mean_ = mean
        self.scale_ = scale
        self.n_support_ = svc.n_support_.copy()
        if self.kernel == "linear":
            w_std = np.asarray(svc.coef_, dtype=float).ravel()
            self.standardized_coef_ = w_std
            self.coef_ = w_std / scale
            self.intercept_ = float(svc.intercept_[0] - self.coef_ @ mean)
        else:
            for stale in ("coef_", "standardized_coef_", "intercept_"):
                self.__dict__.pop(stale, None)
        return self

    @classmethod
    def from_weights(
        cls,
        weights: ArrayLike,
        intercept: float,
        *,
        classes: Sequence[Any] = (0, 1),
        feature_names: Sequence[str] | None = None,
    ) -> SVMClassifier:
        """A linear model with given weights, e.g. rebuilt from stored coefficients."""
        w = np.asarray(weights, dtype=float).ravel()
        if len(classes) != 2:
            raise ValueError("classes must name exactly two classes: (negative, positive)")
        model = cls(kernel="linear", standardize=False, feature_names=feature_names)
        model.coef_ = w
        model.intercept_ = float(intercept)
        model.standardized_coef_ = w.copy()
        model.classes_ = np.asarray(classes)
        model.n_features_in_ = w.shape[0]
        model.feature_names_ = names_of_features(None, w.shape[0], feature_names)
        model.mean_ = np.zeros(w.shape[0])
        model.scale_ = np.ones(w.shape[0])
        return model

    def decision_function(self, X: ArrayLike) -> np.ndarray:
        """Signed distance-like score; positive means ``classes_[1]``."""
        check_is_fitted(self)
        X_ = validate_data(self, X, reset=False, dtype=np.float64, ensure_all_finite=False)
        require_finite(X_, self.feature_names_)
        if self.kernel == "linear":
            return X_ @ self.coef_ + self.intercept_
        return self.estimator_.decision_function((X_ - self.mean_) / self.scale_)

    def predict(self, X: ArrayLike) -> np.ndarray:
        """``classes_[1]`` where the decision value is positive, else ``classes_[0]``."""
        positive = self.decision_function(X) > 0
        return self.classes_[positive.astype(int)]

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def feature_weights(self, standardized: bool = False) -> dict[str, float]:
        """Weight per feature name, largest magnitude first; positive pushes towards classes_[1].

        Use ``standardized=True`` to compare features measured in different units.
        """
        if not hasattr(self, "coef_"):
            raise ValueError("feature weights exist only for a fitted linear-kernel SVM")
        w = self.standardized_coef_ if standardized else self.coef_
        pairs = sorted(zip(self.feature_names_, w, strict=True), key=lambda kv: -abs(kv[1]))
        return {str(name): float(value) for name, value in pairs}


def assess_classification_data(
    X: ArrayLike,
    y: ArrayLike,
    *,
    min_per_class: int = 10,
    min_samples_per_feature: int = 5,
) -> Verdict:
    """Say whether a classifier on this data is worth showing (rules of thumb, stated plainly)."""
    X_ = np.asarray(X, dtype=float)
    if X_.ndim == 1:
        X_ = X_.reshape(-1, 1)
    y_ = np.asarray(y).ravel()
    n, p = X_.shape
    context = f"{n} samples, {p} feature{'s' if p != 1 else ''}"
    context_code: Code = ("samples_features", {"n": n, "p": p})
    if y_.shape[0] != n:
        return make_verdict([rows_mismatch(n, y_.shape[0])], context, context_code)
    problems: list[tuple[str, Code]] = []
    if not np.isfinite(X_).all():
        problems.append(
            problem("some feature values are missing or infinite", "missing_feature_values")
        )
    classes, counts = np.unique(y_, return_counts=True)
    if classes.shape[0] < 2:
        problems.append(
            problem("only one class present, so there is nothing to tell apart", "one_class")
        )
    else:
        small = [
            (c, k)
            for c, k in zip(classes.tolist(), counts.tolist(), strict=True)
            if k < min_per_class
        ]
        for c, k in small:
            problems.append(
                problem(
                    f"class {c!r} has only {k} example{'s' if k != 1 else ''}; "
                    f"want at least {min_per_class}",
                    "small_class",
                    label=c,
                    n=k,
                    needed=min_per_class,
                )
            )
    needed = min_samples_per_feature * p
    if n < needed:
        problems.append(
            problem(
                f"too few samples for {p} features: have {n}, want at least {needed}",
                "too_few_samples",
                n=n,
                needed=needed,
                features=p,
            )
        )
    return make_verdict(problems, context, context_code)
