"""The engine's estimators keep scikit-learn's conventions, as scikit-learn itself checks them:
fit returns self, learned state ends in ``_``, inputs are validated (sparse, complex, 1-D, empty,
NaN, wrong number of features), clone and pickle work, and unfitted use raises NotFittedError.
The classifiers are binary and their tags say so (scikit-learn then checks them on two-class
data); no check is expected to fail."""

import importlib
import inspect
import pkgutil

import pytest
from sklearn.base import BaseEstimator
from sklearn.utils.estimator_checks import parametrize_with_checks

import seedbed.engine
from seedbed.engine.matching import OutcomeModel
from seedbed.engine.predict import OLSRegression, SVMClassifier

ESTIMATORS = [OLSRegression(), SVMClassifier(), SVMClassifier(kernel="rbf"), OutcomeModel()]


@parametrize_with_checks(ESTIMATORS)
def test_the_engines_estimators_pass_scikit_learns_checks(estimator, check):
    check(estimator)


def test_every_estimator_in_the_engine_is_checked():
    found = set()
    for module in pkgutil.walk_packages(seedbed.engine.__path__, "seedbed.engine."):
        classes = inspect.getmembers(importlib.import_module(module.name), inspect.isclass)
        found |= {
            cls
            for _name, cls in classes
            if issubclass(cls, BaseEstimator) and cls.__module__.startswith("seedbed.")
        }
    assert found == {type(estimator) for estimator in ESTIMATORS}


def test_the_regression_names_its_features_without_claiming_dataframe_column_names():
    model = OLSRegression(feature_names=["period"]).fit([[0.0], [1.0], [2.0]], [1.0, 2.0, 4.0])
    assert model.feature_names_ == ["period"]
    assert not hasattr(model, "feature_names_in_")  # only set when fitted on a DataFrame
    assert [term["term"] for term in model.summary()["terms"]] == ["(intercept)", "period"]


def test_a_missing_value_is_refused_naming_its_column_not_just_nan():
    model = SVMClassifier(feature_names=["team", "revenue"])
    with pytest.raises(ValueError, match="missing or infinite values in revenue"):
        model.fit([[1.0, 2.0], [2.0, float("nan")], [3.0, 1.0], [4.0, 0.0]], [0, 0, 1, 1])
