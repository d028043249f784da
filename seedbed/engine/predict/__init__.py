"""Predictive models an operator can read: OLS regression, a Bayesian network, a linear SVM.

Each model exposes what the operator "Models" page shows (coefficients with their uncertainty,
probability tables, feature weights), a cross-validation helper, and a plain-language verdict on
whether the data behind it is thick enough to be trusted. Everything is arrays or JSON-friendly
dicts in and out, so the Django side only adapts rows and stores results.
"""

from seedbed.engine.predict.bayesian_network import (
    BayesianNetwork,
    ImpossibleEvidenceError,
    NetworkValidationError,
    assess_network_fit,
    cross_validate_network,
    default_startup_network,
    validate_network_description,
)
from seedbed.engine.predict.common import Code, CodedValueError, Verdict
from seedbed.engine.predict.regression import (
    Forecast,
    OLSRegression,
    assess_regression_data,
    forecast_growth,
)
from seedbed.engine.predict.svm import SVMClassifier, assess_classification_data
from seedbed.engine.predict.validation import CrossValidation, cross_validate

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
