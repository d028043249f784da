"""Double opt-in intros, their thread, the operators' pipeline and matching rounds through
/api/v1: the same rules as the pages, JSON errors naming the field, fixed query budgets."""

import pytest

from seedbed.core import ratelimit
from seedbed.matching import services
from seedbed.matching.models import Intro, IntroMessage, IntroStatus
from seedbed.matching.services import intros as intro_services
from tests.factories import MemberFactory
from tests.matching.api_helpers import api_for, fields_named, make_offers, make_projects, send
from tests.matching.conftest import client_for

pytestmark = pytest.mark.django_db


def _ask(user, project, offer, message: str = "Hello"):
    return send(
        api_for(user),
        "post",
        "/api/v1/intros",
        {"project": project.slug, "offer": offer.pk, "message": message},
    )


def test_a_founder_asks_and_the_investor_accepts(project, founder, investor, investor_offer):
    asked = _ask(founder, project, investor_offer, "We would love your view on our round.")
    assert asked.status_code == 201, asked.content
    intro = asked.json()
    assert intro["project"]["slug"] == project.slug and intro["offer"]["id"] == investor_offer.pk
    assert intro["offer"]["kind"] == "investor"
    assert (intro["status"], intro["stage"]) == ("requested", "requested")
    assert (intro["project_consent"], intro["offer_consent"]) == (True, None)
    assert intro["contacts"] is None and intro["can_withdraw"] is True
    assert intro["can_answer"] is False

    investor_api = api_for(investor)
    seen = investor_api.get(f"/api/v1/intros/{intro['id']}").json()
    assert seen["message"] == "We would love your view on our round."
    assert seen["can_answer"] is True and seen["contacts"] is None
    accepted = investor_api.post(f"/api/v1/intros/{intro['id']}/accept")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted" and accepted.json()["offer_consent"] is True
    contacts = accepted.json()["contacts"]
    assert [c["email"] for c in contacts["offer"]] == [investor.email]
    assert founder.email in [c["email"] for c in contacts["team"]]


def test_an_investor_may_ask_the_team_too(project, founder, investor, investor_offer):
    asked = _ask(investor, project, investor_offer).json()
    assert (asked["project_consent"], asked["offer_consent"]) == (None, True)
    answered = api_for(founder).post(f"/api/v1/intros/{asked['id']}/accept").json()
    assert answered["status"] == "accepted"


def test_the_other_side_declines_with_a_reason_the_asking_side_reads(
    project, founder, investor, investor_offer, operator
):
    intro_id = _ask(founder, project, investor_offer).json()["id"]
    url = f"/api/v1/intros/{intro_id}"
    declined = send(
        api_for(investor), "post", f"{url}/decline", {"reason": "timing", "note": "After Q3"}
    )
    assert declined.status_code == 200, declined.content
    assert declined.json()["status"] == "declined"
    seen = api_for(founder).get(url).json()
    assert (seen["decline_reason"], seen["decline_note"]) == ("timing", "After Q3")
    assert seen["contacts"] is None
    pipeline_view = api_for(operator).get(url).json()
    assert pipeline_view["status"] == "declined"
    assert pipeline_view["decline_reason"] is None and pipeline_view["decline_note"] is None
    assert pipeline_view["message"] is None
    mine = api_for(founder).get("/api/v1/intros").json()["items"]
    assert [(i["id"], i["decline_reason"]) for i in mine] == [(intro_id, "timing")]


@pytest.mark.parametrize(
    "body",
    [{"reason": "boring"}, {}, {"reason": "timing", "note": "x" * 501}],
)
def test_a_bad_decline_names_the_field_and_changes_nothing(
    project, founder, investor, investor_offer, body
):
    intro_id = _ask(founder, project, investor_offer).json()["id"]
    response = send(api_for(investor), "post", f"/api/v1/intros/{intro_id}/decline", body)
    assert response.status_code == 422
    assert fields_named(response)[0] in ("reason", "note")
    assert Intro.objects.get(pk=intro_id).status == IntroStatus.REQUESTED


def test_a_pair_waits_ninety_days_after_a_decline(project, founder, investor, investor_offer):
    intro_id = _ask(founder, project, investor_offer).json()["id"]
    send(api_for(investor), "post", f"/api/v1/intros/{intro_id}/decline", {"reason": "not_a_fit"})
    again = _ask(founder, project, investor_offer)
    assert again.status_code == 400
    assert "requested again" in again.json()["detail"]
    assert Intro.objects.count() == 1


def test_one_pending_intro_per_pair(project, founder, cofounder, investor, investor_offer):
    assert _ask(founder, project, investor_offer).status_code == 201
    assert _ask(cofounder, project, investor_offer).status_code == 400
    assert _ask(investor, project, investor_offer).status_code == 400
    assert Intro.objects.count() == 1


def test_an_intro_names_a_project_and_an_offer_that_exist(project, founder, investor_offer):
    missing_offer = send(
        api_for(founder), "post", "/api/v1/intros", {"project": project.slug, "offer": 999_999}
    )
    assert missing_offer.status_code == 404
    missing_project = send(
        api_for(founder), "post", "/api/v1/intros", {"project": "nope", "offer": investor_offer.pk}
    )
    assert missing_project.status_code == 404
    no_offer = send(api_for(founder), "post", "/api/v1/intros", {"project": project.slug})
    assert no_offer.status_code == 422 and fields_named(no_offer) == ["offer"]
    assert not Intro.objects.exists()


def test_the_asking_side_withdraws(project, founder, investor_offer):
    intro_id = _ask(founder, project, investor_offer).json()["id"]
    withdrawn = api_for(founder).post(f"/api/v1/intros/{intro_id}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert api_for(founder).post(f"/api/v1/intros/{intro_id}/withdraw").status_code == 400


def test_the_two_sides_talk_record_the_meeting_and_the_outcome(
    project, founder, investor, investor_offer, operator
):
    intro_id = _ask(founder, project, investor_offer).json()["id"]
    url = f"/api/v1/intros/{intro_id}"
    assert api_for(founder).get(f"{url}/messages").status_code == 403
    assert send(api_for(founder), "post", f"{url}/messages", {"body": "Hi"}).status_code == 403
    api_for(investor).post(f"{url}/accept")

    posted = send(api_for(founder), "post", f"{url}/messages", {"body": "Tuesday at 10?"})
    assert posted.status_code == 201 and posted.json()["author"]["id"] == founder.pk
    send(api_for(investor), "post", f"{url}/messages", {"body": "Works for me."})
    thread = api_for(investor).get(f"{url}/messages").json()
    assert [m["body"] for m in thread["items"]] == ["Tuesday at 10?", "Works for me."]
    assert api_for(operator).get(f"{url}/messages").status_code == 403
    assert api_for(operator).get(url).json()["contacts"] is None

    met = api_for(investor).post(f"{url}/met").json()
    assert met["stage"] == "met" and met["met_at"]
    outcome = send(api_for(founder), "post", f"{url}/outcome", {"outcome": "invested"})
    assert outcome.status_code == 200
    assert (outcome.json()["stage"], outcome.json()["outcome"]) == ("outcome", "invested")


def test_an_empty_message_names_the_field(project, founder, investor, investor_offer):
    intro = services.request_intro(founder, project.slug, investor_offer.pk)
    services.answer_intro(investor, intro.pk, accept=True)
    response = send(api_for(founder), "post", f"/api/v1/intros/{intro.pk}/messages", {"body": " "})
    assert response.status_code == 400 and fields_named(response) == ["body"]
    assert not IntroMessage.objects.exists()


@pytest.mark.parametrize("body", ["x" * 4001, "a\x00b"])
def test_an_overlong_or_nul_message_is_refused(project, founder, investor, investor_offer, body):
    intro = services.request_intro(founder, project.slug, investor_offer.pk)
    services.answer_intro(investor, intro.pk, accept=True)
    response = send(api_for(founder), "post", f"/api/v1/intros/{intro.pk}/messages", {"body": body})
    assert response.status_code == 422 and response.json()["errors"]
    assert not IntroMessage.objects.exists()


def test_an_unknown_outcome_names_the_field(project, founder, investor, investor_offer):
    intro = services.request_intro(founder, project.slug, investor_offer.pk)
    services.answer_intro(investor, intro.pk, accept=True)
    url = f"/api/v1/intros/{intro.pk}/outcome"
    response = send(api_for(founder), "post", url, {"outcome": "rich"})
    assert response.status_code == 422 and fields_named(response) == ["outcome"]
    intro.refresh_from_db()
    assert intro.outcome == ""


def test_my_intros_filter_by_status(project, founder, investor, investor_offer, mentor_offer):
    first = services.request_intro(founder, project.slug, investor_offer.pk)
    services.request_intro(founder, project.slug, mentor_offer.pk)
    services.answer_intro(investor, first.pk, accept=True)
    api = api_for(founder)
    assert api.get("/api/v1/intros").json()["count"] == 2
    accepted = api.get("/api/v1/intros?status=accepted").json()["items"]
    assert [i["id"] for i in accepted] == [first.pk]
    assert api_for(investor).get("/api/v1/intros").json()["count"] == 1
    assert api.get("/api/v1/intros?status=lost").status_code == 422


def test_an_intro_asked_with_a_token_counts_against_that_token(
    project, founder, investor_offer, monkeypatch
):
    keys = []
    real_hit = ratelimit.hit
    monkeypatch.setattr(
        ratelimit, "hit", lambda key, limits: keys.append(key) or real_hit(key, limits)
    )
    token_client = api_for(founder)
    response = send(
        token_client,
        "post",
        "/api/v1/intros",
        {"project": project.slug, "offer": investor_offer.pk},
    )
    assert response.status_code == 201
    from seedbed.accounts.models import ApiToken

    token = ApiToken.objects.get(user=founder)
    assert f"intro:token:{token.pk}" in keys and f"intro:user:{founder.pk}" in keys


def test_asking_too_fast_answers_429(project, founder, investor_offer, mentor_offer, monkeypatch):
    monkeypatch.setattr(intro_services, "INTRO_RATE_LIMITS", [(1, 3600)])
    assert _ask(founder, project, investor_offer).status_code == 201
    too_fast = _ask(founder, project, mentor_offer)
    assert too_fast.status_code == 429 and too_fast["Retry-After"]


# Operators: pipeline and rounds -----------------------------------------------------------------


def test_operators_read_the_pipeline_with_rates_and_kinds(
    project, founder, investor, mentor, investor_offer, mentor_offer, operator
):
    won = services.request_intro(founder, project.slug, investor_offer.pk)
    services.answer_intro(investor, won.pk, accept=True)
    services.record_outcome(founder, won.pk, "invested")
    lost = services.request_intro(founder, project.slug, mentor_offer.pk)
    services.answer_intro(mentor, lost.pk, accept=False, reason="no_capacity")
    response = api_for(operator).get("/api/v1/pipeline")
    assert response.status_code == 200
    pipeline = response.json()
    assert pipeline["total"] == 2
    assert pipeline["counts"]["outcome"] == 1 and pipeline["counts"]["declined"] == 1
    assert pipeline["outcomes"] == {"invested": 1}
    assert pipeline["acceptance_rate"] == 0.5
    assert pipeline["meeting_rate"] == 1.0 and pipeline["deal_rate"] == 1.0
    assert pipeline["by_kind"]["investor"] == {"accepted": 1}
    assert pipeline["by_kind"]["mentor"] == {"declined": 1}
    mentors_only = api_for(operator).get("/api/v1/pipeline?kind=mentor").json()
    assert mentors_only["total"] == 1 and mentors_only["acceptance_rate"] == 0.0
    assert api_for(operator).get("/api/v1/pipeline?kind=alien").status_code == 422


def test_an_empty_pipeline_has_no_rates(operator):
    pipeline = api_for(operator).get("/api/v1/pipeline").json()
    assert pipeline["total"] == 0 and pipeline["acceptance_rate"] is None


def test_operators_build_a_round_and_send_its_proposals(
    project, mentor_offer, founder, mentor, operator
):
    services.refresh_matches()
    api = api_for(operator)
    created = send(api, "post", "/api/v1/rounds", {"name": "Spring office hours", "kind": "mentor"})
    assert created.status_code == 201, created.content
    round_ = created.json()
    assert round_["kind"] == "mentor" and round_["sent_at"] is None
    assert round_["projects_covered"] == 1
    (proposal,) = round_["proposals"]
    assert proposal["project"]["slug"] == project.slug
    assert proposal["offer"]["id"] == mentor_offer.pk
    assert proposal["reasons"] and proposal["reason_text"]
    assert api.get(f"/api/v1/rounds/{round_['id']}").json() == round_

    sent = api.post(f"/api/v1/rounds/{round_['id']}/send")
    assert sent.status_code == 200 and sent.json() == {"sent": 1}
    intro = Intro.objects.get(round_id=round_["id"])
    assert (intro.project_consent, intro.offer_consent) == (None, None)
    assert api_for(founder).get(f"/api/v1/intros/{intro.pk}").json()["can_answer"] is True
    again = api.post(f"/api/v1/rounds/{round_['id']}/send")
    assert again.status_code == 400 and "already sent" in again.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"name": "R", "min_score": 2}, "min_score", 400),
        ({"name": "R", "kind": "alien"}, "kind", 422),
        ({"name": ""}, "name", 400),
        ({"kind": "mentor"}, "name", 422),
    ],
)
def test_a_bad_round_names_the_field(operator, body, field, status):
    response = send(api_for(operator), "post", "/api/v1/rounds", body)
    assert response.status_code == status
    assert fields_named(response) == [field]


def test_a_missing_round_answers_404(operator):
    assert api_for(operator).get("/api/v1/rounds/999999").status_code == 404


# Query budgets ----------------------------------------------------------------------------------


def _intros_for(founder, n: int) -> list:
    (project,) = make_projects(1, founder=founder)
    intros = []
    for offer in make_offers(n, "mentor"):
        intro = services.request_intro(founder, project.slug, offer.pk)
        services.answer_intro(offer.owner, intro.pk, accept=True)
        intros.append(intro)
    return intros


@pytest.fixture
def chatty(settings):
    settings.POSTING_RATE_LIMITS = [(10_000, 60)]


@pytest.mark.parametrize("n", [3, 15])
def test_my_intros_have_a_fixed_query_budget(
    n, founder, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(intro_services, "INTRO_RATE_LIMITS", [(10_000, 60)])
    _intros_for(founder, n)
    browser = client_for(founder)
    with django_assert_max_num_queries(6):
        response = browser.get("/api/v1/intros?page_size=100")
    assert response.json()["count"] == n


@pytest.mark.parametrize("n", [3, 15])
def test_an_intro_and_its_thread_have_fixed_query_budgets(
    n, chatty, founder, django_assert_max_num_queries
):
    (intro,) = _intros_for(founder, 1)
    for i in range(n):
        author = founder if i % 2 else intro.offer.owner
        services.post_intro_message(author, intro.pk, f"message {i}")
    browser = client_for(founder)
    with django_assert_max_num_queries(8):
        response = browser.get(f"/api/v1/intros/{intro.pk}/messages?page_size=100")
    assert response.json()["count"] == n
    with django_assert_max_num_queries(8):
        assert browser.get(f"/api/v1/intros/{intro.pk}").status_code == 200


@pytest.mark.parametrize("n", [3, 15])
def test_the_pipeline_and_a_round_have_fixed_query_budgets(
    n, operator, founder, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(intro_services, "INTRO_RATE_LIMITS", [(10_000, 60)])
    _intros_for(founder, n)
    make_projects(n)
    make_offers(n, "mentor")
    services.refresh_matches()
    round_ = services.create_round(operator, name="Budget", kind="mentor")
    assert round_.proposals.count() >= n
    browser = client_for(operator)
    with django_assert_max_num_queries(6):
        assert browser.get("/api/v1/pipeline").json()["total"] == n
    with django_assert_max_num_queries(5):
        assert browser.get(f"/api/v1/rounds/{round_.pk}").status_code == 200


def test_an_unrelated_member_cannot_find_an_intro(project, founder, investor_offer):
    intro = services.request_intro(founder, project.slug, investor_offer.pk)
    stranger = api_for(MemberFactory())
    assert stranger.get(f"/api/v1/intros/{intro.pk}").status_code == 404
    assert stranger.get("/api/v1/intros").json()["count"] == 0
