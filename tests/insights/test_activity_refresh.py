"""The refresh stores what the engine says, on generated data with answers worked out by hand:
scores, levels, movers, churn reasons, and the daily, weekly and monthly active members.

The helpers at the top build the small worlds the other activity tests use too."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils.text import slugify

from seedbed.communities.models import Community, Membership, Post, Reply, Role, Visibility
from seedbed.engine.churn import FEATURES
from seedbed.events.models import RSVP, Event, RSVPStatus
from seedbed.insights.models import DailyStats, MemberEngagement
from seedbed.insights.tasks import refresh_insights
from tests.factories import MemberFactory

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def community(name: str = "Climate Builders", visibility: str = Visibility.PUBLIC) -> Community:
    slug = slugify(name) or "place"
    return Community.objects.create(name=name, slug=slug, visibility=visibility)


def join(place: Community, user=None, *, at: datetime | None = None, role: str = Role.MEMBER):
    user = user or MemberFactory()
    Membership.objects.update_or_create(
        community=place, user=user, defaults={"role": role, "joined_at": at or NOW}
    )
    return user


def post(place: Community, author, at: datetime, title: str = "A post") -> Post:
    return Post.objects.create(
        community=place, author=author, title=title, body="b", body_html="<p>b</p>", created_at=at
    )


def reply(to: Post, author, at: datetime) -> Reply:
    return Reply.objects.create(
        post=to, author=author, body="r", body_html="<p>r</p>", created_at=at
    )


def busy_community(members: int, now: datetime = NOW, name: str = "Busy") -> Community:
    """``members`` members, each posting every six days for two months, each post answered by
    the next member, plus an event with RSVPs and check-ins: data for pages and budgets
    (inserted in bulk: no signal runs)."""
    place = community(name)
    people = [join(place, at=now - timedelta(days=90)) for _ in range(members)]
    event = Event.objects.create(
        community=place,
        kind="salon",
        title="Salon",
        starts_at=now - timedelta(days=5),
        ends_at=now - timedelta(days=5, hours=-2),
    )
    posts = Post.objects.bulk_create(
        Post(
            community=place,
            author=person,
            title="A post",
            body="b",
            body_html="<p>b</p>",
            created_at=now - timedelta(days=day),
        )
        for i, person in enumerate(people)
        for day in range(1 + i % 3, 60, 6)
    )
    Reply.objects.bulk_create(
        Reply(
            post=written,
            author=people[(people.index(written.author) + 1) % len(people)],
            body="r",
            body_html="<p>r</p>",
            created_at=written.created_at + timedelta(hours=3),
        )
        for written in posts
    )
    RSVP.objects.bulk_create(
        RSVP(
            event=event,
            user=person,
            status=RSVPStatus.CONFIRMED,
            joined_at=now - timedelta(days=20),
            checked_in_at=event.starts_at if i % 2 else None,
        )
        for i, person in enumerate(people)
    )
    return place


def engagement(user, place: Community | None) -> MemberEngagement:
    return MemberEngagement.objects.get(member=user, community=place)


# The tests -------------------------------------------------------------------------------------


@pytest.fixture
def world(db):
    """Four kinds of member in one community, with hand-known histories:
    steady (a post a day for 120 days), gone (every third day until 40 days ago),
    newcomer (joined 10 days ago, one post) and sleeper (joined 200 days ago, nothing since)."""
    place = community()
    steady = [join(place, at=NOW - timedelta(days=150)) for _ in range(10)]
    gone = [join(place, at=NOW - timedelta(days=150)) for _ in range(10)]
    newcomers = [join(place, at=NOW - timedelta(days=10)) for _ in range(5)]
    sleepers = [join(place, at=NOW - timedelta(days=200)) for _ in range(5)]
    for person in steady:
        for day in range(1, 120):
            post(place, person, NOW - timedelta(days=day))
    for person in gone:
        for day in range(40, 120, 3):
            post(place, person, NOW - timedelta(days=day))
    for person in newcomers:
        post(place, person, NOW - timedelta(days=2))
    return place, steady, gone, newcomers, sleepers


def test_each_kind_of_member_gets_the_level_their_history_earns(world):
    place, steady, gone, newcomers, sleepers = world
    refresh_insights.call(now=NOW)
    assert {engagement(p, place).level for p in steady} == {"core"}
    assert {engagement(p, place).level for p in gone} == {"at_risk"}
    assert {engagement(p, place).level for p in newcomers} == {"new"}
    assert {engagement(p, place).level for p in sleepers} == {"dormant"}
    # platform-wide too, from the same actions plus the sign-up
    assert {engagement(p, None).level for p in steady} == {"core"}


def test_a_score_is_the_decayed_sum_of_actions_worked_by_hand(db):
    place = community()
    person = join(place, at=NOW - timedelta(days=60))  # a join weighs 1: halved twice, 0.25
    post(place, person, NOW - timedelta(days=30))  # a post weighs 3: halved once, 1.5
    refresh_insights.call(now=NOW)
    row = engagement(person, place)
    assert row.score == pytest.approx(1.75, abs=1e-3)
    assert row.posts == 1 and row.actions_30d == 0  # the post is 30 days old, not under


def test_the_level_a_week_ago_is_kept_so_movers_show(world):
    place, _steady, _gone, newcomers, _sleepers = world
    arrival = join(place, at=NOW - timedelta(days=5))
    refresh_insights.call(now=NOW)
    # a week ago the arrival had done nothing yet (dormant), now they are new
    assert (engagement(arrival, place).previous_level, engagement(arrival, place).level) == (
        "dormant",
        "new",
    )
    assert {engagement(p, place).previous_level for p in newcomers} == {"new"}


def test_churn_risk_and_its_reasons_are_stored_for_recently_active_members(world):
    place, steady, gone, newcomers, _sleepers = world
    refresh_insights.call(now=NOW)
    asked = [engagement(p, place) for p in steady + newcomers]
    assert all(row.churn_risk is not None and 0 <= row.churn_risk <= 1 for row in asked)
    # the gone were silent for 40 days: churn is asked of members active in the last 30 only
    assert all(engagement(p, place).churn_risk is None for p in gone)
    reasons = [r for row in asked for r in row.reasons]
    assert reasons, "some member has a reason"
    assert all(r["code"] in FEATURES and r["weight"] > 0 for r in reasons)


def test_daily_weekly_and_monthly_active_members_count_each_member_once(db):
    place = community()
    x, y = join(place, at=NOW - timedelta(days=100)), join(place, at=NOW - timedelta(days=100))
    for days in (1, 3, 3):  # twice on one day still counts once
        post(place, x, NOW - timedelta(days=days))
    post(place, y, NOW - timedelta(days=10))
    refresh_insights.call(now=NOW)
    day = {row.day: row for row in DailyStats.objects.filter(community=place)}
    yesterday = day[date(2026, 6, 14)]
    assert (yesterday.active_members, yesterday.active_7d, yesterday.active_30d) == (1, 1, 2)
    assert day[date(2026, 6, 12)].posts == 2
    assert day[date(2026, 6, 12)].active_members == 1
    assert day[date(2026, 6, 5)].active_7d == 1  # y alone: x acted later
    assert day[date(2026, 6, 5)].returning_members == 1  # y joined 90 days before
    assert yesterday.members == 2


def test_response_time_and_attendance_are_counted_on_the_day_they_belong_to(db):
    place = community()
    author, helper = (
        join(place, at=NOW - timedelta(days=50)),
        join(place, at=NOW - timedelta(days=50)),
    )
    asked = post(place, author, NOW - timedelta(days=3, hours=5))
    reply(asked, author, NOW - timedelta(days=3, hours=4))  # the author's own reply: not an answer
    reply(asked, helper, NOW - timedelta(days=3, hours=2))  # answered after 3 hours
    event = Event.objects.create(
        community=place,
        kind="salon",
        title="Salon",
        starts_at=NOW - timedelta(days=2),
        ends_at=NOW - timedelta(days=2, hours=-2),
    )
    RSVP.objects.create(event=event, user=author, status=RSVPStatus.CONFIRMED, checked_in_at=NOW)
    RSVP.objects.create(event=event, user=helper, status=RSVPStatus.CONFIRMED)
    refresh_insights.call(now=NOW)
    day = {row.day: row for row in DailyStats.objects.filter(community=place)}
    written = (NOW - timedelta(days=3, hours=5)).date()
    assert day[written].answered_posts == 1
    assert day[written].response_hours == pytest.approx(3.0)
    started = day[(NOW - timedelta(days=2)).date()]
    assert (started.events, started.confirmed, started.attended) == (1, 2, 1)


def test_the_refresh_is_idempotent(world):
    refresh_insights.call(now=NOW)
    first = list(
        MemberEngagement.objects.order_by("member_id", "community_id").values_list(
            "member_id", "community_id", "score", "level", "churn_risk"
        )
    )
    days = DailyStats.objects.count()
    refresh_insights.call(now=NOW)
    again = list(
        MemberEngagement.objects.order_by("member_id", "community_id").values_list(
            "member_id", "community_id", "score", "level", "churn_risk"
        )
    )
    assert first == again
    assert DailyStats.objects.count() == days


def test_a_member_who_left_has_no_row_in_that_community_any_more(world):
    place, steady, *_ = world
    refresh_insights.call(now=NOW)
    Membership.objects.filter(community=place, user=steady[0]).delete()
    refresh_insights.call(now=NOW)
    assert not MemberEngagement.objects.filter(member=steady[0], community=place).exists()
    assert MemberEngagement.objects.filter(member=steady[0], community=None).exists()


def test_the_command_refreshes_in_process_or_queues(world, settings):
    call_command("refresh_insights", "--now")
    assert MemberEngagement.objects.exists()
    MemberEngagement.objects.all().delete()
    call_command("refresh_insights")  # the test settings run queued tasks at once
    assert MemberEngagement.objects.exists()


def test_an_empty_platform_refreshes_without_error(db):
    result = refresh_insights.call(now=NOW)
    assert result["churn_model"] is False
    assert DailyStats.objects.filter(community=None).count() > 0
