import pytest
from django.core.exceptions import PermissionDenied

from seedbed.matching import services
from seedbed.matching.models import Intro, IntroStatus, Match


def _reasons(match: Match) -> dict:
    return {key: values for key, values in match.reasons}


def test_scores_are_stored_with_their_reasons(project, investor_offer, mentor_offer):
    services.refresh_matches()
    funding = Match.objects.get(project=project, offer=investor_offer)
    assert 0 < funding.score <= 1
    assert _reasons(funding)["sectors"] == ["ai", "hardware"]
    assert _reasons(funding)["stage"] == ["seed"]
    assert "ticket" in _reasons(funding) and "robot" in funding.shared_terms
    mentoring = Match.objects.get(project=project, offer=mentor_offer)
    assert _reasons(mentoring)["topics"] == ["manufacturing", "pricing"]


def test_stored_reasons_never_carry_amounts(project, investor_offer):
    services.refresh_matches()
    text = str(list(Match.objects.values_list("reasons", "shared_terms")))
    assert "1000000" not in text and "1M" not in text and "12,345,678" not in text


def test_saving_a_project_rescores_after_commit(
    founder, investor_offer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        project = services.create_project(
            founder, name="Arm", one_liner="robot arms", stage="seed", needs_funding=True
        )
    assert Match.objects.filter(project=project, offer=investor_offer).exists()


@pytest.mark.parametrize(
    "change",
    [
        {"stage": "growth"},
        {"funding_min": 5_000_000, "funding_max": 9_000_000},
        {"city": "Berlin"},
        {"needs_funding": False},
    ],
)
def test_hard_filters_remove_an_investor(project, founder, investor_offer, change):
    services.update_project(founder, project.slug, **change)
    services.refresh_matches()
    assert not Match.objects.filter(project=project, offer=investor_offer).exists()


def test_an_excluded_sector_removes_its_projects(project, investor, investor_offer):
    services.update_offer(investor, investor_offer.pk, excluded_sectors=["hardware"])
    services.refresh_matches()
    assert not Match.objects.filter(offer=investor_offer).exists()


def test_nobody_is_matched_with_their_own_project(project, founder):
    own = services.create_offer(founder, "mentor", title="Pricing help", topics=["pricing"])
    services.refresh_matches()
    assert not Match.objects.filter(project=project, offer=own).exists()


def test_closed_offers_and_finished_projects_are_not_scored(
    project, founder, investor, investor_offer, mentor_offer
):
    services.update_offer(investor, investor_offer.pk, active=False)
    services.refresh_matches()
    assert list(Match.objects.values_list("offer", flat=True)) == [mentor_offer.pk]
    services.update_project(founder, project.slug, status="closed")
    services.refresh_matches()
    assert not Match.objects.exists()


def test_past_outcomes_teach_the_score(project, founder, mentor, investor_offer, mentor_offer):
    others = [
        services.create_offer(mentor, "mentor", title=f"Hours {n}", topics=["pricing"])
        for n in range(12)
    ]
    Intro.objects.bulk_create(
        Intro(
            project=project,
            offer=o,
            status=IntroStatus.ACCEPTED if n % 2 else IntroStatus.DECLINED,
        )
        for n, o in enumerate(others)
    )
    services.refresh_matches()
    assert any(key == "learned" for key, _ in Match.objects.filter(project=project)[0].reasons)


def test_only_the_team_and_operators_see_a_projects_matches(
    project, investor_offer, cofounder, operator, investor, outsider
):
    services.refresh_matches()
    for user in (cofounder, operator):
        _, matches = services.matches_for_project(user, project.slug)
        assert [m.offer for m in matches] == [investor_offer]
    for user in (investor, outsider):
        with pytest.raises(PermissionDenied):
            services.matches_for_project(user, project.slug)


def test_only_the_owner_and_operators_see_an_offers_matches(
    project, investor_offer, investor, operator, founder
):
    services.refresh_matches()
    for user in (investor, operator):
        _, matches = services.matches_for_offer(user, investor_offer.pk)
        assert [m.project for m in matches] == [project]
    with pytest.raises(PermissionDenied):
        services.matches_for_offer(founder, investor_offer.pk)


def test_a_burst_of_edits_queues_one_rescoring(
    settings, project, founder, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from seedbed.matching.tasks import refresh_match_scores

    def waiting() -> int:
        return (
            DBTaskResult.objects.ready().filter(task_path=refresh_match_scores.module_path).count()
        )

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        services.update_project(founder, project.slug, city="Suzhou")
    with django_capture_on_commit_callbacks(execute=True):
        services.update_project(founder, project.slug, city="Hangzhou")
    assert waiting() == 1
    DBTaskResult.objects.update(status="SUCCESSFUL")
    with django_capture_on_commit_callbacks(execute=True):
        services.update_project(founder, project.slug, city="Nanjing")
    assert waiting() == 1
