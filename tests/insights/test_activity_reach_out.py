"""Reaching out to a member at risk: an in-app notification and an e-mail in the member's own
language, recorded in the log, once a week per member at most, rate-limited per sender."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from seedbed.communities.models import Role
from seedbed.insights import services
from seedbed.insights.models import MemberEngagement, ReachOut
from seedbed.insights.notifications import REACH_OUT, REACH_OUT_PLATFORM
from seedbed.insights.tasks import refresh_insights
from seedbed.notifications.models import Notification
from seedbed.notifications.registry import say
from tests.factories import MemberFactory
from tests.insights.test_activity_refresh import community, join


@pytest.fixture
def scene(db):
    place = community("Hardware Makers")
    owner = join(place, MemberFactory(display_name="Olivia Owner"), role=Role.OWNER)
    chinese = join(place, MemberFactory(display_name="王小明", languages=["zh", "en"]))
    english = join(place, MemberFactory(display_name="Ed English", languages=["en"]))
    outsider = MemberFactory()
    refresh_insights.call()
    return place, owner, chinese, english, outsider


def reach(user, place, member, capture, client: Client | None = None):
    if client is None:
        client = Client()
        client.force_login(user)
    url = reverse("insights:community:reach_out", args=[place.slug, member.pk])
    with capture(execute=True):
        return client.post(url, {"next": reverse("insights:community:at_risk", args=[place.slug])})


def test_a_chinese_reader_gets_the_message_in_chinese_and_it_is_logged(
    scene, django_capture_on_commit_callbacks
):
    place, owner, chinese, _english, _outsider = scene
    response = reach(owner, place, chinese, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("insights:community:at_risk", args=[place.slug])
    (message,) = mail.outbox
    assert message.to == [chinese.email]
    assert "想念你" in message.subject and "Hardware Makers" in message.subject
    assert "Olivia Owner" in message.body and "想念你" in message.body
    note = Notification.objects.get(recipient=chinese, kind=REACH_OUT)
    with translation.override("zh-hans"):
        assert "想念你" in say(note).text and "Hardware Makers" in say(note).text
    record = ReachOut.objects.get()
    assert (record.sender, record.member, record.community, record.language) == (
        owner,
        chinese,
        place,
        "zh-hans",
    )


def test_an_english_reader_gets_it_in_english(scene, django_capture_on_commit_callbacks):
    place, owner, _chinese, english, _outsider = scene
    reach(owner, place, english, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.subject == "Hardware Makers misses you"
    assert "Olivia Owner from Hardware Makers misses you" in message.body


def test_the_same_member_hears_from_the_scope_once_a_week(
    scene, django_capture_on_commit_callbacks
):
    place, owner, chinese, _english, _outsider = scene
    client = Client()
    client.force_login(owner)
    reach(owner, place, chinese, django_capture_on_commit_callbacks, client)
    response = reach(owner, place, chinese, django_capture_on_commit_callbacks, client)
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and ReachOut.objects.count() == 1
    page = client.get(response["Location"])
    assert "王小明 heard from you in the last 7 days" in page.content.decode()


def test_senders_are_rate_limited_with_a_retry_after(
    scene, monkeypatch, django_capture_on_commit_callbacks
):
    place, owner, chinese, english, _outsider = scene
    monkeypatch.setattr(services, "REACH_OUT_LIMITS", [(1, 60)])
    reach(owner, place, chinese, django_capture_on_commit_callbacks)
    response = reach(owner, place, english, django_capture_on_commit_callbacks)
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert ReachOut.objects.count() == 1 and len(mail.outbox) == 1


def test_someone_outside_the_community_cannot_be_reached_through_it(
    scene, django_capture_on_commit_callbacks
):
    place, owner, _chinese, _english, outsider = scene
    response = reach(owner, place, outsider, django_capture_on_commit_callbacks)
    assert response.status_code == 404
    client = Client()
    client.force_login(owner)
    url = reverse("insights:community:reach_out", args=[place.slug, 999_999])
    assert client.post(url).status_code == 404
    assert not ReachOut.objects.exists() and not mail.outbox


def test_an_operator_reaches_out_platform_wide_with_its_own_sentence(
    scene, django_capture_on_commit_callbacks
):
    _place, _owner, chinese, _english, _outsider = scene
    operator = MemberFactory(is_staff=True, display_name="Opal Operator")
    client = Client()
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("insights:platform:reach_out", args=[chinese.pk]))
    note = Notification.objects.get(recipient=chinese, kind=REACH_OUT_PLATFORM)
    assert say(note).text.startswith("Opal Operator from the Seedbed team")
    assert mail.outbox[0].subject == "Seedbed 想念你"


def test_the_at_risk_list_says_the_reasons_in_the_readers_language(scene):
    place, owner, chinese, _english, _outsider = scene
    MemberEngagement.objects.filter(member=chinese, community=place).update(
        churn_risk=0.8,
        reasons=[{"code": "days_since_last_action", "weight": 1.2, "value": 12}],
    )
    client = Client()
    client.force_login(owner)
    url = reverse("insights:community:at_risk", args=[place.slug])
    assert "No action for 12 days." in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans"})
    assert "已有 12 天没有任何动态。" in client.get(url).content.decode()
