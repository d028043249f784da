"""Every verdict, cross-validation and impossible query also says what it says as stable codes
with parameters, so that a page can word it in its reader's language; the English stays."""

import numpy as np
import pytest

from seedbed.engine.predict import (
    BayesianNetwork,
    CodedValueError,
    ImpossibleEvidenceError,
    OLSRegression,
    SVMClassifier,
    assess_classification_data,
    assess_network_fit,
    assess_regression_data,
    cross_validate,
    cross_validate_network,
    default_startup_network,
    forecast_growth,
)

RNG = np.random.default_rng(0)


def test_a_thin_regression_gives_one_code_per_problem_and_its_context():
    X = RNG.normal(size=(12, 7))
    verdict = assess_regression_data(X, np.zeros(12))
    assert verdict.context == ("samples_features", {"n": 12, "p": 7})
    assert verdict.reasons == (
        ("too_few_samples", {"n": 12, "needed": 70, "features": 7}),
        ("constant_target", {}),
    )
    assert len(verdict.reasons) == len(verdict.problems)
    assert verdict.message.startswith("Not enough to trust yet (12 samples, 7 features): ")


def test_a_regression_on_enough_data_has_a_context_and_no_reasons():
    X = RNG.normal(size=(60, 2))
    verdict = assess_regression_data(X, X @ [1.0, 2.0] + RNG.normal(size=60))
    assert verdict and verdict.reasons == ()
    assert verdict.context == ("samples_features", {"n": 60, "p": 2})
    assert verdict.message == "Enough data to fit this model (60 samples, 2 features)."


def test_collinear_missing_and_mismatched_regression_data_have_codes():
    x = np.arange(40.0)
    collinear = np.column_stack([x, x + 1e-9 * RNG.normal(size=40)])
    reasons = assess_regression_data(collinear, x + RNG.normal(size=40)).reasons
    assert [code for code, _ in reasons] in (["collinear"], ["cannot_fit"])
    assert assess_regression_data([[1.0], [np.nan]], [1.0, 2.0]).reasons[0] == (
        "missing_values",
        {},
    )
    assert assess_regression_data(np.ones((3, 1)), [1.0, 2.0]).reasons == (
        ("rows_mismatch", {"rows": 3, "targets": 2}),
    )


def test_a_short_flat_forecast_says_so_in_codes():
    verdict = forecast_growth([2, 2, 2, 2], 3).verdict
    assert verdict.context == ("periods", {"n": 4})
    assert verdict.reasons == (("few_periods", {"n": 4, "needed": 8}), ("flat_series", {}))
    assert forecast_growth(np.arange(10.0), 2).verdict.context == ("periods", {"n": 10})


def test_a_forecast_on_two_periods_raises_a_coded_error():
    with pytest.raises(CodedValueError) as caught:
        forecast_growth([1, 2], 3)
    assert (caught.value.code, caught.value.params) == ("few_periods", {"n": 2, "needed": 3})


def test_thin_classification_data_names_each_small_class_in_codes():
    X = RNG.normal(size=(12, 7))
    y = np.array([0] * 9 + [1] * 3)
    verdict = assess_classification_data(X, y)
    assert verdict.context == ("samples_features", {"n": 12, "p": 7})
    assert verdict.reasons == (
        ("small_class", {"label": 0, "n": 9, "needed": 10}),
        ("small_class", {"label": 1, "n": 3, "needed": 10}),
        ("too_few_samples", {"n": 12, "needed": 35, "features": 7}),
    )
    assert assess_classification_data(X, np.zeros(12)).reasons[0] == ("one_class", {})


def test_a_network_fit_names_its_thin_rows_with_their_parents_states():
    network = default_startup_network()
    assert assess_network_fit(network).reasons == (("not_fitted", {}),)
    records = [{"funding": "no", "market": "yes", "technology": "yes", "success": "yes"}] * 4
    verdict = network.fit(records) and assess_network_fit(network)
    assert verdict.context == ("observations", {"n": 4})
    codes = dict((params["variable"], (code, params)) for code, params in verdict.reasons)
    assert set(codes) == {"funding", "market", "technology", "success"}
    code, params = codes["success"]
    assert code == "thin_rows"
    assert params == {
        "variable": "success",
        "thin": 8,
        "rows": 8,
        "min": 5,
        "given": [("funding", "yes"), ("market", "yes"), ("technology", "yes")],
        "count": 0,
    }
    assert codes["funding"][1]["given"] == []  # its prior


def test_cross_validation_gives_its_method_and_caveat_as_codes():
    X = RNG.normal(size=(20, 2))
    y = np.array([0] * 17 + [1] * 3)
    result = cross_validate(SVMClassifier(), X + y[:, None], y)
    assert result.method_code == ("stratified_k_fold", {"k": 3})
    assert result.note_code == ("fewer_folds_small_class", {"k": 3, "smallest": 3})
    result = cross_validate(OLSRegression(), X, X[:, 0], n_splits=5)
    assert (result.method_code, result.note_code) == (("k_fold", {"k": 5}), None)
    result = cross_validate(OLSRegression(), X[:8, :1], X[:8, 0], time_ordered=True)
    assert result.method_code == ("time_ordered_splits", {"k": 5})
    result = cross_validate(OLSRegression(), X[:6, :1], X[:6, 0])
    assert result.note_code == ("fewer_folds_few_samples", {"k": 3, "n": 6})


def test_cross_validation_refusals_carry_codes():
    X = RNG.normal(size=(10, 2))
    with pytest.raises(CodedValueError) as caught:
        cross_validate(SVMClassifier(), X, [0] * 9 + [1])
    assert (caught.value.code, caught.value.params) == ("single_example_class", {"label": 1})
    with pytest.raises(CodedValueError) as caught:
        cross_validate(OLSRegression(), X[:3], X[:3, 0])
    assert (caught.value.code, caught.value.params) == ("too_few_to_cross_validate", {"n": 3})


def test_network_cross_validation_gives_codes_too():
    network = default_startup_network()
    yes = {"funding": "yes", "market": "yes", "technology": "yes", "success": "yes"}
    no = {"funding": "no", "market": "no", "technology": "no", "success": "no"}
    result = cross_validate_network(network, [yes] * 3 + [no] * 10, "success")
    assert result.method_code == ("stratified_k_fold", {"k": 3})
    assert result.note_code == ("fewer_folds", {"k": 3})
    with pytest.raises(CodedValueError) as caught:
        cross_validate_network(network, [no] * 10, "success")
    assert (caught.value.code, caught.value.params) == ("too_few_outcomes", {"variable": "success"})


def test_impossible_evidence_carries_the_evidence_as_parameters():
    network = BayesianNetwork({"a": ("x", "y"), "b": ("x", "y")}, {"b": ("a",)})
    network.set_cpt("a", {"x": 1.0, "y": 0.0})
    network.set_cpt(
        "b",
        [
            {"given": {"a": "x"}, "probabilities": {"x": 0.5, "y": 0.5}},
            {"given": {"a": "y"}, "probabilities": {"x": 0.5, "y": 0.5}},
        ],
    )
    with pytest.raises(ImpossibleEvidenceError) as caught:
        network.query("b", {"a": "y"})
    assert caught.value.code == "impossible_evidence"
    assert caught.value.params == {"evidence": {"a": "y"}}
    assert str(caught.value) == "the evidence (a=y) has probability zero under this network"
