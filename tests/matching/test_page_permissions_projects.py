"""Who may open which project, offer and match page: every URL name of ``urls_projects`` ×
(anonymous, outsider, team member, offer owner, operator)."""

import pytest

from seedbed.matching import services, urls_projects
from tests.matching.conftest import client_for

pytestmark = pytest.mark.django_db
ACTORS = ["anonymous", "outsider", "team", "offer_owner", "operator"]

# name: (method, path, data, codes per ACTORS); "L" = redirect to login, "R" = other redirect.
PAGES = {
    "home": ("get", "/matching/", None, "L 200 200 200 200"),
    "projects": ("get", "/projects/", None, "L 200 200 200 200"),
    "project_new": ("get", "/projects/new/", None, "L 200 200 200 200"),
    "project": ("get", "/projects/{slug}/", None, "L 200 200 200 200"),
    "project_edit": ("get", "/projects/{slug}/edit/", None, "L 403 200 403 403"),
    "project_team_add": (
        "post",
        "/projects/{slug}/team/",
        {"handle": "{outsider_handle}"},
        "L 403 R 403 403",
    ),
    "project_team_remove": (
        "post",
        "/projects/{slug}/team/{cofounder_id}/remove/",
        {},
        "L 403 R 403 403",
    ),
    "project_matches": ("get", "/projects/{slug}/matches/", None, "L 403 200 403 200"),
    "offers": ("get", "/offers/", None, "L 200 200 200 200"),
    "offer_new": ("get", "/offers/new/?kind=investor", None, "L 200 200 200 200"),
    "offer": ("get", "/offers/{offer_id}/", None, "L 200 200 200 200"),
    "offer_edit": ("get", "/offers/{offer_id}/edit/", None, "L 403 403 200 403"),
    "offer_matches": ("get", "/offers/{offer_id}/matches/", None, "L 403 403 200 200"),
}


@pytest.fixture
def world(founder, cofounder, investor, outsider, operator, project, investor_offer):
    services.refresh_matches()
    return {
        "actors": {
            "anonymous": None,
            "outsider": outsider,
            "team": founder,
            "offer_owner": investor,
            "operator": operator,
        },
        "ids": {
            "slug": project.slug,
            "offer_id": investor_offer.pk,
            "cofounder_id": cofounder.pk,
            "outsider_handle": outsider.handle,
        },
    }


def outcome(response) -> str:
    if response.status_code == 302:
        return "L" if "/accounts/login/" in response["Location"] else "R"
    return str(response.status_code)


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("actor", ACTORS)
def test_matching_page_answers_each_kind_of_visitor_as_the_table_says(world, name, actor):
    method, path, data, codes = PAGES[name]
    client = client_for(world["actors"][actor])
    url = path.format(**world["ids"])
    if method == "post":
        response = client.post(url, {k: v.format(**world["ids"]) for k, v in data.items()})
    else:
        response = client.get(url)
    assert outcome(response) == codes.split()[ACTORS.index(actor)], (name, actor, url)


def test_every_project_offer_and_match_url_name_is_in_the_permission_table():
    names = {p.name for p in urls_projects.urlpatterns}
    assert names == set(PAGES)


@pytest.mark.parametrize("name", ["project_team_add", "project_team_remove"])
def test_team_changes_are_refused_on_get(world, name):
    _method, path, _data, _codes = PAGES[name]
    response = client_for(world["actors"]["team"]).get(path.format(**world["ids"]))
    assert response.status_code == 405


def test_a_closed_offer_is_missing_for_everyone_but_its_owner(world, investor_offer):
    services.update_offer(world["actors"]["offer_owner"], investor_offer.pk, active=False)
    url = f"/offers/{investor_offer.pk}/"
    assert client_for(world["actors"]["outsider"]).get(url).status_code == 404
    assert client_for(world["actors"]["team"]).get(url).status_code == 404
    assert client_for(world["actors"]["offer_owner"]).get(url).status_code == 200
    matches = f"/offers/{investor_offer.pk}/matches/"
    assert client_for(world["actors"]["outsider"]).get(matches).status_code == 404


def test_unknown_project_and_offer_addresses_are_missing(world):
    team = client_for(world["actors"]["team"])
    assert team.get("/projects/no-such-project/").status_code == 404
    assert team.get("/projects/no-such-project/edit/").status_code == 404
    assert team.get("/projects/no-such-project/matches/").status_code == 404
    assert team.get("/offers/999999/").status_code == 404
    assert team.get("/offers/999999/matches/").status_code == 404


def test_an_outsiders_team_change_leaves_the_team_as_it_was(world, project):
    outsider = world["actors"]["outsider"]
    before = set(project.team.values_list("pk", flat=True))
    client_for(outsider).post(f"/projects/{project.slug}/team/", {"handle": outsider.handle})
    client_for(outsider).post(
        f"/projects/{project.slug}/team/{world['ids']['cofounder_id']}/remove/"
    )
    assert set(project.team.values_list("pk", flat=True)) == before
