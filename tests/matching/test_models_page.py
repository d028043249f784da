"""The operators' Models page: who may see it, the "too thin" verdicts on a young platform, the
fitted models on a generated history, fitting in the background (never on the page), editing
and resetting the network's tables, asking the network, and a query budget that does not grow
with the data."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from seedbed.engine.predict import (
    BayesianNetwork,
    OLSRegression,
    SVMClassifier,
    default_startup_network,
)
from seedbed.matching import predictive, services, urls_models
from seedbed.matching.models import Intro, IntroStatus, NetworkTables, StoredModels
from seedbed.matching.tasks import refit_models
from tests.matching.conftest import client_for
from tests.matching.models_data import create_history, create_members, weekly_joins

pytestmark = pytest.mark.django_db


def fit() -> StoredModels:
    """What the worker does: run the task (the tests' backend runs it at once)."""
    refit_models.enqueue()
    return StoredModels.objects.get()


@pytest.fixture
def database_tasks(settings):
    """Tasks queue in the database, as in production, so that a test sees what was queued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued_refits() -> int:
    return DBTaskResult.objects.ready().filter(task_path=refit_models.module_path).count()


def text_of(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def first(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    assert found, f"{pattern!r} not in page"
    return found.group(1)


# Who may --------------------------------------------------------------------------------------

# (method, data, {actor: expected}); "L" = redirect to login, "R" = redirect back to the page.
PAGES = {
    "models": ("get", None, {"anonymous": "L", "member": 403, "operator": 200}),
    "models_network": (
        "post",
        "valid_tables",
        {"anonymous": "L", "member": 403, "operator": "R"},
    ),
    "models_network_reset": ("post", {}, {"anonymous": "L", "member": 403, "operator": "R"}),
}


def valid_tables(network=None) -> dict[str, str]:
    """The form's POST data for ``network``'s tables (default: the built-in ones)."""
    network = network or default_startup_network()
    data = {}
    for variable in network.variables:
        for r, row in enumerate(network.cpt_rows(variable)):
            for state, p in row["probabilities"].items():
                data[f"{variable}-{r}-{state}"] = str(round(p, 6))
    return data


def test_every_url_of_the_models_page_is_in_the_permission_table():
    assert {p.name for p in urls_models.urlpatterns} == set(PAGES)


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("actor", ["anonymous", "member", "operator"])
def test_only_operators_may_use_the_models_page(name, actor, founder, operator):
    method, data, expected = PAGES[name]
    user = {"anonymous": None, "member": founder, "operator": operator}[actor]
    url = reverse(f"matching:{name}")
    data = valid_tables() if data == "valid_tables" else data
    response = getattr(client_for(user), method)(url, data)
    want = expected[actor]
    if want == "L":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif want == "R":
        assert response.status_code == 302 and response["Location"] == reverse("matching:models")
    else:
        assert response.status_code == want
    if actor != "operator":
        assert not NetworkTables.objects.exists()


def test_posting_to_the_page_or_getting_the_forms_is_refused(operator):
    client = client_for(operator)
    assert client.post(reverse("matching:models")).status_code == 405
    assert client.get(reverse("matching:models_network")).status_code == 405
    assert client.get(reverse("matching:models_network_reset")).status_code == 405


# A young platform -----------------------------------------------------------------------------


def test_an_empty_platform_gets_too_thin_verdicts_and_no_coefficients(operator):
    fit()
    response = client_for(operator).get(reverse("matching:models"))
    assert response.status_code == 200
    text = text_of(response)
    assert text.count("Too thin to trust") == 4
    assert "a trend needs at least 3 complete weeks of history" in text
    assert "Not enough to trust yet (0 observations)" in text
    assert "Cross-validation needs at least 20 finished projects; there are 0." in text
    assert "Not enough to trust yet (0 samples, 7 features)" in text
    assert 'class="table coefficients"' not in text
    assert 'class="table weights"' not in text


def test_a_few_weeks_of_members_are_still_too_thin_and_say_why(operator):
    create_members([3, 5, 4, 6])
    fit()
    text = text_of(client_for(operator).get(reverse("matching:models")))
    assert "only 4 periods of history; want at least 8" in text
    assert "too few samples for 1 feature: have 4, want at least 10" in text
    assert 'class="table coefficients"' not in text


# A platform with history ----------------------------------------------------------------------


@pytest.fixture
def history(operator, investor_offer, founder):
    create_members(weekly_joins())
    projects = create_history(investor_offer, founder)
    fit()
    return projects


def test_the_growth_forecast_shows_a_rising_slope_with_its_standard_error(operator, history):
    text = text_of(client_for(operator).get(reverse("matching:models")))
    section = first(r'id="growth-members"(.*?)</section>', text)
    assert "Too thin" not in section
    slope, slope_se = (
        float(x)
        for x in re.search(
            r'class="term-slope">.*?<td class="num">([-\d.]+)</td> <td class="num">([-\d.]+)</td>',
            section,
        ).groups()
    )
    assert slope == pytest.approx(1.0, abs=0.15)
    assert 0 < slope_se < 0.2
    assert float(first(r'class="r2">([\d.]+)<', section)) > 0.9
    forecast = re.findall(r"<tr><td>\d{4}-\d\d-\d\d</td><td class=\"num\">([\d.]+)</td>", section)
    assert len(forecast) == 8
    assert float(forecast[-1]) > float(forecast[0]) > 19
    assert '<polyline class="history"' in section and '<polygon class="band"' in section


def test_the_success_network_fitted_from_finished_projects_shows_counts_and_metrics(
    operator, history
):
    text = text_of(client_for(operator).get(reverse("matching:models")))
    section = first(r'id="network-fit"(.*?)</section>', text)
    assert "Tables learned from 60 finished projects" in section
    # Every project with funding, market and technology succeeded: 20 of them, smoothed by 1.
    row = first(
        r'id="fitted-success">.*?<tr><td>yes</td><td>yes</td><td>yes</td>(.*?)</tr>', section
    )
    assert re.findall(r'<td class="num[^"]*">([\d.]+)</td>', row) == ["0.955", "0.045", "20"]
    assert '<td class="in-use">0.8 / 0.2</td>' in row  # the built-in row, for comparison
    assert "Held-out (stratified 5-fold): accuracy 1.000" in section
    assert "Not enough to trust yet (60 observations)" in section  # rows without data


def test_likely_to_raise_weights_favour_customers_and_product_and_rank_active_projects(
    operator, history
):
    text = text_of(client_for(operator).get(reverse("matching:models")))
    section = first(r'id="raise-model"(.*?)</section>', text)
    assert "Enough data to fit this model (60 samples, 7 features)" in section
    weights = dict(re.findall(r'id="weight-(\w+)"><th>.*?</th><td class="num">([-\d.]+)<', section))
    assert set(weights) == {
        "stage", "team_size", "paying_customers", "working_product", "mentor_intros",
        "sectors", "needs_funding",
    }  # fmt: skip
    assert float(weights["paying_customers"]) > 0.3
    assert float(weights["working_product"]) > 0.3
    assert "Held-out (stratified 5-fold): accuracy 1.000" in section
    ranked = re.findall(r'<a href="/projects/([\w-]+)/">', section)
    assert len(ranked) == 10
    assert set(ranked[:3]) == {"young-0", "young-1", "young-2"}
    assert section.count("<td>likely to raise</td>") == 3


# Fitting in the background -------------------------------------------------------------------


def test_with_nothing_stored_the_page_says_so_and_queues_one_refit(
    operator, database_tasks, django_capture_on_commit_callbacks
):
    client = client_for(operator)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(reverse("matching:models"), {"funding": "yes"})
        assert response.status_code == 200
        text = text_of(response)
        assert "The models are being computed in the background" in text
        assert 'id="growth-members"' not in text and 'id="raise-model"' not in text
        assert first(r'class="p-success">([\d.]+)<', text) == "0.420"  # the network answers
    assert queued_refits() == 1
    assert not StoredModels.objects.exists()


def test_the_page_shows_the_stored_fit_and_never_fits(operator, history, monkeypatch):
    def no_fitting(*args, **kwargs):
        raise AssertionError("the page fitted a model")

    for estimator in (OLSRegression, SVMClassifier, BayesianNetwork):
        monkeypatch.setattr(estimator, "fit", no_fitting)
    monkeypatch.setattr(predictive, "fit_models", no_fitting)
    response = client_for(operator).get(reverse("matching:models"))
    assert response.status_code == 200
    text = text_of(response)
    assert "being computed" not in text
    assert "Tables learned from 60 finished projects" in text
    assert len(re.findall(r'<a href="/projects/([\w-]+)/">', text)) == 10


def test_the_task_stores_what_the_page_shows(operator, history):
    stored = StoredModels.objects.get().result
    text = text_of(client_for(operator).get(reverse("matching:models")))
    members = first(r'id="growth-members"(.*?)</section>', text)
    slope = next(t for t in stored["growth"][0]["terms"] if t["term"] == "period")
    assert f'<td class="num">{slope["estimate"]:.3f}</td>' in members
    assert first(r'class="r2">([\d.]+)<', members) == f"{stored['growth'][0]['r2']:.3f}"
    raise_model = first(r'id="raise-model"(.*?)</section>', text)
    shown = re.findall(r'<a href="/projects/([\w-]+)/">', raise_model)
    assert shown == [c["slug"] for c in stored["raise_model"]["candidates"]]
    assert f"Tables learned from {stored['network_fit']['n']} finished projects" in text


def test_a_fit_from_an_earlier_day_is_shown_while_a_refit_is_queued(
    operator, history, database_tasks, django_capture_on_commit_callbacks
):
    StoredModels.objects.update(computed_at=timezone.now() - timedelta(days=1))
    client = client_for(operator)
    with django_capture_on_commit_callbacks(execute=True):
        text = text_of(client.get(reverse("matching:models")))
    assert 'id="raise-model"' in text and "being computed" not in text
    assert queued_refits() == 1
    StoredModels.objects.update(computed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("matching:models"))
    assert queued_refits() == 1


def test_project_edits_and_intro_answers_and_outcomes_queue_one_refit_each_burst(
    project, investor_offer, founder, investor, database_tasks, django_capture_on_commit_callbacks
):
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_project(founder, project.slug, has_paying_customers=True)
    assert queued_refits() == 1
    DBTaskResult.objects.all().delete()
    intro = Intro.objects.create(
        project=project,
        offer=investor_offer,
        project_consent=True,
        status=IntroStatus.REQUESTED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_intro(investor, intro.pk, accept=True)
    assert queued_refits() == 1
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_outcome(founder, intro.pk, "invested")
        services.record_outcome(founder, intro.pk, "invested")
    assert queued_refits() == 1


# Editing the tables ---------------------------------------------------------------------------


def test_an_operator_saves_edited_tables_and_the_page_answers_with_them(operator):
    client = client_for(operator)
    data = valid_tables()
    data |= {"success-1-yes": "0.35", "success-1-no": "0.65"}  # funding=yes, market=yes, tech=no
    response = client.post(reverse("matching:models_network"), data)
    assert response.status_code == 302
    stored = NetworkTables.objects.get()
    assert stored.updated_by == operator
    row = stored.tables["variables"][3]["cpt"][1]
    assert row["given"] == {"funding": "yes", "market": "yes", "technology": "no"}
    assert row["probabilities"] == {"yes": 0.35, "no": 0.65}
    page = client.get(
        reverse("matching:models"), {"funding": "yes", "market": "yes", "technology": "no"}
    )
    text = text_of(page)
    assert "The tables are saved." in text
    assert first(r'class="p-success">([\d.]+)<', text) == "0.350"
    assert 'name="success-1-yes" value="0.35"' in text


def test_a_row_not_summing_to_one_is_refused_with_the_engines_message_and_nothing_stored(
    operator,
):
    data = valid_tables() | {"success-1-yes": "0.3"}
    response = client_for(operator).post(reverse("matching:models_network"), data)
    assert response.status_code == 400
    text = text_of(response)
    assert "success: row for funding=yes, market=yes, technology=no sums to 1.1, not 1" in text
    assert 'name="success-1-yes" value="0.3"' in text  # the operator's numbers are kept
    assert not NetworkTables.objects.exists()


def test_a_probability_above_one_and_a_missing_number_are_refused(operator):
    client = client_for(operator)
    data = valid_tables() | {"funding-0-yes": "1.3", "funding-0-no": "-0.3"}
    text = text_of(client.post(reverse("matching:models_network"), data))
    assert "funding: row for its prior: P(funding=yes) = 1.3 is not between 0 and 1" in text
    data = valid_tables() | {"market-0-yes": "", "market-0-no": "lots"}
    response = client.post(reverse("matching:models_network"), data)
    assert response.status_code == 400
    assert "This field is required." in text_of(response)
    assert "Enter a number." in text_of(response)
    assert not NetworkTables.objects.exists()


def test_reset_brings_back_the_built_in_tables(operator):
    client = client_for(operator)
    client.post(
        reverse("matching:models_network"),
        valid_tables() | {"success-1-yes": "0.35", "success-1-no": "0.65"},
    )
    response = client.post(reverse("matching:models_network_reset"))
    assert response.status_code == 302
    assert NetworkTables.objects.first().tables == {}
    query = {"funding": "yes", "market": "yes", "technology": "no"}
    text = text_of(client.get(reverse("matching:models"), query))
    assert "The built-in tables are back." in text
    assert first(r'class="p-success">([\d.]+)<', text) == "0.200"
    assert 'name="success-1-yes" value="0.2"' in text


# Asking the network ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # The example: all parents known, so the answer is the table row itself.
        ({"funding": "yes", "market": "yes", "technology": "no"}, "0.200"),
        # No evidence: Σ P(f) P(m) P(t) P(s=yes | f, m, t) = .126 + .168 = .294.
        ({}, "0.294"),
        # market = yes: (.3·(.6·.8 + .4·.2) + .7·(.6·.5 + .4·.1)) = .168 + .238 = .406.
        ({"market": "yes"}, "0.406"),
        # funding = no, technology = yes: .5·.5 + .5·.2 = .350 (market unknown).
        ({"funding": "no", "technology": "yes", "market": ""}, "0.350"),
    ],
)
def test_the_posterior_shown_matches_a_hand_computed_value(operator, query, expected):
    network = default_startup_network()
    evidence = {k: v for k, v in query.items() if v}
    assert network.query_by_enumeration("success", evidence)["yes"] == pytest.approx(
        float(expected)
    )
    text = text_of(client_for(operator).get(reverse("matching:models"), query))
    assert first(r'class="p-success">([\d.]+)<', text) == expected


def test_an_unknown_state_gets_a_clear_message_not_an_error(operator):
    response = client_for(operator).get(
        reverse("matching:models"), {"funding": "maybe", "market": "yes"}
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "“maybe” is not a state of funding; use one of: yes, no." in text
    assert 'class="p-success"' not in text


def test_evidence_impossible_under_the_edited_tables_is_explained(operator):
    client = client_for(operator)
    client.post(
        reverse("matching:models_network"),
        valid_tables() | {"funding-0-yes": "0", "funding-0-no": "1"},
    )
    response = client.get(reverse("matching:models"), {"funding": "yes"})
    assert response.status_code == 200
    assert "has probability zero under this network" in text_of(response)


# Query budget ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 15])
def test_the_page_has_a_fixed_query_budget_as_data_grows(
    size, operator, investor_offer, founder, django_assert_max_num_queries
):
    create_members(weekly_joins(size))
    create_history(investor_offer, founder, old=size * 4, young=size)
    client = client_for(operator)
    client.post(reverse("matching:models_network"), valid_tables())
    fit()
    with django_assert_max_num_queries(5):
        response = client.get(reverse("matching:models"), {"market": "yes"})
    assert response.status_code == 200 and 'id="raise-model"' in response.content.decode()


@pytest.mark.parametrize("size", [3, 15])
def test_the_page_queueing_a_refit_has_a_fixed_query_budget(
    size,
    operator,
    investor_offer,
    founder,
    database_tasks,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    create_history(investor_offer, founder, old=size * 4, young=size)
    client = client_for(operator)
    with django_assert_max_num_queries(7), django_capture_on_commit_callbacks(execute=True):
        assert client.get(reverse("matching:models")).status_code == 200
    assert queued_refits() == 1


@pytest.mark.parametrize("size", [3, 15])
def test_saving_and_resetting_the_tables_have_a_fixed_query_budget(
    size, operator, investor_offer, founder, django_assert_max_num_queries
):
    create_history(investor_offer, founder, old=size * 4, young=size)
    client = client_for(operator)
    with django_assert_max_num_queries(4):
        assert client.post(reverse("matching:models_network"), valid_tables()).status_code == 302
    with django_assert_max_num_queries(4):
        assert client.post(reverse("matching:models_network_reset")).status_code == 302
    refused = valid_tables() | {"success-0-yes": "0.9"}
    with django_assert_max_num_queries(13):
        assert client.post(reverse("matching:models_network"), refused).status_code == 400


def test_the_operator_overview_links_to_the_models_page(operator):
    response = client_for(operator).get(reverse("operator"))
    assert f'href="{reverse("matching:models")}"' in response.content.decode()
