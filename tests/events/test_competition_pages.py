"""The competition pages: who may open and post to each, bad input, and query budgets."""

import pytest
from django.test import Client

from seedbed.communities.models import Visibility
from seedbed.events import competitions as comp
from seedbed.events.models import Criterion, Entry, Judge, Score
from tests.events.test_competitions import build_cup, enter, make_competition
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "entrant", "judge", "organiser"]


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def person(cup, role):
    return {
        "anonymous": None,
        "outsider": cup.outsider,
        "member": cup.member,
        "entrant": cup.entrants[0],
        "judge": cup.judges[0],
        "organiser": cup.organiser,
    }[role]


@pytest.fixture
def cup():
    return build_cup()


LOGIN = 302
# expected status per role, in the order of ROLES, before the results are published
PAGES = {
    "": [404, 404, 200, 200, 200, 200],
    "entry/": [LOGIN, 404, 200, 200, 200, 200],
    "entries/": [LOGIN, 404, 403, 403, 403, 200],
    "rubric/": [LOGIN, 404, 403, 403, 403, 200],
    "judges/": [LOGIN, 404, 403, 403, 403, 200],
    "judging/": [LOGIN, 404, 403, 403, 200, 403],
    "leaderboard/": [LOGIN, 404, 403, 403, 403, 200],
    "results/": [404, 404, 403, 403, 403, 200],
}


@pytest.mark.parametrize("page", list(PAGES))
def test_who_may_open_each_page_of_a_private_competition(cup, page):
    url = f"/events/{cup.event.pk}/competition/{page}"
    seen = [client_for(person(cup, role)).get(url).status_code for role in ROLES]
    assert dict(zip(ROLES, seen, strict=True)) == dict(zip(ROLES, PAGES[page], strict=True))


def test_after_publication_everyone_who_can_see_the_event_sees_the_results(cup):
    cup.score(0, 0, 8, 8)
    comp.publish_results(cup.organiser, cup.event.pk)
    url = f"/events/{cup.event.pk}/competition/results/"
    seen = {role: client_for(person(cup, role)).get(url).status_code for role in ROLES}
    assert seen == {
        "anonymous": 404,
        "outsider": 404,
        "member": 200,
        "entrant": 200,
        "judge": 200,
        "organiser": 200,
    }
    page = client_for(cup.member).get(url).content.decode()
    assert "Project 0" in page and "Project 1" not in page  # unscored entries are left out
    assert "Raw weighted mean" not in page
    leaderboard = client_for(cup.member).get(f"/events/{cup.event.pk}/competition/leaderboard/")
    assert leaderboard.status_code == 302 and leaderboard.url.endswith("/results/")


def test_visitors_see_a_public_competition_and_its_published_results():
    organiser = MemberFactory(is_staff=True)
    event = make_competition(organiser)
    visitor = Client()
    assert visitor.get(f"/events/{event.pk}/competition/").status_code == 200
    assert "Log in to enter a project" in visitor.get(f"/events/{event.pk}/competition/").text
    assert visitor.get(f"/events/{event.pk}/competition/results/").status_code == 403
    entrant, judge = MemberFactory(), MemberFactory()
    entry = enter(entrant, event)
    criterion = comp.add_criterion(organiser, event.pk, name="Team")
    comp.add_judge(organiser, event.pk, judge.pk)
    comp.score_entry(judge, event.pk, entry, {criterion.pk: 7})
    comp.publish_results(organiser, event.pk)
    assert "Project" in visitor.get(f"/events/{event.pk}/competition/results/").text


def test_the_event_page_loads_the_competition_panel_only_for_competitions(cup):
    browser = client_for(cup.member)
    page = browser.get(f"/events/{cup.event.pk}/").text
    assert f'hx-get="/events/{cup.event.pk}/competition/"' in page
    panel = browser.get(f"/events/{cup.event.pk}/competition/", HTTP_HX_REQUEST="true").text
    assert "<html" not in panel and "Enter a project" in panel
    salon = make_competition(cup.organiser, cup.event.community, kind="salon", title="Salon")
    assert "/competition/" not in client_for(cup.organiser).get(f"/events/{salon.pk}/").text
    assert client_for(cup.organiser).get(f"/events/{salon.pk}/competition/").status_code == 404


def test_the_panel_shows_each_person_what_they_can_do(cup):
    url = f"/events/{cup.event.pk}/competition/"
    assert "Your entry: Project 0" in client_for(cup.entrants[0]).get(url).text
    assert "Score the entries" in client_for(cup.judges[0]).get(url).text
    assert "Enter a project" not in client_for(cup.judges[0]).get(url).text
    organiser = client_for(cup.organiser).get(url).text
    assert "Leaderboard and publication" in organiser and "Enter a project" not in organiser
    assert "Score the entries" not in client_for(cup.member).get(url).text


# Posting ---------------------------------------------------------------------------------------


def _post_as(cup, role, path, data=None):
    url = f"/events/{cup.event.pk}/competition/{path}"
    return client_for(person(cup, role)).post(url, data or {})


def test_a_member_enters_and_edits_through_the_form(cup):
    data = {"title": "Solar", "team": "Ana", "pitch": "Cheap panels", "deck_url": ""}
    response = _post_as(cup, "member", "entry/", data)
    assert response.status_code == 302
    response = _post_as(cup, "member", "entry/", data | {"title": "Solar 2"})
    assert response.status_code == 302
    assert list(Entry.objects.filter(submitted_by=cup.member).values_list("title", flat=True)) == [
        "Solar 2"
    ]


def test_who_may_post_an_entry(cup):
    data = {"title": "X", "team": "Y", "pitch": "Z"}
    assert _post_as(cup, "outsider", "entry/", data).status_code == 404
    assert _post_as(cup, "judge", "entry/", data).status_code == 403
    assert _post_as(cup, "organiser", "entry/", data).status_code == 403
    assert _post_as(cup, "anonymous", "entry/", data).status_code == LOGIN
    assert Entry.objects.count() == 3


def test_a_bad_entry_comes_back_with_its_errors_and_what_was_typed(cup):
    response = _post_as(cup, "member", "entry/", {"title": "Kept", "team": "", "pitch": ""})
    assert response.status_code == 400
    assert 'value="Kept"' in response.text and "errorlist" in response.text


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("rubric/", "organiser"),
        ("rubric/{criterion}/", "organiser"),
        ("rubric/{criterion}/remove/", "organiser"),
        ("judges/", "organiser"),
        ("judges/{judge}/conflicts/", "organiser"),
        ("judges/{judge}/remove/", "organiser"),
        ("judging/{entry}/", "judge"),
        ("judging/{entry}/conflict/", "judge"),
        ("publish/", "organiser"),
    ],
)
def test_who_may_post_to_each_action(cup, path, allowed):
    if not path.startswith("rubric/"):
        cup.score(1, 1, 5, 5)  # the rubric is frozen once scoring starts
    path = path.format(criterion=cup.criteria[1], judge=cup.judge_ids[1], entry=cup.entries[0])
    data = {
        "name": "Vision",
        "weight": "1",
        "member": f"@{cup.member.handle}",
        "entries": [str(cup.entries[0])],
        "publish": "1",
        f"criterion_{cup.criteria[0]}": "7",
        f"criterion_{cup.criteria[1]}": "6",
    }
    before = _state(cup)
    for role in ["outsider", "member", "entrant", "judge", "organiser"]:
        if role == allowed:
            continue
        expected = 404 if role == "outsider" else 403
        if role in ("member", "entrant") and path.startswith("judging/"):
            expected = 404 if role == "member" else 403  # the entrant's own entry: 403
            if role == "entrant" and not path.startswith(f"judging/{cup.entries[0]}"):
                expected = 404
        assert _post_as(cup, role, path, data).status_code == expected, role
    assert _state(cup) == before
    assert _post_as(cup, allowed, path, data).status_code == 302


def _state(cup):
    return (
        list(Criterion.objects.values_list("name", "weight")),
        list(Judge.objects.values_list("pk", flat=True)),
        list(Score.objects.values_list("value", flat=True)),
        list(Judge.conflicts.through.objects.values_list("judge_id", "entry_id")),
        cup.event.__class__.objects.get(pk=cup.event.pk).results_published_at,
    )


def test_a_judge_scores_through_the_worksheet_and_bad_values_come_back_named(cup):
    url = f"judging/{cup.entries[0]}/"
    good = {f"criterion_{cup.criteria[0]}": "7", f"criterion_{cup.criteria[1]}": "9"}
    assert _post_as(cup, "judge", url, good).status_code == 302
    for bad in ("11", "0", "seven", "", "7.5", "9" * 30):
        response = _post_as(cup, "judge", url, good | {f"criterion_{cup.criteria[1]}": bad})
        assert response.status_code == 400
        assert (
            "Give a whole number from 1 to 10." in response.text or "Score every" in response.text
        )
    response = _post_as(cup, "judge", url, good | {"criterion_x": "1", "criterion_": "2"})
    assert response.status_code == 302
    assert sorted(Score.objects.values_list("value", flat=True)) == [7, 9]


def test_a_conflicted_judge_neither_sees_nor_scores_the_entry(cup):
    assert _post_as(cup, "judge", f"judging/{cup.entries[2]}/conflict/").status_code == 302
    sheet = client_for(cup.judges[0]).get(f"/events/{cup.event.pk}/competition/judging/").text
    assert "Project 2" not in sheet and "Project 1" in sheet
    scores = {f"criterion_{c}": "5" for c in cup.criteria}
    assert _post_as(cup, "judge", f"judging/{cup.entries[2]}/", scores).status_code == 403


def test_changing_the_rubric_after_scoring_starts_says_why(cup):
    cup.score(0, 0, 5, 5)
    organiser = client_for(cup.organiser)
    rubric = f"/events/{cup.event.pk}/competition/rubric/"
    response = organiser.post(rubric, {"name": "Vision", "weight": "1"})
    assert response.status_code == 400 and "Scoring has started" in response.text
    response = organiser.post(f"{rubric}{cup.criteria[0]}/", {"name": "Team", "weight": "5"})
    assert response.status_code == 302
    assert "Scoring has started" in organiser.get(response.url).text
    assert Criterion.objects.get(pk=cup.criteria[0]).weight == 2


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("rubric/", {"name": "Vision", "weight": "abc"}),
        ("rubric/", {"name": "", "weight": "-1"}),
        ("rubric/{criterion}/", {"name": "Team", "weight": "nan"}),
        ("rubric/{criterion}/", {"weight": "1e999"}),
        ("judges/", {"member": "@nobody"}),
        ("judges/", {"member": ""}),
        ("judges/{judge}/conflicts/", {"entries": ["x", "99999999999999999999"]}),
        ("judging/{entry}/", {}),
    ],
)
def test_bad_input_never_gives_a_server_error(cup, path, data):
    path = path.format(criterion=cup.criteria[0], judge=cup.judge_ids[0], entry=cup.entries[0])
    role = "judge" if path.startswith("judging") else "organiser"
    before = _state(cup)
    assert _post_as(cup, role, path, data).status_code in (302, 400)
    assert _state(cup) == before


def test_publishing_without_scores_says_why_and_publishing_shows_the_results(cup):
    organiser = client_for(cup.organiser)
    response = organiser.post(f"/events/{cup.event.pk}/competition/publish/", {"publish": "1"})
    assert "no entry has been scored" in organiser.get(response.url).text
    cup.score(0, 0, 5, 5)
    cup.score(0, 1, 7, 7)
    _post_as(cup, "organiser", "publish/", {"publish": "1"})
    assert (
        client_for(cup.member).get(f"/events/{cup.event.pk}/competition/results/").status_code
        == 200
    )
    _post_as(cup, "organiser", "publish/", {"publish": "0"})
    assert (
        client_for(cup.member).get(f"/events/{cup.event.pk}/competition/results/").status_code
        == 403
    )


# Query budgets ---------------------------------------------------------------------------------


def _scored_cup(n_entries, n_judges):
    cup = build_cup(n_entries=n_entries, n_judges=n_judges)
    for j in range(n_judges):
        for e in range(n_entries):
            cup.score(j, e, (j + e) % 10 + 1, (j * e) % 10 + 1)
    comp.set_conflicts(cup.organiser, cup.event.pk, cup.judge_ids[0], [cup.entries[0]])
    return cup


@pytest.mark.parametrize(("n_entries", "n_judges"), [(2, 2), (12, 6)])
def test_every_page_has_a_fixed_query_budget(n_entries, n_judges, django_assert_max_num_queries):
    cup = _scored_cup(n_entries, n_judges)
    pages = {
        ("organiser", ""): 9,
        ("organiser", "entries/"): 10,
        ("organiser", "rubric/"): 9,
        ("organiser", "judges/"): 12,
        ("organiser", "leaderboard/"): 11,
        ("judge", "judging/"): 12,
        ("entrant", "entry/"): 10,
        ("member", ""): 10,
    }
    for (role, page), budget in pages.items():
        browser = client_for(person(cup, role))
        with django_assert_max_num_queries(budget):
            assert browser.get(f"/events/{cup.event.pk}/competition/{page}").status_code == 200
    comp.publish_results(cup.organiser, cup.event.pk)
    browser = client_for(cup.member)
    with django_assert_max_num_queries(11):
        assert browser.get(f"/events/{cup.event.pk}/competition/results/").status_code == 200


def test_visitors_open_the_panel_of_a_public_community_competition():
    cup = build_cup(visibility=Visibility.PUBLIC)
    assert Client().get(f"/events/{cup.event.pk}/competition/").status_code == 200
