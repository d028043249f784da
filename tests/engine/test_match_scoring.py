import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seedbed.engine.matching.score import (
    FEATURES,
    MatchScorer,
    Offer,
    OutcomeModel,
    Project,
    top_matches,
)


def project(**kw):
    defaults = {"id": "p", "description": "AI diagnostics platform for hospitals"}
    return Project(**{**defaults, **kw})


def investor(**kw):
    defaults = {"id": "v", "kind": "investor", "description": "We back AI in healthcare"}
    return Offer(**{**defaults, **kw})


def score_one(p, o, **scorer_kw):
    scorer = MatchScorer(**scorer_kw).fit([p], [o])
    return scorer.score([p], [o])[0, 0], scorer.explain([p], [o], [(0, 0)])[0]


def test_investor_whose_stages_exclude_the_project_stage_is_filtered():
    value, why = score_one(project(stage="seed"), investor(stages=frozenset({"series-a"})))
    assert math.isnan(value)
    assert not why.allowed
    assert why.reasons == ("stage seed not in series-a",)


def test_funding_ask_must_overlap_the_ticket_range():
    o = investor(ticket_min=1e6, ticket_max=5e6)
    assert math.isnan(score_one(project(ask_min=6e6, ask_max=8e6), o)[0])
    assert math.isnan(score_one(project(ask_min=2e5, ask_max=5e5), o)[0])
    value, why = score_one(project(ask_min=5e6, ask_max=8e6), o)
    assert not math.isnan(value)
    assert "ask 5M–8M within ticket 1M–5M" in why.reasons
    _, why = score_one(project(ask_min=6e6, ask_max=8e6), o)
    assert why.reasons == ("ask 6M–8M outside ticket 1M–5M",)


def test_region_outside_the_offer_regions_is_filtered():
    o = investor(regions=frozenset({"shanghai", "beijing"}))
    assert math.isnan(score_one(project(region="london"), o)[0])
    _, why = score_one(project(region="shanghai"), o)
    assert "region: shanghai" in why.reasons


def test_exclusions_on_either_side_filter_the_pair():
    assert math.isnan(score_one(project(exclude=frozenset({"v"})), investor())[0])
    _, why = score_one(project(), investor(exclude=frozenset({"p"})))
    assert why.reasons == ("excluded by the offer",)


def test_offer_kinds_the_project_does_not_need_are_filtered():
    mentor = Offer(id="m", kind="mentor", description="mentoring on hospitals")
    value, why = score_one(project(needs=frozenset({"investor"})), mentor)
    assert math.isnan(value)
    assert why.reasons == ("project does not need a mentor",)


def test_unknown_stage_ask_and_region_do_not_filter():
    o = investor(
        stages=frozenset({"seed"}), ticket_min=1e6, ticket_max=2e6, regions=frozenset({"x"})
    )
    value, _ = score_one(project(), o)
    assert 0 <= value <= 1


def test_stage_and_ticket_filters_apply_to_investors_only():
    talent = Offer(id="t", kind="talent", stages=frozenset({"series-b"}), skills=frozenset({"ml"}))
    value, _ = score_one(project(stage="seed", ask_min=1e9, skills=frozenset({"ml"})), talent)
    assert not math.isnan(value)


def test_sector_overlap_raises_the_score():
    p = project(sectors=frozenset({"healthtech", "ai"}))
    low, _ = score_one(p, investor(sectors=frozenset({"fintech"})))
    high, why = score_one(p, investor(sectors=frozenset({"healthtech", "ai", "biotech"})))
    assert high > low
    assert "sectors: ai, healthtech" in why.reasons


def test_skills_count_for_talent_and_topics_for_mentors():
    p = project(skills=frozenset({"python", "ml"}), topics=frozenset({"pricing"}))
    talent_hit, why = score_one(p, Offer(id="t", kind="talent", skills=frozenset({"ml"})))
    talent_miss, _ = score_one(p, Offer(id="t", kind="talent", skills=frozenset({"sales"})))
    assert talent_hit > talent_miss
    assert "skills: ml" in why.reasons
    mentor_hit, why = score_one(p, Offer(id="m", kind="mentor", topics=frozenset({"pricing"})))
    mentor_miss, _ = score_one(p, Offer(id="m", kind="mentor", topics=frozenset({"legal"})))
    assert mentor_hit > mentor_miss
    assert "topics: pricing" in why.reasons


def test_text_similarity_works_for_chinese_and_reports_shared_terms():
    projects = [
        project(id="a", description="我们用人工智能做医疗影像诊断，服务医院"),
        project(id="b", description="新能源汽车电池回收"),
    ]
    offers = [
        investor(id="x", description="关注医疗影像和人工智能诊断"),
        investor(id="y", description="关注电池回收和新能源"),
    ]
    scorer = MatchScorer().fit(projects, offers)
    scores = scorer.score(projects, offers)
    assert scores[0, 0] > scores[0, 1]
    assert scores[1, 1] > scores[1, 0]
    why = scorer.explain(projects, offers, [(0, 0), (1, 1)], scores=scores)
    assert {"医疗", "影像", "诊断"} <= set(why[0].shared_terms)
    assert "电池" in why[1].shared_terms
    assert any(r.startswith("text similarity") for r in why[0].reasons)
    assert why[0].score == pytest.approx(scores[0, 0])


def test_scores_lie_between_zero_and_one_and_are_deterministic():
    rng = np.random.default_rng(0)
    words = [
        "ai",
        "health",
        "payments",
        "robots",
        "医疗",
        "支付",
        "机器人",
        "cloud",
        "data",
        "数据",
    ]
    projects = [
        project(
            id=f"p{k}",
            description=" ".join(rng.choice(words, 6)),
            stage="seed",
            sectors=frozenset(rng.choice(["a", "b", "c"], 2)),
        )
        for k in range(20)
    ]
    offers = [
        investor(
            id=f"o{k}",
            description=" ".join(rng.choice(words, 6)),
            sectors=frozenset(rng.choice(["a", "b", "c"], 1)),
        )
        for k in range(15)
    ]
    first = MatchScorer().fit(projects, offers).score(projects, offers)
    again = MatchScorer().fit(projects, offers).score(projects, offers)
    np.testing.assert_array_equal(first, again)
    assert np.nanmin(first) >= 0 and np.nanmax(first) <= 1


def test_empty_descriptions_and_inputs_do_not_break_scoring():
    p, o = project(description=""), investor(description="")
    value, why = score_one(p, o)
    assert value == pytest.approx(0.5 * 0.2)  # only the unknown-stage half credit
    assert why.shared_terms == ()
    assert MatchScorer().fit([], []).score([], []).shape == (0, 0)


def make_history(n=60, seed=1):
    rng = np.random.default_rng(seed)
    projects, offers, outcomes = [], [], []
    for k in range(n):
        shared = rng.random() < 0.5
        projects.append(project(id=f"p{k}", sectors=frozenset({"ai"} if shared else {"food"})))
        offers.append(investor(id=f"o{k}", sectors=frozenset({"ai"})))
        accepted = shared if rng.random() < 0.9 else not shared
        outcomes.append((f"p{k}", f"o{k}", accepted))
    return projects, offers, outcomes


def test_learned_model_is_fitted_only_with_enough_outcomes_of_both_kinds():
    projects, offers, outcomes = make_history()
    assert MatchScorer().fit(projects, offers, outcomes[:5]).outcome_model_ is None
    accepted_only = [(p, o, True) for p, o, _ in outcomes]
    assert MatchScorer().fit(projects, offers, accepted_only).outcome_model_ is None
    assert MatchScorer().fit(projects, offers, outcomes).outcome_model_ is not None


def test_learned_model_raises_scores_of_pairs_like_past_accepted_ones():
    projects, offers, outcomes = make_history()
    scorer = MatchScorer().fit(projects, offers, outcomes)
    sector = FEATURES.index("sector")
    assert scorer.outcome_model_.coef_[sector] > 0
    pair_projects = [
        project(id="x", sectors=frozenset({"ai"})),
        project(id="y", sectors=frozenset({"food"})),
    ]
    scores = scorer.score(pair_projects, offers[:1])
    assert scores[0, 0] > scores[1, 0]
    why = scorer.explain(pair_projects, offers[:1], [(0, 0)])
    assert "learned from past intro outcomes" in why[0].reasons


def test_vectorised_learned_score_matches_predict_proba():
    projects, offers, outcomes = make_history()
    scorer = MatchScorer(blend=1.0).fit(projects, offers, outcomes)
    scores = scorer.score(projects[:5], offers[:4])
    feats, allowed, kinds = scorer._features(projects[:5], offers[:4])
    rows, cols = np.nonzero(allowed)
    X = scorer._model_input(feats[:, rows, cols].T, kinds[cols])
    expected = scorer.outcome_model_.predict_proba(X)[:, 1]
    np.testing.assert_allclose(scores[rows, cols], expected, rtol=1e-5)


def test_outcome_model_follows_the_estimator_conventions():
    model = OutcomeModel(C=0.5)
    X = np.array([[0.0], [0.1], [0.9], [1.0]])
    assert model.fit(X, [0, 0, 1, 1]) is model
    assert model.predict_proba(X).shape == (4, 2)
    with pytest.raises(ValueError, match="both"):
        OutcomeModel().fit(X, [1, 1, 1, 1])


def test_top_matches_recommend_in_both_directions():
    scores = np.array([[0.1, 0.9, np.nan], [0.5, np.nan, np.nan]])
    np.testing.assert_array_equal(top_matches(scores, 2), [[1, 0], [0, -1]])
    np.testing.assert_array_equal(top_matches(scores, 1, axis=0), [[1], [0], [-1]])


def test_unknown_offer_kind_is_rejected():
    with pytest.raises(ValueError, match="unknown offer kind"):
        Offer(id="x", kind="banker")


@st.composite
def small_market(draw):
    stages = st.sampled_from(["", "seed", "series-a"])
    regions = st.sampled_from(["", "sh", "bj"])
    amounts = st.one_of(st.none(), st.sampled_from([1e5, 1e6, 5e6]))
    kinds = st.sampled_from(["investor", "talent", "mentor", "service"])
    tags = st.frozensets(st.sampled_from(["a", "b", "c"]), max_size=2)
    projects = []
    for k in range(draw(st.integers(1, 4))):
        lo = draw(amounts)
        hi = None if lo is None else lo * draw(st.sampled_from([1, 3]))
        projects.append(
            Project(
                id=f"p{k}",
                description=draw(st.sampled_from(["ai health", "医疗 数据", ""])),
                stage=draw(stages),
                ask_min=lo,
                ask_max=hi,
                region=draw(regions),
                needs=draw(st.frozensets(kinds, max_size=2)),
                sectors=draw(tags),
                exclude=draw(st.frozensets(st.sampled_from(["o0", "o1"]), max_size=1)),
            )
        )
    offers = []
    for k in range(draw(st.integers(1, 4))):
        lo = draw(amounts)
        offers.append(
            Offer(
                id=f"o{k}",
                kind=draw(kinds),
                description=draw(st.sampled_from(["health data", "数据 平台", ""])),
                stages=draw(st.frozensets(st.sampled_from(["seed", "series-a"]), max_size=2)),
                ticket_min=lo,
                ticket_max=None if lo is None else lo * 2,
                regions=draw(st.frozensets(st.sampled_from(["sh", "bj"]), max_size=1)),
                sectors=draw(tags),
                exclude=draw(st.frozensets(st.sampled_from(["p0", "p1"]), max_size=1)),
            )
        )
    return projects, offers


@settings(max_examples=80, deadline=None)
@given(small_market())
def test_filtered_pairs_in_the_matrix_agree_with_the_explanations(market):
    projects, offers = market
    scorer = MatchScorer().fit(projects, offers)
    scores = scorer.score(projects, offers)
    pairs = [(p, o) for p in range(len(projects)) for o in range(len(offers))]
    for (p, o), why in zip(
        pairs, scorer.explain(projects, offers, pairs, scores=scores), strict=True
    ):
        assert why.allowed == (not math.isnan(scores[p, o])), why
        assert why.allowed == (len(why.reasons) == 0 or not math.isnan(why.score))
        if why.allowed:
            assert 0 <= scores[p, o] <= 1


def test_scoring_before_fit_raises_not_fitted():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        MatchScorer().score([project()], [investor()])


def test_explanations_carry_their_reasons_as_data_without_amounts():
    project = Project("p", "robot arms", frozenset({"ai"}), "seed", 1e6, 2e6, region="shanghai")
    offer = Offer(
        "o",
        "investor",
        "robot arms",
        frozenset({"ai"}),
        frozenset({"seed"}),
        5e5,
        3e6,
        frozenset({"shanghai"}),
    )
    scorer = MatchScorer().fit([project], [offer])
    (why,) = scorer.explain([project], [offer], [(0, 0)])
    keys = dict(why.criteria)
    assert keys["sectors"] == ("ai",) and keys["stage"] == ("seed",)
    assert keys["ticket"] == () and keys["region"] == ("shanghai",)
    assert len(why.criteria) == len(why.reasons)
    assert not any("1M" in v for _, values in why.criteria for v in values)
