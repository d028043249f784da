import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from seedbed.matching import services
from seedbed.matching.models import Offer, Project

BASE = {"name": "Tea Robot", "one_liner": "Robots that brew tea", "stage": "seed"}


def _field_errors(call) -> dict:
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.message_dict


def test_a_new_project_has_its_creator_on_the_team(founder):
    project = services.create_project(founder, **BASE, sectors=["ai"], skills_sought="ML, ml ")
    assert list(project.team.all()) == [founder]
    assert [t.name for t in project.skills_sought.all()] == ["ml"]
    assert project.slug == "tea-robot"
    assert services.create_project(founder, **BASE).slug == "tea-robot-2"


def test_a_project_named_new_does_not_hide_behind_the_create_page(founder):
    assert services.create_project(founder, **(BASE | {"name": "New"})).slug == "new-2"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"stage": "series_z"}, "stage"),
        ({"stage": ""}, "stage"),
        ({"name": ""}, "name"),
        ({"funding_min": 2_000_000, "funding_max": 1_000_000}, "funding_min"),
        ({"funding_min": -5}, "funding_min"),
        ({"funding_max": "lots"}, "funding_max"),
        ({"funding_instrument": "shares"}, "funding_instrument"),
        ({"sectors": ["ai", "astrology"]}, "sectors"),
        ({"services_sought": ["legal", "magic"]}, "services_sought"),
        ({"intro_limit": -1}, "intro_limit"),
        ({"description": "x" * 10_001}, "description"),
        ({"one_liner": "nul\x00byte"}, "one_liner"),
    ],
)
def test_bad_project_input_names_the_field_and_stores_nothing(founder, fields, field):
    errors = _field_errors(lambda: services.create_project(founder, **(BASE | fields)))
    assert field in errors
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("kind", "fields", "field"),
    [
        ("investor", {"ticket_min": 5_000_000, "ticket_max": 1_000_000}, "ticket_min"),
        ("investor", {"stages": ["seed", "unicorn"]}, "stages"),
        ("mentor", {"capacity": -2}, "capacity"),
        ("mentor", {"capacity": "many"}, "capacity"),
        ("service", {}, "service_type"),
        ("talent", {"availability": "weekends"}, "availability"),
        ("wizard", {}, "kind"),
        ("investor", {"title": ""}, "title"),
    ],
)
def test_bad_offer_input_names_the_field_and_stores_nothing(investor, kind, fields, field):
    errors = _field_errors(
        lambda: services.create_offer(investor, kind, **({"title": "Fund"} | fields))
    )
    assert field in errors
    assert not Offer.objects.exists()


def test_a_failed_edit_keeps_what_was_stored(project, founder):
    _field_errors(lambda: services.update_project(founder, project.slug, funding_min=9_000_000))
    project.refresh_from_db()
    assert (project.funding_min, project.funding_max) == (1_000_000, 2_000_000)


def test_a_partial_edit_keeps_the_other_fields(project, founder):
    services.update_project(founder, project.slug, traction="200 paying factories")
    project.refresh_from_db()
    assert project.traction == "200 paying factories"
    assert project.funding_max == 2_000_000
    assert sorted(s.slug for s in project.sectors.all()) == ["ai", "hardware"]


def test_only_the_team_edits_a_project(project, cofounder, investor, operator):
    services.update_project(cofounder, project.slug, city="Suzhou")
    for user in (investor, operator):
        with pytest.raises(PermissionDenied):
            services.update_project(user, project.slug, city="Beijing")
        with pytest.raises(PermissionDenied):
            services.add_team_member(user, project.slug, user.handle)
    assert Project.objects.get(pk=project.pk).city == "Suzhou"


def test_only_the_owner_edits_an_offer(investor_offer, founder, operator, investor):
    for user in (founder, operator):
        with pytest.raises(PermissionDenied):
            services.update_offer(user, investor_offer.pk, title="Mine now")
    services.update_offer(investor, investor_offer.pk, ticket_max=4_000_000)
    investor_offer.refresh_from_db()
    assert (investor_offer.title, investor_offer.ticket_max) == ("Hardware seed fund", 4_000_000)


def test_a_project_keeps_at_least_one_team_member(founder):
    project = services.create_project(founder, **BASE)
    with pytest.raises(ValidationError):
        services.remove_team_member(founder, project.slug, founder.pk)


def test_adding_an_unknown_handle_says_so(project, founder):
    assert "handle" in _field_errors(
        lambda: services.add_team_member(founder, project.slug, "@nobody-here")
    )


def test_a_closed_offer_is_hidden_from_everyone_but_its_owner(investor_offer, investor, founder):
    services.update_offer(investor, investor_offer.pk, active=False)
    assert services.get_offer(investor, investor_offer.pk) == investor_offer
    assert not services.offer_directory(founder).filter(pk=investor_offer.pk).exists()
    from django.http import Http404

    with pytest.raises(Http404):
        services.get_offer(founder, investor_offer.pk)


def test_anonymous_visitors_see_no_projects_or_offers(project, investor_offer):
    from django.contrib.auth.models import AnonymousUser

    assert not services.visible_projects(AnonymousUser()).exists()
    assert not services.visible_offers(AnonymousUser()).exists()
