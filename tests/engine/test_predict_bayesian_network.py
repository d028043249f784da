import copy
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seedbed.engine.predict import (
    BayesianNetwork,
    ImpossibleEvidenceError,
    NetworkValidationError,
    assess_network_fit,
    cross_validate_network,
    default_startup_network,
    validate_network_description,
)

YES_NO = ("yes", "no")
PARENTS = ("funding", "market", "technology")

# P(success = yes | funding, market, technology); the row for (yes, yes, no) is 0.2, and the
# row a careless reader might take instead, (yes, yes, yes), is 0.8.
SUCCESS_ROWS = {
    ("yes", "yes", "yes"): 0.8,
    ("yes", "yes", "no"): 0.2,
    ("yes", "no", "yes"): 0.4,
    ("yes", "no", "no"): 0.1,
    ("no", "yes", "yes"): 0.5,
    ("no", "yes", "no"): 0.1,
    ("no", "no", "yes"): 0.2,
    ("no", "no", "no"): 0.05,
}
PRIORS = {"funding": 0.3, "market": 0.5, "technology": 0.6}

# Hand computation of the joint P(f, m, t, success = yes) = P(f) P(m) P(t) P(s = yes | f, m, t):
#   y y y: .3·.5·.6 = .09 × .8  = .072      n y y: .7·.5·.6 = .21 × .5  = .105
#   y y n: .3·.5·.4 = .06 × .2  = .012      n y n: .7·.5·.4 = .14 × .1  = .014
#   y n y:            .09 × .4  = .036      n n y:            .21 × .2  = .042
#   y n n:            .06 × .1  = .006      n n n:            .14 × .05 = .007
# P(success = yes) = .294;  P(funding = yes, success = yes) = .072+.012+.036+.006 = .126
# P(technology = yes, success = yes) = .072+.036+.105+.042 = .255
P_SUCCESS = 0.294
P_FUNDING_AND_SUCCESS = 0.126
P_TECH_AND_SUCCESS = 0.255


def success_rows(rows=SUCCESS_ROWS):
    return [
        {
            "given": dict(zip(PARENTS, combo, strict=True)),
            "probabilities": {"yes": p, "no": round(1 - p, 10)},
        }
        for combo, p in rows.items()
    ]


def startup_network(priors=PRIORS, rows=SUCCESS_ROWS):
    network = BayesianNetwork(
        {"funding": YES_NO, "market": YES_NO, "technology": YES_NO, "success": YES_NO},
        {"success": PARENTS},
    )
    for name, p in priors.items():
        network.set_cpt(name, {"yes": p, "no": round(1 - p, 10)})
    network.set_cpt("success", success_rows(rows))
    return network


def test_prior_marginal_of_success_is_the_hand_computed_sum():
    assert startup_network().query("success")["yes"] == pytest.approx(P_SUCCESS)


def test_posterior_reads_the_row_for_the_given_evidence():
    evidence = {"funding": "yes", "market": "yes", "technology": "no"}
    posterior = startup_network().query("success", evidence)
    assert posterior["yes"] == pytest.approx(0.2)
    assert posterior["no"] == pytest.approx(0.8)


@pytest.mark.parametrize("combo", list(SUCCESS_ROWS))
def test_posterior_under_full_evidence_equals_each_table_row(combo):
    evidence = dict(zip(PARENTS, combo, strict=True))
    assert startup_network().query("success", evidence)["yes"] == pytest.approx(SUCCESS_ROWS[combo])


def test_diagnostic_query_follows_bayes_rule():
    # P(funding = yes | success = yes) = .126 / .294 = 3/7
    posterior = startup_network().query("funding", {"success": "yes"})
    assert posterior["yes"] == pytest.approx(P_FUNDING_AND_SUCCESS / P_SUCCESS)
    assert posterior["yes"] == pytest.approx(3 / 7)
    # P(funding = yes | success = no) = (.3 - .126) / (1 - .294)
    assert startup_network().query("funding", {"success": "no"})["yes"] == pytest.approx(
        0.174 / 0.706
    )


def test_evidence_on_the_child_updates_a_parent_and_explains_away_another():
    network = startup_network()
    # P(technology = yes | success = yes) = .255 / .294 = 85/98
    assert network.query("technology", {"success": "yes"})["yes"] == pytest.approx(85 / 98)
    # Also knowing funding = yes: (.072 + .036) / .126 = 6/7, lower than 85/98
    both = network.query("technology", {"success": "yes", "funding": "yes"})
    assert both["yes"] == pytest.approx(6 / 7)
    # Parents stay independent without evidence on their common child.
    assert network.query("technology", {"funding": "yes"})["yes"] == pytest.approx(0.6)


def test_probability_of_evidence_is_the_marginal_likelihood():
    network = startup_network()
    assert network.probability_of_evidence({"success": "yes"}) == pytest.approx(P_SUCCESS)
    assert network.probability_of_evidence({"funding": "yes", "success": "yes"}) == pytest.approx(
        P_FUNDING_AND_SUCCESS
    )
    assert network.probability_of_evidence({}) == pytest.approx(1.0)


def test_impossible_evidence_raises_a_clear_error():
    network = startup_network(priors={"funding": 1.0, "market": 0.5, "technology": 0.6})
    with pytest.raises(ImpossibleEvidenceError, match=r"\(funding=no\) has probability zero"):
        network.query("success", {"funding": "no"})
    certain = dict(SUCCESS_ROWS)
    certain[("yes", "yes", "yes")] = 1.0
    network = startup_network(rows=certain)
    evidence = {"funding": "yes", "market": "yes", "technology": "yes", "success": "no"}
    with pytest.raises(ImpossibleEvidenceError, match="probability zero"):
        network.query("market", evidence)
    with pytest.raises(ImpossibleEvidenceError):
        network.query("success", evidence)


def test_querying_an_observed_variable_returns_its_observed_state():
    posterior = startup_network().query("funding", {"funding": "no", "success": "yes"})
    assert posterior == {"yes": 0.0, "no": 1.0}


def test_unknown_variables_and_states_in_a_query_are_rejected():
    network = startup_network()
    with pytest.raises(ValueError, match="unknown target variable 'luck'"):
        network.query("luck")
    with pytest.raises(ValueError, match="unknown evidence variable 'luck'"):
        network.query("success", {"luck": "yes"})
    with pytest.raises(ValueError, match=r"'maybe' is not a state of funding"):
        network.query("success", {"funding": "maybe"})


def test_a_network_without_tables_says_so():
    network = BayesianNetwork({"a": YES_NO})
    with pytest.raises(ValueError, match="no probability table for 'a' yet"):
        network.query("a")


def test_a_row_that_does_not_sum_to_one_is_rejected_with_its_parent_values():
    rows = success_rows()
    rows[1]["probabilities"] = {"yes": 0.2, "no": 0.7}
    with pytest.raises(NetworkValidationError) as info:
        startup_network().set_cpt("success", rows)
    assert info.value.errors == [
        "success: row for funding=yes, market=yes, technology=no sums to 0.9, not 1"
    ]


def test_probabilities_outside_zero_one_and_non_numbers_are_rejected():
    network = startup_network()
    with pytest.raises(NetworkValidationError, match=r"P\(funding=yes\) = 1.2 is not between"):
        network.set_cpt("funding", {"yes": 1.2, "no": -0.2})
    with pytest.raises(NetworkValidationError, match=r"must be a number, got '0\.3'"):
        network.set_cpt("funding", {"yes": "0.3", "no": 0.7})


def test_every_parent_state_combination_must_be_present_once():
    rows = success_rows()
    duplicate = copy.deepcopy(rows[0])
    del rows[2]
    rows.append(duplicate)
    with pytest.raises(NetworkValidationError) as info:
        startup_network().set_cpt("success", rows)
    assert (
        "success: the row for funding=yes, market=yes, technology=yes appears more than once"
        in info.value.errors
    )
    assert "success: no row for funding=yes, market=no, technology=yes" in info.value.errors


def test_rows_naming_wrong_parents_or_states_are_rejected():
    rows = success_rows()
    rows[0]["given"] = {"funding": "yes", "market": "yes"}
    rows[1]["given"]["team"] = "strong"
    rows[2]["given"]["market"] = "hot"
    rows[3]["probabilities"] = {"yes": 0.1, "maybe": 0.9}
    with pytest.raises(NetworkValidationError) as info:
        startup_network().set_cpt("success", rows)
    text = str(info.value)
    assert "row 1 does not give the state of parent 'technology'" in text
    assert "row 2 names 'team', which is not a parent of success" in text
    assert "row 3: 'hot' is not a state of market" in text
    assert "has 'maybe', not a state of success" in text


def test_structures_with_missing_parents_or_cycles_are_rejected():
    with pytest.raises(NetworkValidationError, match="success: parent 'team' does not exist"):
        BayesianNetwork({"success": YES_NO}, {"success": ["team"]})
    with pytest.raises(NetworkValidationError, match="the parents form a cycle: a → b → c → a"):
        BayesianNetwork(
            {"a": YES_NO, "b": YES_NO, "c": YES_NO}, {"a": ["c"], "b": ["a"], "c": ["b"]}
        )
    with pytest.raises(NetworkValidationError, match="a variable cannot be its own parent"):
        BayesianNetwork({"a": YES_NO}, {"a": ["a"]})
    with pytest.raises(NetworkValidationError, match="needs at least two states"):
        BayesianNetwork({"a": ["only"]})


def test_the_description_round_trips_through_json():
    network = startup_network()
    description = json.loads(json.dumps(network.to_dict()))
    rebuilt = BayesianNetwork.from_dict(description)
    assert rebuilt.to_dict() == network.to_dict()
    evidence = {"market": "no", "success": "yes"}
    assert rebuilt.query("funding", evidence) == pytest.approx(network.query("funding", evidence))
    success = next(v for v in description["variables"] if v["name"] == "success")
    assert success["parents"] == list(PARENTS)
    assert len(success["cpt"]) == 8


def test_an_edited_description_is_validated_all_at_once():
    description = startup_network().to_dict()
    by_name = {v["name"]: v for v in description["variables"]}
    by_name["funding"]["cpt"][0]["probabilities"]["yes"] = 0.5
    by_name["success"]["cpt"].pop()
    errors = validate_network_description(description)
    assert errors == [
        "funding: row for its prior sums to 1.2, not 1",
        "success: no row for funding=no, market=no, technology=no",
    ]
    with pytest.raises(NetworkValidationError):
        BayesianNetwork.from_dict(description)
    by_name["market"]["parents"] = ["success"]
    assert any("cycle" in e for e in validate_network_description(description))


def test_fitting_without_smoothing_recovers_the_frequencies():
    counts = {("yes", "yes"): 3, ("yes", "no"): 1, ("no", "yes"): 2, ("no", "no"): 6}
    records = [{"funding": f, "success": s} for (f, s), k in counts.items() for _ in range(k)]
    network = BayesianNetwork(
        {"funding": YES_NO, "success": YES_NO}, {"success": ["funding"]}, alpha=0.0
    ).fit(records)
    assert network.cpts_["funding"] == pytest.approx(np.array([4 / 12, 8 / 12]))
    assert network.cpts_["success"] == pytest.approx(np.array([[3 / 4, 1 / 4], [2 / 8, 6 / 8]]))
    assert network.n_samples_ == 12


def test_laplace_smoothing_adds_alpha_to_every_cell_and_keeps_unseen_rows_uniform():
    records = [{"funding": "yes", "success": "yes"}] * 3 + [{"funding": "yes", "success": None}]
    network = BayesianNetwork(
        {"funding": YES_NO, "success": YES_NO}, {"success": ["funding"]}, alpha=1.0
    ).fit(records)
    assert network.cpts_["funding"] == pytest.approx(np.array([5 / 6, 1 / 6]))
    assert network.cpts_["success"] == pytest.approx(np.array([[4 / 5, 1 / 5], [0.5, 0.5]]))


def test_fitting_from_an_array_with_named_columns():
    data = np.array([["yes", "no"], ["no", "no"], ["no", "no"], ["no", "yes"]])
    network = BayesianNetwork({"funding": YES_NO, "success": YES_NO}, alpha=0.0)
    network.fit(data, columns=["success", "funding"])
    assert network.cpts_["success"] == pytest.approx(np.array([0.25, 0.75]))
    assert network.cpts_["funding"] == pytest.approx(np.array([0.25, 0.75]))
    with pytest.raises(ValueError, match=r"record 1: 'maybe' is not a state of funding"):
        network.fit([{"funding": "maybe"}])


def test_fitting_with_the_edited_tables_as_prior_blends_judgement_and_data():
    network = startup_network()
    before = network.cpts_["funding"].copy()
    network.alpha = 5.0
    network.fit([{"funding": "no"}] * 10, prior="tables")
    # pseudo-counts 10 × (.3, .7) = (3, 7) plus counts (0, 10): (3, 17) / 20
    assert before == pytest.approx(np.array([0.3, 0.7]))
    assert network.cpts_["funding"] == pytest.approx(np.array([3 / 20, 17 / 20]))


def sample(network, n, rng):
    records = []
    for _ in range(n):
        record = {}
        for v in network._order:
            row = network.cpts_[v][
                tuple(network.states[p].index(record[p]) for p in network.parents[v])
            ]
            record[v] = network.states[v][rng.choice(len(row), p=row)]
        records.append(record)
    return records


def test_fitting_on_samples_recovers_the_default_tables():
    truth = default_startup_network()
    records = sample(truth, 20000, np.random.default_rng(3))
    learned = BayesianNetwork(truth.states, truth.parents).fit(records)
    for v in truth.variables:
        np.testing.assert_allclose(learned.cpts_[v], truth.cpts_[v], atol=0.04)
    assert assess_network_fit(learned).trustworthy


def test_rows_with_few_observations_make_the_fit_untrustworthy():
    records = [{"funding": "yes", "market": "yes", "technology": "yes", "success": "yes"}] * 30
    network = BayesianNetwork(startup_network().states, startup_network().parents).fit(records)
    verdict = assess_network_fit(network, min_per_row=5)
    assert not verdict.trustworthy
    assert "success: 7 of 8 rows have fewer than 5 observations" in verdict.message
    assert not assess_network_fit(startup_network()).trustworthy


def test_cross_validation_shows_the_network_beats_the_base_rate():
    records = sample(default_startup_network(), 3000, np.random.default_rng(5))
    network = BayesianNetwork(default_startup_network().states, default_startup_network().parents)
    result = cross_validate_network(network, records, "success", n_splits=4)
    assert len(result.folds) == 4
    mean = result.mean()
    assert mean["log_loss"] < mean["baseline_log_loss"]


def test_the_default_network_is_valid_and_reads_0_2_for_funded_market_without_technology():
    network = default_startup_network()
    assert validate_network_description(network.to_dict()) == []
    evidence = {"funding": "yes", "market": "yes", "technology": "no"}
    assert network.query("success", evidence)["yes"] == pytest.approx(0.2)
    for parent in PARENTS:
        assert (
            network.query("success", {parent: "yes"})["yes"]
            > network.query("success", {parent: "no"})["yes"]
        )


def test_a_table_can_be_set_from_an_array_in_parent_order():
    network = BayesianNetwork({"a": YES_NO, "b": ["lo", "mid", "hi"]}, {"b": ["a"]})
    network.set_cpt("a", np.array([0.25, 0.75]))
    network.set_cpt("b", [[0.2, 0.3, 0.5], [0.6, 0.4, 0.0]])
    assert network.query("b")["hi"] == pytest.approx(0.25 * 0.5)
    with pytest.raises(NetworkValidationError, match=r"has shape \(3, 2\), expected \(2, 3\)"):
        network.set_cpt("b", np.ones((3, 2)) / 2)


@st.composite
def random_networks(draw):
    n = draw(st.integers(1, 6))
    names = [f"v{i}" for i in range(n)]
    cards = [draw(st.integers(2, 3)) for _ in names]
    states = {v: [f"s{k}" for k in range(c)] for v, c in zip(names, cards, strict=True)}
    order = draw(st.permutations(names))
    parents = {}
    for i, v in enumerate(order):
        earlier = list(order[:i])
        parents[v] = (
            draw(st.lists(st.sampled_from(earlier), max_size=3, unique=True)) if earlier else []
        )
    network = BayesianNetwork(states, parents)
    for v in names:
        shape = network._shape(v)
        weights = np.array(
            draw(
                st.lists(
                    st.integers(0, 4), min_size=int(np.prod(shape)), max_size=int(np.prod(shape))
                )
            ),
            dtype=float,
        ).reshape(shape)
        empty = weights.sum(axis=-1) == 0
        weights[empty] = 1.0
        network.set_cpt(v, weights / weights.sum(axis=-1, keepdims=True))
    target = draw(st.sampled_from(names))
    evidence = {}
    for v in names:
        if draw(st.booleans()):
            evidence[v] = draw(st.sampled_from(states[v]))
    return network, target, evidence


@settings(max_examples=150, deadline=None)
@given(random_networks())
def test_variable_elimination_equals_brute_force_enumeration(case):
    network, target, evidence = case
    try:
        expected = network.query_by_enumeration(target, evidence)
    except ImpossibleEvidenceError:
        with pytest.raises(ImpossibleEvidenceError):
            network.query(target, evidence)
        return
    actual = network.query(target, evidence)
    assert list(actual) == list(expected)
    assert list(actual.values()) == pytest.approx(list(expected.values()), abs=1e-12)


def test_enumeration_itself_matches_the_hand_computed_posterior():
    expected = P_FUNDING_AND_SUCCESS / P_SUCCESS
    assert startup_network().query_by_enumeration("funding", {"success": "yes"})["yes"] == (
        pytest.approx(expected)
    )
