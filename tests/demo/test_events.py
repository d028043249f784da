"""The demo's events: about forty of all four kinds, with RSVPs, waitlists, check-ins and
feedback that agree with the communities' data; a roadshow with a schedule; a judged competition.

The demo (200 members) is loaded once for the module and wiped afterwards; tests that need an
empty database wipe it inside their own transaction, which is rolled back.
"""

import random
import zoneinfo
from collections import Counter, defaultdict
from datetime import timedelta
from itertools import pairwise

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from seedbed.accounts.models import User
from seedbed.communities.models import Community, Membership, Post, Reply, Visibility
from seedbed.communities.models import Role as CommunityRole
from seedbed.core.models import Tag
from seedbed.demo.accounts import DEMO_MEMBER_EMAIL
from seedbed.demo.events import load_events
from seedbed.demo.loader import load_demo
from seedbed.engine.matching import PREFERENCE_WEIGHTS
from seedbed.events.models import (
    RSVP,
    Criterion,
    Entry,
    Event,
    EventKind,
    EventSeries,
    Feedback,
    Judge,
    Meeting,
    MeetingParticipant,
    MeetingPreference,
    MeetingRole,
    MeetingSlot,
    RSVPStatus,
    Score,
)
from seedbed.matching.models import MatchingRound, Project
from seedbed.search.models import SearchDocument
from tests.factories import wipe_library_and_engagement

pytestmark = pytest.mark.django_db


def _has_chinese(value: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in value)


def _wipe() -> None:
    wipe_library_and_engagement()
    MatchingRound.objects.all().delete()
    Project.objects.all().delete()
    Event.objects.all().delete()
    EventSeries.objects.all().delete()
    SearchDocument.objects.all().delete()
    Community.objects.all().delete()
    User.objects.all().delete()
    Tag.objects.all().delete()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _wipe()
        assert load_demo(echo=lambda _line: None)
        yield timezone.now()
        _wipe()
        EmailAddress.objects.all().delete()


def _snapshot():
    return sorted(
        RSVP.objects.values_list("event__title", "event__kind", "user__handle", "status")
    ) + sorted(Event.objects.values_list("title", "capacity", "community__slug"))


def test_there_are_about_forty_events_of_all_four_kinds_past_and_upcoming(demo):
    events = list(Event.objects.select_related("community", "created_by"))
    assert 36 <= len(events) <= 48
    assert {e.kind for e in events} == set(EventKind.values)
    past = [e for e in events if e.ends_at < demo]
    upcoming = [e for e in events if e.starts_at > demo]
    assert len(past) >= 20 and len(upcoming) >= 8
    assert min(e.starts_at for e in events) < demo - timedelta(days=120)
    assert max(e.starts_at for e in events) > demo + timedelta(days=45)
    assert max(e.starts_at for e in events) < demo + timedelta(days=70)
    assert min(e.starts_at for e in events) > demo - timedelta(days=170)
    for kind in EventKind.values:
        assert any(e.kind == kind for e in past) or kind == EventKind.COMPETITION
        assert any(e.kind == kind for e in upcoming)
    platform = [e for e in events if e.community is None]
    assert len(platform) >= 3 and all(e.created_by.is_staff for e in platform)
    private = [e for e in events if e.community and e.community.visibility == Visibility.PRIVATE]
    assert len(private) >= 2
    assert sum(e.community is not None for e in events) > len(events) / 2
    zones = Counter(e.time_zone for e in events)
    assert zones.most_common(1)[0][0] == "Asia/Shanghai"
    assert zones["Europe/Berlin"] >= 1 and zones["Asia/Singapore"] >= 1
    assert sum(map(_has_chinese, (e.title for e in events))) >= 10
    assert sum(not _has_chinese(e.title) for e in events) >= 5
    assert all(e.description_html.startswith("<p>") for e in events)
    assert all((e.venue and e.address) or e.online_url for e in events)
    assert any(e.online_url and not e.venue for e in events)
    assert any(e.capacity is None for e in events)
    assert any(e.requires_approval for e in events)


def test_events_start_at_sensible_wall_clock_times_in_their_own_time_zone(demo):
    for event in Event.objects.all():
        local = event.starts_at.astimezone(zoneinfo.ZoneInfo(event.time_zone))
        assert 8 <= local.hour <= 20, event.title
        assert event.created_at < min(event.starts_at, demo)


def test_a_weekly_meetup_series_keeps_its_wall_clock_time(demo):
    series = EventSeries.objects.get()
    assert series.frequency == EventSeries.Frequency.WEEKLY
    events = list(series.events.order_by("starts_at"))
    assert len(events) >= 6
    assert any(e.starts_at < demo for e in events) and any(e.starts_at > demo for e in events)
    assert len({e.community_id for e in events}) == 1
    local = [e.starts_at.astimezone(e.tz) for e in events]
    assert len({(t.hour, t.minute, t.weekday()) for t in local}) == 1
    assert all(b.date() - a.date() == timedelta(days=7) for a, b in pairwise(local))


def test_no_event_has_more_confirmed_rsvps_than_its_capacity(demo):
    events = Event.objects.annotate(
        confirmed=Count("rsvps", filter=Q(rsvps__status=RSVPStatus.CONFIRMED))
    )
    assert all(e.capacity is None or e.confirmed <= e.capacity for e in events)
    assert sum(e.confirmed for e in events) >= 300


def test_full_upcoming_events_have_a_waitlist_in_join_order(demo):
    full = 0
    for event in Event.objects.filter(starts_at__gt=demo, capacity__isnull=False):
        rsvps = list(event.rsvps.order_by("joined_at", "id"))
        waiting = [r for r in rsvps if r.status == RSVPStatus.WAITLISTED]
        confirmed = [r for r in rsvps if r.status == RSVPStatus.CONFIRMED]
        if waiting:
            full += 1
            assert len(confirmed) == event.capacity
            assert max(r.joined_at for r in confirmed) < min(r.joined_at for r in waiting)
    assert full >= 3


def test_rsvps_come_from_members_of_the_community_after_they_joined(demo):
    joined = {
        (c, u): when
        for c, u, when in Membership.objects.values_list("community", "user", "joined_at")
    }
    rows = RSVP.objects.values_list(
        "event__community", "user", "joined_at", "event__created_at", "event__starts_at"
    )
    for community, user, when, created, starts in rows:
        assert created <= when <= min(starts, demo)
        if community is not None:
            assert (community, user) in joined
            assert joined[community, user] <= when


def test_past_events_have_check_ins_and_feedback_and_upcoming_ones_do_not(demo):
    upcoming = Event.objects.filter(starts_at__gt=demo)
    assert not RSVP.objects.filter(event__in=upcoming, checked_in_at__isnull=False).exists()
    assert not Feedback.objects.filter(event__in=upcoming).exists()
    assert not RSVP.objects.exclude(status=RSVPStatus.CONFIRMED).exclude(checked_in_at=None)

    past = Event.objects.filter(ends_at__lt=demo).annotate(
        confirmed=Count("rsvps", filter=Q(rsvps__status=RSVPStatus.CONFIRMED)),
        came=Count("rsvps", filter=Q(rsvps__checked_in_at__isnull=False)),
    )
    assert all(e.came > 0 for e in past if e.confirmed)
    assert 0.6 <= sum(e.came for e in past) / sum(e.confirmed for e in past) <= 0.85
    for e in past:
        if e.confirmed >= 10:
            assert 0.55 <= e.came / e.confirmed <= 0.9, e.title
    assert sum(Feedback.objects.filter(event=e).exists() for e in past) >= len(past) / 2


def test_feedback_comes_from_those_who_came_mostly_happy_in_both_languages(demo):
    came = set(RSVP.objects.filter(checked_in_at__isnull=False).values_list("event", "user"))
    rows = list(Feedback.objects.select_related("event"))
    assert len(rows) >= 60
    assert all((f.event_id, f.user_id) in came for f in rows)
    assert all(f.event.ends_at < f.created_at <= demo for f in rows)
    ratings = Counter(f.rating for f in rows)
    assert (ratings[4] + ratings[5]) / len(rows) >= 0.7
    assert ratings[2] + ratings[3] >= 3
    comments = [f.comment for f in rows if f.comment]
    assert sum(map(_has_chinese, comments)) >= 5
    assert sum(not _has_chinese(c) for c in comments) >= 5


def test_drifting_members_came_to_events_before_but_have_no_recent_or_upcoming_rsvps(demo):
    """The drifting cohort as the communities' test finds it: five or more posts and replies
    more than 60 days ago and nothing in the last 45 days."""
    old, recent = Counter(), set()
    rows = list(Post.objects.values_list("author_id", "created_at"))
    rows += list(Reply.objects.values_list("author_id", "created_at"))
    for author, when in rows:
        if when < demo - timedelta(days=60):
            old[author] += 1
        if when > demo - timedelta(days=45):
            recent.add(author)
    drifted = [a for a, n in old.items() if n >= 5 and a not in recent]
    assert len(drifted) >= 5
    theirs = RSVP.objects.filter(user__in=drifted)
    assert not theirs.filter(event__starts_at__gt=demo - timedelta(days=30)).exists()
    assert theirs.filter(checked_in_at__isnull=False).exists()


def test_active_members_come_to_more_events_than_quiet_ones(demo):
    writes = Counter(Post.objects.values_list("author_id", flat=True))
    writes.update(Reply.objects.values_list("author_id", flat=True))
    came = Counter(
        RSVP.objects.filter(checked_in_at__isnull=False).values_list("user_id", flat=True)
    )
    members = list(User.objects.values_list("pk", flat=True))
    active = [u for u in members if writes[u] >= 10]
    quiet = [u for u in members if writes[u] == 0]
    assert active and quiet

    def mean(group):
        return sum(came[u] for u in group) / len(group)

    assert mean(active) > 2 * mean(quiet)


def test_the_demo_member_has_plans_an_event_of_his_own_and_past_feedback(demo):
    me = User.objects.get(email=DEMO_MEMBER_EMAIL)
    mine = RSVP.objects.filter(user=me, event__starts_at__gt=demo)
    assert mine.filter(status=RSVPStatus.CONFIRMED).count() == 2
    assert mine.filter(status=RSVPStatus.WAITLISTED).count() == 1
    assert mine.count() == 3
    waiting = mine.get(status=RSVPStatus.WAITLISTED)
    ahead = RSVP.objects.filter(
        event=waiting.event, status=RSVPStatus.WAITLISTED, joined_at__lt=waiting.joined_at
    )
    assert not ahead.exists()  # first in line
    own = Event.objects.get(created_by=me)
    assert own.starts_at > demo and own.community.slug == "seed-founders-circle"
    assert Membership.objects.get(user=me, community=own.community).role == CommunityRole.MODERATOR
    assert Feedback.objects.filter(user=me).count() >= 2
    roadshow = Event.objects.get(participants__user=me)
    assert mine.filter(event=roadshow, status=RSVPStatus.CONFIRMED).exists()


def _roadshow():
    return Event.objects.annotate(n=Count("participants")).get(kind=EventKind.ROADSHOW, n__gt=0)


def test_the_roadshow_has_founders_investors_slots_availability_and_requests(demo):
    event = _roadshow()
    assert event.starts_at > demo
    people = list(
        MeetingParticipant.objects.filter(event=event).prefetch_related("available_slots")
    )
    roles = Counter(p.role for p in people)
    assert roles[MeetingRole.FOUNDER] == 12 and roles[MeetingRole.INVESTOR] == 8
    me = User.objects.get(email=DEMO_MEMBER_EMAIL)
    assert any(p.user_id == me.pk and p.role == MeetingRole.FOUNDER for p in people)
    confirmed = set(
        event.rsvps.filter(status=RSVPStatus.CONFIRMED).values_list("user_id", flat=True)
    )
    assert {p.user_id for p in people} <= confirmed
    slots = list(MeetingSlot.objects.filter(event=event))
    assert len(slots) == 6 and all(s.tables == 4 for s in slots)
    assert all(event.starts_at <= s.starts_at < s.ends_at <= event.ends_at for s in slots)
    assert all(p.available_slots.all() for p in people)
    role = {p.pk: p.role for p in people}
    prefs = list(MeetingPreference.objects.filter(event=event))
    assert {p.level for p in prefs} == {"must", "like", "no"}
    assert all(role[p.participant_id] != role[p.other_id] for p in prefs)
    assert all(any(p.participant_id == x.pk for p in prefs) for x in people)


def test_the_roadshow_schedule_respects_every_constraint(demo):
    event = _roadshow()
    people = {
        p.pk: p
        for p in MeetingParticipant.objects.filter(event=event).prefetch_related("available_slots")
    }
    free = {pk: {s.pk for s in p.available_slots.all()} for pk, p in people.items()}
    tables = dict(MeetingSlot.objects.filter(event=event).values_list("pk", "tables"))
    wish = {
        (p.participant_id, p.other_id): p.level
        for p in MeetingPreference.objects.filter(event=event)
    }
    meetings = list(Meeting.objects.filter(event=event))
    assert len(meetings) >= 12
    per_person, pairs = Counter(), Counter()
    for m in meetings:
        f, i = people[m.founder_id], people[m.investor_id]
        assert f.role == MeetingRole.FOUNDER and i.role == MeetingRole.INVESTOR
        assert 1 <= m.table <= tables[m.slot_id]
        assert m.slot_id in free[f.pk] and m.slot_id in free[i.pk]
        sides = (wish.get((f.pk, i.pk), ""), wish.get((i.pk, f.pk), ""))
        assert "no" not in sides
        assert m.weight == sum(PREFERENCE_WEIGHTS[s] for s in sides) > 0
        per_person[f.pk] += 1
        per_person[i.pk] += 1
        pairs[f.pk, i.pk] += 1
    assert max(pairs.values()) == 1
    for pk, n in per_person.items():
        assert people[pk].max_meetings is None or n <= people[pk].max_meetings
    by_slot = defaultdict(list)
    for m in meetings:
        by_slot[m.slot_id].append(m)
    for slot, rows in by_slot.items():
        assert len(rows) <= tables[slot]
        assert len({m.founder_id for m in rows}) == len(rows)
        assert len({m.investor_id for m in rows}) == len(rows)


def test_the_competition_has_a_rubric_entries_judges_and_scores_except_for_conflicts(demo):
    event = Event.objects.annotate(n=Count("judges__scores")).get(
        kind=EventKind.COMPETITION, n__gt=0
    )
    assert event.ends_at < demo
    assert event.results_published_at is not None and event.results_published_at < demo
    criteria = list(Criterion.objects.filter(event=event))
    assert 3 <= len(criteria) <= 4 and len({c.weight for c in criteria}) > 1
    entries = list(Entry.objects.filter(event=event))
    assert 8 <= len(entries) <= 12
    assert all(e.submitted_at < event.entries_close_at < event.starts_at for e in entries)
    judges = list(Judge.objects.filter(event=event).prefetch_related("conflicts"))
    assert len(judges) == 4
    entrants = {e.submitted_by_id for e in entries}
    assert len(entrants) == len(entries)
    assert not entrants & {j.user_id for j in judges}
    assert not User.objects.filter(pk__in=entrants | {j.user_id for j in judges}, is_staff=True)
    conflicts = {(j.pk, e.pk) for j in judges for e in j.conflicts.all()}
    assert len(conflicts) >= 2

    scores = list(Score.objects.filter(judge__event=event))
    assert all(1 <= s.value <= 10 for s in scores)
    assert not [s for s in scores if (s.judge_id, s.entry_id) in conflicts]
    keys = Counter((s.judge_id, s.entry_id, s.criterion_id) for s in scores)
    expected = {
        (j.pk, e.pk, c.pk)
        for j in judges
        for e in entries
        for c in criteria
        if (j.pk, e.pk) not in conflicts
    }
    assert set(keys) == expected and max(keys.values()) == 1
    means = sorted(
        sum(s.value for s in scores if s.judge_id == j.pk)
        / sum(1 for s in scores if s.judge_id == j.pk)
        for j in judges
    )
    assert means[-1] - means[0] >= 2  # a harsh judge and a lenient one


def test_the_events_step_costs_a_fixed_handful_of_queries(demo, django_assert_max_num_queries):
    Event.objects.all().delete()
    EventSeries.objects.all().delete()
    with django_assert_max_num_queries(40):
        counts = load_events(random.Random("7:events"), timezone.now())
    assert counts["events"] == Event.objects.count()


@pytest.mark.slow
def test_the_same_seed_gives_the_same_events_and_another_seed_does_not(demo):
    _wipe()
    load_demo(members=60, seed=11, echo=lambda _line: None)
    first = _snapshot()
    assert Event.objects.count() >= 36
    _wipe()
    load_demo(members=60, seed=11, echo=lambda _line: None)
    assert _snapshot() == first
    _wipe()
    load_demo(members=60, seed=12, echo=lambda _line: None)
    assert _snapshot() != first


def test_the_loader_uses_only_the_random_stream_it_is_given(demo):
    _wipe()
    load_demo(members=40, seed=3, echo=lambda _line: None)
    snapshot = _snapshot()
    Event.objects.all().delete()
    EventSeries.objects.all().delete()
    random.seed(99)
    load_events(random.Random("3:events"), timezone.now())
    assert _snapshot() == snapshot


def test_running_the_demo_command_twice_is_harmless(demo, capsys):
    _wipe()
    call_command("demo", members="60", verbosity=0)
    counts = (
        Event.objects.count(),
        RSVP.objects.count(),
        Feedback.objects.count(),
        Meeting.objects.count(),
        Score.objects.count(),
    )
    assert counts[0] > 0 and counts[1] > 0
    call_command("demo", members="60")
    assert "already loaded" in capsys.readouterr().out
    assert counts == (
        Event.objects.count(),
        RSVP.objects.count(),
        Feedback.objects.count(),
        Meeting.objects.count(),
        Score.objects.count(),
    )
