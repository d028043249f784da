from seedbed.matching import services
from seedbed.matching.models import Project


def test_the_team_and_operators_may_read_deal_data(project, founder, cofounder, operator):
    for user in (founder, cofounder, operator):
        assert services.deal_access(user, [project]) == {project.pk}


def test_members_and_investors_without_an_accepted_intro_may_not(
    project, investor_offer, investor, outsider, mentor
):
    assert services.deal_access(outsider, [project]) == set()
    assert services.deal_access(investor, [project]) == set()
    services.request_intro(investor, project.slug, investor_offer.pk)
    assert services.deal_access(investor, [project]) == set()


def test_an_investor_whose_intro_the_team_accepted_may(project, investor_offer, investor, founder):
    intro = services.request_intro(investor, project.slug, investor_offer.pk)
    services.answer_intro(founder, intro.pk, accept=True)
    assert services.deal_access(investor, [project]) == {project.pk}


def test_a_mentor_with_an_accepted_intro_still_may_not(project, mentor_offer, mentor, founder):
    intro = services.request_intro(founder, project.slug, mentor_offer.pk)
    services.answer_intro(mentor, intro.pk, accept=True)
    assert services.deal_access(mentor, [project]) == set()


def test_a_declined_investor_may_not(project, investor_offer, investor, founder):
    intro = services.request_intro(investor, project.slug, investor_offer.pk)
    services.answer_intro(founder, intro.pk, accept=False, reason="not_a_fit")
    assert services.deal_access(investor, [project]) == set()


def test_access_is_per_project(project, investor_offer, investor, founder, cofounder):
    other = services.create_project(cofounder, name="Other", one_liner="x", stage="seed")
    intro = services.request_intro(investor, project.slug, investor_offer.pk)
    services.answer_intro(founder, intro.pk, accept=True)
    both = list(Project.objects.filter(pk__in=[project.pk, other.pk]))
    assert services.deal_access(investor, both) == {project.pk}


def test_deal_access_costs_two_queries_for_any_number_of_projects(
    project, investor, django_assert_max_num_queries
):
    projects = list(Project.objects.all())
    with django_assert_max_num_queries(2):
        services.deal_access(investor, projects)
