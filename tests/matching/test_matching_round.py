import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from seedbed.matching import services
from seedbed.matching.models import Intro, IntroStatus, Match, Offer, Project
from seedbed.notifications.models import Notification
from tests.factories import MemberFactory

SCORES = {  # (project, mentor) → score: the greedy choice (p0, m0) is not optimal
    (0, 0): 0.9,
    (0, 1): 0.8,
    (1, 0): 0.85,
    (1, 1): 0.1,
    (2, 0): 0.3,
}


@pytest.fixture
def instance(db):
    """Three projects and two mentors with one office hour each; scores stored directly so the
    optimum is known by brute force."""
    projects = [
        services.create_project(
            MemberFactory(), name=f"P{n}", one_liner="x", stage="seed", needs_mentoring=True
        )
        for n in range(3)
    ]
    mentors = [
        services.create_offer(MemberFactory(), "mentor", title=f"M{n}", capacity=1)
        for n in range(2)
    ]
    Match.objects.bulk_create(
        Match(project=projects[p], offer=mentors[m], score=s) for (p, m), s in SCORES.items()
    )
    Project.objects.update(intro_limit=1)
    return projects, mentors


def _best_total(capacity_projects: int = 1) -> float:
    best = 0.0
    pairs = list(SCORES)
    for k in range(len(pairs) + 1):
        for chosen in itertools.combinations(pairs, k):
            mentors = [m for _, m in chosen]
            projects = [p for p, _ in chosen]
            if len(set(mentors)) == len(mentors) and all(
                projects.count(p) <= capacity_projects for p in projects
            ):
                best = max(best, sum(SCORES[c] for c in chosen))
    return best


def test_a_round_is_optimal_within_capacities(instance, operator):
    _projects, _mentors = instance
    round_ = services.create_round(operator, name="Dec office hours", fair=False, min_score=0)
    chosen = {(p.project.name, p.offer.title) for p in round_.proposals.all()}
    assert chosen == {("P0", "M1"), ("P1", "M0")}
    assert round_.total_score == pytest.approx(_best_total()) == pytest.approx(1.65)


def test_a_project_may_take_several_mentors_up_to_its_limit(instance, operator):
    Project.objects.update(intro_limit=2)
    round_ = services.create_round(operator, name="Two each", fair=False, min_score=0)
    assert round_.total_score == pytest.approx(_best_total(capacity_projects=2)) == 1.7


def test_a_fair_round_gives_every_project_a_match_where_it_can(instance, operator):
    Project.objects.update(intro_limit=2)
    unfair = services.create_round(operator, name="Unfair", fair=False, min_score=0)
    fair = services.create_round(operator, name="Fair", fair=True, min_score=0)
    assert (unfair.projects_covered, unfair.total_score) == (1, pytest.approx(1.7))
    assert (fair.projects_covered, fair.total_score) == (2, pytest.approx(1.65))


def test_project_limits_bound_a_round(instance, operator):
    _projects, _mentors = instance
    Project.objects.update(intro_limit=0)
    round_ = services.create_round(operator, name="None", fair=False, min_score=0)
    assert not round_.proposals.exists()


def test_mentor_capacity_is_office_hours(instance, operator):
    _projects, mentors = instance
    Offer.objects.filter(pk=mentors[0].pk).update(capacity=3)
    round_ = services.create_round(operator, name="More hours", fair=False, min_score=0)
    assert round_.proposals.filter(offer=mentors[0]).count() == 3


def test_pairs_already_introduced_or_recently_declined_are_left_out(instance, operator):
    projects, mentors = instance
    Intro.objects.create(project=projects[1], offer=mentors[0])
    round_ = services.create_round(operator, name="R", fair=False, min_score=0)
    assert not round_.proposals.filter(project=projects[1], offer=mentors[0]).exists()


def test_sending_a_round_proposes_intros_both_sides_must_accept(instance, operator):
    _projects, mentors = instance
    round_ = services.create_round(operator, name="R", fair=False, min_score=0)
    assert services.send_round(operator, round_.pk) == 2
    intros = list(Intro.objects.filter(round=round_))
    assert all(i.project_consent is None and i.offer_consent is None for i in intros)
    intro = next(i for i in intros if i.offer == mentors[0])
    team = intro.project.team.get()
    services.answer_intro(team, intro.pk, accept=True)
    assert Intro.objects.get(pk=intro.pk).status == IntroStatus.REQUESTED
    services.answer_intro(mentors[0].owner, intro.pk, accept=True)
    assert Intro.objects.get(pk=intro.pk).status == IntroStatus.ACCEPTED
    notified = set(Notification.objects.filter(kind="intro_proposed").values_list("recipient_id"))
    assert (mentors[0].owner_id,) in notified and (team.pk,) in notified
    with pytest.raises(ValidationError, match="already sent"):
        services.send_round(operator, round_.pk)


def test_a_pair_that_got_an_intro_meanwhile_is_skipped_when_sending(instance, operator):
    projects, mentors = instance
    round_ = services.create_round(operator, name="R", fair=False, min_score=0)
    Intro.objects.create(project=projects[1], offer=mentors[0])
    assert services.send_round(operator, round_.pk) == 1


def test_only_operators_run_rounds(instance, founder):
    with pytest.raises(PermissionDenied):
        services.create_round(founder, name="R")
    with pytest.raises(PermissionDenied):
        services.pipeline(founder)


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"min_score": 2}, "min_score"), ({"kind": "wizard"}, "kind"), ({"name": ""}, "name")],
)
def test_bad_round_input_names_the_field(instance, operator, fields, field):
    with pytest.raises(ValidationError) as exc:
        services.create_round(operator, **({"name": "R"} | fields))
    assert field in exc.value.message_dict


def test_the_pipeline_counts_stages_and_conversion(project, investor_offer, mentor_offer, operator):
    investor, mentor = investor_offer.owner, mentor_offer.owner
    founder = project.team.first()
    a = services.request_intro(investor, project.slug, investor_offer.pk)
    services.answer_intro(founder, a.pk, accept=True)
    services.record_outcome(founder, a.pk, "invested")
    b = services.request_intro(founder, project.slug, mentor_offer.pk)
    services.answer_intro(mentor, b.pk, accept=False, reason="no_capacity")
    result = services.pipeline(operator)
    assert result.counts["total"] == 2 and result.counts["declined"] == 1
    assert result.counts["outcome"] == 1 and result.outcomes == {"invested": 1}
    assert result.acceptance_rate == 0.5 and result.meeting_rate == 1.0
    assert result.deal_rate == 1.0
    assert result.by_kind["investor"] == {"accepted": 1}
