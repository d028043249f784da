"""The operators' "Models" page: the engine's predictive models fitted on the platform's own data.

ORM rows → engine inputs (weekly counts, one record per finished project, one feature row per
project) → the engine's estimators and verdicts → plain results the page renders. Every model
says plainly, with the engine's own reasons, when the platform's data is too thin to trust, and
shows fitted numbers only when it is not.

Fitting is small (hundreds of rows) but costs a few hundred milliseconds with the
cross-validations, so it never runs on the request path: a background task (``refit_models``)
fits and stores the results in a table, queued when a project, its team or an intro's answer or
outcome changes, when the page finds nothing stored, and once a day (the weekly series and the
12-month window move with the calendar). The page reads the latest stored row.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from scipy import stats

from seedbed.accounts.access import is_operator
from seedbed.accounts.models import Stage, User
from seedbed.core.tasks import enqueue_once_after_commit
from seedbed.engine.predict import (
    BayesianNetwork,
    Code,
    ImpossibleEvidenceError,
    NetworkValidationError,
    SVMClassifier,
    Verdict,
    assess_classification_data,
    assess_network_fit,
    assess_regression_data,
    cross_validate,
    cross_validate_network,
    default_startup_network,
    forecast_growth,
    validate_network_description,
)
from seedbed.matching.models import (
    Intro,
    IntroStatus,
    NetworkTables,
    OfferKind,
    Outcome,
    Project,
    ProjectStatus,
    StoredModels,
)
from seedbed.matching.verdict_text import (
    code_of,
    evidence_text,
    join,
    method_text,
    problem_text,
    state_label,
    trend_sentence,
    variable_label,
    verdict_sentence,
)

HISTORY_WEEKS = 52
HORIZON_WEEKS = 8
RAISE_WINDOW = timedelta(days=365)
MIN_NETWORK_CV = 20
CANDIDATES_SHOWN = 10
TARGET = "success"

STAGE_ORDER = {stage: i for i, stage in enumerate(Stage.values)}

RAISE_FEATURES: dict[str, Any] = {
    "stage": gettext_lazy("stage (0 = idea … 4 = growth)"),
    "team_size": gettext_lazy("team size"),
    "paying_customers": gettext_lazy("has paying customers"),
    "working_product": gettext_lazy("has a working product"),
    "mentor_intros": gettext_lazy("accepted mentor intros"),
    "sectors": gettext_lazy("number of sectors"),
    "needs_funding": gettext_lazy("raising funding"),
}


GROWTH_TITLES: dict[str, Any] = {
    "members": gettext_lazy("Members joining per week"),
    "intros": gettext_lazy("Intros requested per week"),
    "activity": gettext_lazy("Posts and replies per week"),
}


def require_operator(user: User | AnonymousUser) -> User:
    if not is_operator(user) or not isinstance(user, User):
        raise PermissionDenied(_("Only operators can see the models."))
    return user


# Growth forecast ------------------------------------------------------------------------------


def week_start(moment: datetime) -> date:
    day = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return day - timedelta(days=day.weekday())


def weekly_series(counts: Mapping[date, int], this_week: date) -> list[tuple[date, int]]:
    """Counts per complete week, zero-filled, from the first week with any count (at most
    ``HISTORY_WEEKS`` back) to the week before ``this_week``, which is still running."""
    first_allowed = this_week - timedelta(weeks=HISTORY_WEEKS)
    weeks = [w for w, n in counts.items() if first_allowed <= w < this_week and n]
    if not weeks:
        return []
    week, series = min(weeks), []
    while week < this_week:
        series.append((week, int(counts.get(week, 0))))
        week += timedelta(weeks=1)
    return series


def weekly_counts(queryset: QuerySet, field_name: str, this_week: date) -> dict[date, int]:
    start = timezone.make_aware(
        datetime.combine(this_week - timedelta(weeks=HISTORY_WEEKS), datetime.min.time())
    )
    end = timezone.make_aware(datetime.combine(this_week, datetime.min.time()))
    rows = (
        queryset.filter(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
        .annotate(week=TruncWeek(field_name))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[date, int] = {}
    for row in rows:
        week = row["week"]
        day = week_start(week) if isinstance(week, datetime) else week
        counts[day] = counts.get(day, 0) + row["n"]
    return counts


#: A fitted slope is called a trend only when it is both unlikely to be chance (its p-value)
#: and explains a real part of the week-to-week variation (R²): with a year of weeks, a slope
#: can be "significant" while explaining 5% of the variation, and that is no trend to plan on.
MAX_TREND_P = 0.05
MIN_TREND_R2 = 0.3
#: "about 5 more a week than eight weeks ago": the slope over the forecast's own horizon.
COMPARE_WEEKS = HORIZON_WEEKS


@dataclass(frozen=True)
class Trend:
    """What a weekly series says in plain words: ``direction`` is "up", "down" or "none";
    ``change`` is the fitted change per week over ``COMPARE_WEEKS`` weeks (a trend) and
    ``level`` the weekly count to expect next (the fitted line, or the mean without a trend)."""

    direction: str
    level: float
    change: float
    r2: float
    p: float
    weeks: int = COMPARE_WEEKS


def judge_trend(slope: float, p: float, r2: float, next_value: float, mean: float) -> Trend:
    """A trend only when ``p`` and ``r2`` both clear their bars; otherwise "no clear trend",
    with the series' mean as the level to expect."""
    real = math.isfinite(p) and math.isfinite(r2) and p < MAX_TREND_P and r2 >= MIN_TREND_R2
    if not real:
        return Trend("none", max(mean, 0.0), 0.0, r2, p)
    direction = "up" if slope > 0 else "down"
    return Trend(direction, max(next_value, 0.0), abs(slope) * COMPARE_WEEKS, r2, p)


def level_forecast(
    counts: np.ndarray, horizon: int, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """No trend: the mean, with a prediction interval for one new week (Student's t on the
    weeks seen), the same for every future week; counts cannot go below zero."""
    n = len(counts)
    mean = float(counts.mean())
    spread = float(counts.std(ddof=1)) if n > 1 else 0.0
    half = float(stats.t.ppf(0.5 + level / 2, max(n - 1, 1))) * spread * math.sqrt(1 + 1 / n)
    ones = np.ones(horizon)
    return ones * mean, ones * max(mean - half, 0.0), ones * (mean + half)


@dataclass
class Growth:
    """A weekly series, whether a trend fitted to it deserves trust, and, if so, the trend."""

    key: str
    history: list[tuple[date, int]]
    verdicts: list[Verdict]
    terms: list[dict[str, Any]] = field(default_factory=list)
    r2: float | None = None
    forecast: list[dict[str, Any]] = field(default_factory=list)
    trend: dict[str, Any] | None = None

    @property
    def title(self) -> str:
        """Worded at render time: the stored fit is read in every reader's language."""
        return str(GROWTH_TITLES.get(self.key, self.key))

    @property
    def trustworthy(self) -> bool:
        return all(self.verdicts)

    @property
    def problems(self) -> list[str]:
        return [v.message for v in self.verdicts if not v]

    @property
    def sentences(self) -> list[str]:
        """The problems when there are any, in the reader's language, each said once; with
        none, the one verdict that says how much data the fit rests on."""
        if self.trustworthy:
            return [verdict_sentence(self.verdicts[-1])] if self.verdicts else []
        return list(dict.fromkeys(verdict_sentence(v) for v in self.verdicts if not v))

    @property
    def headline(self) -> str:
        """The plain-words verdict ("No clear trend: …", "Growing: …"), or "" when too thin."""
        if not self.trustworthy or self.trend is None:
            return ""
        return trend_sentence(self.key, self.trend)

    @property
    def has_trend(self) -> bool:
        return self.trend is not None and self.trend["direction"] != "none"


def _refusal(exc: ValueError) -> Verdict:
    """An engine refusal as a verdict, keeping its code for the page's language."""
    return Verdict(False, f"Not enough to trust yet: {exc}.", (str(exc),), (code_of(exc),))


def fit_growth(key: str, history: list[tuple[date, int]]) -> Growth:
    """Trend of a weekly count, extended ``HORIZON_WEEKS`` weeks, shown only when both the
    regression check and the forecast's own check find the history long and varied enough.
    A fitted line that explains little (see ``judge_trend``) is not extended: the forecast is
    then the mean level, and the page says there is no clear trend."""
    counts = np.array([n for _week, n in history], dtype=float)
    periods = np.arange(len(counts), dtype=float).reshape(-1, 1)
    verdicts = [assess_regression_data(periods, counts)]
    growth = Growth(key, history, verdicts)
    if len(counts) < 3:
        verdicts.append(
            Verdict(
                False,
                f"Not enough to trust yet ({len(counts)} periods): a trend needs at least 3 "
                "complete weeks of history.",
                ("too few periods",),
                (("trend_needs_weeks", {"needed": 3}),),
                ("periods", {"n": len(counts)}),
            )
        )
        return growth
    try:
        forecast = forecast_growth(counts, HORIZON_WEEKS)
    except ValueError as exc:
        verdicts.append(_refusal(exc))
        return growth
    verdicts.append(forecast.verdict)
    if not growth.trustworthy:
        return growth
    summary = forecast.model.summary()
    growth.terms = summary["terms"]
    growth.r2 = summary["r2"]
    trend = judge_trend(
        forecast.slope,
        float(forecast.model.coef_pvalues_[0]),
        forecast.r2,
        float(forecast.mean[0]),
        float(counts.mean()),
    )
    growth.trend = asdict(trend)
    if trend.direction == "none":
        mean, lower, upper = level_forecast(counts, HORIZON_WEEKS)
    else:
        mean, lower, upper = forecast.mean, forecast.lower, forecast.upper
    last_week = history[-1][0]
    growth.forecast = [
        {
            "week": last_week + timedelta(weeks=int(period) - len(history) + 1),
            "mean": float(m),
            "lower": float(lo),
            "upper": float(hi),
        }
        for period, m, lo, hi in zip(forecast.periods, mean, lower, upper, strict=True)
    ]
    return growth


def growth_models(this_week: date) -> list[Growth]:
    members = weekly_series(weekly_counts(User.objects.all(), "date_joined", this_week), this_week)
    intros = weekly_series(weekly_counts(Intro.objects.all(), "created_at", this_week), this_week)
    return [
        fit_growth("members", members),
        fit_growth("intros", intros),
    ]


# Success network ------------------------------------------------------------------------------


def network_records() -> list[dict[str, str]]:
    """One record per finished project (succeeded = success yes, closed = no); active projects
    have no outcome yet and are left out rather than counted as failures."""
    invested = Intro.objects.filter(project=OuterRef("pk"), outcome=Outcome.INVESTED)
    rows = (
        Project.objects.filter(status__in=[ProjectStatus.SUCCEEDED, ProjectStatus.CLOSED])
        .annotate(funded=Exists(invested))
        .values_list("funded", "has_paying_customers", "has_working_product", "status")
        .order_by("pk")
    )
    return [
        {
            "funding": _yes_no(funded),
            "market": _yes_no(market),
            "technology": _yes_no(technology),
            TARGET: _yes_no(status == ProjectStatus.SUCCEEDED),
        }
        for funded, market, technology, status in rows
    ]


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _same_structure(a: BayesianNetwork, b: BayesianNetwork) -> bool:
    return a.states == b.states and a.parents == b.parents


@dataclass
class NetworkState:
    """The tables the page queries: the operators' latest edit, or the built-in ones."""

    network: BayesianNetwork
    edited: NetworkTables | None
    notice: str = ""


def current_network() -> NetworkState:
    default = default_startup_network()
    latest = NetworkTables.objects.select_related("updated_by").first()
    if latest is None or not latest.tables:
        return NetworkState(default, None)
    try:
        network = BayesianNetwork.from_dict(latest.tables)
    except (NetworkValidationError, KeyError, TypeError, ValueError):
        network = None
    if network is None or not _same_structure(network, default):
        notice = _("The stored tables could not be read; the built-in tables are shown.")
        return NetworkState(default, None, notice)
    return NetworkState(network, latest)


def tables_description(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, Any]:
    """The success network's structure with the given rows as its tables, in ``to_dict`` form."""
    description = default_startup_network().to_dict()
    for spec in description["variables"]:
        spec["cpt"] = list(tables.get(spec["name"], []))
    return description


@dataclass
class FittedTable:
    variable: str
    parents: list[str]
    states: list[str]
    rows: list[dict[str, Any]]


@dataclass
class NetworkFit:
    """The tables learned from finished projects, with counts, and how far to trust them."""

    n: int
    verdict: Verdict
    tables: list[FittedTable]
    cv: dict[str, float] | None = None
    cv_method: str = ""
    cv_note: str = ""
    cv_method_code: Code | None = None
    cv_note_code: Code | None = None

    @property
    def verdict_sentence(self) -> str:
        return verdict_sentence(self.verdict)

    @property
    def cv_method_text(self) -> str:
        return method_text(self.cv_method_code, self.cv_method)

    @property
    def cv_note_text(self) -> str:
        return method_text(self.cv_note_code, self.cv_note)


def fit_network(records: list[dict[str, str]]) -> NetworkFit:
    structure = default_startup_network()
    network = BayesianNetwork(structure.states, structure.parents, alpha=1.0)
    network.fit(records)
    tables = []
    for v in network.variables:
        counts = network.counts_[v].sum(axis=-1)
        rows = []
        for row, combo in zip(network.cpt_rows(v), np.ndindex(counts.shape), strict=True):
            rows.append(
                {
                    "given": [row["given"][p] for p in network.parents[v]],
                    "probabilities": [row["probabilities"][s] for s in network.states[v]],
                    "count": int(counts[combo]),
                }
            )
        tables.append(FittedTable(v, list(network.parents[v]), list(network.states[v]), rows))
    fit = NetworkFit(len(records), assess_network_fit(network), tables)
    if len(records) < MIN_NETWORK_CV:
        fit.cv_note = (
            f"Cross-validation needs at least {MIN_NETWORK_CV} finished projects; "
            f"there are {len(records)}."
        )
        fit.cv_note_code = ("cv_needs_projects", {"n": MIN_NETWORK_CV, "m": len(records)})
        return fit
    try:
        cv = cross_validate_network(network, records, TARGET)
    except ValueError as exc:
        fit.cv_note, fit.cv_note_code = str(exc), code_of(exc)
    else:
        fit.cv, fit.cv_method, fit.cv_note = cv.mean(), cv.method, cv.note
        fit.cv_method_code, fit.cv_note_code = cv.method_code, cv.note_code
    return fit


@dataclass
class Posterior:
    evidence: dict[str, str]
    probabilities: dict[str, float]

    @property
    def success(self) -> float:
        return self.probabilities["yes"]

    @property
    def evidence_text(self) -> str:
        return evidence_text(self.evidence)


def evidence_variables(network: BayesianNetwork) -> list[str]:
    return [v for v in network.variables if v != TARGET]


def clean_evidence(network: BayesianNetwork, params: Mapping[str, Any]) -> dict[str, str]:
    """Evidence from query parameters: an empty value means "unknown"; anything that is not a
    state of its variable is refused with a message naming the variable."""
    evidence, errors = {}, {}
    for variable in evidence_variables(network):
        value = str(params.get(variable) or "").strip()
        if not value:
            continue
        states = network.states[variable]
        if value not in states:
            errors[variable] = [
                _("“%(value)s” is not a state of %(variable)s; use one of: %(states)s.")
                % {
                    "value": value[:40],
                    "variable": variable_label(variable),
                    "states": join(state_label(s) for s in states),
                }
            ]
            continue
        evidence[variable] = value
    if errors:
        raise ValidationError(errors)
    return evidence


def posterior_of_success(network: BayesianNetwork, params: Mapping[str, Any]) -> Posterior:
    evidence = clean_evidence(network, params)
    try:
        probabilities = network.query(TARGET, evidence)
    except ImpossibleEvidenceError as exc:
        reason = problem_text(code_of(exc), str(exc))
        raise ValidationError(
            _("No answer: %(reason)s. Change the tables or the evidence.") % {"reason": reason}
        ) from None
    return Posterior(evidence, probabilities)


def save_network_tables(
    user: User | AnonymousUser, tables: Mapping[str, Sequence[Mapping[str, Any]]]
) -> NetworkTables:
    """Store an operator's edited tables after the engine's validation; on any problem nothing
    is stored and every problem is reported at once, in the engine's words."""
    operator = require_operator(user)
    description = tables_description(tables)
    errors = validate_network_description(description)
    if errors:
        raise ValidationError(errors)
    stored = BayesianNetwork.from_dict(description).to_dict()
    return NetworkTables.objects.create(tables=stored, updated_by=operator)


def reset_network_tables(user: User | AnonymousUser) -> NetworkTables:
    """Back to the built-in tables; an empty row (rather than deleting) keeps who reset when."""
    operator = require_operator(user)
    return NetworkTables.objects.create(tables={}, updated_by=operator)


# Likely to raise within 12 months -------------------------------------------------------------


def _count_of(queryset: QuerySet, outer: str = "project") -> Coalesce:
    counted = queryset.filter(**{outer: OuterRef("pk")}).values(outer).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)


def project_features() -> list[dict[str, Any]]:
    """One row per project: the features, when it was created, its status, and when it first
    raised (an investor intro whose outcome is "invested"). One query, whatever the size.

    The features describe the project as it is now, not as it was at creation: a known bias of
    using the platform's own records, stated on the page."""
    first_raise = (
        Intro.objects.filter(
            project=OuterRef("pk"), offer__kind=OfferKind.INVESTOR, outcome=Outcome.INVESTED
        )
        .annotate(at=Coalesce("outcome_at", "decided_at", "created_at"))
        .order_by("at")
        .values("at")[:1]
    )
    mentor_intros = Intro.objects.filter(offer__kind=OfferKind.MENTOR, status=IntroStatus.ACCEPTED)
    rows = (
        Project.objects.annotate(
            team_size=_count_of(Project.team.through.objects.all()),
            sector_count=_count_of(Project.sectors.through.objects.all()),
            mentor_intros=_count_of(mentor_intros),
            raised_at=Subquery(first_raise),
        )
        .values(
            "pk",
            "slug",
            "name",
            "stage",
            "status",
            "created_at",
            "has_paying_customers",
            "has_working_product",
            "needs_funding",
            "team_size",
            "sector_count",
            "mentor_intros",
            "raised_at",
        )
        .order_by("pk")
    )
    return [
        row
        | {
            "features": [
                float(STAGE_ORDER.get(row["stage"], 0)),
                float(row["team_size"]),
                float(row["has_paying_customers"]),
                float(row["has_working_product"]),
                float(row["mentor_intros"]),
                float(row["sector_count"]),
                float(row["needs_funding"]),
            ]
        }
        for row in rows
    ]


def raise_label(row: Mapping[str, Any], now: datetime) -> int | None:
    """1 if it raised within a year of creation, 0 if a year passed without, None while the
    year is still running (too young to say)."""
    raised_at, created_at = row["raised_at"], row["created_at"]
    if raised_at is not None and raised_at <= created_at + RAISE_WINDOW:
        return 1
    if created_at <= now - RAISE_WINDOW:
        return 0
    return None


@dataclass
class RaiseModel:
    """Who is likely to raise within 12 months, fitted on projects old enough to know."""

    n: int
    positives: int
    verdict: Verdict
    weights: list[dict[str, Any]] = field(default_factory=list)
    intercept: float | None = None
    cv: dict[str, float] | None = None
    cv_method: str = ""
    cv_note: str = ""
    cv_method_code: Code | None = None
    cv_note_code: Code | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def labelled_weights(self) -> list[dict[str, Any]]:
        """The weights with each feature's label in the reader's language."""
        return [
            w | {"label": str(RAISE_FEATURES.get(w["feature"], w["feature"]))} for w in self.weights
        ]

    @property
    def verdict_sentence(self) -> str:
        return verdict_sentence(self.verdict)

    @property
    def cv_method_text(self) -> str:
        return method_text(self.cv_method_code, self.cv_method)

    @property
    def cv_note_text(self) -> str:
        return method_text(self.cv_note_code, self.cv_note)


def fit_raise_model(rows: list[dict[str, Any]], now: datetime) -> RaiseModel:
    labelled = [(row, raise_label(row, now)) for row in rows]
    labelled = [(row, label) for row, label in labelled if label is not None]
    X = np.array([row["features"] for row, _label in labelled], dtype=float).reshape(
        -1, len(RAISE_FEATURES)
    )
    y = np.array([label for _row, label in labelled], dtype=int)
    result = RaiseModel(len(y), int(y.sum()), assess_classification_data(X, y))
    if not result.verdict:
        return result
    names = list(RAISE_FEATURES)
    model = SVMClassifier(kernel="linear", class_weight="balanced", feature_names=names)
    try:
        model.fit(X, y)
        cv = cross_validate(model, X, y)
    except ValueError as exc:
        result.verdict = _refusal(exc)
        return result
    standardized = model.feature_weights(standardized=True)
    raw = model.feature_weights()
    result.weights = [
        {"feature": name, "weight": w, "raw": raw[name]} for name, w in standardized.items()
    ]
    result.intercept = float(model.intercept_)
    result.cv, result.cv_method, result.cv_note = cv.mean(), cv.method, cv.note
    result.cv_method_code, result.cv_note_code = cv.method_code, cv.note_code
    open_rows = [
        row
        for row in rows
        if row["status"] == ProjectStatus.ACTIVE
        and row["raised_at"] is None
        and row["created_at"] > now - RAISE_WINDOW
    ]
    if open_rows:
        scores = model.decision_function(np.array([row["features"] for row in open_rows]))
        ranked = sorted(zip(scores.tolist(), open_rows, strict=True), key=lambda sr: -sr[0])
        result.candidates = [
            {"slug": row["slug"], "name": row["name"], "score": score, "likely": score > 0}
            for score, row in ranked[:CANDIDATES_SHOWN]
        ]
    return result


# Stored fits ---------------------------------------------------------------------------------


@dataclass
class FittedModels:
    """What the page shows from the platform's data, fitted and stored as one piece."""

    growth: list[Growth]
    network_fit: NetworkFit
    raise_model: RaiseModel
    computed_at: datetime


def fit_models(now: datetime | None = None) -> FittedModels:
    """Every model on the data as it is at ``now``; deterministic, so a stored fit can be
    checked against a fresh one."""
    now = now or timezone.now()
    return FittedModels(
        growth=growth_models(week_start(now)),
        network_fit=fit_network(network_records()),
        raise_model=fit_raise_model(project_features(), now),
        computed_at=now,
    )


def refit_models() -> StoredModels:
    """Fit every model on the data as it is now and store the result; older rows go, since the
    page only ever reads the latest. Run by the ``refit_models`` background task."""
    fitted = fit_models()
    stored = StoredModels.objects.create(
        result=as_json(asdict(fitted)), computed_at=fitted.computed_at
    )
    StoredModels.objects.filter(pk__lt=stored.pk).delete()
    return stored


def stored_models() -> FittedModels | None:
    """The latest stored fit, or None when none was stored yet (or it cannot be read, e.g. after
    an upgrade changed its shape: then it is as if nothing were stored, and a refit is queued)."""
    row = StoredModels.objects.order_by("-computed_at", "-pk").first()
    if row is None:
        return None
    try:
        return _fitted_from(row.result, row.computed_at)
    except (KeyError, TypeError, ValueError):
        return None


def request_models_refit() -> None:
    """Refit the models after the current transaction commits (once for a burst of changes)."""
    from seedbed.matching.tasks import refit_models

    enqueue_once_after_commit(refit_models)


def as_json(value: Any) -> Any:
    """Dates as ISO strings, tuples as lists, NaN and infinities as None (JSON has none)."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer | np.bool_):
        return value.item()
    return value


def _verdict_from(data: Mapping[str, Any]) -> Verdict:
    context = data["context"]
    return Verdict(
        data["trustworthy"],
        data["message"],
        tuple(data["problems"]),
        tuple((code, params) for code, params in data["reasons"]),
        (context[0], context[1]) if context else None,
    )


def _code_from(data: Sequence[Any] | None) -> Code | None:
    return (data[0], data[1]) if data else None


def growth_from(g: Mapping[str, Any]) -> Growth:
    """A stored growth fit back (KeyError or ValueError when its shape is not this one's)."""
    return Growth(
        g["key"],
        [(date.fromisoformat(week), n) for week, n in g["history"]],
        [_verdict_from(v) for v in g["verdicts"]],
        g["terms"],
        g["r2"],
        [f | {"week": date.fromisoformat(f["week"])} for f in g["forecast"]],
        g["trend"],
    )


def _fitted_from(data: Mapping[str, Any], computed_at: datetime) -> FittedModels:
    growth = [growth_from(g) for g in data["growth"]]
    net = data["network_fit"]
    network_fit = NetworkFit(
        net["n"],
        _verdict_from(net["verdict"]),
        [FittedTable(**table) for table in net["tables"]],
        net["cv"],
        net["cv_method"],
        net["cv_note"],
        _code_from(net["cv_method_code"]),
        _code_from(net["cv_note_code"]),
    )
    raise_ = data["raise_model"]
    raise_model = RaiseModel(
        **raise_
        | {
            "verdict": _verdict_from(raise_["verdict"]),
            "cv_method_code": _code_from(raise_["cv_method_code"]),
            "cv_note_code": _code_from(raise_["cv_note_code"]),
        }
    )
    return FittedModels(growth, network_fit, raise_model, computed_at)


# The page -------------------------------------------------------------------------------------


@dataclass
class ModelsPage:
    fitted: FittedModels | None
    network: NetworkState
    evidence_variables: list[str]
    posterior: Posterior | None = None
    query_errors: list[str] = field(default_factory=list)
    query: dict[str, str] = field(default_factory=dict)

    @property
    def evidence_choices(self) -> list[dict[str, Any]]:
        """Each evidence variable with its states and the value asked, for the query form."""
        states = self.network.network.states
        return [
            {
                "variable": v,
                "label": variable_label(v),
                "states": [{"value": s, "label": state_label(s)} for s in states[v]],
                "value": self.query.get(v, ""),
            }
            for v in self.evidence_variables
        ]


def models_page(user: User | AnonymousUser, query: Mapping[str, Any] | None = None) -> ModelsPage:
    """Everything the Models page shows; ``query`` holds the evidence of a success question
    (e.g. funding=yes&market=yes); a bad value is reported, never raised.

    The fitted models are read, never fitted here: when none are stored, or the stored ones are
    from an earlier day, a refit is queued and the page shows what there is."""
    require_operator(user)
    fitted = stored_models()
    if fitted is None or timezone.localdate(fitted.computed_at) < timezone.localdate():
        request_models_refit()
    state = current_network()
    page = ModelsPage(fitted, state, evidence_variables(state.network))
    query = query or {}
    page.query = {v: str(query.get(v) or "")[:40] for v in page.evidence_variables}
    try:
        page.posterior = posterior_of_success(state.network, query)
    except ValidationError as exc:
        page.query_errors = exc.messages
    return page
