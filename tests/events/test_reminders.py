from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from seedbed.communities import services as community_services
from seedbed.communities.models import Membership
from seedbed.events import services
from seedbed.events.models import RSVP, Event, ReminderSent, RSVPStatus
from seedbed.events.tasks import due_reminders, send_due_reminders, send_reminder
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return MemberFactory(display_name="Olivia Organiser")


@pytest.fixture
def community(owner):
    return community_services.create_community(owner, name="Climate Builders")


def make_event(owner, community, **fields):
    start = timezone.now() + timedelta(days=3)
    values = {
        "kind": "salon",
        "title": "Founder salon",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "venue": "WeWork",
        "capacity": 2,
    }
    values.update(fields)
    return services.create_event(owner, community=community.slug, **values)


def going(community, event, **fields):
    user = MemberFactory(**fields)
    Membership.objects.create(community=community, user=user)
    services.rsvp(user, event.pk)
    return user


def run(capture, now):
    with capture(execute=True):
        return send_due_reminders.call(now=now)


def test_reminders_go_out_24_hours_and_1_hour_before_the_start(
    owner, community, django_capture_on_commit_callbacks
):
    event = make_event(owner, community)
    a, b = going(community, event), going(community, event)
    start = event.starts_at
    assert run(django_capture_on_commit_callbacks, start - timedelta(hours=25)) == 0
    assert run(django_capture_on_commit_callbacks, start - timedelta(hours=23, minutes=58)) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.email, b.email])
    assert all(m.subject == "Tomorrow: Founder salon" for m in mail.outbox)
    assert run(django_capture_on_commit_callbacks, start - timedelta(hours=23)) == 0
    assert run(django_capture_on_commit_callbacks, start - timedelta(minutes=55)) == 2
    assert [m.subject for m in mail.outbox[2:]] == ["In one hour: Founder salon"] * 2
    assert run(django_capture_on_commit_callbacks, start - timedelta(minutes=5)) == 0
    assert run(django_capture_on_commit_callbacks, start + timedelta(minutes=5)) == 0
    assert len(mail.outbox) == 4
    assert ReminderSent.objects.count() == 4


def test_a_late_first_run_sends_only_the_reminder_still_due(
    owner, community, django_capture_on_commit_callbacks
):
    event = make_event(owner, community)
    going(community, event)
    assert run(django_capture_on_commit_callbacks, event.starts_at - timedelta(minutes=30)) == 1
    assert [m.subject for m in mail.outbox] == ["In one hour: Founder salon"]


def test_only_confirmed_seats_of_live_events_are_reminded(
    owner, community, django_capture_on_commit_callbacks
):
    event = make_event(owner, community, capacity=1)
    seat = going(community, event)
    going(community, event)  # waitlisted
    quitter = going(community, make_event(owner, community, title="Quit"))
    services.cancel_rsvp(quitter, Event.objects.get(title="Quit").pk)
    called_off = make_event(owner, community, title="Called off")
    going(community, called_off)
    services.cancel_event(owner, called_off.pk)
    assert RSVP.objects.filter(status=RSVPStatus.WAITLISTED).count() == 1
    assert run(django_capture_on_commit_callbacks, event.starts_at - timedelta(hours=20)) == 1
    assert [m.to for m in mail.outbox] == [[seat.email]]


def test_a_member_confirmed_after_the_reminder_time_gets_no_24_hour_reminder(
    owner, community, django_capture_on_commit_callbacks
):
    event = make_event(owner, community)
    late = going(community, event)
    RSVP.objects.filter(user=late).update(updated_at=event.starts_at - timedelta(hours=10))
    assert run(django_capture_on_commit_callbacks, event.starts_at - timedelta(hours=9)) == 0
    assert run(django_capture_on_commit_callbacks, event.starts_at - timedelta(minutes=30)) == 1


def test_a_reminder_is_sent_once_even_when_a_worker_restarts_or_two_race(
    owner, community, django_capture_on_commit_callbacks
):
    event = make_event(owner, community)
    going(community, event)
    moment = event.starts_at - timedelta(hours=20)
    stale = list(due_reminders("24h", moment))  # a second worker read the same list
    assert run(django_capture_on_commit_callbacks, moment) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminder(stale[0], "24h") is False  # the unique row stops it
    assert run(django_capture_on_commit_callbacks, moment) == 0  # a restarted worker
    assert len(mail.outbox) == 1


def test_no_mail_leaves_when_the_transaction_that_records_it_fails(
    owner, community, django_capture_on_commit_callbacks, monkeypatch
):
    event = make_event(owner, community)
    going(community, event)
    moment = event.starts_at - timedelta(hours=20)
    original = ReminderSent.objects.create

    def broken(**kwargs):
        original(**kwargs)
        raise RuntimeError("worker killed")

    monkeypatch.setattr(ReminderSent.objects, "create", broken)
    with pytest.raises(RuntimeError):
        run(django_capture_on_commit_callbacks, moment)
    assert mail.outbox == [] and ReminderSent.objects.count() == 0
    monkeypatch.setattr(ReminderSent.objects, "create", original)
    assert run(django_capture_on_commit_callbacks, moment) == 1  # picked up on the next run


def test_the_reminder_speaks_the_attendees_language_and_the_events_time_zone(
    owner, community, django_capture_on_commit_callbacks
):
    year = timezone.now().year + 1
    start = datetime(year, 10, 26, 19, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Tuesday
    event = make_event(
        owner,
        community,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        time_zone="Asia/Shanghai",
        online_url="https://meet.example.org/r",
    )
    zh = going(community, event, languages=["zh", "en"])
    en = going(community, event, languages=["en"])
    run(django_capture_on_commit_callbacks, start - timedelta(hours=20))
    by_address = {m.to[0]: m for m in mail.outbox}
    weekday = start.strftime("%A")
    assert f"{weekday}, {year}-10-26 19:00–21:00 (Asia/Shanghai)" in by_address[en.email].body
    assert "星期" in by_address[zh.email].body and weekday not in by_address[zh.email].body
    assert f"{year}-10-26 19:00–21:00 (Asia/Shanghai)" in by_address[zh.email].body
    assert "https://meet.example.org/r" in by_address[en.email].body  # confirmed: the link
    assert f"/events/{event.pk}/ticket/" in by_address[en.email].body


def test_the_reminder_shows_berlin_winter_time_after_the_october_change(
    owner, community, django_capture_on_commit_callbacks
):
    year = timezone.now().year + 1
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(year, 11, 3, 19, 0, tzinfo=berlin)
    event = make_event(
        owner,
        community,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        time_zone="Europe/Berlin",
    )
    user = going(community, event)
    run(django_capture_on_commit_callbacks, start - timedelta(minutes=50))
    assert start.astimezone(ZoneInfo("UTC")).hour == 18
    assert f"{year}-11-03 19:00–21:00 (Europe/Berlin)" in mail.outbox[0].body
    assert mail.outbox[0].to == [user.email]


def test_the_send_reminders_command_queues_the_task(
    owner, community, django_capture_on_commit_callbacks
):
    event = make_event(owner, community, starts_at=timezone.now() + timedelta(minutes=30))
    going(community, event)
    RSVP.objects.filter(event=event).update(updated_at=timezone.now() - timedelta(hours=2))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    assert "Queued the due reminders" in out.getvalue()
    assert [m.subject for m in mail.outbox] == ["In one hour: Founder salon"]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--now", stdout=out)
    assert "Sent 0 reminders and 0 seat mails." in out.getvalue()
    assert len(mail.outbox) == 1


def test_the_task_accepts_an_iso_time_when_queued(
    owner, community, django_capture_on_commit_callbacks
):
    event = make_event(owner, community)
    going(community, event)
    with django_capture_on_commit_callbacks(execute=True):
        result = send_due_reminders.enqueue(now=(event.starts_at - timedelta(hours=2)).isoformat())
    assert result.return_value == 1


@pytest.mark.parametrize("n", [2, 20])
def test_finding_due_reminders_takes_one_query(owner, community, django_assert_num_queries, n):
    event = make_event(owner, community, capacity=None)
    for _ in range(n):
        going(community, event)
    with django_assert_num_queries(1):
        assert len(list(due_reminders("24h", event.starts_at - timedelta(hours=20)))) == n
