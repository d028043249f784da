"""The double opt-in through the pages: asking, answering, contacts and the thread, meeting
and outcome, the refusals a member sees, "my intros" and the intro notifications."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from seedbed.matching import services
from seedbed.matching.models import Intro, IntroMessage, IntroStatus
from seedbed.matching.services import intros as intro_services
from seedbed.notifications import services as notification_services
from seedbed.notifications.models import Notification
from tests.matching.conftest import SECRET_TERMS
from tests.matching.intro_pages_helpers import (
    accepted_intro,
    ask,
    client_for,
    errors,
    flashed,
    more_offers,
    page,
    post,
    thread_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _scored(project, investor_offer, mentor_offer):
    services.refresh_matches()


def test_a_founder_asks_the_investor_accepts_and_both_sides_see_contacts_and_thread(
    project, investor_offer, founder, cofounder, investor, outsider, operator
):
    response = ask(founder, project, investor_offer, "We build robot arms; coffee?")

    intro = Intro.objects.get(project=project, offer=investor_offer)
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:intro", args=[intro.pk])
    assert flashed(response)[0][0] == "success"
    asker_page = page(founder, intro)
    assert "Waiting for the offer's owner to answer." in asker_page
    assert "We build robot arms; coffee?" in asker_page
    assert reverse("matching:intro_withdraw", args=[intro.pk]) in asker_page
    assert reverse("matching:intro_accept", args=[intro.pk]) not in asker_page
    owner_page = page(investor, intro)
    assert reverse("matching:intro_accept", args=[intro.pk]) in owner_page
    assert 'name="reason"' in owner_page and "Bad timing" in owner_page
    assert founder.email not in owner_page and investor.email not in asker_page

    response = post(investor, "intro_accept", intro)

    assert response["Location"] == reverse("matching:intro", args=[intro.pk])
    assert Intro.objects.get(pk=intro.pk).status == IntroStatus.ACCEPTED
    post(founder, "intro_message", intro, {"body": "Tuesday at ten suits us."})
    for party in (founder, cofounder, investor):
        seen = page(party, intro)
        assert all(p.email in seen for p in (founder, cofounder, investor))
        assert "Tuesday at ten suits us." in seen
        assert reverse("matching:intro_message", args=[intro.pk]) in seen
    operator_page = page(operator, intro)
    assert "Accepted" in operator_page and "Robo Arm" in operator_page
    assert "Tuesday at ten suits us." not in operator_page
    assert "We build robot arms; coffee?" not in operator_page
    assert not any(p.email in operator_page for p in (founder, cofounder, investor))
    outsider_response = client_for(outsider).get(reverse("matching:intro", args=[intro.pk]))
    assert outsider_response.status_code == 404


def test_deal_data_never_appears_on_the_intro_pages(
    project, investor_offer, founder, investor, operator
):
    intro = accepted_intro(founder, project, investor_offer)
    for viewer in (founder, investor, operator):
        text = page(viewer, intro)
        assert SECRET_TERMS not in text and "1000000" not in text and "2000000" not in text
        listing = client_for(viewer).get(reverse("matching:intros")).content.decode()
        assert SECRET_TERMS not in listing


def test_the_intro_page_explains_the_match_with_its_score_and_reasons(
    project, investor_offer, founder
):
    response = ask(founder, project, investor_offer)
    intro = Intro.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    text = page(founder, intro)
    assert intro.score is not None and f"{round(intro.score * 100)}%" in text
    assert "Why they match" in text and "Sectors:" in text


def test_the_offer_owner_can_ask_the_team_and_any_team_member_answers(
    project, mentor_offer, mentor, cofounder
):
    ask(mentor, project, mentor_offer, "I can help with pricing.")
    intro = Intro.objects.get(project=project, offer=mentor_offer)
    assert "Waiting for your answer." in page(cofounder, intro)

    post(cofounder, "intro_accept", intro)

    assert Intro.objects.get(pk=intro.pk).status == IntroStatus.ACCEPTED
    assert "mentor" in page(mentor, intro).lower()


def test_a_declines_reason_and_note_reach_the_asking_side_but_not_operators(
    project, investor_offer, founder, investor, operator
):
    ask(founder, project, investor_offer)
    intro = Intro.objects.get(project=project, offer=investor_offer)

    post(investor, "intro_decline", intro, {"reason": "timing", "note": "Fund closes in May"})

    asker_page = page(founder, intro)
    assert "Bad timing" in asker_page and "Fund closes in May" in asker_page
    assert founder.email not in page(investor, intro)
    operator_page = page(operator, intro)
    assert "Declined" in operator_page
    assert "Bad timing" not in operator_page and "Fund closes in May" not in operator_page
    assert reverse("matching:intro_message", args=[intro.pk]) not in asker_page


def test_asking_again_within_90_days_of_a_decline_is_refused_with_the_date(
    project, investor_offer, founder, investor
):
    ask(founder, project, investor_offer)
    intro = Intro.objects.get(project=project, offer=investor_offer)
    post(investor, "intro_decline", intro, {"reason": "not_a_fit"})

    response = ask(founder, project, investor_offer, "Please reconsider")

    again = timezone.localdate(Intro.objects.get(pk=intro.pk).decided_at + timedelta(days=90))
    assert response["Location"] == reverse("matching:project", args=[project.slug])
    assert any(again.isoformat() in text for text in errors(response))
    assert Intro.objects.filter(project=project, offer=investor_offer).count() == 1


def test_a_second_pending_request_for_the_same_pair_is_refused(
    project, investor_offer, founder, cofounder, investor
):
    ask(founder, project, investor_offer)
    back = reverse("matching:offer", args=[investor_offer.pk])

    from_team = ask(cofounder, project, investor_offer, next=back)
    from_owner = ask(investor, project, investor_offer)

    assert from_team["Location"] == back
    assert errors(from_team) == ["An intro between these two is already pending."]
    assert errors(from_owner) == ["An intro between these two is already pending."]
    assert Intro.objects.filter(project=project, offer=investor_offer).count() == 1


def test_a_next_address_on_another_site_is_ignored(project, investor_offer, founder):
    ask(founder, project, investor_offer)
    response = ask(founder, project, investor_offer, next="https://evil.example/phish")
    assert response["Location"] == reverse("matching:project", args=[project.slug])


def test_an_intro_button_returns_to_the_page_it_was_pressed_on_when_that_page_is_ours(
    project, investor_offer, mentor_offer, founder, investor, mentor
):
    ask(founder, project, investor_offer)
    ask(founder, project, mentor_offer)
    pending = Intro.objects.get(offer=investor_offer)
    other = Intro.objects.get(offer=mentor_offer)
    mine = reverse("matching:intros")

    accepted = post(investor, "intro_accept", pending, {"next": mine})
    declined = post(mentor, "intro_decline", other, {"reason": "timing", "next": "//evil.example"})

    assert accepted["Location"] == mine
    assert declined["Location"] == reverse("matching:intro", args=[other.pk])
    assert Intro.objects.get(pk=other.pk).status == IntroStatus.DECLINED


def test_asking_with_a_missing_or_unknown_offer_stores_nothing(project, founder):
    url = reverse("matching:intro_request", args=[project.slug])
    missing = client_for(founder).post(url, {"offer_id": "", "message": "Hi"})
    unknown = client_for(founder).post(url, {"offer_id": "999999"})
    assert errors(missing) == ["Choose an offer."]
    assert unknown.status_code == 404
    assert not Intro.objects.exists()


def test_asking_too_fast_is_refused_with_a_message(
    project, investor_offer, mentor_offer, founder, monkeypatch
):
    monkeypatch.setattr(intro_services, "INTRO_RATE_LIMITS", [(1, 3600)])
    ask(founder, project, investor_offer)
    response = ask(founder, project, mentor_offer)
    assert response.status_code == 302
    assert "very fast" in errors(response)[0]
    assert Intro.objects.count() == 1


def test_a_pending_request_can_be_withdrawn_by_the_asking_side_only(
    project, investor_offer, founder, cofounder, investor
):
    ask(founder, project, investor_offer)
    intro = Intro.objects.get(project=project, offer=investor_offer)
    refused = post(investor, "intro_withdraw", intro)
    assert errors(refused) and Intro.objects.get(pk=intro.pk).status == IntroStatus.REQUESTED

    post(cofounder, "intro_withdraw", intro)

    assert Intro.objects.get(pk=intro.pk).status == IntroStatus.WITHDRAWN
    late = post(investor, "intro_accept", intro)
    assert errors(late) == ["This intro is not waiting for your answer."]
    assert "withdrawn" in page(investor, intro)


def test_the_two_sides_record_the_meeting_and_the_outcome(
    project, investor_offer, founder, investor
):
    intro = accepted_intro(founder, project, investor_offer)
    assert "We met" in page(founder, intro)

    post(investor, "intro_met", intro)
    post(founder, "intro_outcome", intro, {"outcome": "invested"})

    stored = Intro.objects.get(pk=intro.pk)
    assert stored.met_at is not None and stored.outcome == "invested"
    text = page(investor, intro)
    assert "Met on" in text and "Invested" in text and "We met</button>" not in text


@pytest.mark.parametrize(
    ("action", "data", "field", "untouched"),
    [
        ("intro_decline", {"reason": "rude", "note": "x"}, "reason", ("status", "requested")),
        ("intro_decline", {"reason": ""}, "reason", ("status", "requested")),
        ("intro_outcome", {"outcome": "rich"}, "outcome", ("outcome", "")),
        ("intro_message", {"body": "   "}, "body", None),
    ],
)
def test_bad_input_gives_a_message_and_stores_nothing(
    project, investor_offer, mentor_offer, founder, investor, action, data, field, untouched
):
    offer = investor_offer if action == "intro_decline" else mentor_offer
    if action == "intro_decline":
        ask(founder, project, offer)
        intro = Intro.objects.get(project=project, offer=offer)
        actor = investor
    else:
        intro = accepted_intro(founder, project, offer)
        actor = founder

    response = post(actor, action, intro, data)

    assert response["Location"] == reverse("matching:intro", args=[intro.pk])
    assert errors(response), field
    stored = Intro.objects.get(pk=intro.pk)
    if untouched:
        assert getattr(stored, untouched[0]) == untouched[1]
    assert not IntroMessage.objects.exists()
    assert (stored.decline_reason, stored.outcome) == ("", "")


def test_my_intros_sorts_intros_into_what_waits_for_whom(
    project, investor_offer, mentor_offer, founder, investor, mentor
):
    ask(founder, project, investor_offer)
    ask(founder, project, mentor_offer)
    accepted = Intro.objects.get(offer=mentor_offer)
    post(mentor, "intro_accept", accepted)
    investor_view = client_for(investor).get(reverse("matching:intros"))
    mine = investor_view.context["mine"]
    assert [i.offer for i in mine.awaiting] == [investor_offer]
    founder_mine = client_for(founder).get(reverse("matching:intros")).context["mine"]
    assert [i.offer for i in founder_mine.waiting_for_others] == [investor_offer]
    assert founder_mine.accepted == [accepted] and not founder_mine.awaiting

    declined = Intro.objects.get(offer=investor_offer)
    post(investor, "intro_decline", declined, {"reason": "other"})

    founder_mine = client_for(founder).get(reverse("matching:intros")).context["mine"]
    assert founder_mine.closed == [declined] and not founder_mine.waiting_for_others
    text = client_for(founder).get(reverse("matching:intros")).content.decode()
    assert reverse("matching:intro", args=[declined.pk]) in text and "Other" in text


def test_intro_notifications_link_to_the_intro(project, investor_offer, founder, investor):
    ask(founder, project, investor_offer)
    intro = Intro.objects.get(project=project, offer=investor_offer)
    text = client_for(investor).get(reverse("notifications:inbox")).content.decode()
    assert "asked for an intro" in text and founder.display_name in text
    assert reverse("matching:intro", args=[intro.pk]) in text
    assert "Robo Arm × Hardware seed fund" in text

    post(investor, "intro_accept", intro)

    text = client_for(founder).get(reverse("notifications:inbox")).content.decode()
    assert "accepted the intro" in text and investor.display_name in text


def test_the_digest_counts_intro_notifications_without_their_content(
    project, investor_offer, founder, investor, django_capture_on_commit_callbacks
):
    ask(founder, project, investor_offer, "Confidential pitch deck link")
    with django_capture_on_commit_callbacks(execute=True):
        sent = notification_services.send_digest(investor, "weekly")
    assert sent
    body = mail.outbox[-1].body
    assert "1 unread notification" in body
    assert "Confidential pitch deck link" not in body and SECRET_TERMS not in body


@pytest.mark.parametrize("size", [3, 15])
def test_the_intro_page_has_a_fixed_query_budget(
    project, investor_offer, founder, investor, size, django_assert_max_num_queries
):
    intro = accepted_intro(founder, project, investor_offer)
    thread_of(intro, investor, size)
    client = client_for(founder)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("matching:intro", args=[intro.pk]))
    assert response.content.decode().count("Message number") == size


@pytest.mark.parametrize("size", [3, 15])
def test_my_intros_has_a_fixed_query_budget(project, founder, size, django_assert_max_num_queries):
    offers = more_offers("mentor", size)
    for offer in offers:
        Intro.objects.create(
            project=project, offer=offer, requested_by=founder, project_consent=True
        )
    client = client_for(founder)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("matching:intros"))
    assert len(response.context["mine"].waiting_for_others) == size


@pytest.mark.parametrize("size", [3, 15])
def test_the_notifications_page_keeps_its_budget_with_intro_notifications(
    project, founder, investor, size, django_assert_max_num_queries
):
    offers = more_offers("investor", size)
    intros = [
        Intro.objects.create(
            project=project, offer=offer, requested_by=founder, project_consent=True
        )
        for offer in offers
    ]
    Notification.objects.bulk_create(
        Notification(recipient=investor, actor=founder, kind="intro_requested", intro=intro)
        for intro in intros
    )
    client = client_for(investor)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("notifications:inbox"))
    assert response.content.decode().count("asked for an intro") == size


def test_the_outcome_form_preselects_what_the_kind_of_offer_usually_leads_to(
    project, mentor_offer, founder, mentor
):
    from seedbed.matching import services
    from tests.matching.conftest import client_for

    intro = services.request_intro(founder, project.slug, mentor_offer.pk)
    services.answer_intro(mentor, intro.pk, accept=True)
    page = client_for(founder).get(f"/intros/{intro.pk}/").content.decode()
    assert '<option value="mentored" selected>' in page
