import numpy as np
import pytest

from seedbed.engine.predict import (
    SVMClassifier,
    assess_classification_data,
    cross_validate,
)

W = np.array([2.0, 3.0, -1.0])
X_POINT = np.array([[5.0, 4.0, 6.0]])  # w·x = 10 + 12 - 6 = 16


def separable_projects(n=40, seed=0):
    """Projects raise (1) exactly when traction − 0.5·burn > 1; 'noise' carries no signal."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 4, size=(n, 3))
    score = X[:, 0] - 0.5 * X[:, 1] - 1.0
    keep = np.abs(score) > 0.3
    X, score = X[keep], score[keep]
    return X, (score > 0).astype(int)


@pytest.mark.parametrize(
    ("b", "positive"), [(-15.5, True), (-16.0 + 1e-9, True), (-16.0, False), (-16.5, False)]
)
def test_the_sign_flips_exactly_at_b_minus_16(b, positive):
    model = SVMClassifier.from_weights(W, b, classes=("no", "yes"))
    assert model.decision_function(X_POINT)[0] == pytest.approx(16.0 + b)
    assert bool(model.decision_function(X_POINT)[0] > 0) is positive
    assert model.predict(X_POINT)[0] == ("yes" if positive else "no")


def test_a_fitted_decision_function_is_w_dot_x_plus_b_in_original_units():
    X, y = separable_projects()
    model = SVMClassifier().fit(X, y)
    expected = X @ model.coef_ + model.intercept_
    np.testing.assert_allclose(model.decision_function(X), expected)
    internal = model.estimator_.decision_function((X - model.mean_) / model.scale_)
    np.testing.assert_allclose(model.decision_function(X), internal, atol=1e-9)


def test_a_separable_toy_set_is_classified_perfectly():
    X, y = separable_projects()
    model = SVMClassifier(C=100.0).fit(X, y)
    assert (model.predict(X) == y).all()
    assert model.score(X, y) == 1.0


def test_feature_weights_are_reported_by_name_with_the_signal_first():
    X, y = separable_projects(n=200)
    model = SVMClassifier(C=100.0, feature_names=["traction", "burn", "noise"]).fit(X, y)
    weights = model.feature_weights()
    assert list(weights)[:2] == ["traction", "burn"]
    assert weights["traction"] > 0 > weights["burn"]
    assert weights["traction"] / -weights["burn"] == pytest.approx(2.0, rel=0.2)
    assert abs(weights["noise"]) < 0.2 * weights["traction"]
    assert set(model.feature_weights(standardized=True)) == {"traction", "burn", "noise"}


def test_from_weights_names_features_and_defaults_to_x0_x1():
    named = SVMClassifier.from_weights(W, 0.0, feature_names=["a", "b", "c"])
    assert named.feature_weights() == {"b": 3.0, "a": 2.0, "c": -1.0}
    assert list(SVMClassifier.from_weights(W, 0.0).feature_weights()) == ["x1", "x0", "x2"]


def test_string_labels_are_predicted_as_strings():
    X, y = separable_projects()
    labels = np.where(y == 1, "raises", "does not raise")
    model = SVMClassifier(C=100.0).fit(X, labels)
    assert list(model.classes_) == ["does not raise", "raises"]
    assert (model.predict(X) == labels).all()


def test_one_class_input_gives_a_clear_error():
    X, _ = separable_projects()
    with pytest.raises(
        ValueError, match=r"only one class \('yes'\); an SVM needs examples of both"
    ):
        SVMClassifier().fit(X, ["yes"] * len(X))


def test_more_than_two_classes_are_refused():
    X, _ = separable_projects(n=30)
    y = np.arange(len(X)) % 3
    with pytest.raises(
        ValueError, match="Only binary classification is supported, but y has 3 classes"
    ):
        SVMClassifier().fit(X, y)


def test_a_nonlinear_kernel_classifies_but_has_no_feature_weights():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(200, 2))
    y = (np.hypot(X[:, 0], X[:, 1]) > 1.0).astype(int)
    model = SVMClassifier(kernel="rbf", C=10.0).fit(X, y)
    assert model.score(X, y) > 0.95
    with pytest.raises(ValueError, match="only for a fitted linear-kernel SVM"):
        model.feature_weights()


def test_cross_validation_uses_stratified_folds_and_reports_accuracy_and_f1():
    X, y = separable_projects(n=120)
    result = cross_validate(SVMClassifier(C=100.0), X, y, n_splits=5)
    assert result.method == "stratified 5-fold"
    assert len(result.folds) == 5
    mean = result.mean()
    assert mean["accuracy"] > 0.9
    assert mean["f1"] > 0.9
    assert mean["accuracy"] > mean["baseline_accuracy"]
    test_sizes = [f["n_test"] for f in result.folds]
    assert max(test_sizes) - min(test_sizes) <= 1


def test_cross_validation_reduces_folds_when_a_class_is_rare():
    X, y = separable_projects(n=60)
    rare = np.flatnonzero(y == 1)[3:]
    X, y = np.delete(X, rare, axis=0), np.delete(y, rare)
    result = cross_validate(SVMClassifier(), X, y, n_splits=5)
    assert result.method == "stratified 3-fold"
    assert "only 3 examples" in result.note
    with pytest.raises(ValueError, match="has a single example"):
        cross_validate(SVMClassifier(), X, np.r_[1, np.zeros(len(X) - 1)])


def test_thin_or_one_sided_data_is_judged_untrustworthy():
    X, y = separable_projects(n=300)
    assert assess_classification_data(X, y).trustworthy
    verdict = assess_classification_data(X[:12], y[:12])
    assert not verdict.trustworthy
    assert "want at least 10" in verdict.message
    one_sided = assess_classification_data(X, np.ones(len(X)))
    assert "only one class present" in one_sided.message
