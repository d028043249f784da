import io
import json
import re
from datetime import timedelta

import pytest
import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from seedbed.communities import services as community_services
from seedbed.communities.models import Membership, Visibility
from seedbed.events import attendance, services
from seedbed.events.models import RSVP, RSVPStatus
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def join(community, user=None, **fields):
    user = user or MemberFactory(**fields)
    Membership.objects.get_or_create(community=community, user=user)
    return user


@pytest.fixture
def owner():
    return MemberFactory(display_name="Olivia Organiser")


@pytest.fixture
def private(owner):
    return community_services.create_community(
        owner, name="Founders Circle", visibility=Visibility.PRIVATE
    )


@pytest.fixture
def event(owner, private):
    start = timezone.now() + timedelta(days=1)
    return services.create_event(
        owner,
        community=private.slug,
        kind="tech_meetup",
        title="Rust meetup",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        venue="Hub",
        capacity=2,
        time_zone="Asia/Shanghai",
    )


@pytest.fixture
def people(private, event):
    """Two confirmed attendees, one waitlisted, one member who did not RSVP, an outsider."""
    going = join(private, display_name="Wang Wei")
    also_going = join(private, display_name="Anna Schmidt")
    waiting = join(private, display_name="Carlos Diaz")
    services.rsvp(going, event.pk)
    services.rsvp(also_going, event.pk)
    assert services.rsvp(waiting, event.pk).status == RSVPStatus.WAITLISTED
    return {
        "going": going,
        "also_going": also_going,
        "waiting": waiting,
        "member": join(private),
        "outsider": MemberFactory(),
    }


def code_of(event, user) -> str:
    return RSVP.objects.get(event=event, user=user).ticket_code


# Tickets ---------------------------------------------------------------------------------------


def test_a_confirmed_attendee_has_a_ticket_page_with_its_qr_code(event, people):
    page = client_for(people["going"]).get(f"/events/{event.pk}/ticket/")
    assert page.status_code == 200
    body = page.content.decode()
    assert f'src="/events/{event.pk}/ticket/qr.svg"' in body
    assert code_of(event, people["going"]) in body
    assert "Wang Wei" in body


def test_the_qr_code_encodes_the_tickets_check_in_url(event, people):
    response = client_for(people["going"]).get(f"/events/{event.pk}/ticket/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<svg") and "<script" not in svg and "style=" not in svg
    url = f"http://127.0.0.1:8000/events/{event.pk}/check-in/{code_of(event, people['going'])}/"
    expected = io.BytesIO()
    segno.make(url, error="m").save(
        expected, kind="svg", scale=6, border=2, light="#fff", xmldecl=False, title="Ticket"
    )
    assert svg == expected.getvalue().decode()
    other = io.BytesIO()
    segno.make(url + "x", error="m").save(
        other, kind="svg", scale=6, border=2, light="#fff", xmldecl=False, title="Ticket"
    )
    assert svg != other.getvalue().decode()


@pytest.mark.parametrize("path", ["ticket/", "ticket/qr.svg"])
def test_only_a_confirmed_attendee_sees_a_ticket(owner, event, people, path):
    url = f"/events/{event.pk}/{path}"
    assert client_for().get(url).status_code == 302  # to the login page
    assert client_for(people["outsider"]).get(url).status_code == 404
    assert client_for(people["member"]).get(url).status_code == 404
    assert client_for(people["waiting"]).get(url).status_code == 404
    assert client_for(owner).get(url).status_code == 404  # organisers hold no ticket either
    assert client_for(people["going"]).get(url).status_code == 200


def test_a_ticket_lapses_when_the_seat_is_given_up(event, people):
    services.cancel_rsvp(people["going"], event.pk)
    assert client_for(people["going"]).get(f"/events/{event.pk}/ticket/").status_code == 404
    # the first waitlisted member was promoted and now has one
    assert client_for(people["waiting"]).get(f"/events/{event.pk}/ticket/").status_code == 200


# Check-in --------------------------------------------------------------------------------------


def test_scanning_a_ticket_opens_it_for_the_organisers(owner, event, people):
    url = f"/events/{event.pk}/check-in/{code_of(event, people['going'])}/"
    page = client_for(owner).get(url)
    assert page.status_code == 200 and "Wang Wei" in page.content.decode()
    assert client_for().get(url).status_code == 302
    assert client_for(people["outsider"]).get(url).status_code == 404
    assert client_for(people["going"]).get(url).status_code == 403  # not even the holder
    assert client_for(people["member"]).get(url).status_code == 403
    assert client_for(owner).get(f"/events/{event.pk}/check-in/nope/").status_code == 404
    assert RSVP.objects.filter(checked_in_at__isnull=False).count() == 0  # GET changes nothing


def test_a_ticket_of_another_event_is_not_found(owner, private, event, people):
    start = timezone.now() + timedelta(days=5)
    second = services.create_event(
        owner,
        community=private.slug,
        kind="salon",
        title="Another",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        venue="Hub",
    )
    code = code_of(event, people["going"])
    assert client_for(owner).post(f"/events/{second.pk}/check-in/{code}/").status_code == 404
    assert RSVP.objects.get(ticket_code=code).checked_in_at is None


def test_checking_in_marks_attendance_once_and_a_second_time_says_when(owner, event, people):
    client = client_for(owner)
    url = f"/events/{event.pk}/check-in/{code_of(event, people['going'])}/"
    first = client.post(url, follow=True)
    assert first.status_code == 200
    assert "Wang Wei is checked in." in first.content.decode()
    arrived = RSVP.objects.get(event=event, user=people["going"]).checked_in_at
    assert arrived is not None
    second = client.post(url, follow=True)
    assert second.status_code == 200
    local = timezone.localtime(arrived, event.tz).strftime("%H:%M")
    assert f"Wang Wei is already checked in at {local}." in second.content.decode()
    assert RSVP.objects.get(event=event, user=people["going"]).checked_in_at == arrived
    assert "Already checked in at" in client.get(url).content.decode()


def test_only_the_organisers_check_people_in(owner, event, people):
    url = f"/events/{event.pk}/check-in/{code_of(event, people['going'])}/"
    assert client_for(people["going"]).post(url).status_code == 403
    assert client_for(people["outsider"]).post(url).status_code == 404
    assert client_for().post(url).status_code == 302
    assert RSVP.objects.filter(checked_in_at__isnull=False).count() == 0
    with pytest.raises(PermissionDenied):
        attendance.check_in(people["also_going"], event.pk, code_of(event, people["going"]))


def test_a_waitlisted_ticket_cannot_be_checked_in(owner, event, people):
    code = code_of(event, people["waiting"])
    with pytest.raises(ValidationError) as error:
        attendance.check_in(owner, event.pk, code)
    assert "ticket" in error.value.message_dict
    response = client_for(owner).post(f"/events/{event.pk}/check-in/{code}/", follow=True)
    assert response.status_code == 200
    assert "no confirmed seat" in response.content.decode()
    assert RSVP.objects.get(ticket_code=code).checked_in_at is None


def test_the_check_in_page_finds_attendees_by_name(owner, event, people):
    client = client_for(owner)
    everyone = client.get(f"/events/{event.pk}/check-in/").content.decode()
    assert "Wang Wei" in everyone and "Anna Schmidt" in everyone
    assert "Carlos Diaz" not in everyone  # waitlisted: not expected at the door
    found = client.get(f"/events/{event.pk}/check-in/", {"q": "schm"}).content.decode()
    assert "Anna Schmidt" in found and "Wang Wei" not in found
    assert (
        "Nobody confirmed has that name."
        in client.get(f"/events/{event.pk}/check-in/", {"q": "zzz"}).content.decode()
    )


@pytest.mark.parametrize("who", ["anonymous", "outsider", "going", "member"])
def test_the_check_in_page_is_for_organisers_only(event, people, who):
    user = None if who == "anonymous" else people[who]
    expected = {"anonymous": 302, "outsider": 404, "going": 403, "member": 403}[who]
    assert client_for(user).get(f"/events/{event.pk}/check-in/").status_code == expected


def test_the_attendance_rate_is_checked_in_over_confirmed(owner, event, people):
    assert attendance.attendance_rate(owner, event.pk).rate == 0
    attendance.check_in(owner, event.pk, code_of(event, people["going"]))
    rate = attendance.attendance_rate(owner, event.pk)
    assert (rate.confirmed, rate.checked_in, rate.rate, rate.percent) == (2, 1, 0.5, 50)
    page = client_for(owner).get(f"/events/{event.pk}/check-in/").content.decode()
    assert re.search(r'class="figure">50%<', page)
    with pytest.raises(PermissionDenied):
        attendance.attendance_rate(people["going"], event.pk)


def test_the_attendance_rate_is_unknown_before_anyone_is_confirmed(owner, private):
    start = timezone.now() + timedelta(days=1)
    empty = services.create_event(
        owner,
        community=private.slug,
        kind="salon",
        title="Empty",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        venue="Hub",
    )
    rate = attendance.attendance_rate(owner, empty.pk)
    assert (rate.confirmed, rate.rate, rate.percent) == (0, None, None)


def test_the_organisers_panel_links_to_check_in_and_the_attendee_panel_to_the_ticket(
    owner, event, people
):
    organiser_page = client_for(owner).get(f"/events/{event.pk}/").content.decode()
    assert f"/events/{event.pk}/check-in/" in organiser_page
    assert f"/events/{event.pk}/ticket/" not in organiser_page
    attendee_page = client_for(people["going"]).get(f"/events/{event.pk}/").content.decode()
    assert f"/events/{event.pk}/ticket/" in attendee_page
    assert f"/events/{event.pk}/check-in/" not in attendee_page
    waiting_page = client_for(people["waiting"]).get(f"/events/{event.pk}/").content.decode()
    assert f"/events/{event.pk}/ticket/" not in waiting_page


# API -------------------------------------------------------------------------------------------


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_api_gives_attendees_their_ticket(event, people):
    url = f"/api/v1/events/{event.pk}/ticket"
    body = client_for(people["going"]).get(url).json()
    assert body["ticket_code"] == code_of(event, people["going"])
    assert body["check_in_url"].endswith(f"/events/{event.pk}/check-in/{body['ticket_code']}/")
    assert body["qr_svg_url"] == f"http://testserver/events/{event.pk}/ticket/qr.svg"
    assert body["checked_in_at"] is None
    assert client_for().get(url).status_code == 401
    assert client_for(people["outsider"]).get(url).status_code == 404
    assert client_for(people["waiting"]).get(url).status_code == 404


def test_the_api_checks_in_once_for_organisers(owner, event, people):
    url = f"/api/v1/events/{event.pk}/check-in"
    code = code_of(event, people["going"])
    first = post_json(client_for(owner), url, {"ticket_code": code})
    assert first.status_code == 200, first.content
    assert first.json()["already_checked_in"] is False
    assert first.json()["user"]["display_name"] == "Wang Wei"
    second = post_json(client_for(owner), url, {"ticket_code": code}).json()
    assert second["already_checked_in"] is True
    assert second["checked_in_at"] == first.json()["checked_in_at"]
    assert post_json(client_for(people["going"]), url, {"ticket_code": code}).status_code == 403
    assert post_json(client_for(people["outsider"]), url, {"ticket_code": code}).status_code == 404
    assert post_json(client_for(), url, {"ticket_code": code}).status_code == 401
    assert post_json(client_for(owner), url, {"ticket_code": "nope"}).status_code == 404
    rate = client_for(owner).get(f"/api/v1/events/{event.pk}/attendance").json()
    assert rate == {"confirmed": 2, "checked_in": 1, "rate": 0.5}
    assert client_for(people["going"]).get(f"/api/v1/events/{event.pk}/attendance").status_code == (
        403
    )


def test_bad_check_in_input_names_the_field(owner, event, people):
    url = f"/api/v1/events/{event.pk}/check-in"
    missing = post_json(client_for(owner), url, {})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "ticket_code"
    waiting = post_json(client_for(owner), url, {"ticket_code": code_of(event, people["waiting"])})
    assert waiting.status_code == 400
    assert waiting.json()["errors"][0]["field"] == "ticket"
    services.cancel_event(owner, event.pk)
    cancelled = post_json(client_for(owner), url, {"ticket_code": code_of(event, people["going"])})
    assert cancelled.status_code == 400


# Query budgets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 30])
def test_ticket_and_check_in_pages_have_a_fixed_query_budget(
    owner, private, django_assert_max_num_queries, n
):
    start = timezone.now() + timedelta(days=1)
    event = services.create_event(
        owner,
        community=private.slug,
        kind="salon",
        title="Big salon",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        venue="Hub",
    )
    attendees = [join(private, display_name=f"Guest {i}") for i in range(n)]
    for person in attendees:
        services.rsvp(person, event.pk)
    for person in attendees[: n // 2]:
        attendance.check_in(owner, event.pk, code_of(event, person))
    guest, organiser = client_for(attendees[-1]), client_for(owner)
    code = code_of(event, attendees[-1])
    budgets = [
        (guest, "get", f"/events/{event.pk}/ticket/", 8),
        (guest, "get", f"/events/{event.pk}/ticket/qr.svg", 5),
        (guest, "get", f"/api/v1/events/{event.pk}/ticket", 5),
        (organiser, "get", f"/events/{event.pk}/check-in/", 9),
        (organiser, "get", f"/events/{event.pk}/check-in/?q=Guest", 9),
        (organiser, "get", f"/events/{event.pk}/check-in/{code}/", 7),
        # 10 for the check-in, 11 for the engagement points it earns (engagement.signals)
        (organiser, "post", f"/events/{event.pk}/check-in/{code}/", 21),
        (organiser, "get", f"/api/v1/events/{event.pk}/attendance", 5),
    ]
    for client, method, url, budget in budgets:
        with django_assert_max_num_queries(budget):
            assert getattr(client, method)(url).status_code in (200, 302), url
    with django_assert_max_num_queries(8):
        response = post_json(
            organiser, f"/api/v1/events/{event.pk}/check-in", {"ticket_code": code}
        )
    assert response.json()["already_checked_in"] is True
