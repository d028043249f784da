"""Ordinary least squares with inference statistics, and a growth forecast built on it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import linalg, stats
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from seedbed.engine.predict.common import (
    Code,
    CodedValueError,
    Verdict,
    make_verdict,
    names_of_features,
    num,
    problem,
    require_finite,
    rows_mismatch,
)


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
        X_, y_ = validate_data(
            self,
            X,
            y,
            dtype=np.float64,
            y_numeric=True,
            ensure_all_finite=False,
            ensure_min_samples=2,
        )
        n, p = X_.shape
        names = names_of_features(X, p, self.feature_names)
        require_finite(X_, names)
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

        self.feature_names_ = names
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
        check_is_fitted(self)
        X_ = validate_data(self, X, reset=False, dtype=np.float64, ensure_all_finite=False)
        require_finite(X_, self.feature_names_)
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
        for j, name in enumerate(self.feature_names_):
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
            "r2": num(self.r2_),
            "adjusted_r2": num(self.adjusted_r2_),
            "n": self.n_samples_,
            "df_resid": self.df_resid_,
            "residual_std": num(math.sqrt(self.sigma2_)),
            "condition_number": num(self.condition_number_),
        }


def _term(name: str, est: float, se: float, t: float, p: float) -> dict[str, Any]:
    return {"term": name, "estimate": num(est), "stderr": num(se), "t": num(t), "p": num(p)}


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
        return make_verdict([rows_mismatch(n, y_.shape[0])], context, context_code)
    if not (np.isfinite(X_).all() and np.isfinite(y_).all()):
        problems.append(problem("some values are missing or infinite", "missing_values"))
        return make_verdict(problems, context, context_code)
    needed = max(min_samples, min_samples_per_feature * p)
    if n < needed:
        problems.append(
            problem(
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
            problem("the target never changes, so there is nothing to explain", "constant_target")
        )
    if n <= p + 1:
        return make_verdict(problems, context, context_code)
    try:
        model = OLSRegression().fit(X_, y_)
    except ValueError as exc:
        problems.append(problem(str(exc), "cannot_fit", error=str(exc)))
    else:
        if model.condition_number_ > max_condition:
            problems.append(
                problem(
                    f"features are nearly collinear (condition number "
                    f"{model.condition_number_:.0f}), so individual coefficients are unreliable",
                    "collinear",
                    condition=round(model.condition_number_),
                )
            )
    return make_verdict(problems, context, context_code)


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
            "r2": num(self.r2),
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
            problem(
                f"only {n} periods of history; want at least {min_periods}",
                "few_periods",
                n=n,
                needed=min_periods,
            )
        )
    if np.ptp(target) == 0:
        problems.append(
            problem("the series is flat, so the trend is trivially zero", "flat_series")
        )
    verdict = make_verdict(problems, f"{n} periods", ("periods", {"n": n}))
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
