import zoneinfo
from datetime import datetime, timedelta

import pytest

from seedbed.events import services
from seedbed.events.models import Event
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def test_a_weekly_series_keeps_its_local_time_across_a_dst_change():
    operator = MemberFactory(is_staff=True)
    start = datetime(2026, 10, 15, 19, 0, tzinfo=BERLIN)  # DST ends on 25 October 2026
    services.create_event(
        operator,
        kind="tech_meetup",
        title="Berlin Python night",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        time_zone="Europe/Berlin",
        venue="c-base",
        repeat="weekly",
        occurrences=3,
    )
    events = list(Event.objects.filter(created_by=operator).order_by("starts_at"))
    assert [e.starts_at.astimezone(BERLIN).hour for e in events] == [19, 19, 19]
    assert [e.starts_at.astimezone(zoneinfo.ZoneInfo("UTC")).hour for e in events] == [17, 17, 18]
    assert len({e.series_id for e in events}) == 1


def test_a_monthly_series_keeps_the_day_of_the_month_or_the_months_last_day():
    operator = MemberFactory(is_staff=True)
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    start = datetime(2027, 1, 31, 14, 0, tzinfo=shanghai)
    services.create_event(
        operator,
        kind="salon",
        title="Month-end salon",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        time_zone="Asia/Shanghai",
        venue="Hub",
        repeat="monthly",
        occurrences=3,
    )
    days = [
        e.starts_at.astimezone(shanghai).date().isoformat()
        for e in Event.objects.filter(created_by=operator).order_by("starts_at")
    ]
    assert days == ["2027-01-31", "2027-02-28", "2027-03-31"]


def test_editing_one_or_all_later_events_of_a_series():
    operator = MemberFactory(is_staff=True)
    start = datetime(2027, 3, 1, 19, 0, tzinfo=BERLIN)
    services.create_event(
        operator,
        kind="salon",
        title="Salon",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        time_zone="Europe/Berlin",
        venue="Hub",
        repeat="weekly",
        occurrences=3,
    )
    events = list(Event.objects.filter(created_by=operator).order_by("starts_at"))
    services.update_event(operator, events[1].pk, title="Special salon")
    assert [e.title for e in Event.objects.filter(created_by=operator).order_by("starts_at")] == [
        "Salon",
        "Special salon",
        "Salon",
    ]
    services.update_event(operator, events[1].pk, scope="following", venue="Second hub")
    assert [e.venue for e in Event.objects.filter(created_by=operator).order_by("starts_at")] == [
        "Hub",
        "Second hub",
        "Second hub",
    ]
    services.update_event(operator, events[2].pk, scope="series", venue="New hub")
    assert {e.venue for e in Event.objects.filter(created_by=operator)} == {"New hub"}
    assert [
        e.starts_at for e in Event.objects.filter(created_by=operator).order_by("starts_at")
    ] == [e.starts_at for e in events]


# Editing a series ------------------------------------------------------------------------------


def _weekly(operator, start: datetime, **extra) -> list[Event]:
    services.create_event(
        operator,
        kind="salon",
        title="Salon",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        time_zone="Europe/Berlin",
        venue="Hub",
        repeat="weekly",
        occurrences=3,
        **extra,
    )
    return _series(operator)


def _series(operator) -> list[Event]:
    return list(Event.objects.filter(created_by=operator).order_by("starts_at"))


def _wall_clock(events: list[Event]) -> list[str]:
    return [
        f"{e.starts_at.astimezone(BERLIN):%m-%d %H:%M}–{e.ends_at.astimezone(BERLIN):%H:%M}"
        for e in events
    ]


def _at(event: Event, hour: int) -> datetime:
    """The event's own date, at this hour of Berlin's wall clock."""
    return event.starts_at.astimezone(BERLIN).replace(hour=hour)


def test_a_new_clock_time_for_the_following_events_moves_every_one_of_them():
    operator = MemberFactory(is_staff=True)
    events = _weekly(operator, datetime(2027, 3, 1, 19, 0, tzinfo=BERLIN))
    later = _at(events[1], 20)
    services.update_event(
        operator,
        events[1].pk,
        scope="following",
        starts_at=later,
        ends_at=later + timedelta(hours=2),
    )
    assert _wall_clock(_series(operator)) == [
        "03-01 19:00–21:00",
        "03-08 20:00–22:00",
        "03-15 20:00–22:00",
    ]


def test_a_change_to_the_whole_series_also_changes_the_event_it_was_made_on():
    operator = MemberFactory(is_staff=True)
    events = _weekly(operator, datetime(2027, 3, 1, 19, 0, tzinfo=BERLIN))
    later = _at(events[1], 20)
    services.update_event(
        operator,
        events[1].pk,
        scope="series",
        title="Late salon",
        starts_at=later,
        ends_at=later + timedelta(hours=3),
    )
    edited = _series(operator)
    assert [e.title for e in edited] == ["Late salon"] * 3
    assert _wall_clock(edited) == ["03-01 20:00–23:00", "03-08 20:00–23:00", "03-15 20:00–23:00"]


def test_a_venue_only_edit_of_the_following_events_keeps_each_ones_capacity_and_title():
    operator = MemberFactory(is_staff=True)
    events = _weekly(operator, datetime(2027, 3, 1, 19, 0, tzinfo=BERLIN), capacity=10)
    services.set_capacity(operator, events[2].pk, 50)
    services.update_event(operator, events[2].pk, title="Big salon")
    services.update_event(operator, events[1].pk, scope="following", venue="Second hub")
    edited = _series(operator)
    assert [(e.venue, e.capacity, e.title) for e in edited] == [
        ("Hub", 10, "Salon"),
        ("Second hub", 10, "Salon"),
        ("Second hub", 50, "Big salon"),
    ]


def test_a_new_clock_time_stays_that_wall_clock_time_across_a_dst_change():
    operator = MemberFactory(is_staff=True)
    start = datetime(2026, 10, 15, 19, 0, tzinfo=BERLIN)  # DST ends on 25 October 2026
    events = _weekly(operator, start)
    later = _at(events[0], 20)
    services.update_event(
        operator, events[0].pk, scope="series", starts_at=later, ends_at=later + timedelta(hours=2)
    )
    edited = _series(operator)
    assert _wall_clock(edited) == ["10-15 20:00–22:00", "10-22 20:00–22:00", "10-29 20:00–22:00"]
    assert [e.starts_at.astimezone(zoneinfo.ZoneInfo("UTC")).hour for e in edited] == [18, 18, 19]


def _form_data(event: Event, **changes) -> dict:
    """What the edit page's form posts back untouched, with some fields changed."""
    from seedbed.events.forms import EventForm

    data = {}
    for name, value in (EventForm.initial_for(event) | changes).items():
        if isinstance(value, datetime):
            data[name] = f"{value:%Y-%m-%dT%H:%M}"
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else value
    return data


def test_the_edit_page_applies_only_what_was_changed_to_the_whole_series(client):
    operator = MemberFactory(is_staff=True)
    events = _weekly(operator, datetime(2027, 3, 1, 19, 0, tzinfo=BERLIN), capacity=10)
    services.set_capacity(operator, events[2].pk, 50)
    services.update_event(operator, events[2].pk, title="Big salon")
    client.force_login(operator)
    data = _form_data(events[1], venue="Second hub") | {"scope": "series"}
    assert client.post(f"/events/{events[1].pk}/edit/", data).status_code == 302
    edited = _series(operator)
    assert [(e.venue, e.capacity, e.title) for e in edited] == [
        ("Second hub", 10, "Salon"),
        ("Second hub", 10, "Salon"),
        ("Second hub", 50, "Big salon"),
    ]
    assert _wall_clock(edited) == _wall_clock(events)


def test_the_edit_page_moves_the_clock_time_of_the_following_events(client):
    operator = MemberFactory(is_staff=True)
    events = _weekly(operator, datetime(2027, 3, 1, 19, 0, tzinfo=BERLIN))
    client.force_login(operator)
    later = _at(events[1], 18)
    data = _form_data(events[1], starts_at=later, ends_at=later + timedelta(hours=2))
    response = client.post(f"/events/{events[1].pk}/edit/", data | {"scope": "following"})
    assert response.status_code == 302
    assert _wall_clock(_series(operator)) == [
        "03-01 19:00–21:00",
        "03-08 18:00–20:00",
        "03-15 18:00–20:00",
    ]
