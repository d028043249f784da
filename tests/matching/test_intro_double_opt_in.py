from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from seedbed.matching import services
from seedbed.matching.models import Intro, IntroStatus
from seedbed.notifications.models import Notification


def test_an_investor_asks_and_the_team_accepts_then_both_see_contacts(
    project, investor_offer, investor, founder, cofounder
):
    intro = services.request_intro(investor, project.slug, investor_offer.pk, message="Hello")
    assert (intro.offer_consent, intro.project_consent) == (True, None)
    assert set(
        Notification.objects.filter(kind="intro_requested").values_list("recipient", flat=True)
    ) == {founder.pk, cofounder.pk}
    view = services.get_intro(founder, intro.pk)
    assert view.can_answer and not services.intro_contacts(view)

    services.answer_intro(cofounder, intro.pk, accept=True)

    intro.refresh_from_db()
    assert intro.status == IntroStatus.ACCEPTED and intro.decided_by == cofounder
    contacts = services.intro_contacts(services.get_intro(investor, intro.pk))
    assert {u.email for u in contacts["team"]} == {founder.email, cofounder.email}
    assert contacts["offer"] == [investor]
    assert services.intro_contacts(services.get_intro(founder, intro.pk))["offer"] == [investor]


def test_a_team_request_waits_for_the_offer_owner_not_the_team(
    project, mentor_offer, founder, cofounder, mentor
):
    intro = services.request_intro(founder, project.slug, mentor_offer.pk)
    assert not services.get_intro(cofounder, intro.pk).can_answer
    with pytest.raises(ValidationError):
        services.answer_intro(cofounder, intro.pk, accept=True)
    services.answer_intro(mentor, intro.pk, accept=True)
    assert Intro.objects.get(pk=intro.pk).status == IntroStatus.ACCEPTED


def test_a_decline_needs_a_known_reason_and_the_asking_side_sees_it(
    project, investor_offer, investor, founder
):
    intro = services.request_intro(investor, project.slug, investor_offer.pk)
    with pytest.raises(ValidationError) as exc:
        services.answer_intro(founder, intro.pk, accept=False, reason="rude")
    assert "reason" in exc.value.message_dict
    assert Intro.objects.get(pk=intro.pk).status == IntroStatus.REQUESTED

    services.answer_intro(founder, intro.pk, accept=False, reason="timing", note="After our round")

    declined = services.get_intro(investor, intro.pk).intro
    assert declined.status == IntroStatus.DECLINED
    assert (declined.decline_reason, declined.decline_note) == ("timing", "After our round")
    assert Notification.objects.filter(kind="intro_declined", recipient=investor).exists()
    assert services.intro_contacts(services.get_intro(investor, intro.pk)) == {}


def test_only_one_intro_per_pair_can_be_pending(project, investor_offer, investor, founder):
    services.request_intro(investor, project.slug, investor_offer.pk)
    with pytest.raises(ValidationError, match="already pending"):
        services.request_intro(founder, project.slug, investor_offer.pk)
    assert Intro.objects.count() == 1


def test_the_database_refuses_a_second_pending_intro_for_a_pair(project, investor_offer):
    from django.db import IntegrityError, transaction

    Intro.objects.create(project=project, offer=investor_offer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Intro.objects.create(project=project, offer=investor_offer)


def test_a_declined_intro_cannot_be_asked_again_for_ninety_days(
    project, investor_offer, investor, founder
):
    intro = services.request_intro(investor, project.slug, investor_offer.pk)
    services.answer_intro(founder, intro.pk, accept=False, reason="not_a_fit")
    with pytest.raises(ValidationError, match="requested again from"):
        services.request_intro(investor, project.slug, investor_offer.pk)
    with pytest.raises(ValidationError, match="requested again from"):
        services.request_intro(founder, project.slug, investor_offer.pk)

    Intro.objects.filter(pk=intro.pk).update(decided_at=timezone.now() - timedelta(days=91))
    again = services.request_intro(investor, project.slug, investor_offer.pk)
    assert again.status == IntroStatus.REQUESTED


def test_a_withdrawn_intro_frees_the_pair_at_once(project, investor_offer, investor, founder):
    intro = services.request_intro(investor, project.slug, investor_offer.pk)
    with pytest.raises(ValidationError):
        services.withdraw_intro(founder, intro.pk)
    services.withdraw_intro(investor, intro.pk)
    assert services.request_intro(founder, project.slug, investor_offer.pk)


def test_outsiders_cannot_ask_for_or_see_an_intro(project, investor_offer, investor, outsider):
    with pytest.raises(PermissionDenied):
        services.request_intro(outsider, project.slug, investor_offer.pk)
    intro = services.request_intro(investor, project.slug, investor_offer.pk)
    with pytest.raises(Http404):
        services.get_intro(outsider, intro.pk)
    with pytest.raises(Http404):
        services.answer_intro(outsider, intro.pk, accept=True)


def test_operators_see_an_intro_but_not_its_contacts_or_thread(
    project, investor_offer, investor, founder, operator
):
    intro = services.request_intro(investor, project.slug, investor_offer.pk)
    services.answer_intro(founder, intro.pk, accept=True)
    services.post_intro_message(founder, intro.pk, "Coffee on Tuesday?")
    access = services.get_intro(operator, intro.pk)
    assert access.operator and not access.is_party and not access.reads_thread
    assert services.intro_contacts(access) == {}
    with pytest.raises(PermissionDenied):
        services.intro_thread(access)
    with pytest.raises(PermissionDenied):
        services.post_intro_message(operator, intro.pk, "hi")
    assert [m.body for m in services.intro_thread(services.get_intro(investor, intro.pk))] == [
        "Coffee on Tuesday?"
    ]


def test_the_thread_opens_only_after_acceptance(project, investor_offer, investor, founder):
    intro = services.request_intro(investor, project.slug, investor_offer.pk)
    with pytest.raises(PermissionDenied):
        services.post_intro_message(investor, intro.pk, "hi")
    services.answer_intro(founder, intro.pk, accept=True)
    with pytest.raises(ValidationError):
        services.post_intro_message(investor, intro.pk, "   ")
    services.post_intro_message(investor, intro.pk, "hi")
    assert Notification.objects.filter(kind="intro_message", recipient=founder).exists()


def test_a_met_intro_records_its_outcome(project, investor_offer, investor, founder):
    intro = services.request_intro(investor, project.slug, investor_offer.pk)
    with pytest.raises(ValidationError):
        services.record_meeting(founder, intro.pk)
    services.answer_intro(founder, intro.pk, accept=True)
    services.record_meeting(founder, intro.pk)
    with pytest.raises(ValidationError):
        services.record_outcome(investor, intro.pk, "bought lunch")
    services.record_outcome(investor, intro.pk, "invested")
    intro.refresh_from_db()
    assert intro.stage == "outcome" and intro.outcome == "invested" and intro.met_at


def test_nobody_asks_for_an_intro_to_their_own_offer(project, founder):
    own = services.create_offer(founder, "mentor", title="My advice", capacity=2)
    with pytest.raises(ValidationError, match="own offer"):
        services.request_intro(founder, project.slug, own.pk)


def test_a_closed_offer_takes_no_intros(project, investor_offer, investor, founder):
    services.update_offer(investor, investor_offer.pk, active=False)
    with pytest.raises((ValidationError, Http404)):
        services.request_intro(founder, project.slug, investor_offer.pk)


def test_intro_requests_are_rate_limited(project, investor, founder):
    from seedbed.core.ratelimit import RateLimited

    offers = [
        services.create_offer(investor, "mentor", title=f"Hours {n}", capacity=1)
        for n in range(services.INTRO_RATE_LIMITS[0][0] + 1)
    ]
    with pytest.raises(RateLimited):
        for offer in offers:
            services.request_intro(founder, project.slug, offer.pk)
    assert Intro.objects.count() == services.INTRO_RATE_LIMITS[0][0]
