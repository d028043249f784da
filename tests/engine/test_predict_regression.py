import json

import numpy as np
import pytest
from scipy import stats

from seedbed.engine.predict import (
    OLSRegression,
    assess_regression_data,
    cross_validate,
    forecast_growth,
)

# Worked example used by several tests, derived by hand:
#   x = 1..5, y = 2, 4, 5, 4, 5;  x̄ = 3, ȳ = 4
#   Sxx = Σ(x-x̄)² = 10,  Sxy = Σ(x-x̄)(y-ȳ) = 4 + 0 + 0 + 0 + 2 = 6
#   slope = 6/10 = 0.6,  intercept = 4 - 0.6·3 = 2.2
#   fitted = 2.8, 3.4, 4.0, 4.6, 5.2;  residuals = -0.8, 0.6, 1.0, -0.6, -0.2
#   RSS = 2.4, TSS = 6, R² = 0.6, σ² = RSS/(n-2) = 0.8
#   se(slope) = √(σ²/Sxx) = √0.08;  se(intercept) = √(σ²(1/n + x̄²/Sxx)) = √0.88
X_SMALL = np.array([[1.0], [2.0], [3.0], [4.0], [5.0]])
Y_SMALL = np.array([2.0, 4.0, 5.0, 4.0, 5.0])


def test_the_issue_example_predicts_1500_at_x_1000():
    x = np.array([0.0, 200.0, 400.0, 600.0, 800.0, 1200.0, 2000.0])
    model = OLSRegression().fit(x.reshape(-1, 1), 1000 + 0.5 * x)
    assert model.intercept_ == pytest.approx(1000.0, abs=1e-9)
    assert model.coef_[0] == pytest.approx(0.5, abs=1e-12)
    assert model.predict([[1000.0]])[0] == pytest.approx(1500.0, abs=1e-9)
    assert model.r2_ == pytest.approx(1.0)


def test_coefficients_standard_errors_and_r2_match_the_hand_computation():
    model = OLSRegression().fit(X_SMALL, Y_SMALL)
    assert model.coef_[0] == pytest.approx(0.6)
    assert model.intercept_ == pytest.approx(2.2)
    assert model.coef_stderr_[0] == pytest.approx(np.sqrt(0.08))
    assert model.intercept_stderr_ == pytest.approx(np.sqrt(0.88))
    assert model.r2_ == pytest.approx(0.6)
    assert model.adjusted_r2_ == pytest.approx(1 - 0.4 * 4 / 3)
    assert model.sigma2_ == pytest.approx(0.8)
    assert model.n_samples_ == 5
    assert model.df_resid_ == 3


def test_t_and_p_values_follow_from_the_standard_errors():
    model = OLSRegression().fit(X_SMALL, Y_SMALL)
    t_slope = 0.6 / np.sqrt(0.08)
    assert model.coef_tvalues_[0] == pytest.approx(t_slope)
    assert model.coef_pvalues_[0] == pytest.approx(2 * stats.t.sf(t_slope, 3))
    assert model.intercept_tvalue_ == pytest.approx(2.2 / np.sqrt(0.88))
    reference = stats.linregress(X_SMALL[:, 0], Y_SMALL)
    assert model.coef_pvalues_[0] == pytest.approx(reference.pvalue)


def test_prediction_interval_at_the_mean_of_x_is_hand_computed():
    # At x0 = x̄ = 3: ŷ = 4, Var(new obs) = σ²(1 + 1/n) = 0.96, Var(mean) = σ²/n = 0.16.
    model = OLSRegression().fit(X_SMALL, Y_SMALL)
    t975 = stats.t.ppf(0.975, 3)
    mean, lower, upper = model.predict([[3.0]], return_interval=True)
    assert mean[0] == pytest.approx(4.0)
    assert upper[0] - mean[0] == pytest.approx(t975 * np.sqrt(0.96))
    assert mean[0] - lower[0] == pytest.approx(t975 * np.sqrt(0.96))
    _, c_low, c_up = model.predict([[3.0]], return_interval=True, kind="confidence")
    assert c_up[0] - c_low[0] == pytest.approx(2 * t975 * np.sqrt(0.16))


def test_prediction_intervals_widen_away_from_the_data():
    model = OLSRegression().fit(X_SMALL, Y_SMALL)
    _, lower, upper = model.predict([[3.0], [10.0]], return_interval=True, level=0.9)
    assert upper[1] - lower[1] > upper[0] - lower[0]


def test_two_features_agree_with_the_normal_equations():
    # Small worked example checked against the textbook formulas, computed with numpy:
    # β = (AᵀA)⁻¹Aᵀy with A = [1, x1, x2], Cov(β) = σ²(AᵀA)⁻¹ with σ² = RSS/(n-3).
    X = np.array([[1.0, 7.0], [2.0, 3.0], [3.0, 8.0], [4.0, 1.0], [5.0, 6.0], [6.0, 2.0]])
    y = np.array([3.0, 5.0, 6.0, 9.0, 10.0, 14.0])
    A = np.column_stack([np.ones(6), X])
    inv = np.linalg.inv(A.T @ A)
    beta = inv @ A.T @ y
    resid = y - A @ beta
    sigma2 = resid @ resid / 3
    model = OLSRegression(feature_names=["month", "events"]).fit(X, y)
    np.testing.assert_allclose(model.intercept_, beta[0], rtol=1e-10)
    np.testing.assert_allclose(model.coef_, beta[1:], rtol=1e-10)
    np.testing.assert_allclose(model.cov_params_, sigma2 * inv, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(model.coef_stderr_, np.sqrt(np.diag(sigma2 * inv))[1:], rtol=1e-9)
    tss = ((y - y.mean()) ** 2).sum()
    assert model.r2_ == pytest.approx(1 - resid @ resid / tss)
    assert [t["term"] for t in model.summary()["terms"]] == ["(intercept)", "month", "events"]


def test_without_intercept_the_line_goes_through_the_origin():
    model = OLSRegression(fit_intercept=False).fit(X_SMALL, Y_SMALL)
    # β = Σxy / Σx² = (2 + 8 + 15 + 16 + 25) / 55 = 66/55 = 1.2
    assert model.coef_[0] == pytest.approx(1.2)
    assert model.intercept_ == 0.0


def test_a_duplicated_column_is_rejected_as_a_singular_design():
    X = np.column_stack([X_SMALL[:, 0], 2 * X_SMALL[:, 0]])
    with pytest.raises(ValueError, match=r"singular design: columns 'a', 'b' are linearly dep"):
        OLSRegression(feature_names=["a", "b"]).fit(X, Y_SMALL)


def test_a_constant_column_is_rejected_because_it_duplicates_the_intercept():
    X = np.column_stack([X_SMALL[:, 0], np.full(5, 3.0)])
    with pytest.raises(ValueError, match=r"column 'x1' is constant"):
        OLSRegression().fit(X, Y_SMALL)


def test_too_few_rows_give_a_clear_error():
    with pytest.raises(ValueError, match=r"too few rows: 2 rows for 2 parameters"):
        OLSRegression().fit([[1.0], [2.0]], [1.0, 2.0])


def test_missing_values_and_mismatched_lengths_are_rejected():
    with pytest.raises(ValueError, match="missing or infinite"):
        OLSRegression().fit([[1.0], [np.nan], [3.0]], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[5, 4\]"):
        OLSRegression().fit(X_SMALL, Y_SMALL[:4])


def test_predict_rejects_the_wrong_number_of_features():
    model = OLSRegression().fit(X_SMALL, Y_SMALL)
    with pytest.raises(
        ValueError, match="X has 2 features, but OLSRegression is expecting 1 features"
    ):
        model.predict([[1.0, 2.0]])


def test_thin_data_is_judged_untrustworthy_with_a_reason():
    verdict = assess_regression_data(X_SMALL, Y_SMALL)
    assert not verdict.trustworthy
    assert "too few samples" in verdict.message
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 2))
    good = assess_regression_data(X, X @ [1.0, 2.0] + rng.normal(size=80))
    assert good.trustworthy, good.message


def test_collinear_or_constant_data_is_judged_untrustworthy():
    x = np.arange(40.0)
    verdict = assess_regression_data(np.column_stack([x, x + 1]), 3 * x)
    assert not verdict.trustworthy
    assert any("linearly dependent" in p for p in verdict.problems)
    flat = assess_regression_data(x.reshape(-1, 1), np.ones(40))
    assert any("never changes" in p for p in flat.problems)


def test_cross_validation_reports_metrics_per_fold():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(50, 2))
    y = X @ [1.5, -2.0] + 0.1 * rng.normal(size=50)
    result = cross_validate(OLSRegression(), X, y, n_splits=5)
    assert result.method == "5-fold"
    assert len(result.folds) == 5
    assert sum(f["n_test"] for f in result.folds) == 50
    assert result.mean()["r2"] > 0.95
    assert result.to_dict()["mean"]["rmse"] < 0.2


def test_time_ordered_cross_validation_never_trains_on_the_future():
    y = 5.0 + 3.0 * np.arange(12.0)
    result = cross_validate(OLSRegression(), np.arange(12.0), y, n_splits=3, time_ordered=True)
    assert result.method == "time-ordered 3-split"
    train_sizes = [f["n_train"] for f in result.folds]
    assert train_sizes == sorted(train_sizes)
    assert max(f["rmse"] for f in result.folds) < 1e-9


def test_growth_forecast_extends_a_linear_trend_with_intervals():
    counts = 10 + 2 * np.arange(12) + np.array([0, 1, -1, 0, 1, -1, 0, 1, -1, 0, 1, -1])
    forecast = forecast_growth(counts, horizon=3)
    assert list(forecast.periods) == [12, 13, 14]
    assert forecast.slope == pytest.approx(2.0, abs=0.2)
    np.testing.assert_allclose(forecast.mean, 10 + 2 * np.arange(12, 15), atol=1.0)
    assert np.all(forecast.lower < forecast.mean)
    assert np.all(forecast.upper > forecast.mean)
    assert forecast.verdict.trustworthy
    assert forecast.to_dict()["periods"] == [12, 13, 14]


def test_growth_forecast_on_a_log_scale_follows_constant_percentage_growth():
    counts = np.expm1(np.log(5.0) + np.log(1.5) * np.arange(10))
    forecast = forecast_growth(counts, horizon=2, log_scale=True)
    expected = np.expm1(np.log(5.0) + np.log(1.5) * np.arange(10, 12))
    np.testing.assert_allclose(forecast.mean, expected, rtol=1e-8)


def test_growth_forecast_says_when_history_is_short_and_never_goes_negative():
    forecast = forecast_growth([9, 5, 2, 1], horizon=4)
    assert not forecast.verdict.trustworthy
    assert "only 4 periods" in forecast.verdict.message
    assert np.all(forecast.lower >= 0)
    with pytest.raises(ValueError, match="at least 3 periods"):
        forecast_growth([1, 2], horizon=1)


def test_the_summary_is_json_friendly_even_for_a_perfect_fit():
    x = np.arange(6.0)
    model = OLSRegression(feature_names=["period"]).fit(x.reshape(-1, 1), 1000 + 0.5 * x)
    summary = json.loads(json.dumps(model.summary(), allow_nan=False))
    assert summary["terms"][1]["term"] == "period"
    assert summary["terms"][1]["estimate"] == pytest.approx(0.5)
    assert summary["n"] == 6


def test_a_very_short_series_gets_one_plain_reason_not_a_stack_of_errors():
    verdict = assess_regression_data([[1.0], [2.0]], [3.0, 4.0])
    assert verdict.problems == ("too few samples for 1 feature: have 2, want at least 10",)
    assert verdict.to_dict()["trustworthy"] is False
