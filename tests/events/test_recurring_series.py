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
