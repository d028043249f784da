"""ORM rows → the engine's inputs for the Models page, and the service rules around them:
weekly series, one record per finished project, one feature row per project with its label,
evidence parsing, storing tables, operators only, and the stored fit that the page reads."""

import json
from dataclasses import asdict
from datetime import date, timedelta

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from scipy import stats

from seedbed.engine.predict import default_startup_network
from seedbed.matching import predictive
from seedbed.matching.models import (
    Intro,
    IntroStatus,
    NetworkTables,
    Outcome,
    Project,
    ProjectStatus,
    StoredModels,
)
from seedbed.matching.services.fields import sectors
from seedbed.matching.views_models import line_chart
from tests.matching.models_data import create_history, create_members

pytestmark = pytest.mark.django_db

MONDAY = date(2025, 3, 3)


def make_project(name: str, **fields) -> Project:
    defaults = {"stage": "seed", "one_liner": "x", "slug": name.lower().replace(" ", "-")}
    return Project.objects.create(name=name, **(defaults | fields))


def invested(project, offer, *, days_after: int, kind_outcome: str = Outcome.INVESTED) -> Intro:
    at = project.created_at + timedelta(days=days_after)
    return Intro.objects.create(
        project=project,
        offer=offer,
        status=IntroStatus.ACCEPTED,
        decided_at=at,
        outcome=kind_outcome,
        outcome_at=at,
    )


# Weekly series --------------------------------------------------------------------------------


def test_a_weekly_series_starts_at_the_first_busy_week_fills_gaps_and_leaves_out_this_week():
    counts = {
        MONDAY - timedelta(weeks=4): 2,
        MONDAY - timedelta(weeks=2): 5,
        MONDAY: 9,  # the running week
    }
    assert predictive.weekly_series(counts, MONDAY) == [
        (MONDAY - timedelta(weeks=4), 2),
        (MONDAY - timedelta(weeks=3), 0),
        (MONDAY - timedelta(weeks=2), 5),
        (MONDAY - timedelta(weeks=1), 0),
    ]


def test_a_weekly_series_looks_back_at_most_a_year():
    counts = {MONDAY - timedelta(weeks=80): 4, MONDAY - timedelta(weeks=3): 1}
    series = predictive.weekly_series(counts, MONDAY)
    assert series[0] == (MONDAY - timedelta(weeks=3), 1)
    assert predictive.weekly_series({}, MONDAY) == []


def test_members_are_counted_in_the_week_they_joined(db):
    create_members([3, 0, 5])
    this_week = predictive.week_start(timezone.now())
    members, intros = predictive.growth_models(this_week)
    assert members.history == [
        (this_week - timedelta(weeks=3), 3),
        (this_week - timedelta(weeks=2), 0),
        (this_week - timedelta(weeks=1), 5),
    ]
    assert intros.history == []
    assert not members.trustworthy and not intros.trustworthy


def test_the_trend_matches_an_independent_least_squares_fit():
    counts = [4, 6, 5, 9, 8, 12, 11, 14, 13, 17, 16, 19]
    history = [(MONDAY + timedelta(weeks=i), n) for i, n in enumerate(counts)]
    growth = predictive.fit_growth("members", history)
    assert growth.trustworthy, growth.problems
    reference = stats.linregress(np.arange(len(counts)), counts)
    intercept, slope = growth.terms
    assert intercept["estimate"] == pytest.approx(reference.intercept)
    assert intercept["stderr"] == pytest.approx(reference.intercept_stderr)
    assert slope["estimate"] == pytest.approx(reference.slope)
    assert slope["stderr"] == pytest.approx(reference.stderr)
    assert growth.r2 == pytest.approx(reference.rvalue**2)
    assert [row["week"] for row in growth.forecast] == [
        MONDAY + timedelta(weeks=len(counts) + k) for k in range(predictive.HORIZON_WEEKS)
    ]
    first = growth.forecast[0]
    assert first["mean"] == pytest.approx(reference.intercept + reference.slope * len(counts))
    assert first["lower"] < first["mean"] < first["upper"]


def test_a_flat_series_is_too_thin_and_shows_no_coefficients():
    history = [(MONDAY + timedelta(weeks=i), 3) for i in range(12)]
    growth = predictive.fit_growth("members", history)
    assert not growth.trustworthy
    assert any("the series is flat" in message for message in growth.problems)
    assert growth.terms == [] and growth.forecast == []


def test_the_chart_stays_inside_its_box_and_bands_the_forecast():
    counts = [4, 6, 5, 9, 8, 12, 11, 14, 13, 17]
    history = [(MONDAY + timedelta(weeks=i), n) for i, n in enumerate(counts)]
    chart = line_chart(predictive.fit_growth("members", history))
    points = [
        tuple(map(float, p.split(",")))
        for key in ("history", "forecast", "band")
        for p in chart[key].split()
    ]
    assert all(chart["left"] <= x <= chart["right"] for x, _y in points)
    assert all(chart["top"] <= y <= chart["bottom"] for _x, y in points)
    assert len(chart["history"].split()) == len(counts)
    assert len(chart["band"].split()) == 2 * predictive.HORIZON_WEEKS
    thin = line_chart(predictive.fit_growth("m", history[:2]))
    assert thin["forecast"] == "" and thin["band"] == ""
    assert line_chart(predictive.fit_growth("m", [])) is None


# Success network records ----------------------------------------------------------------------


def test_finished_projects_become_network_records_and_active_ones_are_left_out(
    investor_offer, mentor_offer
):
    raised = make_project(
        "Raised",
        status=ProjectStatus.SUCCEEDED,
        has_paying_customers=True,
        has_working_product=False,
    )
    invested(raised, investor_offer, days_after=10)
    mentored = make_project("Mentored", status=ProjectStatus.CLOSED, has_working_product=True)
    invested(mentored, mentor_offer, days_after=10, kind_outcome=Outcome.MENTORED)
    still_going = make_project("Going", status=ProjectStatus.ACTIVE)
    invested(still_going, investor_offer, days_after=10)
    assert predictive.network_records() == [
        {"funding": "yes", "market": "yes", "technology": "no", "success": "yes"},
        {"funding": "no", "market": "no", "technology": "yes", "success": "no"},
    ]


def test_the_fitted_tables_count_each_row_and_smooth_by_one():
    records = [
        {"funding": "yes", "market": "yes", "technology": "yes", "success": "yes"},
        {"funding": "yes", "market": "yes", "technology": "yes", "success": "yes"},
        {"funding": "yes", "market": "yes", "technology": "yes", "success": "no"},
        {"funding": "no", "market": "no", "technology": "no", "success": "no"},
    ]
    fit = predictive.fit_network(records)
    assert fit.n == 4 and not fit.verdict
    funding = next(t for t in fit.tables if t.variable == "funding")
    assert funding.rows == [
        {"given": [], "probabilities": [pytest.approx(4 / 6), pytest.approx(2 / 6)], "count": 4}
    ]
    success = next(t for t in fit.tables if t.variable == "success")
    assert success.rows[0] == {
        "given": ["yes", "yes", "yes"],
        "probabilities": [pytest.approx(3 / 5), pytest.approx(2 / 5)],
        "count": 3,
    }
    assert success.rows[1]["count"] == 0
    assert fit.cv is None and "at least 20 finished projects" in fit.cv_note


# Likely to raise: features and labels ---------------------------------------------------------


def test_each_project_gets_its_features_in_one_query(
    founder, cofounder, investor_offer, mentor_offer, django_assert_num_queries
):
    project = make_project("Robo", stage="series_a", has_paying_customers=True, needs_funding=True)
    project.team.add(founder, cofounder)
    project.sectors.set(sectors({"s": ["ai", "hardware"]}, "s"))
    Intro.objects.create(project=project, offer=mentor_offer, status=IntroStatus.ACCEPTED)
    Intro.objects.create(project=project, offer=mentor_offer, status=IntroStatus.DECLINED)
    Intro.objects.create(project=project, offer=investor_offer, status=IntroStatus.ACCEPTED)
    make_project("Bare", stage="idea")
    with django_assert_num_queries(1):
        rows = predictive.project_features()
    robo, bare = rows
    assert robo["features"] == [3.0, 2.0, 1.0, 0.0, 1.0, 2.0, 1.0]
    assert bare["features"] == [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    assert robo["raised_at"] is None


def test_a_project_is_labelled_by_whether_it_raised_within_its_first_year(
    investor_offer, mentor_offer
):
    now = timezone.now()
    old = now - timedelta(days=500)
    quick = make_project("Quick", created_at=old)
    invested(quick, investor_offer, days_after=200)
    late = make_project("Late", created_at=old)
    invested(late, investor_offer, days_after=400)
    mentored_only = make_project("Mentored", created_at=old)
    invested(mentored_only, mentor_offer, days_after=10)
    make_project("Young", created_at=now - timedelta(days=100))
    young_raised = make_project("Young raised", created_at=now - timedelta(days=100))
    invested(young_raised, investor_offer, days_after=20)
    labels = {
        row["name"]: predictive.raise_label(row, now) for row in predictive.project_features()
    }
    assert labels == {"Quick": 1, "Late": 0, "Mentored": 0, "Young": None, "Young raised": 1}


def test_too_few_labelled_projects_give_the_engines_verdict_and_no_weights():
    now = timezone.now()
    rows = [
        {"features": [float(i % 5), 1, i % 2, 1, 0, 1, 1], "raised_at": None,
         "created_at": now - timedelta(days=400), "status": "closed"}
        for i in range(8)
    ]  # fmt: skip
    model = predictive.fit_raise_model(rows, now)
    assert model.n == 8 and model.positives == 0
    assert "only one class present" in model.verdict.message
    assert model.weights == [] and model.candidates == []


# Evidence and tables --------------------------------------------------------------------------


def test_evidence_ignores_unknown_values_only_when_empty_and_names_the_bad_variable():
    network = default_startup_network()
    assert predictive.clean_evidence(
        network, {"funding": "yes", "market": "", "success": "yes", "page": "2"}
    ) == {"funding": "yes"}
    with pytest.raises(ValidationError) as caught:
        predictive.clean_evidence(network, {"market": "YES", "technology": "perhaps"})
    assert set(caught.value.message_dict) == {"market", "technology"}
    assert caught.value.message_dict["market"] == [
        "“YES” is not a state of market; use one of: yes, no."
    ]


def test_saved_tables_round_trip_and_the_latest_row_wins(operator):
    network = default_startup_network()
    tables = {v: network.cpt_rows(v) for v in network.variables}
    tables["market"] = [{"given": {}, "probabilities": {"yes": 0.7, "no": 0.3}}]
    predictive.save_network_tables(operator, tables)
    state = predictive.current_network()
    assert state.edited is not None and state.edited.updated_by == operator
    assert state.network.query("market") == {"yes": pytest.approx(0.7), "no": pytest.approx(0.3)}
    predictive.reset_network_tables(operator)
    assert predictive.current_network().edited is None
    assert predictive.current_network().network.query("market")["yes"] == pytest.approx(0.5)


def test_invalid_tables_report_every_problem_and_store_nothing(operator):
    network = default_startup_network()
    tables = {v: network.cpt_rows(v) for v in network.variables}
    tables["funding"] = [{"given": {}, "probabilities": {"yes": 0.5, "no": 0.6}}]
    tables["success"] = tables["success"][:-1]
    with pytest.raises(ValidationError) as caught:
        predictive.save_network_tables(operator, tables)
    assert caught.value.messages == [
        "funding: row for its prior sums to 1.1, not 1",
        "success: no row for funding=no, market=no, technology=no",
    ]
    assert not NetworkTables.objects.exists()


def test_unreadable_stored_tables_fall_back_to_the_built_in_ones_with_a_notice(operator):
    NetworkTables.objects.create(tables={"variables": "garbled"}, updated_by=operator)
    state = predictive.current_network()
    assert state.edited is None and "could not be read" in state.notice
    assert state.network.query("success")["yes"] == pytest.approx(0.294)


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_every_service_of_the_page_is_for_operators_only(who, founder):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else founder
    network = default_startup_network()
    tables = {v: network.cpt_rows(v) for v in network.variables}
    with pytest.raises(PermissionDenied):
        predictive.models_page(user)
    with pytest.raises(PermissionDenied):
        predictive.save_network_tables(user, tables)
    with pytest.raises(PermissionDenied):
        predictive.reset_network_tables(user)
    assert not NetworkTables.objects.exists()


def test_a_deactivated_operator_is_refused(operator):
    operator.is_active = False
    operator.save()
    with pytest.raises(PermissionDenied):
        predictive.models_page(operator)


# The stored fit -------------------------------------------------------------------------------


def test_the_stored_fit_reads_back_exactly_as_it_was_fitted(operator, investor_offer, founder):
    create_members([2, 3, 5, 4, 6, 7, 6, 8, 9, 10, 9, 12])
    create_history(investor_offer, founder, old=30, young=6)
    stored = predictive.refit_models()
    assert json.loads(json.dumps(stored.result, allow_nan=False)) == stored.result
    # Dates come back as dates (repr tells them from strings); tuples may come back as lists.
    assert plain(predictive.stored_models()) == plain(predictive.fit_models(stored.computed_at))


def plain(fitted) -> dict:
    return json.loads(json.dumps(asdict(fitted), default=repr))


def test_only_the_latest_fit_is_kept(db):
    first = predictive.refit_models()
    latest = predictive.refit_models()
    assert list(StoredModels.objects.values_list("pk", flat=True)) == [latest.pk]
    assert latest.computed_at >= first.computed_at


def test_a_stored_fit_that_cannot_be_read_counts_as_none(db):
    StoredModels.objects.create(result={"growth": "garbled"})
    assert predictive.stored_models() is None
