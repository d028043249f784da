"""Predictive models an operator can read: OLS regression, a Bayesian network, a linear SVM.

Each model exposes what the operator "Models" page shows (coefficients with their uncertainty,
probability tables, feature weights), a cross-validation helper, and a plain-language verdict on
whether the data behind it is thick enough to be trusted. Everything is arrays or JSON-friendly
dicts in and out, so the Django side only adapts rows and stores results.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import linalg, stats
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, clone, is_classifier
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    mean_absolute_error,
    mean_squared_error,
    r2_score,
)
from sklearn.model_selection import KFold, StratifiedKFold, TimeSeriesSplit
from sklearn.svm import SVC

__all__ = [
    "BayesianNetwork",
    "Code",
    "CodedValueError",
    "CrossValidation",
    "Forecast",
    "ImpossibleEvidenceError",
    "NetworkValidationError",
    "OLSRegression",
    "SVMClassifier",
    "Verdict",
    "assess_classification_data",
    "assess_network_fit",
    "assess_regression_data",
    "cross_validate",
    "cross_validate_network",
    "default_startup_network",
    "forecast_growth",
    "validate_network_description",
]


# --------------------------------------------------------------------------------------------
# Shared pieces
# --------------------------------------------------------------------------------------------


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


def _problem(text: str, code: str, **params: Any) -> tuple[str, Code]:
    return text, (code, params)


def _verdict(problems: list[tuple[str, Code]], context: str, context_code: Code) -> Verdict:
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


def _feature_names(X: Any, n_features: int, given: Sequence[str] | None) -> list[str]:
    if given is not None:
        names = [str(name) for name in given]
        if len(names) != n_features:
            raise ValueError(f"feature_names has {len(names)} names but X has {n_features} columns")
        return names
    columns = getattr(X, "columns", None)
    if columns is not None and len(columns) == n_features:
        return [str(c) for c in columns]
    return [f"x{j}" for j in range(n_features)]


def _check_X(
    X: ArrayLike, n_features: int | None = None, names: Sequence[str] | None = None
) -> np.ndarray:
    try:
        arr = np.asarray(X, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"X must be numeric: {exc}") from None
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2:
        raise ValueError(f"X must be a 2-D array of shape (samples, features), got {arr.ndim}-D")
    if n_features is not None and arr.shape[1] != n_features:
        raise ValueError(f"X has {arr.shape[1]} features but the model was fitted on {n_features}")
    if not np.isfinite(arr).all():
        bad = int(np.flatnonzero(~np.isfinite(arr).all(axis=0))[0])
        label = names[bad] if names is not None and bad < len(names) else f"column {bad}"
        raise ValueError(f"X contains missing or infinite values in {label}")
    return arr


def _check_y_numeric(y: ArrayLike, n_samples: int) -> np.ndarray:
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


def _check_y_labels(y: ArrayLike, n_samples: int) -> np.ndarray:
    arr = np.asarray(y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError("y must be a 1-D array of class labels")
    if arr.shape[0] != n_samples:
        raise ValueError(f"X has {n_samples} rows but y has {arr.shape[0]}")
    return arr


# --------------------------------------------------------------------------------------------
# Linear regression
# --------------------------------------------------------------------------------------------


class OLSRegression(RegressorMixin, BaseEstimator):
    """Ordinary least squares with the inference statistics an operator needs to judge a forecast.

    scikit-learn's LinearRegression gives coefficients only; the Models page also needs standard
    errors, t- and p-values and prediction intervals, so this computes them from a QR of the
    centred, column-scaled design and an SVD of its small triangular factor (as stable as an SVD
    of the whole design, at the cost of a QR). Centring keeps the intercept well conditioned when
    x is, say, a calendar year; column scaling makes the rank test independent of units.

    A singular design (a constant or duplicated column) or too few rows raise ``ValueError`` with
    a message naming the cause, because silently returning a minimum-norm solution would show the
    operator coefficients that mean nothing.
    """

    def __init__(self, fit_intercept: bool = True, feature_names: Sequence[str] | None = None):
        self.fit_intercept = fit_intercept
        self.feature_names = feature_names

    def fit(self, X: ArrayLike, y: ArrayLike) -> OLSRegression:
        X_ = _check_X(X, names=self.feature_names)
        n, p = X_.shape
        names = _feature_names(X, p, self.feature_names)
        y_ = _check_y_numeric(y, n)
        k = p + int(self.fit_intercept)
        if n <= k:
            what = f"{p} feature{'s' if p != 1 else ''}" + (
                " + intercept" if self.fit_intercept else ""
            )
            raise ValueError(
                f"too few rows: {n} rows for {k} parameters ({what}); need at least {k + 1} rows "
                "so that the error, and hence standard errors, can be estimated"
            )
        if self.fit_intercept:
            x_mean, y_mean = X_.mean(axis=0), float(y_.mean())
        else:
            x_mean, y_mean = np.zeros(p), 0.0
        Xc = X_ - x_mean
        yc = y_ - y_mean
        scale = np.linalg.norm(Xc, axis=0)
        flat = scale <= np.finfo(float).eps * n * np.abs(X_).max(axis=0)
        if flat.any():
            cols = [names[j] for j in np.flatnonzero(flat)]
            why = (
                "is constant, which duplicates the intercept"
                if self.fit_intercept
                else "is all zeros"
            )
            raise ValueError(
                f"singular design: {_join_names(cols)} {why}; drop it or collect more varied data"
            )
        Xs = Xc
        Xs /= scale
        Q, R = linalg.qr(Xs, mode="economic", check_finite=False)
        Ur, s, Vt = np.linalg.svd(R)
        tol = s[0] * max(n, p) * np.finfo(float).eps * 10
        rank = int((s > tol).sum())
        if rank < p:
            null = Vt[rank:]
            involved = np.flatnonzero((np.abs(null) > 1e-6).any(axis=0))
            cols = [names[j] for j in involved]
            raise ValueError(
                f"singular design: {_join_names(cols)} are linearly dependent (rank {rank} of "
                f"{p}); drop one of them or collect more varied data"
            )
        beta_s = Vt.T @ ((Ur.T @ (Q.T @ yc)) / s)
        coef = beta_s / scale
        resid = yc - Xs @ beta_s
        rss = float(resid @ resid)
        df = n - k
        sigma2 = rss / df
        xtx_inv = ((Vt.T / s**2) @ Vt) / np.outer(scale, scale)

        self.feature_names_in_ = np.array(names, dtype=object)
        self.n_features_in_ = p
        self.n_samples_ = n
        self.df_resid_ = df
        self.coef_ = coef
        self.intercept_ = float(y_mean - x_mean @ coef) if self.fit_intercept else 0.0
        self.x_mean_ = x_mean
        self.xtx_inv_ = xtx_inv
        self.sigma2_ = sigma2
        self.rss_ = rss
        self.condition_number_ = float(s[0] / s[-1])

        cov_coef = sigma2 * xtx_inv
        self.coef_stderr_ = np.sqrt(np.diag(cov_coef))
        if self.fit_intercept:
            var_b0 = sigma2 * (1.0 / n + x_mean @ xtx_inv @ x_mean)
            cov_b0 = -sigma2 * (xtx_inv @ x_mean)
            self.cov_params_ = np.block(
                [[np.array([[var_b0]]), cov_b0[None, :]], [cov_b0[:, None], cov_coef]]
            )
            self.intercept_stderr_ = float(math.sqrt(max(var_b0, 0.0)))
        else:
            self.cov_params_ = cov_coef
            self.intercept_stderr_ = float("nan")
        with np.errstate(divide="ignore", invalid="ignore"):
            self.coef_tvalues_ = coef / self.coef_stderr_
            self.intercept_tvalue_ = (
                float(np.float64(self.intercept_) / self.intercept_stderr_)
                if self.fit_intercept
                else float("nan")
            )
        self.coef_pvalues_ = 2.0 * stats.t.sf(np.abs(self.coef_tvalues_), df)
        self.intercept_pvalue_ = (
            float(2.0 * stats.t.sf(abs(self.intercept_tvalue_), df))
            if self.fit_intercept
            else float("nan")
        )

        tss = float(yc @ yc)
        if tss > 0:
            self.r2_ = 1.0 - rss / tss
            self.adjusted_r2_ = 1.0 - (1.0 - self.r2_) * (n - int(self.fit_intercept)) / df
        else:
            self.r2_ = float("nan")
            self.adjusted_r2_ = float("nan")
        return self

    def predict(
        self,
        X: ArrayLike,
        return_interval: bool = False,
        level: float = 0.95,
        kind: Literal["prediction", "confidence"] = "prediction",
    ) -> np.ndarray | tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Point predictions, optionally with (lower, upper) bounds.

        A *prediction* interval covers a new observation (what a forecast chart should show); a
        *confidence* interval covers only the fitted mean line.
        """
        X_ = _check_X(X, self.n_features_in_, list(self.feature_names_in_))
        y_hat = X_ @ self.coef_ + self.intercept_
        if not return_interval:
            return y_hat
        if not 0.0 < level < 1.0:
            raise ValueError(f"level must be between 0 and 1, got {level}")
        if kind not in ("prediction", "confidence"):
            raise ValueError(f"kind must be 'prediction' or 'confidence', got {kind!r}")
        d = X_ - self.x_mean_
        leverage = np.einsum("ij,jk,ik->i", d, self.xtx_inv_, d)
        if self.fit_intercept:
            leverage = leverage + 1.0 / self.n_samples_
        var = self.sigma2_ * (leverage + (1.0 if kind == "prediction" else 0.0))
        half = stats.t.ppf(0.5 + level / 2.0, self.df_resid_) * np.sqrt(var)
        return y_hat, y_hat - half, y_hat + half

    def summary(self) -> dict[str, Any]:
        """A JSON-friendly table of terms plus fit statistics, in the order the page shows them."""
        terms = []
        if self.fit_intercept:
            terms.append(
                _term(
                    "(intercept)",
                    self.intercept_,
                    self.intercept_stderr_,
                    self.intercept_tvalue_,
                    self.intercept_pvalue_,
                )
            )
        for j, name in enumerate(self.feature_names_in_):
            terms.append(
                _term(
                    str(name),
                    self.coef_[j],
                    self.coef_stderr_[j],
                    self.coef_tvalues_[j],
                    self.coef_pvalues_[j],
                )
            )
        return {
            "terms": terms,
            "r2": _num(self.r2_),
            "adjusted_r2": _num(self.adjusted_r2_),
            "n": self.n_samples_,
            "df_resid": self.df_resid_,
            "residual_std": _num(math.sqrt(self.sigma2_)),
            "condition_number": _num(self.condition_number_),
        }


def _num(x: float) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def _term(name: str, est: float, se: float, t: float, p: float) -> dict[str, Any]:
    return {"term": name, "estimate": _num(est), "stderr": _num(se), "t": _num(t), "p": _num(p)}


def _join_names(names: Sequence[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    if len(quoted) == 1:
        return f"column {quoted[0]}"
    return "columns " + ", ".join(quoted)


def assess_regression_data(
    X: ArrayLike,
    y: ArrayLike,
    *,
    min_samples: int = 10,
    min_samples_per_feature: int = 10,
    max_condition: float = 1e3,
) -> Verdict:
    """Say whether OLS on this data is worth showing, before anyone reads its coefficients.

    The thresholds are rules of thumb (about ten observations per estimated coefficient); the
    point is to say plainly when the platform's own data is still too thin.
    """
    X_ = np.asarray(X, dtype=float)
    if X_.ndim == 1:
        X_ = X_.reshape(-1, 1)
    y_ = np.asarray(y, dtype=float).ravel()
    n, p = X_.shape
    context = f"{n} samples, {p} feature{'s' if p != 1 else ''}"
    context_code: Code = ("samples_features", {"n": n, "p": p})
    problems: list[tuple[str, Code]] = []
    if y_.shape[0] != n:
        return _verdict([_rows_mismatch(n, y_.shape[0])], context, context_code)
    if not (np.isfinite(X_).all() and np.isfinite(y_).all()):
        problems.append(_problem("some values are missing or infinite", "missing_values"))
        return _verdict(problems, context, context_code)
    needed = max(min_samples, min_samples_per_feature * p)
    if n < needed:
        problems.append(
            _problem(
                f"too few samples for {p} feature{'s' if p != 1 else ''}: have {n}, "
                f"want at least {needed}",
                "too_few_samples",
                n=n,
                needed=needed,
                features=p,
            )
        )
    if n > 0 and np.ptp(y_) == 0:
        problems.append(
            _problem("the target never changes, so there is nothing to explain", "constant_target")
        )
    if n <= p + 1:
        return _verdict(problems, context, context_code)
    try:
        model = OLSRegression().fit(X_, y_)
    except ValueError as exc:
        problems.append(_problem(str(exc), "cannot_fit", error=str(exc)))
    else:
        if model.condition_number_ > max_condition:
            problems.append(
                _problem(
                    f"features are nearly collinear (condition number "
                    f"{model.condition_number_:.0f}), so individual coefficients are unreliable",
                    "collinear",
                    condition=round(model.condition_number_),
                )
            )
    return _verdict(problems, context, context_code)


def _rows_mismatch(rows: int, targets: int) -> tuple[str, Code]:
    return _problem(
        f"X has {rows} rows but y has {targets}", "rows_mismatch", rows=rows, targets=targets
    )


@dataclass(frozen=True)
class Forecast:
    """A growth forecast: future period indices with a point forecast and an interval."""

    periods: np.ndarray
    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    level: float
    slope: float
    intercept: float
    r2: float
    log_scale: bool
    model: OLSRegression = field(repr=False)
    verdict: Verdict

    def to_dict(self) -> dict[str, Any]:
        return {
            "periods": [int(t) for t in self.periods],
            "mean": [float(v) for v in self.mean],
            "lower": [float(v) for v in self.lower],
            "upper": [float(v) for v in self.upper],
            "level": self.level,
            "slope": self.slope,
            "intercept": self.intercept,
            "r2": _num(self.r2),
            "log_scale": self.log_scale,
            "verdict": self.verdict.to_dict(),
        }


def forecast_growth(
    counts: ArrayLike,
    horizon: int,
    *,
    level: float = 0.95,
    log_scale: bool = False,
    nonnegative: bool = True,
    min_periods: int = 8,
) -> Forecast:
    """Fit a straight trend to counts per period (0, 1, ..., n-1) and extend it ``horizon`` periods.

    With ``log_scale`` the trend is fitted to log(1 + count), i.e. constant percentage growth;
    the back-transformed line is then a median, not a mean. Counts cannot be negative, so bounds
    are clipped at zero unless ``nonnegative`` is off.
    """
    y = np.asarray(counts, dtype=float).ravel()
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1 period, got {horizon}")
    if y.shape[0] < 3:
        raise CodedValueError(
            f"need at least 3 periods to fit a trend with an interval, got {y.shape[0]}",
            "few_periods",
            n=int(y.shape[0]),
            needed=3,
        )
    if not np.isfinite(y).all():
        raise ValueError("counts contain missing or infinite values")
    if log_scale and (y < 0).any():
        raise ValueError("log_scale needs non-negative counts")
    n = y.shape[0]
    t = np.arange(n, dtype=float).reshape(-1, 1)
    target = np.log1p(y) if log_scale else y
    model = OLSRegression(feature_names=["period"]).fit(t, target)
    future = np.arange(n, n + horizon)
    mean, lower, upper = model.predict(
        future.reshape(-1, 1).astype(float), return_interval=True, level=level
    )
    if log_scale:
        mean, lower, upper = np.expm1(mean), np.expm1(lower), np.expm1(upper)
    if nonnegative:
        mean, lower, upper = (np.maximum(a, 0.0) for a in (mean, lower, upper))
    problems = []
    if n < min_periods:
        problems.append(
            _problem(
                f"only {n} periods of history; want at least {min_periods}",
                "few_periods",
                n=n,
                needed=min_periods,
            )
        )
    if np.ptp(target) == 0:
        problems.append(
            _problem("the series is flat, so the trend is trivially zero", "flat_series")
        )
    verdict = _verdict(problems, f"{n} periods", ("periods", {"n": n}))
    return Forecast(
        future,
        mean,
        lower,
        upper,
        level,
        float(model.coef_[0]),
        float(model.intercept_),
        float(model.r2_),
        log_scale,
        model,
        verdict,
    )


# --------------------------------------------------------------------------------------------
# SVM
# --------------------------------------------------------------------------------------------


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
        X_ = _check_X(X, names=self.feature_names)
        n, p = X_.shape
        names = _feature_names(X, p, self.feature_names)
        y_ = _check_y_labels(y, n)
        classes = np.unique(y_)
        if classes.shape[0] < 2:
            only = classes.tolist()[0] if classes.shape[0] else "nothing"
            raise ValueError(
                f"y contains only one class ({only!r}); an SVM needs examples of both outcomes"
            )
        if classes.shape[0] > 2:
            raise ValueError(
                f"SVMClassifier is binary but y has {classes.shape[0]} classes: "
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
        self.n_features_in_ = p
        self.feature_names_in_ = np.array(names, dtype=object)
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
        model.feature_names_in_ = np.array(
            _feature_names(None, w.shape[0], feature_names), dtype=object
        )
        model.mean_ = np.zeros(w.shape[0])
        model.scale_ = np.ones(w.shape[0])
        return model

    def decision_function(self, X: ArrayLike) -> np.ndarray:
        """Signed distance-like score; positive means ``classes_[1]``."""
        if not hasattr(self, "classes_"):
            raise ValueError("this SVMClassifier is not fitted yet; call fit first")
        X_ = _check_X(X, self.n_features_in_, list(self.feature_names_in_))
        if self.kernel == "linear":
            return X_ @ self.coef_ + self.intercept_
        return self.estimator_.decision_function((X_ - self.mean_) / self.scale_)

    def predict(self, X: ArrayLike) -> np.ndarray:
        return self.classes_[(self.decision_function(X) > 0).astype(int)]

    def feature_weights(self, standardized: bool = False) -> dict[str, float]:
        """Weight per feature name, largest magnitude first; positive pushes towards classes_[1].

        Use ``standardized=True`` to compare features measured in different units.
        """
        if not hasattr(self, "coef_"):
            raise ValueError("feature weights exist only for a fitted linear-kernel SVM")
        w = self.standardized_coef_ if standardized else self.coef_
        pairs = sorted(zip(self.feature_names_in_, w, strict=True), key=lambda kv: -abs(kv[1]))
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
        return _verdict([_rows_mismatch(n, y_.shape[0])], context, context_code)
    problems: list[tuple[str, Code]] = []
    if not np.isfinite(X_).all():
        problems.append(
            _problem("some feature values are missing or infinite", "missing_feature_values")
        )
    classes, counts = np.unique(y_, return_counts=True)
    if classes.shape[0] < 2:
        problems.append(
            _problem("only one class present, so there is nothing to tell apart", "one_class")
        )
    else:
        small = [
            (c, k)
            for c, k in zip(classes.tolist(), counts.tolist(), strict=True)
            if k < min_per_class
        ]
        for c, k in small:
            problems.append(
                _problem(
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
            _problem(
                f"too few samples for {p} features: have {n}, want at least {needed}",
                "too_few_samples",
                n=n,
                needed=needed,
                features=p,
            )
        )
    return _verdict(problems, context, context_code)


# --------------------------------------------------------------------------------------------
# Cross-validation
# --------------------------------------------------------------------------------------------


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
    X_ = _check_X(X)
    n = X_.shape[0]
    if n_splits < 2:
        raise ValueError(f"n_splits must be at least 2, got {n_splits}")
    note, note_code = "", None
    if is_classifier(model):
        y_ = _check_y_labels(y, n)
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
        y_ = _check_y_numeric(y, n)
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


# --------------------------------------------------------------------------------------------
# Bayesian network
# --------------------------------------------------------------------------------------------


class NetworkValidationError(ValueError):
    """An invalid network or table; ``errors`` lists every problem, to fix all at once."""

    def __init__(self, errors: Sequence[str]):
        self.errors = list(errors)
        super().__init__("invalid Bayesian network: " + "; ".join(self.errors))


class ImpossibleEvidenceError(CodedValueError):
    """The evidence has probability zero under the network, so no posterior exists.

    Its code is ``"impossible_evidence"`` with ``{"evidence": {variable: state, ...}}``.
    """

    def __init__(self, evidence: Mapping[str, str] | None):
        shown = ", ".join(f"{v}={s}" for v, s in (evidence or {}).items())
        super().__init__(
            f"the evidence ({shown}) has probability zero under this network",
            "impossible_evidence",
            evidence=dict(evidence or {}),
        )


@dataclass
class _Factor:
    scope: tuple[str, ...]
    table: np.ndarray


def _aligned(f: _Factor, scope: tuple[str, ...]) -> np.ndarray:
    present = [v for v in scope if v in f.scope]
    t = np.transpose(f.table, [f.scope.index(v) for v in present])
    shape = [t.shape[present.index(v)] if v in f.scope else 1 for v in scope]
    return t.reshape(shape)


def _multiply(factors: Sequence[_Factor]) -> _Factor:
    scope: tuple[str, ...] = ()
    for f in factors:
        scope += tuple(v for v in f.scope if v not in scope)
    table = np.ones([1] * len(scope))
    for f in factors:
        table = table * _aligned(f, scope)
    return _Factor(scope, table)


def _sum_out(f: _Factor, var: str) -> _Factor:
    axis = f.scope.index(var)
    return _Factor(f.scope[:axis] + f.scope[axis + 1 :], f.table.sum(axis=axis))


_FORMAT = "seedbed.bayesian_network"


class BayesianNetwork:
    """A discrete Bayesian network with operator-editable tables and exact inference.

    Structure (variables, their states, their parents) is given up front; the conditional
    probability tables come from ``fit`` (counts with Dirichlet smoothing), from ``set_cpt``
    (an operator's edit) or from ``from_dict`` (what the database stores). Queries use variable
    elimination over the ancestors of the query and evidence only, so editing an unrelated
    table never changes, or slows, an answer.

    ``cpts_[v]`` has one axis per parent (in ``parents[v]`` order) and a last axis over ``v``'s
    states; every slice along the last axis sums to one.
    """

    def __init__(
        self,
        states: Mapping[str, Sequence[str]],
        parents: Mapping[str, Sequence[str]] | None = None,
        *,
        alpha: float = 1.0,
        tol: float = 1e-6,
    ):
        parents = parents or {}
        errors = _structure_errors(states, parents)
        if errors:
            raise NetworkValidationError(errors)
        if alpha < 0:
            raise ValueError(f"alpha must be non-negative, got {alpha}")
        self.states = {str(v): tuple(s) for v, s in states.items()}
        self.parents = {v: tuple(parents.get(v, ())) for v in self.states}
        self.alpha = alpha
        self.tol = tol
        self.cpts_: dict[str, np.ndarray] = {}
        self._order = _topological_order(self.parents)

    @property
    def variables(self) -> list[str]:
        return list(self.states)

    def _shape(self, var: str) -> tuple[int, ...]:
        return (*(len(self.states[p]) for p in self.parents[var]), len(self.states[var]))

    # -- tables ------------------------------------------------------------------------------

    def set_cpt(self, variable: str, table: Any) -> BayesianNetwork:
        """Replace one table after validating it; accepts rows (as in ``to_dict``) or an array.

        Rows are ``{"given": {parent: state}, "probabilities": {state: p}}``; for a variable
        without parents a bare ``{state: p}`` mapping is accepted too.
        """
        if variable not in self.states:
            raise NetworkValidationError([f"unknown variable {variable!r}"])
        array, errors = self._parse_cpt(variable, table)
        if errors:
            raise NetworkValidationError(errors)
        self.cpts_[variable] = array
        return self

    def cpt_rows(self, variable: str) -> list[dict[str, Any]]:
        """The table of ``variable`` as editable rows, one per combination of parent states."""
        self._require_cpt(variable)
        rows = []
        parent_states = [self.states[p] for p in self.parents[variable]]
        for combo in itertools.product(*[range(len(s)) for s in parent_states]):
            probs = self.cpts_[variable][combo]
            rows.append(
                {
                    "given": {
                        p: self.states[p][i]
                        for p, i in zip(self.parents[variable], combo, strict=True)
                    },
                    "probabilities": {
                        s: float(probs[i]) for i, s in enumerate(self.states[variable])
                    },
                }
            )
        return rows

    def _require_cpt(self, variable: str) -> None:
        if variable not in self.cpts_:
            raise ValueError(f"no probability table for {variable!r} yet; call fit or set_cpt")

    def _parse_cpt(self, var: str, table: Any) -> tuple[np.ndarray, list[str]]:
        shape = self._shape(var)
        errors: list[str] = []
        if isinstance(table, np.ndarray) or (
            isinstance(table, list | tuple) and table and not isinstance(table[0], Mapping)
        ):
            try:
                array = np.array(table, dtype=float)
            except (TypeError, ValueError):
                return np.zeros(shape), [f"{var}: the table is not numeric"]
            if array.shape != shape:
                return array, [
                    f"{var}: the table has shape {array.shape}, expected {shape} "
                    f"(parents {list(self.parents[var])} then {var})"
                ]
            for combo in itertools.product(*[range(k) for k in shape[:-1]]):
                label = self._row_label(var, combo)
                probs = dict(zip(self.states[var], array[combo].tolist(), strict=True))
                errors += self._row_errors(var, label, probs)
            if not errors:
                array = array / array.sum(axis=-1, keepdims=True)
            return array, errors

        if isinstance(table, Mapping) and not self.parents[var] and "probabilities" not in table:
            table = [{"given": {}, "probabilities": table}]
        if not isinstance(table, list | tuple):
            return np.zeros(shape), [f"{var}: the table must be a list of rows"]
        array = np.full(shape, np.nan)
        seen: set[tuple[int, ...]] = set()
        for r, row in enumerate(table, start=1):
            if not isinstance(row, Mapping) or "probabilities" not in row:
                errors.append(f"{var}: row {r} must have 'given' and 'probabilities'")
                continue
            given = row.get("given") or {}
            if not isinstance(given, Mapping):
                errors.append(f"{var}: row {r}: 'given' must map parent names to states")
                continue
            extra = [p for p in given if p not in self.parents[var]]
            missing = [p for p in self.parents[var] if p not in given]
            if extra:
                errors.append(
                    f"{var}: row {r} names {_join_list(extra)}, which "
                    f"{'is not a parent' if len(extra) == 1 else 'are not parents'}"
                    f" of {var}"
                )
            if missing:
                errors.append(
                    f"{var}: row {r} does not give the state of parent {_join_list(missing)}"
                )
            if extra or missing:
                continue
            combo = []
            for p in self.parents[var]:
                if given[p] not in self.states[p]:
                    errors.append(
                        f"{var}: row {r}: {given[p]!r} is not a state of {p} "
                        f"(states: {', '.join(self.states[p])})"
                    )
                    break
                combo.append(self.states[p].index(given[p]))
            else:
                key = tuple(combo)
                label = self._row_label(var, key)
                if key in seen:
                    errors.append(f"{var}: the row for {label} appears more than once")
                    continue
                seen.add(key)
                probs = row["probabilities"]
                if not isinstance(probs, Mapping):
                    errors.append(
                        f"{var}: row for {label}: 'probabilities' must map states to numbers"
                    )
                    continue
                row_errors = self._row_errors(var, label, probs)
                errors += row_errors
                if not row_errors:
                    values = np.array([float(probs[s]) for s in self.states[var]])
                    array[key] = values / values.sum()
        for combo in itertools.product(*[range(k) for k in shape[:-1]]):
            if tuple(combo) not in seen:
                errors.append(f"{var}: no row for {self._row_label(var, tuple(combo))}")
        return array, errors

    def _row_label(self, var: str, combo: tuple[int, ...]) -> str:
        if not self.parents[var]:
            return "its prior"
        return ", ".join(
            f"{p}={self.states[p][i]}" for p, i in zip(self.parents[var], combo, strict=True)
        )

    def _row_errors(self, var: str, label: str, probs: Mapping[str, Any]) -> list[str]:
        errors = []
        extra = [s for s in probs if s not in self.states[var]]
        missing = [s for s in self.states[var] if s not in probs]
        if extra:
            errors.append(
                f"{var}: row for {label} has {_join_list(extra)}, not "
                f"{'a state' if len(extra) == 1 else 'states'} of {var}"
            )
        if missing:
            errors.append(f"{var}: row for {label} has no probability for {_join_list(missing)}")
        if extra or missing:
            return errors
        values = []
        for s in self.states[var]:
            value = probs[s]
            if isinstance(value, bool) or not isinstance(value, int | float | np.number):
                errors.append(
                    f"{var}: row for {label}: P({var}={s}) must be a number, got {value!r}"
                )
                continue
            value = float(value)
            if not math.isfinite(value) or not 0.0 <= value <= 1.0:
                errors.append(
                    f"{var}: row for {label}: P({var}={s}) = {value:g} is not between 0 and 1"
                )
            values.append(value)
        if not errors and abs(sum(values) - 1.0) > self.tol:
            errors.append(f"{var}: row for {label} sums to {sum(values):.6g}, not 1")
        return errors

    # -- description -------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly description (structure and every table row) for storage and editing."""
        return {
            "format": _FORMAT,
            "version": 1,
            "variables": [
                {
                    "name": v,
                    "states": list(self.states[v]),
                    "parents": list(self.parents[v]),
                    "cpt": self.cpt_rows(v) if v in self.cpts_ else [],
                }
                for v in self.states
            ],
        }

    @classmethod
    def from_dict(
        cls, description: Mapping[str, Any], *, tol: float = 1e-6, alpha: float = 1.0
    ) -> BayesianNetwork:
        """Rebuild a network from ``to_dict`` output, reporting every problem at once."""
        errors = validate_network_description(description, tol=tol)
        if errors:
            raise NetworkValidationError(errors)
        network = cls(*_structure_of(description), alpha=alpha, tol=tol)
        for spec in description["variables"]:
            network.set_cpt(spec["name"], spec["cpt"])
        return network

    # -- learning ----------------------------------------------------------------------------

    def fit(
        self,
        data: Iterable[Mapping[str, Any]] | ArrayLike,
        *,
        columns: Sequence[str] | None = None,
        prior: Literal["uniform", "tables"] = "uniform",
    ) -> BayesianNetwork:
        """Learn every table from observations: counts plus ``alpha`` pseudo-counts per cell.

        ``data`` is a list of records (missing keys or None mean "not observed") or a 2-D array
        of state labels whose columns are ``columns`` (default: ``variables``). Each table uses
        the rows where the variable and its parents are all observed. With ``prior="tables"``
        the pseudo-counts follow the current (e.g. operator-edited) tables instead of being
        uniform, so data refines expert judgement rather than replacing it.
        """
        if prior not in ("uniform", "tables"):
            raise ValueError(f"prior must be 'uniform' or 'tables', got {prior!r}")
        if prior == "tables":
            for v in self.states:
                self._require_cpt(v)
        index = self._encode(data, columns)
        cpts, counts = {}, {}
        for v in self.states:
            family = [*self.parents[v], v]
            shape = self._shape(v)
            observed = np.all([index[u] >= 0 for u in family], axis=0)
            count = np.zeros(shape)
            if observed.any():
                np.add.at(count, tuple(index[u][observed] for u in family), 1.0)
            k = shape[-1]
            pseudo = (
                self.alpha * k * self.cpts_[v] if prior == "tables" else np.full(shape, self.alpha)
            )
            total = count + pseudo
            denom = total.sum(axis=-1, keepdims=True)
            with np.errstate(invalid="ignore", divide="ignore"):
                cpt = np.where(denom > 0, total / np.where(denom > 0, denom, 1.0), 1.0 / k)
            cpts[v], counts[v] = cpt, count
        self.cpts_ = cpts
        self.counts_ = counts
        self.n_samples_ = len(next(iter(index.values()))) if index else 0
        return self

    def _encode(self, data: Any, columns: Sequence[str] | None) -> dict[str, np.ndarray]:
        lookup = {v: {s: i for i, s in enumerate(states)} for v, states in self.states.items()}

        def code(v: str, value: Any, r: int) -> int:
            if value is None or (isinstance(value, float) and math.isnan(value)):
                return -1
            found = lookup[v].get(value)
            if found is None:
                found = lookup[v].get(str(value))
            if found is None:
                raise ValueError(
                    f"record {r + 1}: {value!r} is not a state of {v} "
                    f"(states: {', '.join(self.states[v])})"
                )
            return found

        if isinstance(data, np.ndarray) or (
            isinstance(data, list | tuple) and data and not isinstance(data[0], Mapping)
        ):
            array = np.asarray(data, dtype=object)
            if array.ndim != 2:
                raise ValueError("data must be a list of records or a 2-D array of states")
            cols = list(columns) if columns is not None else self.variables
            if len(cols) != array.shape[1]:
                raise ValueError(f"data has {array.shape[1]} columns but {len(cols)} names")
            unknown = [c for c in cols if c not in self.states]
            if unknown:
                raise ValueError(f"unknown column(s) {_join_list(unknown)}")
            records: list[Mapping[str, Any]] = [
                dict(zip(cols, row, strict=True)) for row in array.tolist()
            ]
        else:
            records = list(data)
        index = {v: np.full(len(records), -1, dtype=np.intp) for v in self.states}
        for r, record in enumerate(records):
            for v in self.states:
                index[v][r] = code(v, record.get(v), r)
        return index

    # -- inference ---------------------------------------------------------------------------

    def _check_evidence(self, evidence: Mapping[str, str] | None) -> dict[str, int]:
        checked = {}
        for v, s in (evidence or {}).items():
            if v not in self.states:
                raise ValueError(f"unknown evidence variable {v!r}")
            if s not in self.states[v]:
                raise ValueError(
                    f"{s!r} is not a state of {v} (states: {', '.join(self.states[v])})"
                )
            checked[v] = self.states[v].index(s)
        for v in self.states:
            self._require_cpt(v)
        return checked

    def _ancestral_set(self, nodes: Iterable[str]) -> set[str]:
        todo, seen = list(nodes), set()
        while todo:
            v = todo.pop()
            if v not in seen:
                seen.add(v)
                todo.extend(self.parents[v])
        return seen

    def _eliminate(self, keep: tuple[str, ...], evidence: dict[str, int]) -> _Factor:
        relevant = self._ancestral_set([*keep, *evidence])
        factors = []
        for v in self._order:
            if v not in relevant:
                continue
            scope = (*self.parents[v], v)
            table = self.cpts_[v]
            index = tuple(evidence.get(u, slice(None)) for u in scope)
            factors.append(_Factor(tuple(u for u in scope if u not in evidence), table[index]))
        hidden = [v for v in relevant if v not in evidence and v not in keep]
        while hidden:
            var = min(hidden, key=lambda h: self._elimination_cost(h, factors))
            hidden.remove(var)
            bucket = [f for f in factors if var in f.scope]
            factors = [f for f in factors if var not in f.scope]
            factors.append(_sum_out(_multiply(bucket), var))
        result = _multiply(factors)
        return _Factor(keep, _aligned(result, keep)) if keep else result

    def _elimination_cost(self, var: str, factors: Sequence[_Factor]) -> int:
        scope: set[str] = set()
        for f in factors:
            if var in f.scope:
                scope.update(f.scope)
        return math.prod(len(self.states[u]) for u in scope)

    def probability_of_evidence(self, evidence: Mapping[str, str] | None = None) -> float:
        """P(evidence), by the same elimination that answers queries."""
        checked = self._check_evidence(evidence)
        return float(self._eliminate((), checked).table.sum())

    def query(self, target: str, evidence: Mapping[str, str] | None = None) -> dict[str, float]:
        """Posterior distribution of ``target`` given ``evidence``, by exact variable elimination.

        Raises ``ImpossibleEvidenceError`` when the evidence has probability zero.
        """
        if target not in self.states:
            raise ValueError(f"unknown target variable {target!r}")
        checked = self._check_evidence(evidence)
        if target in checked:
            if self._eliminate((), checked).table.sum() <= 0:
                raise ImpossibleEvidenceError(evidence)
            return {s: float(i == checked[target]) for i, s in enumerate(self.states[target])}
        unnormalised = self._eliminate((target,), checked).table
        z = float(unnormalised.sum())
        if not z > 0:
            raise ImpossibleEvidenceError(evidence)
        return {s: float(p) for s, p in zip(self.states[target], unnormalised / z, strict=True)}

    def query_by_enumeration(
        self, target: str, evidence: Mapping[str, str] | None = None
    ) -> dict[str, float]:
        """The same posterior by summing the full joint: exponential, kept as a reference."""
        if target not in self.states:
            raise ValueError(f"unknown target variable {target!r}")
        checked = self._check_evidence(evidence)
        names = self.variables
        position = {v: i for i, v in enumerate(names)}
        families = [
            (self.cpts_[v], [position[p] for p in self.parents[v]], position[v]) for v in names
        ]
        totals = np.zeros(len(self.states[target]))
        t = position[target]
        for assignment in itertools.product(*[range(len(self.states[v])) for v in names]):
            if any(assignment[position[v]] != i for v, i in checked.items()):
                continue
            p = 1.0
            for table, parent_pos, own in families:
                p *= table[(*(assignment[j] for j in parent_pos), assignment[own])]
            totals[assignment[t]] += p
        z = totals.sum()
        if not z > 0:
            raise ImpossibleEvidenceError(evidence)
        return {s: float(p) for s, p in zip(self.states[target], totals / z, strict=True)}

    def predict_proba(self, data: Iterable[Mapping[str, Any]], target: str) -> np.ndarray:
        """P(target) for each record, using the record's other observed values as evidence."""
        probabilities = []
        cache: dict[tuple[tuple[str, Any], ...], list[float]] = {}
        for record in data:
            evidence = {
                v: s
                for v, s in record.items()
                if v != target and v in self.states and s is not None
            }
            key = tuple(sorted(evidence.items()))
            if key not in cache:
                cache[key] = list(self.query(target, evidence).values())
            probabilities.append(cache[key])
        return np.array(probabilities).reshape(-1, len(self.states[target]))


def _join_list(items: Sequence[Any]) -> str:
    return ", ".join(repr(i) for i in items)


def _structure_errors(states: Any, parents: Any) -> list[str]:
    errors: list[str] = []
    if not isinstance(states, Mapping) or not states:
        return ["the network needs at least one variable"]
    for v, s in states.items():
        if not isinstance(v, str) or not v:
            errors.append(f"variable name {v!r} must be a non-empty string")
            continue
        if isinstance(s, str) or not isinstance(s, Sequence):
            errors.append(f"{v}: states must be a list of names")
            continue
        if len(s) < 2:
            errors.append(f"{v}: needs at least two states, got {len(s)}")
        if any(not isinstance(x, str) or not x for x in s):
            errors.append(f"{v}: state names must be non-empty strings")
        elif len(set(s)) != len(s):
            errors.append(f"{v}: state names must be unique")
    if not isinstance(parents, Mapping):
        return [*errors, "parents must map each variable to a list of parent names"]
    for v, ps in parents.items():
        if v not in states:
            errors.append(f"parents given for unknown variable {v!r}")
            continue
        if isinstance(ps, str) or not isinstance(ps, Sequence):
            errors.append(f"{v}: parents must be a list of variable names")
            continue
        for p in ps:
            if p == v:
                errors.append(f"{v}: a variable cannot be its own parent")
            elif p not in states:
                errors.append(f"{v}: parent {p!r} does not exist")
        if len(set(ps)) != len(ps):
            errors.append(f"{v}: a parent is listed twice")
    if errors:
        return errors
    cycle = _find_cycle({v: tuple(parents.get(v, ())) for v in states})
    if cycle:
        errors.append("the parents form a cycle: " + " → ".join(cycle))
    return errors


def _find_cycle(parents: Mapping[str, Sequence[str]]) -> list[str] | None:
    colour = dict.fromkeys(parents, 0)
    stack: list[str] = []

    def visit(v: str) -> list[str] | None:
        colour[v] = 1
        stack.append(v)
        for p in parents[v]:
            if colour[p] == 1:
                loop = [*stack[stack.index(p) :], p]
                return list(reversed(loop))
            if colour[p] == 0:
                found = visit(p)
                if found:
                    return found
        stack.pop()
        colour[v] = 2
        return None

    for v in parents:
        if colour[v] == 0:
            found = visit(v)
            if found:
                return found
    return None


def _topological_order(parents: Mapping[str, Sequence[str]]) -> list[str]:
    order: list[str] = []
    placed: set[str] = set()
    while len(order) < len(parents):
        for v, ps in parents.items():
            if v not in placed and all(p in placed for p in ps):
                order.append(v)
                placed.add(v)
    return order


def _structure_of(
    description: Mapping[str, Any],
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    states = {spec["name"]: list(spec["states"]) for spec in description["variables"]}
    parents = {spec["name"]: list(spec.get("parents", [])) for spec in description["variables"]}
    return states, parents


def validate_network_description(description: Any, *, tol: float = 1e-6) -> list[str]:
    """Every problem in a stored or operator-edited description; empty means it is valid."""
    if not isinstance(description, Mapping):
        return ["the description must be an object"]
    fmt = description.get("format", _FORMAT)
    if fmt != _FORMAT:
        return [f"unknown format {fmt!r}"]
    specs = description.get("variables")
    if not isinstance(specs, list) or not specs:
        return ["'variables' must be a non-empty list"]
    errors = []
    names = []
    for i, spec in enumerate(specs, start=1):
        if not isinstance(spec, Mapping) or "name" not in spec or "states" not in spec:
            errors.append(f"variable {i} must have 'name', 'states', 'parents' and 'cpt'")
            continue
        names.append(spec["name"])
    if errors:
        return errors
    duplicates = sorted({str(n) for n in names if names.count(n) > 1})
    if duplicates:
        return [f"variable {d!r} is defined more than once" for d in duplicates]
    states, parents = _structure_of(description)
    errors = _structure_errors(states, parents)
    if errors:
        return errors
    network = BayesianNetwork(states, parents, tol=tol)
    for spec in specs:
        if "cpt" not in spec:
            errors.append(f"{spec['name']}: no 'cpt' rows")
            continue
        errors += network._parse_cpt(spec["name"], spec["cpt"])[1]
    return errors


def assess_network_fit(network: BayesianNetwork, *, min_per_row: int = 5) -> Verdict:
    """Say which learned table rows rest on too few observations to mean much.

    A row backed by a handful of cases mostly reflects the smoothing prior, which the page
    should say rather than show as if it were learned.
    """
    if not hasattr(network, "counts_"):
        return Verdict(
            False,
            "The tables were not learned from data (call fit first).",
            ("not fitted",),
            (("not_fitted", {}),),
        )
    problems = []
    for v in network.variables:
        row_counts = network.counts_[v].sum(axis=-1)
        thin = [
            (combo, int(row_counts[combo]))
            for combo in np.ndindex(row_counts.shape)
            if row_counts[combo] < min_per_row
        ]
        if thin:
            combo, count = min(thin, key=lambda item: item[1])
            given = [
                (p, network.states[p][i]) for p, i in zip(network.parents[v], combo, strict=True)
            ]
            problems.append(
                _problem(
                    f"{v}: {len(thin)} of {row_counts.size} "
                    f"row{'s' if row_counts.size != 1 else ''} have fewer than {min_per_row} "
                    f"observations (fewest: {network._row_label(v, combo)} with {count})",
                    "thin_rows",
                    variable=v,
                    thin=len(thin),
                    rows=int(row_counts.size),
                    min=min_per_row,
                    given=given,
                    count=count,
                )
            )
    n = network.n_samples_
    return _verdict(problems, f"{n} observations", ("observations", {"n": n}))


def cross_validate_network(
    network: BayesianNetwork,
    data: Sequence[Mapping[str, Any]],
    target: str,
    *,
    n_splits: int = 5,
    random_state: int | None = 0,
) -> CrossValidation:
    """Learn the tables on each training fold and predict ``target`` on the held-out records.

    Reports accuracy, log loss and Brier score against the training fold's base rate, so the
    page can tell whether the network knows more than the overall frequency.
    """
    records = [r for r in data if r.get(target) is not None]
    states = network.states[target]
    unknown = sorted({str(r[target]) for r in records if str(r[target]) not in states})
    if unknown:
        raise CodedValueError(
            f"{_join_list(unknown)} not states of {target} (states: {', '.join(states)})",
            "unknown_states",
            values=unknown,
            variable=target,
            states=list(states),
        )
    labels = np.array([states.index(str(r[target])) for r in records], dtype=np.intp)
    k = len(network.states[target])
    _, counts = np.unique(labels, return_counts=True)
    if len(counts) < 2 or counts.min() < 2:
        raise CodedValueError(
            f"need at least 2 records of at least two states of {target} to cross-validate",
            "too_few_outcomes",
            variable=target,
        )
    splits = min(n_splits, int(counts.min()))
    splitter = StratifiedKFold(splits, shuffle=random_state is not None, random_state=random_state)
    folds = []
    for train, test in splitter.split(np.zeros(len(labels)), labels):
        fold_net = BayesianNetwork(
            network.states, network.parents, alpha=network.alpha, tol=network.tol
        )
        fold_net.fit([records[i] for i in train])
        probs = fold_net.predict_proba([records[i] for i in test], target)
        truth = labels[test]
        base = np.bincount(labels[train], minlength=k) + network.alpha
        base = base / base.sum()
        onehot = np.eye(k)[truth]
        eps = 1e-12
        folds.append(
            {
                "accuracy": float(np.mean(probs.argmax(axis=1) == truth)),
                "log_loss": float(
                    -np.mean(np.log(np.clip(probs[np.arange(len(truth)), truth], eps, 1.0)))
                ),
                "brier": float(np.mean(((probs - onehot) ** 2).sum(axis=1))),
                "baseline_log_loss": float(-np.mean(np.log(np.clip(base[truth], eps, 1.0)))),
                "baseline_accuracy": float(np.mean(truth == base.argmax())),
                "n_train": float(len(train)),
                "n_test": float(len(test)),
            }
        )
    note, note_code = "", None
    if splits < n_splits:
        note, note_code = f"reduced to {splits} folds", ("fewer_folds", {"k": splits})
    method_code = ("stratified_k_fold", {"k": splits})
    return CrossValidation(folds, f"stratified {splits}-fold", note, method_code, note_code)


def default_startup_network() -> BayesianNetwork:
    """Funding, market and technology → success, with plausible tables an operator can edit.

    The numbers are a starting point, not evidence: technology and market matter more than
    funding alone, and no combination makes success certain.
    """
    yes_no = ("yes", "no")
    network = BayesianNetwork(
        {"funding": yes_no, "market": yes_no, "technology": yes_no, "success": yes_no},
        {"success": ("funding", "market", "technology")},
    )
    network.set_cpt("funding", {"yes": 0.3, "no": 0.7})
    network.set_cpt("market", {"yes": 0.5, "no": 0.5})
    network.set_cpt("technology", {"yes": 0.6, "no": 0.4})
    success = {
        ("yes", "yes", "yes"): 0.8,
        ("yes", "yes", "no"): 0.2,
        ("yes", "no", "yes"): 0.4,
        ("yes", "no", "no"): 0.1,
        ("no", "yes", "yes"): 0.5,
        ("no", "yes", "no"): 0.1,
        ("no", "no", "yes"): 0.2,
        ("no", "no", "no"): 0.05,
    }
    network.set_cpt(
        "success",
        [
            {
                "given": dict(zip(("funding", "market", "technology"), combo, strict=True)),
                "probabilities": {"yes": p, "no": round(1.0 - p, 10)},
            }
            for combo, p in success.items()
        ],
    )
    return network
