"""The member's matching hub and the project pages: directory, create, edit, team, and who
sees the deal data (amounts, instrument, funding details)."""

import pytest

from seedbed.matching import services
from seedbed.matching.models import Project
from tests.factories import MemberFactory
from tests.matching.conftest import SECRET_TERMS, client_for
from tests.matching.page_data import more_offers, more_projects

pytestmark = pytest.mark.django_db

AMOUNTS = ("1000000", "2000000", "1,000,000", "2,000,000")
HIDDEN_ON_THE_PAGE = ("1000000", "2000000", "2,000,000", "1,000,000 – 2,000,000")
"""The project page shows every member the published band, 1,000,000 – 2,500,000, whose lower
step happens to be the fixture's ``funding_min``: the exact ask must still not appear."""


def project_form(**changes) -> dict:
    data = {
        "name": "Tea Robots",
        "one_liner": "Robots that brew tea",
        "description": "Line one\nLine two <script>alert(1)</script>",
        "sectors": ["hardware", "consumer"],
        "stage": "pre_seed",
        "city": "Hangzhou",
        "traction": "Three pilot tea shops",
        "has_working_product": "on",
        "needs_funding": "on",
        "funding_min": "300000",
        "funding_max": "800000",
        "funding_instrument": "safe",
        "funding_notes": "Valuation cap 5M",
        "needs_talent": "on",
        "roles_sought": "Mechanical engineer",
        "skills_sought": "CAD, robotics",
        "needs_mentoring": "on",
        "topics_sought": "retail, pricing",
        "needs_services": "on",
        "services_sought": ["legal", "design"],
        "intro_limit": "4",
    }
    return data | changes


def edit_form(project, **changes) -> dict:
    from seedbed.matching.forms import ProjectForm

    initial = ProjectForm.initial_for(project)
    data = {}
    for name, value in initial.items():
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    return data | changes


def body(response) -> str:
    return response.content.decode()


# The hub ----------------------------------------------------------------------------------------


def test_the_hub_lists_my_projects_my_offers_and_intros_awaiting_my_answer(
    founder, investor, project, investor_offer
):
    intro = services.request_intro(investor, project.slug, investor_offer.pk, message="Hi")
    page = body(client_for(founder).get("/matching/"))
    assert "Robo Arm" in page and f"/projects/{project.slug}/matches/" in page
    assert f"/intros/{intro.pk}/" in page
    assert "/offers/new/?kind=mentor" in page and "/projects/new/" in page

    investor_page = body(client_for(investor).get("/matching/"))
    assert "Hardware seed fund" in investor_page
    assert f"/offers/{investor_offer.pk}/matches/" in investor_page
    assert f"/intros/{intro.pk}/" not in investor_page


def test_the_main_navigation_links_to_matching_for_members(founder):
    assert 'href="/matching/"' in body(client_for(founder).get("/"))


# Directory --------------------------------------------------------------------------------------


def test_the_directory_lists_active_projects_and_applies_each_filter(founder, project):
    other = services.create_project(
        founder, name="Ledger Kit", one_liner="Books for shops", stage="idea", sectors=["fintech"]
    )
    closed = services.create_project(founder, name="Old Thing", one_liner="Gone", stage="seed")
    services.update_project(founder, closed.slug, status="closed")
    client = client_for(MemberFactory())

    def names(query: str) -> set[str]:
        page = body(client.get(f"/projects/?{query}"))
        return {n for n in ("Robo Arm", "Ledger Kit", "Old Thing") if n in page}

    assert names("") == {"Robo Arm", "Ledger Kit"}
    assert names("q=ledger") == {"Ledger Kit"}
    assert names("sector=hardware") == {"Robo Arm"}
    assert names("stage=idea") == {"Ledger Kit"}
    assert names("need=funding") == {"Robo Arm"}
    assert other.slug in body(client.get("/projects/?need="))


def test_the_directory_pages_keep_the_filters(founder):
    more_projects(23)
    page = body(client_for(founder).get("/projects/?sector=hardware&q=robotics"))
    assert "Page 1 of 2" in page
    assert "q=robotics&amp;sector=hardware&amp;page=2" in page
    second = body(client_for(founder).get("/projects/?sector=hardware&q=robotics&page=2"))
    assert "Page 2 of 2" in second


# Creating and editing ---------------------------------------------------------------------------


def test_a_member_lists_a_project_through_the_form(outsider):
    response = client_for(outsider).post("/projects/new/", project_form())
    project = Project.objects.get(name="Tea Robots")
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.slug}/"
    assert list(project.team.all()) == [outsider]
    assert sorted(s.slug for s in project.sectors.all()) == ["consumer", "hardware"]
    assert sorted(t.name for t in project.skills_sought.all()) == ["cad", "robotics"]
    assert sorted(t.name for t in project.topics_sought.all()) == ["pricing", "retail"]
    assert (project.funding_min, project.funding_max) == (300_000, 800_000)
    assert project.funding_instrument == "safe" and project.services_sought == ["legal", "design"]
    assert project.has_working_product and not project.has_paying_customers
    assert project.intro_limit == 4 and project.status == "active"


def test_the_project_form_says_amounts_are_whole_us_dollars(outsider):
    assert "Whole US dollars" in body(client_for(outsider).get("/projects/new/"))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"funding_min": "900000", "funding_max": "800000"}, "funding_min", "above the maximum"),
        ({"funding_min": "-5"}, "funding_min", "cannot be negative"),
        ({"intro_limit": "80"}, "intro_limit", "At most 50"),
        ({"stage": "series_z"}, "stage", "Select a valid choice"),
        ({"sectors": ["hardware", "astrology"]}, "sectors", "Select a valid choice"),
        ({"services_sought": ["catering"]}, "services_sought", "Select a valid choice"),
        ({"skills_sought": ",".join(f"s{i}" for i in range(25))}, "skills_sought", "At most 20"),
        ({"name": "x" * 121}, "name", "At most 120 characters"),
        ({"funding_min": "lots"}, "funding_min", "Enter a whole number"),
    ],
)
def test_bad_project_input_shows_the_error_on_its_field_and_stores_nothing(
    outsider, changes, field, message
):
    response = client_for(outsider).post("/projects/new/", project_form(**changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors and message in " ".join(form.errors[field])
    assert "Robots that brew tea" in body(response)
    assert not Project.objects.filter(one_liner="Robots that brew tea").exists()


def test_the_team_edits_the_project_and_can_clear_the_amounts(founder, project):
    data = edit_form(
        project, one_liner="Cheaper robot arms", status="succeeded", funding_min="", city=""
    )
    response = client_for(founder).post(f"/projects/{project.slug}/edit/", data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.one_liner == "Cheaper robot arms" and project.status == "succeeded"
    assert project.funding_min is None and project.funding_max == 2_000_000
    assert project.city == "" and project.funding_notes == SECRET_TERMS
    assert sorted(s.slug for s in project.sectors.all()) == ["ai", "hardware"]
    assert sorted(t.name for t in project.topics_sought.all()) == ["manufacturing", "pricing"]


def test_the_edit_form_shows_the_current_values(founder, project):
    page = body(client_for(founder).get(f"/projects/{project.slug}/edit/"))
    assert 'value="Robo Arm"' in page and "computer vision" in page
    assert "pricing" in page and 'value="1000000"' in page


def test_a_rejected_edit_keeps_the_input_and_changes_nothing(founder, project):
    data = edit_form(project, one_liner="Typed but refused", funding_max="10")
    response = client_for(founder).post(f"/projects/{project.slug}/edit/", data)
    assert response.status_code == 200
    assert "funding_min" in response.context["form"].errors
    assert "Typed but refused" in body(response)
    project.refresh_from_db()
    assert project.one_liner == "Low-cost robot arms for small factories"
    assert project.funding_max == 2_000_000


def test_only_the_team_may_save_an_edit(outsider, operator, project):
    for member in (outsider, operator):
        response = client_for(member).post(
            f"/projects/{project.slug}/edit/", edit_form(project, name="Hijacked")
        )
        assert response.status_code == 403
    project.refresh_from_db()
    assert project.name == "Robo Arm"


# The project page -------------------------------------------------------------------------------


def test_the_project_page_shows_the_project_and_escapes_its_text(founder, outsider, project):
    services.update_project(
        founder, project.slug, description="First line\nSecond <b>bold</b>", traction="10 pilots"
    )
    page = body(client_for(outsider).get(f"/projects/{project.slug}/"))
    assert "Robo Arm" in page and "Low-cost robot arms for small factories" in page
    assert "First line<br>Second &lt;b&gt;bold&lt;/b&gt;" in page
    assert "Hardware and robotics" in page and "Artificial intelligence" in page
    assert "Seed" in page and "Shanghai" in page and "10 pilots" in page
    assert "computer vision" in page and "manufacturing" in page
    assert f'href="/members/{founder.pk}/">Fang Founder' in page
    assert "Cora Cofounder" in page


def test_the_team_sees_edit_matches_and_team_management_and_outsiders_do_not(
    founder, outsider, project
):
    team_page = body(client_for(founder).get(f"/projects/{project.slug}/"))
    outsider_page = body(client_for(outsider).get(f"/projects/{project.slug}/"))
    for link in ("/edit/", "/matches/", "/team/"):
        assert f"/projects/{project.slug}{link}" in team_page
        assert f"/projects/{project.slug}{link}" not in outsider_page


def test_sought_services_are_shown_by_their_labels(founder, outsider, project):
    services.update_project(
        founder, project.slug, needs_services=True, services_sought=["accounting"]
    )
    assert "Accounting and tax" in body(client_for(outsider).get(f"/projects/{project.slug}/"))


def _accepted_investor(investor, founder, project, offer):
    intro = services.request_intro(investor, project.slug, offer.pk)
    services.answer_intro(founder, intro.pk, accept=True)
    return investor


@pytest.mark.parametrize("viewer", ["founder", "cofounder", "operator", "accepted_investor"])
def test_deal_data_is_shown_to_the_team_operators_and_an_accepted_investor(
    request, viewer, founder, investor, project, investor_offer
):
    if viewer == "accepted_investor":
        user = _accepted_investor(investor, founder, project, investor_offer)
    else:
        user = request.getfixturevalue(viewer)
    page = body(client_for(user).get(f"/projects/{project.slug}/"))
    assert SECRET_TERMS.split(";")[0] in page
    assert "1,000,000" in page and "2,000,000" in page and "Equity" in page


@pytest.mark.parametrize("viewer", ["outsider", "investor_with_pending_intro", "declined_investor"])
def test_deal_data_stays_hidden_from_outsiders_and_investors_without_an_accepted_intro(
    request, viewer, founder, investor, outsider, project, investor_offer
):
    user = outsider
    if viewer != "outsider":
        user = investor
        intro = services.request_intro(investor, project.slug, investor_offer.pk)
        if viewer == "declined_investor":
            services.answer_intro(founder, intro.pk, accept=False, reason="timing")
    page = body(client_for(user).get(f"/projects/{project.slug}/"))
    assert "Sequoia-Canary-7Q9" not in page and "12,345,678" not in page
    assert not any(amount in page for amount in HIDDEN_ON_THE_PAGE)
    assert "1,000,000 – 2,500,000" in page
    assert "Equity" not in page
    assert "raising" in page.lower()


def test_deal_data_stays_off_the_directory_and_the_hub(founder, outsider, project):
    for user in (founder, outsider):
        for url in ("/projects/", "/matching/"):
            page = body(client_for(user).get(url))
            assert "Sequoia-Canary-7Q9" not in page and not any(a in page for a in AMOUNTS)


# Team -------------------------------------------------------------------------------------------


def test_the_team_adds_a_member_by_handle_and_removes_one(founder, cofounder, outsider, project):
    client = client_for(founder)
    response = client.post(f"/projects/{project.slug}/team/", {"handle": f"@{outsider.handle}"})
    assert response.status_code == 302
    assert project.team.filter(pk=outsider.pk).exists()
    assert "Otto Outsider joined the team" in body(client.get(f"/projects/{project.slug}/"))
    client.post(f"/projects/{project.slug}/team/{cofounder.pk}/remove/")
    assert not project.team.filter(pk=cofounder.pk).exists()


def test_an_unknown_handle_is_explained_and_changes_nothing(founder, project):
    client = client_for(founder)
    response = client.post(
        f"/projects/{project.slug}/team/", {"handle": "nobody-here"}, follow=True
    )
    assert "No member has the handle @nobody-here." in body(response)
    assert project.team.count() == 2


def test_the_last_team_member_cannot_be_removed(founder, cofounder, project):
    client = client_for(founder)
    client.post(f"/projects/{project.slug}/team/{cofounder.pk}/remove/")
    response = client.post(f"/projects/{project.slug}/team/{founder.pk}/remove/", follow=True)
    assert "at least one team member" in body(response)
    assert list(project.team.all()) == [founder]


# Asking for an intro from the project page ------------------------------------------------------


def test_an_offer_owner_gets_an_intro_form_per_own_active_offer(investor, project, investor_offer):
    closed = more_offers(1, owner=investor)[0]
    services.update_offer(investor, closed.pk, active=False)
    page = body(client_for(investor).get(f"/projects/{project.slug}/"))
    assert f'action="/projects/{project.slug}/intro/"' in page
    assert f'name="offer_id" value="{investor_offer.pk}"' in page
    assert f'name="offer_id" value="{closed.pk}"' not in page
    assert 'name="message"' in page


def test_a_pending_intro_is_shown_instead_of_a_second_form(investor, project, investor_offer):
    intro = services.request_intro(investor, project.slug, investor_offer.pk)
    page = body(client_for(investor).get(f"/projects/{project.slug}/"))
    assert f"/intros/{intro.pk}/" in page and "Requested" in page
    assert f'name="offer_id" value="{investor_offer.pk}"' not in page


def test_members_without_offers_and_the_team_get_no_intro_form(founder, outsider, project):
    more_offers(1, owner=founder)
    for user in (founder, outsider):
        assert "/intro/" not in body(client_for(user).get(f"/projects/{project.slug}/"))


# Query budgets ----------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 15])
def test_project_pages_have_fixed_query_budgets(
    django_assert_max_num_queries, n, founder, investor, project, investor_offer
):
    more_projects(n)
    offers = more_offers(n, owner=investor)
    for offer in offers:
        services.request_intro(investor, project.slug, offer.pk)
    for i in range(n):
        services.add_team_member(founder, project.slug, MemberFactory().handle)
        services.create_project(founder, name=f"Side project {i}", one_liner="x", stage="idea")
    team, owner = client_for(founder), client_for(investor)
    with django_assert_max_num_queries(7):
        assert team.get("/matching/").status_code == 200
    with django_assert_max_num_queries(10):
        assert team.get("/projects/?sector=hardware&need=funding").status_code == 200
    with django_assert_max_num_queries(12):
        assert team.get(f"/projects/{project.slug}/").status_code == 200
    with django_assert_max_num_queries(13):  # + whether the owner may ask, for all offers at once
        assert owner.get(f"/projects/{project.slug}/").status_code == 200
    with django_assert_max_num_queries(9):
        assert team.get(f"/projects/{project.slug}/edit/").status_code == 200
