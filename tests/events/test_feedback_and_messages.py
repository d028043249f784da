import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from seedbed.communities import services as community_services
from seedbed.communities.models import Membership, Visibility
from seedbed.events import attendance, services
from seedbed.events.models import Event, Feedback, RSVPStatus
from seedbed.notifications.models import Notification
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def owner():
    return MemberFactory(display_name="Olivia Organiser")


@pytest.fixture
def private(owner):
    return community_services.create_community(
        owner, name="Founders Circle", visibility=Visibility.PRIVATE
    )


def join(community, **fields):
    user = MemberFactory(**fields)
    Membership.objects.create(community=community, user=user)
    return user


@pytest.fixture
def event(owner, private):
    start = timezone.now() + timedelta(days=2)
    return services.create_event(
        owner,
        community=private.slug,
        kind="salon",
        title="Founder salon",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue="Hub",
        capacity=2,
    )


@pytest.fixture
def people(owner, private, event):
    """Two confirmed (one checked in), one waitlisted, one member without an RSVP, an
    outsider."""
    going, present, waiting = (join(private, display_name=n) for n in ("Ann", "Bo", "Cy"))
    for person in (going, present, waiting):
        services.rsvp(person, event.pk)
    code = event.rsvps.get(user=present).ticket_code
    attendance.check_in(owner, event.pk, code)
    assert event.rsvps.get(user=waiting).status == RSVPStatus.WAITLISTED
    return {
        "going": going,
        "present": present,
        "waiting": waiting,
        "member": join(private),
        "outsider": MemberFactory(),
    }


def end(event):
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )


# Feedback --------------------------------------------------------------------------------------


def test_attendees_rate_the_event_after_it_ends_and_may_change_their_minds(event, people):
    end(event)
    client = client_for(people["present"])
    url = f"/events/{event.pk}/feedback/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"rating": "4", "comment": "Great talks"})
    assert response.status_code == 302
    again = client.post(url, {"rating": "2", "comment": "On second thought, too long"})
    assert again.status_code == 302
    mine = Feedback.objects.get(event=event, user=people["present"])
    assert (mine.rating, mine.comment) == (2, "On second thought, too long")
    assert Feedback.objects.count() == 1
    form = client.get(url).context["form"]
    assert form.initial == {"rating": 2, "comment": "On second thought, too long"}


def test_feedback_opens_only_when_the_event_is_over(event, people):
    client = client_for(people["going"])
    page = client.get(f"/events/{event.pk}/feedback/")
    assert "Feedback opens when the event is over." in page.content.decode()
    response = client.post(f"/events/{event.pk}/feedback/", {"rating": "5"})
    assert response.status_code == 400
    with pytest.raises(ValidationError):
        attendance.leave_feedback(people["going"], event.pk, rating=5)
    assert Feedback.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("outsider", 404), ("member", 403), ("waiting", 403), ("going", 302)],
)
def test_only_attendees_give_feedback(event, people, who, status):
    end(event)
    user = None if who == "anonymous" else people[who]
    response = client_for(user).post(f"/events/{event.pk}/feedback/", {"rating": "5"})
    assert response.status_code == status
    assert Feedback.objects.count() == (1 if who == "going" else 0)


def test_a_checked_in_attendee_who_later_cancelled_may_still_give_feedback(event, people):
    services.cancel_rsvp(people["present"], event.pk)
    end(event)
    attendance.leave_feedback(people["present"], event.pk, rating=3)
    assert Feedback.objects.get().rating == 3


@pytest.mark.parametrize("rating", ["0", "6", "", "four", "4.5"])
def test_a_rating_outside_1_to_5_is_refused_naming_the_field(event, people, rating):
    end(event)
    response = client_for(people["going"]).post(
        f"/events/{event.pk}/feedback/", {"rating": rating, "comment": "kept"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["rating"]
    assert "kept" in response.content.decode()  # what was typed comes back
    with pytest.raises(ValidationError) as error:
        attendance.leave_feedback(people["going"], event.pk, rating=rating)
    assert "rating" in error.value.message_dict
    assert Feedback.objects.count() == 0


def test_organisers_see_the_average_rating_and_the_comments(owner, event, people):
    end(event)
    attendance.leave_feedback(people["going"], event.pk, rating=5, comment="Loved it")
    attendance.leave_feedback(people["present"], event.pk, rating=2)
    summary = attendance.feedback_summary(owner, event.pk)
    assert (summary.count, summary.average) == (2, 3.5)
    assert summary.distribution == {5: 1, 4: 0, 3: 0, 2: 1, 1: 0}
    assert [f.comment for f in summary.comments] == ["Loved it"]
    page = client_for(owner).get(f"/events/{event.pk}/feedback/results/").content.decode()
    assert "3.5" in page and "Loved it" in page


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("outsider", 404), ("going", 403), ("member", 403)]
)
def test_only_organisers_read_the_feedback(event, people, who, status):
    user = None if who == "anonymous" else people[who]
    assert client_for(user).get(f"/events/{event.pk}/feedback/results/").status_code == status


def test_the_event_page_offers_feedback_to_attendees_once_it_is_over(event, people):
    url = f"/events/{event.pk}/"
    assert (
        f"/events/{event.pk}/feedback/" not in client_for(people["going"]).get(url).content.decode()
    )
    end(event)
    assert f"/events/{event.pk}/feedback/" in client_for(people["going"]).get(url).content.decode()
    assert (
        f'/events/{event.pk}/feedback/"'
        not in client_for(people["member"]).get(url).content.decode()
    )


def test_the_feedback_api_follows_the_same_rules(owner, event, people):
    url = f"/api/v1/events/{event.pk}/feedback"
    early = post_json(client_for(people["going"]), url, {"rating": 5})
    assert early.status_code == 400
    end(event)
    bad = post_json(client_for(people["going"]), url, {"rating": 9})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "rating"
    ok = post_json(client_for(people["going"]), url, {"rating": 4, "comment": "Good"})
    assert ok.status_code == 200 and ok.json()["rating"] == 4
    assert post_json(client_for(people["member"]), url, {"rating": 4}).status_code == 403
    assert post_json(client_for(people["outsider"]), url, {"rating": 4}).status_code == 404
    assert post_json(client_for(), url, {"rating": 4}).status_code == 401
    listing = client_for(owner).get(url).json()
    assert listing["count"] == 1 and listing["items"][0]["comment"] == "Good"
    assert listing["items"][0]["user"]["display_name"] == "Ann"
    summary = client_for(owner).get(f"{url}/summary").json()
    assert summary["count"] == 1 and summary["average"] == 4.0
    assert client_for(people["going"]).get(url).status_code == 403
    assert client_for(people["outsider"]).get(f"{url}/summary").status_code == 404


# Messages --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "expected"),
    [("confirmed", ["going", "present"]), ("waitlisted", ["waiting"]), ("checked_in", ["present"])],
)
def test_organisers_message_attendees_by_status(
    owner, event, people, status, expected, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(owner).post(
            f"/events/{event.pk}/message/",
            {"status": status, "subject": "Room change", "body": "We moved to room 4."},
        )
    assert response.status_code == 302
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    wanted = sorted(people[k].email for k in expected)
    assert sorted(m.to[0] for m in mail.outbox) == wanted
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    assert all(m.subject == "[Founder salon] Room change" for m in mail.outbox)
    assert "We moved to room 4." in mail.outbox[0].body
    notes = Notification.objects.filter(kind="event_message", event=event)
    assert sorted(n.recipient.email for n in notes) == wanted
    assert all(n.actor_id == owner.pk for n in notes)


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("outsider", 404), ("going", 403), ("member", 403)]
)
def test_only_organisers_message_attendees(event, people, who, status):
    user = None if who == "anonymous" else people[who]
    url = f"/events/{event.pk}/message/"
    assert client_for(user).get(url).status_code == status
    body = {"status": "confirmed", "subject": "Hi", "body": "Spam"}
    assert client_for(user).post(url, body).status_code == status
    assert Notification.objects.filter(kind="event_message").count() == 0


def test_a_bad_message_is_refused_naming_the_field_and_keeps_the_text(owner, event, people):
    response = client_for(owner).post(
        f"/events/{event.pk}/message/", {"status": "everyone", "subject": "", "body": "Kept text"}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"status", "subject"}
    assert "Kept text" in response.content.decode()
    with pytest.raises(ValidationError) as error:
        attendance.message_attendees(owner, event.pk, status="everyone", subject="", body="")
    assert set(error.value.message_dict) == {"status", "subject", "body"}
    with pytest.raises(ValidationError) as error:
        attendance.message_attendees(
            owner, event.pk, status="confirmed", subject="Two\nlines", body="x"
        )
    assert "subject" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        attendance.message_attendees(
            people["going"], event.pk, status="confirmed", subject="a", body="b"
        )
    assert mail.outbox == []


def test_the_messages_api_follows_the_same_rules(
    owner, event, people, django_capture_on_commit_callbacks
):
    url = f"/api/v1/events/{event.pk}/messages"
    body = {"status": "waitlisted", "subject": "A seat may free up", "body": "Stay tuned."}
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(client_for(owner), url, body)
    assert response.status_code == 200 and response.json() == {"recipients": 1}
    assert [m.to for m in mail.outbox] == [[people["waiting"].email]]
    bad = post_json(client_for(owner), url, {**body, "status": "everyone"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"
    assert post_json(client_for(people["going"]), url, body).status_code == 403
    assert post_json(client_for(people["outsider"]), url, body).status_code == 404
    assert post_json(client_for(), url, body).status_code == 401


# Query budgets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 30])
def test_feedback_and_message_pages_have_a_fixed_query_budget(
    owner, private, django_assert_max_num_queries, django_capture_on_commit_callbacks, n
):
    start = timezone.now() + timedelta(days=1)
    event = services.create_event(
        owner,
        community=private.slug,
        kind="salon",
        title="Big salon",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue="Hub",
    )
    guests = [join(private) for _ in range(n)]
    for guest in guests:
        services.rsvp(guest, event.pk)
    end(event)
    for i, guest in enumerate(guests):
        attendance.leave_feedback(guest, event.pk, rating=1 + i % 5, comment=f"Comment {i}")
    organiser, guest = client_for(owner), client_for(guests[0])
    budgets = [
        (guest, f"/events/{event.pk}/feedback/", 8),
        (organiser, f"/events/{event.pk}/feedback/results/", 10),
        (organiser, f"/events/{event.pk}/message/", 7),
        (organiser, f"/api/v1/events/{event.pk}/feedback", 8),
        (organiser, f"/api/v1/events/{event.pk}/feedback/summary", 7),
    ]
    for client, url, budget in budgets:
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200, url
    with django_assert_max_num_queries(11):
        response = guest.post(f"/events/{event.pk}/feedback/", {"rating": "5"})
    assert response.status_code == 302
    with django_assert_max_num_queries(10), django_capture_on_commit_callbacks(execute=True):
        response = organiser.post(
            f"/events/{event.pk}/message/", {"status": "confirmed", "subject": "S", "body": "B"}
        )
    assert response.status_code == 302 and len(mail.outbox) == n
