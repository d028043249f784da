"""Issue #14, finding 2: a line break in an event title (or its community's name) gave 500s on
the calendar files, on an RSVP cancellation that promotes from the waitlist and on organiser
messages, and the mail was lost. Single-line fields are cleaned on input, and subjects and
calendar values are built safely even from rows already stored with a line break."""

import json
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from seedbed.communities import services as community_services
from seedbed.communities.models import Community, Membership
from seedbed.events import attendance, competitions, services
from seedbed.events.models import Entry, Event, RSVPStatus
from seedbed.events.tasks import send_due_reminders
from tests.events.conftest import event_fields
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

BROKEN = "Demo night\r\nBcc: everyone@example.org\x00\u2028\x1b[31m"
STORED = BROKEN.replace("\x00", "")  # PostgreSQL stores no NUL, whatever path it took


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def stored(db):
    """An event with one seat, taken, and a waitlisted member; then the title and the
    community's name get a line break behind validation's back."""
    owner, seated, waiting = MemberFactory.create_batch(3)
    community = community_services.create_community(owner, name="Night owls")
    for person in (seated, waiting):
        Membership.objects.create(community=community, user=person)
    start = timezone.now() + timedelta(days=3)
    event = services.create_event(
        owner,
        community=community.slug,
        **event_fields(capacity=1, starts_at=start, ends_at=start + timedelta(hours=2)),
    )
    services.rsvp(seated, event.pk)
    services.rsvp(waiting, event.pk)
    Event.objects.filter(pk=event.pk).update(title=STORED, venue=STORED)
    Community.objects.filter(pk=community.pk).update(name=STORED)
    return owner, seated, waiting, community, event


def _assert_single_line(text: str) -> None:
    assert text and not any(ch in text for ch in "\r\n\x00\u2028\x1b"), repr(text)


def test_single_line_fields_are_cleaned_on_input(db):
    owner = MemberFactory(is_staff=True)
    event = services.create_event(owner, **event_fields(title=BROKEN, venue=BROKEN))
    event.refresh_from_db()
    _assert_single_line(event.title)
    _assert_single_line(event.venue)
    assert event.title.startswith("Demo night Bcc:")
    response = _client(owner).patch(
        f"/api/v1/events/{event.pk}",
        json.dumps({"title": "Two\nlines", "address": "Street\r\n2"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert (event.title, event.address) == ("Two lines", "Street 2")
    with pytest.raises(Exception) as error:
        services.update_event(owner, event.pk, title="\r\n\x00")
    assert "title" in error.value.message_dict


def test_competition_entries_keep_their_titles_on_one_line(db):
    owner, entrant = MemberFactory(is_staff=True), MemberFactory()
    event = services.create_event(owner, **event_fields(kind="competition"))
    entry, _created = competitions.submit_entry(
        entrant, event.pk, title="Robo\r\nadvisor", team="Ann\nBo", pitch="Line one\nLine two"
    )
    entry = Entry.objects.get(pk=entry.pk)
    assert (entry.title, entry.team) == ("Robo advisor", "Ann Bo")
    assert entry.pitch == "Line one\nLine two"  # text, not a single-line field


def test_calendar_files_of_a_stored_line_break_answer_200_with_single_line_values(stored):
    _owner, seated, _waiting, community, event = stored
    feed = attendance.calendar_token(seated).token
    for path in (
        f"/events/{event.pk}/calendar.ics",
        f"/c/{community.slug}/events.ics",
        f"/calendar/{feed}.ics",
    ):
        response = _client(seated).get(path)
        assert response.status_code == 200, path
        calendar = icalendar.Calendar.from_ical(response.content)
        _assert_single_line(str(calendar["X-WR-CALNAME"]))
        (vevent,) = calendar.walk("VEVENT")
        _assert_single_line(str(vevent["SUMMARY"]))
        _assert_single_line(str(vevent["LOCATION"]))
        assert "Bcc" in str(vevent["SUMMARY"])


def test_a_promotion_mail_leaves_with_a_single_line_subject(
    stored, django_capture_on_commit_callbacks
):
    _owner, seated, waiting, _community, event = stored
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(seated).post(f"/events/{event.pk}/rsvp/cancel/")
    assert response.status_code == 302
    assert event.rsvps.get(user=waiting).status == RSVPStatus.CONFIRMED
    (message,) = mail.outbox
    assert message.to == [waiting.email]
    _assert_single_line(message.subject)
    assert "Demo night" in message.subject


def test_an_organiser_message_leaves_with_a_single_line_subject(
    stored, django_capture_on_commit_callbacks
):
    owner, seated, _waiting, _community, event = stored
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(owner).post(
            f"/events/{event.pk}/message/",
            {"status": "confirmed", "subject": "Doors open at 7", "body": "See you."},
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [seated.email]
    _assert_single_line(message.subject)
    assert message.subject.endswith("Doors open at 7")


def test_a_reminder_leaves_with_a_single_line_subject(stored, django_capture_on_commit_callbacks):
    _owner, seated, _waiting, _community, event = stored
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders.call(now=event.starts_at - timedelta(hours=23)) == 1
    (message,) = mail.outbox
    assert message.to == [seated.email]
    _assert_single_line(message.subject)
