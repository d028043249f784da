"""Projects, offers and their matches through /api/v1: the same rules as the pages, deal data
field by field, JSON errors naming the field, fixed query budgets, and the OpenAPI document."""

import pytest

from seedbed.matching import services
from seedbed.matching.models import Offer, Project
from seedbed.matching.schemas import ProjectRef
from tests.matching.api_helpers import api_for, fields_named, make_offers, make_projects, send
from tests.matching.conftest import SECRET_TERMS, client_for

pytestmark = pytest.mark.django_db

DEAL_KEYS = set(Project.DEAL_FIELDS)


def _deal(body: dict) -> dict:
    return {key: body[key] for key in (*Project.DEAL_FIELDS, "deal_visible")}


HIDDEN = {
    "funding_min": None,
    "funding_max": None,
    "funding_instrument": None,
    "funding_notes": None,
    "deal_visible": False,
}
SHOWN = {
    "funding_min": 1_000_000,
    "funding_max": 2_000_000,
    "funding_instrument": "equity",
    "funding_notes": SECRET_TERMS,
    "deal_visible": True,
}


# Projects ---------------------------------------------------------------------------------------


def test_a_founder_creates_a_project_and_sees_its_deal_data(founder):
    body = {
        "name": "Tea Robot",
        "one_liner": "Robots that brew tea",
        "sectors": ["hardware"],
        "stage": "pre_seed",
        "needs_funding": True,
        "funding_min": 10,
        "funding_max": 20,
        "funding_instrument": "safe",
        "funding_notes": "Angels only",
        "skills_sought": ["Robotics"],
        "services_sought": ["legal"],
    }
    response = send(api_for(founder), "post", "/api/v1/projects", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["slug"] == "tea-robot"
    assert created["sectors"] == ["hardware"] and created["services_sought"] == ["legal"]
    assert [m["id"] for m in created["team"]] == [founder.pk]
    assert _deal(created) == {
        "funding_min": 10,
        "funding_max": 20,
        "funding_instrument": "safe",
        "funding_notes": "Angels only",
        "deal_visible": True,
    }


def test_a_member_lists_active_projects_filtered_by_words_sector_stage_and_need(
    project, outsider, cofounder
):
    services.create_project(
        cofounder, name="Ledger", one_liner="Books for shops", sectors=["fintech"], stage="idea"
    )
    services.create_project(cofounder, name="Gone", one_liner="x", stage="seed", status="closed")
    api = api_for(outsider)

    def names(query: str = "") -> list[str]:
        response = api.get(f"/api/v1/projects{query}")
        assert response.status_code == 200
        return [p["name"] for p in response.json()["items"]]

    assert names() == ["Ledger", "Robo Arm"]
    assert api.get("/api/v1/projects").json()["count"] == 2
    assert names("?q=robot") == ["Robo Arm"]
    assert names("?sector=fintech") == ["Ledger"]
    assert names("?stage=seed") == ["Robo Arm"]
    assert names("?need=funding") == ["Robo Arm"]
    assert names("?need=services") == []
    assert names("?page=2&page_size=1") == ["Robo Arm"]
    assert api.get("/api/v1/projects?stage=unicorn").status_code == 422


def test_an_outsider_sees_a_project_without_any_deal_field(project, outsider):
    api = api_for(outsider)
    detail = api.get(f"/api/v1/projects/{project.slug}")
    listed = api.get("/api/v1/projects")
    assert detail.status_code == listed.status_code == 200
    assert detail.json()["name"] == "Robo Arm" and detail.json()["stage"] == "seed"
    assert _deal(detail.json()) == HIDDEN
    assert _deal(listed.json()["items"][0]) == HIDDEN
    for response in (detail, listed):
        assert SECRET_TERMS not in response.content.decode()
        assert "2000000" not in response.content.decode()


@pytest.mark.parametrize("who", ["founder", "cofounder", "operator"])
def test_the_team_and_operators_see_the_deal_data(project, who, request):
    api = api_for(request.getfixturevalue(who))
    assert _deal(api.get(f"/api/v1/projects/{project.slug}").json()) == SHOWN
    assert _deal(api.get("/api/v1/projects").json()["items"][0]) == SHOWN


def test_an_investor_sees_the_deal_data_only_once_the_intro_is_accepted(
    project, investor, investor_offer, founder
):
    api = api_for(investor)
    url = f"/api/v1/projects/{project.slug}"
    assert _deal(api.get(url).json()) == HIDDEN
    intro = services.request_intro(investor, project.slug, investor_offer.pk)
    assert _deal(api.get(url).json()) == HIDDEN
    assert SECRET_TERMS not in api.get("/api/v1/projects").content.decode()
    services.answer_intro(founder, intro.pk, accept=True)
    assert _deal(api.get(url).json()) == SHOWN
    assert _deal(api.get("/api/v1/projects").json()["items"][0]) == SHOWN


def test_a_declined_investor_and_an_accepted_mentor_still_see_no_deal_data(
    project, investor, investor_offer, mentor, mentor_offer, founder
):
    declined = services.request_intro(investor, project.slug, investor_offer.pk)
    services.answer_intro(founder, declined.pk, accept=False, reason="not_a_fit")
    accepted = services.request_intro(founder, project.slug, mentor_offer.pk)
    services.answer_intro(mentor, accepted.pk, accept=True)
    for user in (investor, mentor):
        response = api_for(user).get(f"/api/v1/projects/{project.slug}")
        assert _deal(response.json()) == HIDDEN
        assert SECRET_TERMS not in response.content.decode()


def test_a_list_shows_deal_data_row_by_row(project, investor, investor_offer, founder, cofounder):
    (other,) = make_projects(1, prefix="Another")
    intro = services.request_intro(investor, project.slug, investor_offer.pk)
    services.answer_intro(founder, intro.pk, accept=True)
    items = {p["slug"]: p for p in api_for(investor).get("/api/v1/projects").json()["items"]}
    assert _deal(items[project.slug]) == SHOWN
    assert _deal(items[other.slug]) == HIDDEN
    assert "secret terms 0" not in api_for(investor).get("/api/v1/projects").content.decode()


def test_the_team_patches_only_the_fields_it_sends(project, cofounder):
    url = f"/api/v1/projects/{project.slug}"
    response = send(api_for(cofounder), "patch", url, {"one_liner": "Cheaper arms", "city": ""})
    assert response.status_code == 200, response.content
    patched = response.json()
    assert patched["one_liner"] == "Cheaper arms" and patched["city"] == ""
    assert patched["name"] == "Robo Arm"
    assert sorted(patched["sectors"]) == ["ai", "hardware"]
    assert patched["topics_sought"] and patched["funding_notes"] == SECRET_TERMS
    project.refresh_from_db()
    assert project.funding_max == 2_000_000 and project.stage == "seed"
    changed = send(api_for(cofounder), "patch", url, {"sectors": ["fintech"], "funding_max": None})
    assert changed.json()["sectors"] == ["fintech"]
    assert changed.json()["funding_max"] == 2_000_000


def test_operators_and_outsiders_may_not_patch_a_project(project, operator, outsider):
    url = f"/api/v1/projects/{project.slug}"
    for user in (operator, outsider):
        assert send(api_for(user), "patch", url, {"name": "Mine"}).status_code == 403
    assert send(api_for(None), "patch", url, {"name": "Mine"}).status_code == 401
    project.refresh_from_db()
    assert project.name == "Robo Arm"


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"funding_min": 5, "funding_max": 4}, "funding_min", 400),
        ({"stage": "unicorn"}, "stage", 422),
        ({"funding_min": -1}, "funding_min", 422),
        ({"name": ""}, "name", 400),
        ({"sectors": ["no-such-sector"]}, "sectors", 400),
        ({"services_sought": ["juggling"]}, "services_sought", 422),
        ({"funding_instrument": "shares"}, "funding_instrument", 422),
        ({"intro_limit": 51}, "intro_limit", 422),
        ({"description": "a\x00b"}, "description", 422),
        ({"name": "x" * 121}, "name", 422),
    ],
)
def test_bad_project_input_gets_a_json_error_naming_the_field(founder, body, field, status):
    full = {"name": "Kite", "one_liner": "Kites", "stage": "seed"} | body
    response = send(api_for(founder), "post", "/api/v1/projects", full)
    assert response.status_code == status, response.content
    assert field in fields_named(response)
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"funding_min": 3_000_000}, "funding_min", 400),
        ({"stage": "unicorn"}, "stage", 422),
        ({"status": "sold"}, "status", 422),
        ({"one_liner": ""}, "one_liner", 400),
    ],
)
def test_a_bad_patch_names_the_field_and_keeps_what_is_stored(
    project, founder, body, field, status
):
    response = send(api_for(founder), "patch", f"/api/v1/projects/{project.slug}", body)
    assert response.status_code == status
    assert field in fields_named(response)
    project.refresh_from_db()
    assert (project.funding_min, project.stage, project.status) == (1_000_000, "seed", "active")
    assert project.one_liner == "Low-cost robot arms for small factories"


def test_a_missing_project_answers_404(outsider):
    assert api_for(outsider).get("/api/v1/projects/nope").status_code == 404
    assert send(api_for(outsider), "patch", "/api/v1/projects/nope", {}).status_code == 404


# Offers -----------------------------------------------------------------------------------------


def test_a_member_creates_an_offer_of_the_kind_in_the_body(mentor):
    body = {
        "kind": "mentor",
        "title": "Go-to-market hours",
        "topics": ["Pricing", "sales"],
        "sectors": ["enterprise-saas"],
        "capacity": 2,
    }
    response = send(api_for(mentor), "post", "/api/v1/offers", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["kind"] == "mentor" and created["owner"]["id"] == mentor.pk
    assert created["capacity"] == 2 and created["sectors"] == ["enterprise-saas"]
    assert sorted(created["topics"]) == ["pricing", "sales"]
    assert Offer.objects.get(pk=created["id"]).owner == mentor


def test_a_talent_offer_defaults_to_one_place(outsider):
    body = {"kind": "talent", "title": "Embedded engineer", "skills": ["C"], "remote": True}
    created = send(api_for(outsider), "post", "/api/v1/offers", body).json()
    assert created["capacity"] == 1 and created["remote"] is True


def test_members_list_open_offers_by_kind_words_and_sector(
    investor_offer, mentor_offer, mentor, outsider
):
    services.create_offer(mentor, "mentor", title="Closed hours", active=False)
    api = api_for(outsider)

    def titles(query: str = "") -> list[str]:
        response = api.get(f"/api/v1/offers{query}")
        assert response.status_code == 200
        return [o["title"] for o in response.json()["items"]]

    assert titles() == ["Hardware seed fund", "Pricing and manufacturing office hours"]
    assert titles("?kind=mentor") == ["Pricing and manufacturing office hours"]
    assert titles("?q=seed fund") == ["Hardware seed fund"]
    assert titles("?sector=ai") == ["Hardware seed fund"]
    assert api.get("/api/v1/offers?kind=wizard").status_code == 422


def test_an_offer_shows_its_thesis(investor_offer, outsider):
    response = api_for(outsider).get(f"/api/v1/offers/{investor_offer.pk}")
    assert response.status_code == 200
    offer = response.json()
    assert offer["stages"] == ["seed", "pre_seed"]
    assert (offer["ticket_min"], offer["ticket_max"]) == (500_000, 3_000_000)
    assert offer["regions"] == ["Shanghai", "Shenzhen"] and offer["owner"]["handle"]


def test_a_closed_offer_is_missing_for_others_but_not_for_its_owner(mentor, outsider):
    closed = services.create_offer(mentor, "mentor", title="Closed hours", active=False)
    url = f"/api/v1/offers/{closed.pk}"
    assert api_for(outsider).get(url).status_code == 404
    assert api_for(mentor).get(url).status_code == 200


def test_the_owner_patches_only_the_fields_it_sends(investor_offer, investor):
    url = f"/api/v1/offers/{investor_offer.pk}"
    response = send(api_for(investor), "patch", url, {"capacity": 1, "stages": ["series_a"]})
    assert response.status_code == 200, response.content
    patched = response.json()
    assert patched["capacity"] == 1 and patched["stages"] == ["series_a"]
    assert patched["title"] == "Hardware seed fund" and patched["ticket_max"] == 3_000_000
    assert sorted(patched["sectors"]) == ["ai", "hardware"]
    closed = send(api_for(investor), "patch", url, {"active": False}).json()
    assert closed["active"] is False and closed["capacity"] == 1


def test_only_the_owner_may_patch_an_offer(investor_offer, founder, operator):
    url = f"/api/v1/offers/{investor_offer.pk}"
    for user in (founder, operator):
        assert send(api_for(user), "patch", url, {"title": "Mine"}).status_code == 403
    investor_offer.refresh_from_db()
    assert investor_offer.title == "Hardware seed fund"


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"ticket_min": 10, "ticket_max": 5}, "ticket_min", 400),
        ({"capacity": -1}, "capacity", 422),
        ({"capacity": 501}, "capacity", 400),
        ({"kind": "wizard"}, "kind", 422),
        ({"stages": ["unicorn"]}, "stages", 422),
        ({"kind": "service"}, "service_type", 400),
        ({"title": ""}, "title", 400),
        ({"sectors": ["nowhere"]}, "sectors", 400),
        ({"availability": "weekends"}, "availability", 422),
        ({"title": "x\x00"}, "title", 422),
    ],
)
def test_bad_offer_input_gets_a_json_error_naming_the_field(investor, body, field, status):
    full = {"kind": "investor", "title": "Fund"} | body
    response = send(api_for(investor), "post", "/api/v1/offers", full)
    assert response.status_code == status, response.content
    assert field in fields_named(response)
    assert not Offer.objects.exists()


def test_a_bad_offer_patch_keeps_what_is_stored(investor_offer, investor):
    url = f"/api/v1/offers/{investor_offer.pk}"
    response = send(api_for(investor), "patch", url, {"ticket_min": 4_000_000})
    assert response.status_code == 400 and fields_named(response) == ["ticket_min"]
    assert send(api_for(investor), "patch", url, {"capacity": -3}).status_code == 422
    investor_offer.refresh_from_db()
    assert (investor_offer.ticket_min, investor_offer.capacity) == (500_000, 5)


# Matches ----------------------------------------------------------------------------------------


@pytest.fixture
def scored(project, investor_offer, mentor_offer):
    services.refresh_matches()
    return project


def test_the_team_reads_its_matches_with_reasons(scored, founder, investor_offer, mentor_offer):
    api = api_for(founder)
    response = api.get(f"/api/v1/projects/{scored.slug}/matches")
    assert response.status_code == 200
    items = response.json()["items"]
    assert {m["offer"]["id"] for m in items} == {investor_offer.pk, mentor_offer.pk}
    first = items[0]
    assert first["project"] == {
        "slug": "robo-arm",
        "name": "Robo Arm",
        "one_liner": "Low-cost robot arms for small factories",
        "stage": "seed",
    }
    assert 0 < first["score"] <= 1 and first["score"] >= items[-1]["score"]
    criteria = {r["criterion"] for m in items for r in m["reasons"]}
    assert "sectors" in criteria
    sectors = next(r for r in first["reasons"] if r["criterion"] == "sectors")
    assert "hardware" in sectors["values"]
    assert any(text.startswith("Sectors:") for text in first["reason_text"])
    assert isinstance(first["shared_terms"], list)
    mentors = api.get(f"/api/v1/projects/{scored.slug}/matches?kind=mentor").json()["items"]
    assert [m["offer"]["id"] for m in mentors] == [mentor_offer.pk]


def test_the_offer_owner_reads_the_projects_matched_to_the_offer(scored, investor, investor_offer):
    response = api_for(investor).get(f"/api/v1/offers/{investor_offer.pk}/matches")
    assert response.status_code == 200
    (match,) = response.json()["items"]
    assert match["project"]["slug"] == scored.slug
    assert match["offer"]["id"] == investor_offer.pk
    assert not DEAL_KEYS & set(match["project"])
    assert SECRET_TERMS not in response.content.decode()


def test_a_match_never_names_deal_data():
    assert not DEAL_KEYS & set(ProjectRef.model_fields)


def test_matches_are_for_the_two_sides_and_operators(scored, investor_offer, outsider, operator):
    project_url = f"/api/v1/projects/{scored.slug}/matches"
    offer_url = f"/api/v1/offers/{investor_offer.pk}/matches"
    assert api_for(outsider).get(project_url).status_code == 403
    assert api_for(outsider).get(offer_url).status_code == 403
    assert api_for(operator).get(project_url).status_code == 200
    assert api_for(operator).get(offer_url).json()["count"] == 1


# Query budgets ----------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 15])
def test_the_project_and_offer_lists_have_fixed_query_budgets(
    n, investor, django_assert_max_num_queries
):
    make_projects(n)
    make_offers(n, "investor")
    make_offers(n, "mentor")
    client = client_for(investor)
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/projects?page_size=100")
    assert response.json()["count"] == n
    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/offers?page_size=100")
    assert response.json()["count"] == 2 * n


@pytest.mark.parametrize("n", [3, 15])
def test_the_match_lists_have_fixed_query_budgets(
    n, founder, investor, django_assert_max_num_queries
):
    (project,) = make_projects(1, founder=founder)
    make_offers(n, "mentor")
    (offer,) = make_offers(1, "investor", owner=investor)
    make_projects(n)
    services.refresh_matches()
    team, owner = client_for(founder), client_for(investor)
    with django_assert_max_num_queries(10):
        response = team.get(f"/api/v1/projects/{project.slug}/matches")
    assert response.json()["count"] == n + 1
    with django_assert_max_num_queries(10):
        response = owner.get(f"/api/v1/offers/{offer.pk}/matches")
    assert response.json()["count"] == n + 1


def test_the_project_page_has_a_fixed_query_budget(
    project, investor, django_assert_max_num_queries
):
    browser = client_for(investor)
    with django_assert_max_num_queries(10):
        assert browser.get(f"/api/v1/projects/{project.slug}").status_code == 200


# OpenAPI ----------------------------------------------------------------------------------------


def test_the_openapi_document_builds_and_lists_the_matching_routes(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path, method in [
        ("/api/v1/projects", "get"),
        ("/api/v1/projects", "post"),
        ("/api/v1/projects/{slug}", "patch"),
        ("/api/v1/projects/{slug}/matches", "get"),
        ("/api/v1/offers/{offer_id}", "patch"),
        ("/api/v1/offers/{offer_id}/matches", "get"),
        ("/api/v1/intros", "post"),
        ("/api/v1/intros/{intro_id}/decline", "post"),
        ("/api/v1/intros/{intro_id}/messages", "post"),
        ("/api/v1/pipeline", "get"),
        ("/api/v1/rounds/{round_id}/send", "post"),
    ]:
        assert method in paths[path], (path, method)
    schemas = response.json()["components"]["schemas"]
    assert "deal_visible" in schemas["ProjectOut"]["properties"]
    assert "body" in schemas["IntroMessageOut"]["properties"]


def _all_subclasses(cls) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_all_subclasses(sub)}
    return found


def test_no_matching_schema_shares_its_name_with_another_apps_schema():
    """OpenAPI components are keyed by class name: a clash silently drops one of the two."""
    from ninja import Schema

    from seedbed.api import api  # noqa: F401 - imports every app's schemas
    from seedbed.matching import schemas as ours

    everyone = _all_subclasses(Schema)
    mine = {cls.__name__ for cls in everyone if cls.__module__ == ours.__name__}
    others = {
        cls.__name__
        for cls in everyone
        if cls.__module__.startswith("seedbed.") and cls.__module__ != ours.__name__
    }
    assert "ProjectOut" in mine and "EventOut" in others
    assert not mine & others


# Out of range ------------------------------------------------------------------------------------

HUGE = 10**30


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"/api/v1/offers/{HUGE}", 404),
        (f"/api/v1/offers/{HUGE}/matches", 404),
        (f"/api/v1/intros/{HUGE}", 404),
        (f"/api/v1/projects?page={HUGE}", 422),
        (f"/api/v1/offers?page={HUGE}", 422),
        (f"/api/v1/intros?page={HUGE}", 422),
        ("/api/v1/projects?page=0", 422),
        ("/api/v1/projects?q=" + "a" * 81, 422),
    ],
)
def test_out_of_range_numbers_in_the_address_get_a_4xx_not_a_500(project, founder, url, status):
    assert api_for(founder).get(url).status_code == status


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        (
            "/api/v1/projects",
            {"name": "A", "one_liner": "b", "stage": "seed", "funding_max": HUGE},
            "funding_max",
        ),
        ("/api/v1/offers", {"kind": "investor", "title": "b", "ticket_max": HUGE}, "ticket_max"),
        ("/api/v1/offers", {"kind": "mentor", "title": "b", "capacity": HUGE}, "capacity"),
        ("/api/v1/offers", {"kind": "investor", "title": "b", "regions": ["x" * 81]}, "regions"),
        (
            "/api/v1/projects",
            {"name": "A", "one_liner": "b", "stage": "seed", "topics_sought": ["x" * 41]},
            "topics_sought",
        ),
    ],
)
def test_out_of_range_amounts_and_lists_name_the_field(founder, url, body, field):
    response = send(api_for(founder), "post", url, body)
    assert response.status_code == 400 and fields_named(response) == [field]
    assert not Project.objects.exists() and not Offer.objects.exists()
