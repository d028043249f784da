"""Offer pages: the directory with its kind tabs, a form per kind, editing, the offer page and
asking for an intro from it."""

import pytest

from seedbed.matching import services
from seedbed.matching.models import Offer
from tests.matching.conftest import client_for
from tests.matching.page_data import more_offers, more_projects

pytestmark = pytest.mark.django_db

FORMS = {
    "investor": {
        "title": "Seed robotics fund",
        "description": "We back hardware at seed.",
        "sectors": ["hardware", "ai"],
        "stages": ["seed", "series_a"],
        "ticket_min": "250000",
        "ticket_max": "1500000",
        "regions": "Shanghai, Shenzhen",
        "excluded_sectors": ["web3"],
        "capacity": "6",
    },
    "talent": {
        "title": "Vision engineer",
        "description": "Ten years of computer vision.",
        "skills": "computer vision, PyTorch",
        "role_sought": "CTO",
        "availability": "part_time",
        "city": "Suzhou",
        "remote": "on",
    },
    "mentor": {
        "title": "Go-to-market hours",
        "description": "Sold industrial robots for a decade.",
        "sectors": ["hardware"],
        "topics": "sales, pricing",
        "capacity": "4",
    },
    "service": {
        "title": "Startup legal desk",
        "description": "Incorporation and contracts.",
        "sectors": ["enterprise-saas"],
        "service_type": "legal",
        "price_band": "discounted",
        "topics": "contracts",
        "capacity": "10",
    },
}


def body(response) -> str:
    return response.content.decode()


# Directory --------------------------------------------------------------------------------------


def test_the_offer_directory_has_kind_tabs_and_filters(outsider, investor_offer, mentor_offer):
    closed = more_offers(1, kind="talent")[0]
    services.update_offer(closed.owner, closed.pk, active=False)
    client = client_for(outsider)

    def titles(query: str) -> set[str]:
        page = body(client.get(f"/offers/?{query}"))
        return {
            t
            for t in ("Hardware seed fund", "Pricing and manufacturing", "Talent offer 0")
            if t in page
        }

    assert titles("") == {"Hardware seed fund", "Pricing and manufacturing"}
    assert titles("kind=investor") == {"Hardware seed fund"}
    assert titles("kind=mentor") == {"Pricing and manufacturing"}
    assert titles("q=office+hours") == {"Pricing and manufacturing"}
    assert titles("sector=ai") == {"Hardware seed fund"}
    assert titles("kind=nonsense") == {"Hardware seed fund", "Pricing and manufacturing"}
    page = body(client.get("/offers/?q=seed"))
    assert 'href="?kind=mentor&amp;q=seed"' in page


def test_the_offer_directory_is_paginated(outsider):
    more_offers(23, kind="mentor")
    page = body(client_for(outsider).get("/offers/?kind=mentor"))
    assert "Page 1 of 2" in page and "kind=mentor&amp;page=2" in page


# Creating ---------------------------------------------------------------------------------------


def test_a_new_offer_without_a_kind_asks_which_kind(outsider):
    page = body(client_for(outsider).get("/offers/new/"))
    for kind in FORMS:
        assert f"/offers/new/?kind={kind}" in page


@pytest.mark.parametrize(
    ("kind", "present", "absent"),
    [
        (
            "investor",
            ["ticket_min", "stages", "regions", "excluded_sectors", "Meetings per round"],
            ["skills", "service_type"],
        ),
        ("talent", ["skills", "role_sought", "availability", "remote"], ["capacity", "ticket_min"]),
        ("mentor", ["topics", "Office hours per month", "Expertise"], ["ticket_min", "skills"]),
        ("service", ["service_type", "price_band", "topics"], ["ticket_min", "stages"]),
    ],
)
def test_each_kind_gets_its_own_fields(outsider, kind, present, absent):
    page = body(client_for(outsider).get(f"/offers/new/?kind={kind}"))
    for text in present:
        assert text in page
    for name in absent:
        assert f'name="{name}"' not in page
    assert 'name="active"' not in page


def test_an_investor_offer_is_created_through_the_form(outsider):
    response = client_for(outsider).post("/offers/new/?kind=investor", FORMS["investor"])
    offer = Offer.objects.get(title="Seed robotics fund")
    assert response.status_code == 302 and response["Location"] == f"/offers/{offer.pk}/"
    assert offer.owner == outsider and offer.kind == "investor" and offer.active
    assert offer.stages == ["seed", "series_a"] and offer.regions == ["Shanghai", "Shenzhen"]
    assert (offer.ticket_min, offer.ticket_max, offer.capacity) == (250_000, 1_500_000, 6)
    assert sorted(s.slug for s in offer.sectors.all()) == ["ai", "hardware"]
    assert [s.slug for s in offer.excluded_sectors.all()] == ["web3"]


def test_a_talent_offer_is_created_through_the_form(outsider):
    client_for(outsider).post("/offers/new/?kind=talent", FORMS["talent"])
    offer = Offer.objects.get(title="Vision engineer")
    assert offer.kind == "talent" and offer.capacity == 1
    assert sorted(t.name for t in offer.skills.all()) == ["computer vision", "pytorch"]
    assert (offer.role_sought, offer.availability, offer.city, offer.remote) == (
        "CTO",
        "part_time",
        "Suzhou",
        True,
    )


def test_mentor_and_service_offers_are_created_through_the_form(outsider):
    client = client_for(outsider)
    client.post("/offers/new/?kind=mentor", FORMS["mentor"])
    client.post("/offers/new/?kind=service", FORMS["service"])
    mentor = Offer.objects.get(title="Go-to-market hours")
    assert mentor.kind == "mentor" and mentor.capacity == 4
    assert sorted(t.name for t in mentor.topics.all()) == ["pricing", "sales"]
    service = Offer.objects.get(title="Startup legal desk")
    assert (service.kind, service.service_type, service.price_band) == (
        "service",
        "legal",
        "discounted",
    )
    assert [s.slug for s in service.sectors.all()] == ["enterprise-saas"]


@pytest.mark.parametrize(
    ("kind", "changes", "field", "message"),
    [
        (
            "investor",
            {"ticket_min": "2000000", "ticket_max": "1000"},
            "ticket_min",
            "above the maximum",
        ),
        ("investor", {"stages": ["seed", "unicorn"]}, "stages", "Select a valid choice"),
        ("investor", {"capacity": "-2"}, "capacity", "cannot be negative"),
        ("investor", {"ticket_max": "-1"}, "ticket_max", "cannot be negative"),
        (
            "investor",
            {"regions": ",".join(f"City {i}" for i in range(25))},
            "regions",
            "at most 20",
        ),
        ("mentor", {"capacity": "999"}, "capacity", "At most 500"),
        ("mentor", {"title": ""}, "title", "required"),
        ("service", {"service_type": ""}, "service_type", "Choose the service"),
        ("talent", {"availability": "weekends"}, "availability", "Select a valid choice"),
    ],
)
def test_bad_offer_input_shows_the_error_on_its_field_and_stores_nothing(
    outsider, kind, changes, field, message
):
    data = FORMS[kind] | changes
    response = client_for(outsider).post(f"/offers/new/?kind={kind}", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert data["description"] in body(response)
    assert not Offer.objects.exists()


# Editing ----------------------------------------------------------------------------------------


def test_the_owner_edits_an_offer_and_can_close_it_to_intros(investor, investor_offer):
    client = client_for(investor)
    page = body(client.get(f"/offers/{investor_offer.pk}/edit/"))
    assert 'value="Hardware seed fund"' in page and "Shanghai, Shenzhen" in page
    assert 'name="active"' in page
    data = FORMS["investor"] | {"title": "Renamed fund", "ticket_min": "", "regions": "Beijing"}
    response = client.post(f"/offers/{investor_offer.pk}/edit/", data)
    assert response.status_code == 302
    investor_offer.refresh_from_db()
    assert investor_offer.title == "Renamed fund" and not investor_offer.active
    assert investor_offer.ticket_min is None and investor_offer.regions == ["Beijing"]
    client.post(f"/offers/{investor_offer.pk}/edit/", data | {"active": "on"})
    investor_offer.refresh_from_db()
    assert investor_offer.active


def test_editing_a_talent_offer_keeps_its_capacity(outsider):
    offer = more_offers(1, kind="talent", owner=outsider)[0]
    data = FORMS["talent"] | {"active": "on"}
    client_for(outsider).post(f"/offers/{offer.pk}/edit/", data)
    offer.refresh_from_db()
    assert offer.title == "Vision engineer" and offer.capacity == 1 and offer.active


def test_a_rejected_offer_edit_keeps_the_input_and_changes_nothing(investor, investor_offer):
    data = FORMS["investor"] | {"title": "Typed but refused", "capacity": "-1", "active": "on"}
    response = client_for(investor).post(f"/offers/{investor_offer.pk}/edit/", data)
    assert response.status_code == 200 and "capacity" in response.context["form"].errors
    assert "Typed but refused" in body(response)
    investor_offer.refresh_from_db()
    assert investor_offer.title == "Hardware seed fund" and investor_offer.capacity == 5


def test_only_the_owner_may_save_an_offer_edit(outsider, operator, investor_offer):
    for member in (outsider, operator):
        data = FORMS["investor"] | {"title": "Hijacked"}
        assert (
            client_for(member).post(f"/offers/{investor_offer.pk}/edit/", data).status_code == 403
        )
    investor_offer.refresh_from_db()
    assert investor_offer.title == "Hardware seed fund"


# The offer page ---------------------------------------------------------------------------------


def test_the_offer_page_shows_the_public_fields_of_an_investor(outsider, investor, investor_offer):
    page = body(client_for(outsider).get(f"/offers/{investor_offer.pk}/"))
    assert "Hardware seed fund" in page and "Investment thesis" in page
    assert "We back robot arms" in page and "Hardware and robotics" in page
    assert "Seed, Pre-seed" in page and "500,000" in page and "3,000,000" in page
    assert "Shanghai, Shenzhen" in page and "Meetings per round" in page
    assert f'href="/members/{investor.pk}/">Ivan Investor' in page
    assert f"/offers/{investor_offer.pk}/edit/" not in page
    assert f"/offers/{investor_offer.pk}/matches/" not in page


def test_the_offer_page_shows_talent_and_service_fields(outsider):
    talent = more_offers(1, kind="talent")[0]
    service = more_offers(1, kind="service")[0]
    page = body(client_for(outsider).get(f"/offers/{talent.pk}/"))
    assert "CTO" in page and "computer vision" in page and "Shanghai" in page
    page = body(client_for(outsider).get(f"/offers/{service.pk}/"))
    assert "Legal" in page and "Free for members" in page and "contracts" in page


def test_the_owner_sees_edit_and_matches_links(investor, investor_offer):
    page = body(client_for(investor).get(f"/offers/{investor_offer.pk}/"))
    assert f"/offers/{investor_offer.pk}/edit/" in page
    assert f"/offers/{investor_offer.pk}/matches/" in page
    assert "/intro/" not in page


def test_a_team_member_gets_an_intro_form_per_own_active_project(founder, project, mentor_offer):
    closed = services.create_project(founder, name="Shelved", one_liner="x", stage="idea")
    services.update_project(founder, closed.slug, status="closed")
    page = body(client_for(founder).get(f"/offers/{mentor_offer.pk}/"))
    assert f'action="/projects/{project.slug}/intro/"' in page
    assert f'name="offer_id" value="{mentor_offer.pk}"' in page
    assert f"/projects/{closed.slug}/intro/" not in page


def test_an_existing_intro_replaces_the_form_for_that_project(founder, project, mentor_offer):
    intro = services.request_intro(founder, project.slug, mentor_offer.pk)
    page = body(client_for(founder).get(f"/offers/{mentor_offer.pk}/"))
    assert f"/intros/{intro.pk}/" in page and "Requested" in page
    assert f'action="/projects/{project.slug}/intro/"' not in page


def test_members_without_a_project_get_no_intro_form(outsider, mentor_offer):
    assert "/intro/" not in body(client_for(outsider).get(f"/offers/{mentor_offer.pk}/"))


# Query budgets ----------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 15])
def test_offer_pages_have_fixed_query_budgets(
    django_assert_max_num_queries, n, founder, investor, project, investor_offer
):
    more_offers(n, kind="mentor")
    more_offers(n, kind="investor", owner=investor)
    for i in range(n):
        extra = services.create_project(founder, name=f"Side {i}", one_liner="x", stage="seed")
        services.request_intro(founder, extra.slug, investor_offer.pk)
    more_projects(n)
    team, owner = client_for(founder), client_for(investor)
    with django_assert_max_num_queries(6):
        assert team.get("/offers/?sector=hardware").status_code == 200
    with django_assert_max_num_queries(11):
        assert team.get(f"/offers/{investor_offer.pk}/").status_code == 200
    with django_assert_max_num_queries(11):
        assert owner.get(f"/offers/{investor_offer.pk}/").status_code == 200
    with django_assert_max_num_queries(9):
        assert owner.get(f"/offers/{investor_offer.pk}/edit/").status_code == 200
    with django_assert_max_num_queries(4):
        assert owner.get("/offers/new/?kind=investor").status_code == 200
    with django_assert_max_num_queries(7):
        assert owner.get("/matching/").status_code == 200
