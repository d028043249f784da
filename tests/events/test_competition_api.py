"""The competition API: the same rules as the pages, JSON errors naming the field, budgets."""

import json

import pytest
from django.test import Client

from seedbed.accounts.services import create_api_token
from seedbed.events import competitions as comp
from seedbed.events.models import Criterion, Entry, Score
from tests.events.test_competitions import build_cup, make_competition
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "entrant", "judge", "organiser"]


def api_for(user) -> Client:
    if user is None:
        return Client()
    _token, secret = create_api_token(user, "tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def person(cup, role):
    return {
        "anonymous": None,
        "outsider": cup.outsider,
        "member": cup.member,
        "entrant": cup.entrants[0],
        "judge": cup.judges[0],
        "organiser": cup.organiser,
    }[role]


def send(client, method, url, body=None):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data, content_type="application/json")


@pytest.fixture
def cup():
    return build_cup()


def test_who_may_read_what_before_publication(cup):
    base = f"/api/v1/events/{cup.event.pk}"
    expected = {
        "/competition": [404, 404, 200, 200, 200, 200],
        "/criteria": [404, 404, 200, 200, 200, 200],
        "/entries": [401, 404, 200, 200, 200, 200],
        "/judges": [401, 404, 403, 403, 403, 200],
        "/judging": [401, 404, 403, 403, 200, 403],
        "/leaderboard": [404, 404, 403, 403, 403, 200],
    }
    for path, statuses in expected.items():
        seen = [api_for(person(cup, role)).get(base + path).status_code for role in ROLES]
        assert dict(zip(ROLES, seen, strict=True)) == dict(zip(ROLES, statuses, strict=True)), path


def test_each_role_lists_the_entries_it_may_see(cup):
    comp.set_conflicts(cup.organiser, cup.event.pk, cup.judge_ids[0], [cup.entries[2]])
    url = f"/api/v1/events/{cup.event.pk}/entries"
    ids = lambda role: [e["id"] for e in api_for(person(cup, role)).get(url).json()]  # noqa: E731
    assert ids("organiser") == cup.entries
    assert ids("judge") == cup.entries[:2]
    assert ids("entrant") == cup.entries[:1]
    assert ids("member") == []


def test_a_member_enters_then_edits_through_the_api(cup):
    api = api_for(cup.member)
    url = f"/api/v1/events/{cup.event.pk}/entries"
    body = {"title": "Solar", "team": "Ana", "pitch": "Panels", "deck_url": "https://deck.example"}
    created = send(api, "post", url, body)
    assert created.status_code == 201
    assert send(api, "post", url, body | {"title": "Solar 2"}).status_code == 200
    entry_id = created.json()["id"]
    patched = send(api, "patch", f"{url}/{entry_id}", {"pitch": "Better panels"})
    assert patched.status_code == 200 and patched.json()["title"] == "Solar 2"
    assert (
        send(api_for(cup.entrants[0]), "patch", f"{url}/{entry_id}", {"title": "x"}).status_code
        == 404
    )
    assert (
        send(api_for(cup.organiser), "patch", f"{url}/{entry_id}", {"title": "x"}).status_code
        == 403
    )
    assert send(api_for(cup.judges[0]), "post", url, body).status_code == 403
    assert send(api_for(cup.outsider), "post", url, body).status_code == 404
    assert send(api_for(None), "post", url, body).status_code == 401


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"title": "", "team": "A", "pitch": "P"}, "title", 400),
        ({"title": "T", "team": "A", "pitch": "P", "deck_url": "ftp://x"}, "deck_url", 400),
        ({"title": "T", "team": "A"}, "pitch", 422),
        ({"title": "T\x00", "team": "A", "pitch": "P"}, "title", 422),
        ({"title": "T" * 201, "team": "A", "pitch": "P"}, "title", 422),
    ],
)
def test_bad_entries_get_a_json_error_naming_the_field(cup, body, field, status):
    response = send(api_for(cup.member), "post", f"/api/v1/events/{cup.event.pk}/entries", body)
    assert response.status_code == status
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Entry.objects.filter(submitted_by=cup.member).exists()


def test_organisers_build_the_rubric_and_the_panel_through_the_api(cup):
    api = api_for(cup.organiser)
    base = f"/api/v1/events/{cup.event.pk}"
    added = send(api, "post", f"{base}/criteria", {"name": "Vision", "weight": 1.5})
    assert added.status_code == 201
    cid = added.json()["id"]
    assert send(api, "patch", f"{base}/criteria/{cid}", {"weight": 3}).json()["weight"] == 3
    assert send(api, "delete", f"{base}/criteria/{cid}").status_code == 204
    assert send(api, "post", f"{base}/criteria", {"name": "X", "weight": 0}).status_code == 422
    judge = send(api, "post", f"{base}/judges", {"user_id": cup.member.pk})
    assert judge.status_code == 201
    jid = judge.json()["id"]
    conflicts = send(api, "put", f"{base}/judges/{jid}/conflicts", {"entry_ids": cup.entries[:1]})
    assert conflicts.json()["conflicts"] == cup.entries[:1]
    assert send(api, "delete", f"{base}/judges/{jid}").status_code == 204
    outsider = send(api, "post", f"{base}/judges", {"user_id": cup.outsider.pk})
    assert outsider.status_code == 400 and outsider.json()["errors"][0]["field"] == "member"
    for role in ("member", "entrant", "judge"):
        other = api_for(person(cup, role))
        assert send(other, "post", f"{base}/criteria", {"name": "V"}).status_code == 403
        assert send(other, "post", f"{base}/judges", {"user_id": cup.member.pk}).status_code == 403
        assert send(other, "put", f"{base}/publish", {"published": True}).status_code == 403


def test_judges_score_through_the_api_with_the_rules_of_the_pages(cup):
    api = api_for(cup.judges[0])
    base = f"/api/v1/events/{cup.event.pk}"
    url = f"{base}/entries/{cup.entries[0]}/scores"
    values = zip(cup.criteria, [7, 8], strict=True)
    body = {"scores": [{"criterion_id": c, "value": v} for c, v in values]}
    assert send(api, "put", url, body).status_code == 200
    body["scores"][1]["value"] = 3
    assert send(api, "put", url, body).status_code == 200
    assert sorted(Score.objects.values_list("value", flat=True)) == [3, 7]
    too_high = {"scores": [{"criterion_id": cup.criteria[0], "value": 11}]}
    response = send(api, "put", url, too_high)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "scores.0.value"
    missing = send(api, "put", url, {"scores": [{"criterion_id": cup.criteria[0], "value": 5}]})
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == f"criterion_{cup.criteria[1]}"
    sheet = api.get(f"{base}/judging").json()
    assert [row["entry"]["id"] for row in sheet] == cup.entries
    assert send(api, "post", f"{base}/entries/{cup.entries[1]}/conflict").status_code == 204
    conflicted = send(api, "put", f"{base}/entries/{cup.entries[1]}/scores", body)
    assert conflicted.status_code == 403
    assert send(api_for(cup.organiser), "put", url, body).status_code == 403
    assert send(api_for(cup.member), "put", url, body).status_code == 404


def test_a_rubric_change_after_scoring_is_refused_with_the_reason(cup):
    cup.score(0, 0, 5, 5)
    response = send(
        api_for(cup.organiser),
        "patch",
        f"/api/v1/events/{cup.event.pk}/criteria/{cup.criteria[0]}",
        {"weight": 9},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "weight"
    assert "Scoring has started" in response.json()["detail"]
    assert Criterion.objects.get(pk=cup.criteria[0]).weight == 2


def test_publication_opens_the_leaderboard_to_everyone_who_can_see_the_event(cup):
    cup.score(0, 0, 9, 9)
    cup.score(0, 1, 4, 4)
    base = f"/api/v1/events/{cup.event.pk}"
    organiser = api_for(cup.organiser)
    board = organiser.get(f"{base}/leaderboard").json()
    assert [row["entry_id"] for row in board["standings"]] == cup.entries
    assert board["standings"][0]["raw_mean"] == 9 and board["published"] is False
    published = send(organiser, "put", f"{base}/publish", {"published": True})
    assert published.json()["published"] is True
    seen = {role: api_for(person(cup, role)).get(f"{base}/leaderboard") for role in ROLES}
    assert {role: r.status_code for role, r in seen.items()} == {
        "anonymous": 404,
        "outsider": 404,
        "member": 200,
        "entrant": 200,
        "judge": 200,
        "organiser": 200,
    }
    public_rows = seen["member"].json()["standings"]
    assert [row["entry_id"] for row in public_rows] == cup.entries[:2]
    assert all(row["raw_mean"] is None for row in public_rows)
    assert send(organiser, "put", f"{base}/publish", {"published": False}).status_code == 200
    assert api_for(cup.member).get(f"{base}/leaderboard").status_code == 403


def test_a_visitor_reads_a_public_competition_but_cannot_write():
    organiser = MemberFactory(is_staff=True)
    event = make_competition(organiser)
    visitor = Client()
    summary = visitor.get(f"/api/v1/events/{event.pk}/competition").json()
    assert summary["entries_open"] is True and summary["may_enter"] is False
    body = {"title": "T", "team": "A", "pitch": "P"}
    assert send(visitor, "post", f"/api/v1/events/{event.pk}/entries", body).status_code == 401
    salon = make_competition(organiser, kind="salon")
    assert visitor.get(f"/api/v1/events/{salon.pk}/competition").status_code == 404


@pytest.mark.parametrize(("n_entries", "n_judges"), [(2, 2), (12, 6)])
def test_every_endpoint_has_a_fixed_query_budget(
    n_entries, n_judges, django_assert_max_num_queries
):
    cup = build_cup(n_entries=n_entries, n_judges=n_judges)
    for j in range(n_judges):
        for e in range(n_entries):
            cup.score(j, e, (j + e) % 10 + 1, (j * e) % 10 + 1)
    comp.set_conflicts(cup.organiser, cup.event.pk, cup.judge_ids[0], cup.entries[:1])
    base = f"/api/v1/events/{cup.event.pk}"
    reads = {
        ("organiser", "/competition"): 9,
        ("organiser", "/entries"): 8,
        ("organiser", "/criteria"): 6,
        ("organiser", "/judges"): 8,
        ("organiser", "/leaderboard"): 10,
        ("judge", "/judging"): 10,
    }
    for (role, path), budget in reads.items():
        api = api_for(person(cup, role))
        with django_assert_max_num_queries(budget):
            assert api.get(base + path).status_code == 200, path
    api = api_for(cup.judges[1])
    body = {"scores": [{"criterion_id": c, "value": 5} for c in cup.criteria]}
    with django_assert_max_num_queries(16):
        assert send(api, "put", f"{base}/entries/{cup.entries[0]}/scores", body).status_code == 200


@pytest.mark.parametrize("role", ["member", "entrant", "judge", "organiser"])
def test_the_pages_and_the_api_agree_on_who_sees_raw_means_and_unscored_entries(cup, role):
    """Raw means would let entrants work out a judge's marks: the organisers' only, like the
    entries nobody scored, on the leaderboard page and in the API alike."""
    cup.score(0, 0, 9, 9)
    cup.score(0, 1, 4, 4)
    comp.publish_results(cup.organiser, cup.event.pk)
    user = person(cup, role)
    rows = api_for(user).get(f"/api/v1/events/{cup.event.pk}/leaderboard").json()["standings"]
    in_the_api = (
        any(row["raw_mean"] is not None for row in rows),
        len(rows) == len(cup.entries),
    )
    browser = Client()
    browser.force_login(user)
    page = browser.get(f"/events/{cup.event.pk}/competition/leaderboard/", follow=True)
    on_the_page = (
        "Raw weighted mean" in page.content.decode(),
        "not scored" in page.content.decode(),
    )
    assert in_the_api == on_the_page == (role == "organiser", role == "organiser")
