"""Roadshow 1:1 meetings: joining, availability, private preferences, slots, building the
schedule with the engine and the agendas (pages, ICS and API)."""

import itertools
import json
import re
from datetime import timedelta

import icalendar
import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from seedbed.communities import services as community_services
from seedbed.communities.models import Membership, Visibility
from seedbed.engine.matching import pair_weights, schedule_meetings
from seedbed.events import adapter, meetings
from seedbed.events import services as event_services
from seedbed.events.models import CalendarToken, Meeting, MeetingPreference
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

LEVEL_WEIGHT = {"must": 3.0, "like": 1.0, "": 0.0, "no": -np.inf}


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def make_roadshow(owner, community, **fields):
    start = (timezone.now() + timedelta(days=5)).replace(minute=0, second=0, microsecond=0)
    values = {
        "kind": "roadshow",
        "title": "Spring roadshow",
        "starts_at": start,
        "ends_at": start + timedelta(hours=8),
        "venue": "Innovation hub",
        "time_zone": "Asia/Shanghai",
    }
    values.update(fields)
    return event_services.create_event(owner, community=community.slug, **values)


def add_slots(owner, event, tables):
    first = event.starts_at
    return [
        meetings.create_slot(
            owner,
            event.pk,
            starts_at=first + timedelta(minutes=30 * k),
            ends_at=first + timedelta(minutes=30 * k + 25),
            tables=n,
        )
        for k, n in enumerate(tables)
    ]


def people(community, n):
    found = MemberFactory.create_batch(n)
    for person in found:
        Membership.objects.create(community=community, user=person)
    return found


@pytest.fixture
def world(db):
    """A roadshow in a private community: its organiser (the owner), a founder and an investor
    who joined, a member who did not, and an outsider."""
    owner = MemberFactory(display_name="Organiser")
    club = community_services.create_community(
        owner, name="Angel club", visibility=Visibility.PRIVATE
    )
    founder, investor, member = people(club, 3)
    event = make_roadshow(owner, club)
    slots = add_slots(owner, event, [1, 1])
    founder_p = meetings.join(founder, event.pk, "founder")
    investor_p = meetings.join(investor, event.pk, "investor")
    return {
        "owner": owner,
        "club": club,
        "event": event,
        "slots": slots,
        "founder": founder,
        "investor": investor,
        "member": member,
        "outsider": MemberFactory(),
        "founder_p": founder_p,
        "investor_p": investor_p,
    }


# The schedule ----------------------------------------------------------------------------------


def _instance(owner, club, n_founders=5, n_investors=4, tables=(2, 1, 2), seed=7):
    """A random roadshow with limits, availability and vetoes; returns the participants and
    their answers so tests can check the stored meetings against them."""
    rng = np.random.default_rng(seed)
    event = make_roadshow(owner, club)
    slots = add_slots(owner, event, list(tables))
    founders = [meetings.join(u, event.pk, "founder") for u in people(club, n_founders)]
    investors = [meetings.join(u, event.pk, "investor") for u in people(club, n_investors)]
    for person in founders + investors:
        free = [s.pk for s in slots if rng.random() < 0.7]
        limit = int(rng.integers(1, 3)) if rng.random() < 0.6 else None
        meetings.set_availability(person.user, event.pk, max_meetings=limit, slot_ids=free)
        others = investors if person in founders else founders
        choices = [(o.pk, str(rng.choice(["must", "like", "no", ""]))) for o in others]
        meetings.set_preferences(person.user, event.pk, choices)
    return event, slots, founders, investors


@pytest.mark.parametrize("seed", [7, 11, 23])
def test_stored_meetings_respect_every_constraint(world, seed):
    event, slots, founders, investors = _instance(world["owner"], world["club"], seed=seed)
    result = meetings.build_schedule(world["owner"], event.pk)
    stored = list(Meeting.objects.filter(event=event))
    assert stored and result.meetings == len(stored)
    everyone = {p.pk: p for p in founders + investors}
    free = {p.pk: {s.pk for s in p.available_slots.all()} for p in everyone.values()}
    said = {(p.participant_id, p.other_id): p.level for p in MeetingPreference.objects.all()}
    tables = {s.pk: s.tables for s in slots}
    per_slot: dict[int, list[int]] = {}
    pairs = set()
    for m in stored:
        for who in (m.founder_id, m.investor_id):
            per_slot.setdefault(m.slot_id, []).append(who)
            assert not free[who] or m.slot_id in free[who], "outside availability"
        assert 1 <= m.table <= tables[m.slot_id], "no such table"
        assert "no" not in (
            said.get((m.founder_id, m.investor_id)),
            said.get((m.investor_id, m.founder_id)),
        ), "a vetoed pair met"
        assert (m.founder_id, m.investor_id) not in pairs, "a pair met twice"
        pairs.add((m.founder_id, m.investor_id))
        assert m.weight > 0
    for slot_id, who in per_slot.items():
        assert len(who) == len(set(who)), "someone is double-booked"
        assert len(who) // 2 <= tables[slot_id]
    for p in everyone.values():
        count = sum(p.pk in (m.founder_id, m.investor_id) for m in stored)
        assert p.max_meetings is None or count <= p.max_meetings, "over the limit"


def _engine_optimum(founders, investors, slots) -> float:
    level = {(p.participant_id, p.other_id): p.level for p in MeetingPreference.objects.all()}
    f_side = [[LEVEL_WEIGHT[level.get((f.pk, i.pk), "")] for i in investors] for f in founders]
    i_side = [[LEVEL_WEIGHT[level.get((i.pk, f.pk), "")] for i in investors] for f in founders]

    def grid(group):
        rows = []
        for p in group:
            free = {s.pk for s in p.available_slots.all()}
            rows.append([not free or s.pk in free for s in slots])
        return np.array(rows, dtype=bool)

    def limits(group):
        return np.array([len(slots) if p.max_meetings is None else p.max_meetings for p in group])

    return schedule_meetings(
        pair_weights(f_side, i_side),
        grid(founders),
        grid(investors),
        np.array([s.tables for s in slots]),
        limits(founders),
        limits(investors),
    ).total_weight


def test_the_stored_schedule_equals_the_engines_optimum_for_a_small_instance(world):
    event, slots, founders, investors = _instance(world["owner"], world["club"], seed=3)
    result = meetings.build_schedule(world["owner"], event.pk)
    stored = sum(m.weight for m in Meeting.objects.filter(event=event))
    assert stored == result.total_weight == _engine_optimum(founders, investors, slots)
    assert result.status == "optimal" and result.gap == 0.0
    assert result.upper_bound == pytest.approx(stored)


def test_a_tiny_schedule_is_the_brute_force_optimum(world):
    """Two founders, two investors, one table in each of two slots: a hand-checkable optimum
    that a greedy scheduler misses (it would give founder A the early slot with investor X)."""
    club, owner = world["club"], world["owner"]
    event = make_roadshow(owner, club)
    early, late = add_slots(owner, event, [1, 1])
    a, b, x, y = people(club, 4)
    fa, fb = (meetings.join(u, event.pk, "founder") for u in (a, b))
    ix, iy = (meetings.join(u, event.pk, "investor") for u in (x, y))
    meetings.set_preferences(a, event.pk, [(ix.pk, "must"), (iy.pk, "like")])
    meetings.set_preferences(b, event.pk, [(ix.pk, "like")])
    meetings.set_availability(b, event.pk, max_meetings=None, slot_ids=[early.pk])
    meetings.set_availability(a, event.pk, max_meetings=1, slot_ids=[])
    weights = {(fa.pk, ix.pk): 3, (fa.pk, iy.pk): 1, (fb.pk, ix.pk): 1}
    best = 0
    options = [(f, i, s) for (f, i) in weights for s in (early.pk, late.pk)]
    for size in range(len(options) + 1):
        for combo in itertools.combinations(options, size):
            slots_used = [s for _f, _i, s in combo]
            busy = [(f, s) for f, _i, s in combo] + [(i, s) for _f, i, s in combo]
            ok = (
                len(set(slots_used)) == len(slots_used)
                and len(set(busy)) == len(busy)
                and sum(f == fa.pk for f, _i, _s in combo) <= 1
                and all(s == early.pk for f, _i, s in combo if f == fb.pk)
                and len({(f, i) for f, i, _s in combo}) == len(combo)
            )
            if ok:
                best = max(best, sum(weights[(f, i)] for f, i, _s in combo))
    result = meetings.build_schedule(owner, event.pk)
    assert best == 4
    assert result.total_weight == best
    assert {
        (m.founder_id, m.investor_id, m.slot_id) for m in Meeting.objects.filter(event=event)
    } == {
        (fb.pk, ix.pk, early.pk),
        (fa.pk, ix.pk, late.pk),
    }


def test_building_again_replaces_the_previous_schedule(world):
    event, *_rest = _instance(world["owner"], world["club"])
    meetings.build_schedule(world["owner"], event.pk)
    first = set(Meeting.objects.filter(event=event).values_list("pk", flat=True))
    result = meetings.build_schedule(world["owner"], event.pk)
    second = set(Meeting.objects.filter(event=event).values_list("pk", flat=True))
    assert len(second) == result.meetings == len(first)
    assert first.isdisjoint(second)


def test_a_change_while_the_solver_runs_is_never_stored_stale(world, monkeypatch):
    founder, investor = world["founder"], world["investor"]
    event = world["event"]
    meetings.set_preferences(founder, event.pk, [(world["investor_p"].pk, "must")])
    real_solve = adapter.solve_meetings
    calls = []

    def solve_then_veto(inputs, time_limit):
        out = real_solve(inputs, time_limit)
        if not calls:
            meetings.set_preferences(investor, event.pk, [(world["founder_p"].pk, "no")])
        calls.append(1)
        return out

    monkeypatch.setattr(adapter, "solve_meetings", solve_then_veto)
    result = meetings.build_schedule(world["owner"], event.pk)
    assert len(calls) == 2
    assert result.meetings == 0 and not Meeting.objects.filter(event=event).exists()


def test_a_large_roadshow_is_scheduled_by_a_background_task(world, monkeypatch):
    meetings.set_preferences(
        world["founder"], world["event"].pk, [(world["investor_p"].pk, "like")]
    )
    monkeypatch.setattr(meetings, "INLINE_LIMIT", 0)
    result = meetings.build_schedule(world["owner"], world["event"].pk)
    assert result.queued and result.status == "queued"
    # the test settings run tasks at once
    assert Meeting.objects.filter(event=world["event"]).count() == 1


def test_saying_no_or_withdrawing_a_slot_removes_the_meetings_it_breaks(world):
    event, slots = world["event"], world["slots"]
    founder, investor = world["founder"], world["investor"]
    meetings.set_preferences(founder, event.pk, [(world["investor_p"].pk, "must")])
    meetings.build_schedule(world["owner"], event.pk)
    meeting = Meeting.objects.get(event=event)
    other = next(s for s in slots if s.pk != meeting.slot_id)
    meetings.set_availability(founder, event.pk, max_meetings=None, slot_ids=[other.pk])
    assert not Meeting.objects.filter(event=event).exists()
    meetings.set_availability(founder, event.pk, max_meetings=None, slot_ids=[])
    meetings.build_schedule(world["owner"], event.pk)
    assert Meeting.objects.filter(event=event).count() == 1
    meetings.set_preferences(investor, event.pk, [(world["founder_p"].pk, "no")])
    assert not Meeting.objects.filter(event=event).exists()


def test_fewer_tables_remove_the_meetings_at_the_lost_tables(world):
    event, owner = world["event"], world["owner"]
    slot = world["slots"][0]
    meetings.delete_slot(owner, event.pk, world["slots"][1].pk)
    meetings.update_slot(owner, event.pk, slot.pk, tables=2)
    a, b = (meetings.join(u, event.pk, "founder") for u in people(world["club"], 2))
    for f in (a, b):
        meetings.set_preferences(f.user, event.pk, [(world["investor_p"].pk, "like")])
    inv2 = meetings.join(people(world["club"], 1)[0], event.pk, "investor")
    meetings.set_preferences(a.user, event.pk, [(inv2.pk, "must")])
    meetings.build_schedule(owner, event.pk)
    assert sorted(Meeting.objects.values_list("table", flat=True)) == [1, 2]
    meetings.update_slot(owner, event.pk, slot.pk, tables=1)
    assert list(Meeting.objects.values_list("table", flat=True)) == [1]


# Privacy of preferences ------------------------------------------------------------------------

CSRF = re.compile(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


def _founder_sees(world) -> list[bytes]:
    browser = client_for(world["founder"])
    event_id = world["event"].pk
    seen = []
    for path in ("", "agenda/", "agenda.ics"):
        body = browser.get(f"/events/{event_id}/meetings/{path}").content
        body = re.sub(rb"DTSTAMP:[0-9TZ]+", b"", body)
        seen.append(CSRF.sub(b"", body))
    for path in ("", "/participants", "/me", "/me/preferences", "/me/agenda", "/slots"):
        seen.append(browser.get(f"/api/v1/events/{event_id}/meetings{path}").content)
    return seen


def test_a_founder_never_sees_what_an_investor_said_about_them(world):
    event_id = world["event"].pk
    meetings.set_preferences(world["investor"], event_id, [(world["founder_p"].pk, "must")])
    keen = _founder_sees(world)
    meetings.set_preferences(world["investor"], event_id, [(world["founder_p"].pk, "no")])
    refusing = _founder_sees(world)
    assert keen == refusing


def test_an_investor_never_sees_what_a_founder_said_about_them(world):
    event_id = world["event"].pk
    browser = client_for(world["investor"])
    meetings.set_preferences(world["founder"], event_id, [(world["investor_p"].pk, "no")])
    page = browser.get(f"/events/{event_id}/meetings/").content.decode()
    assert 'value="no" selected' not in page
    api = browser.get(f"/api/v1/events/{event_id}/meetings/me/preferences").json()
    assert api == []
    with pytest.raises(PermissionDenied):
        meetings.schedule(world["investor"], event_id)


def test_agendas_never_carry_a_weight(world):
    event_id = world["event"].pk
    meetings.set_preferences(world["founder"], event_id, [(world["investor_p"].pk, "must")])
    meetings.set_preferences(world["investor"], event_id, [(world["founder_p"].pk, "like")])
    meetings.build_schedule(world["owner"], event_id)
    browser = client_for(world["founder"])
    agenda = browser.get(f"/api/v1/events/{event_id}/meetings/me/agenda").json()
    assert len(agenda["meetings"]) == 1 and "weight" not in json.dumps(agenda)
    assert b"(4)" not in browser.get(f"/events/{event_id}/meetings/agenda/").content
    organiser = client_for(world["owner"]).get(f"/events/{event_id}/meetings/schedule/")
    assert b"(4)" in organiser.content


# Agendas ---------------------------------------------------------------------------------------


def test_the_agenda_page_and_ics_feed_list_my_meetings(world):
    event_id = world["event"].pk
    meetings.set_preferences(world["founder"], event_id, [(world["investor_p"].pk, "must")])
    meetings.build_schedule(world["owner"], event_id)
    browser = client_for(world["founder"])
    page = browser.get(f"/events/{event_id}/meetings/agenda/").content.decode()
    assert world["investor"].display_name in page
    response = browser.get(f"/events/{event_id}/meetings/agenda.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    assert world["investor"].display_name in str(vevent["SUMMARY"])
    assert "Table 1" in str(vevent["LOCATION"])
    meeting = Meeting.objects.get()
    assert vevent.decoded("DTSTART") == meeting.slot.starts_at


def test_the_private_agenda_address_works_until_the_token_is_revoked(world):
    event_id = world["event"].pk
    token = CalendarToken.objects.create(user=world["founder"])
    url = f"/events/{event_id}/meetings/agenda.ics?token={token.token}"
    assert Client().get(url).status_code == 200
    assert (
        token.token
        in client_for(world["founder"]).get(f"/events/{event_id}/meetings/agenda/").content.decode()
    )
    token.revoked_at = timezone.now()
    token.save()
    assert Client().get(url).status_code == 404
    assert Client().get(f"/events/{event_id}/meetings/agenda.ics?token=nonsense").status_code == 404
    member_token = CalendarToken.objects.create(user=world["member"])
    other = f"/events/{event_id}/meetings/agenda.ics?token={member_token.token}"
    assert Client().get(other).status_code == 403


# Joining and roles -----------------------------------------------------------------------------


def test_one_role_per_event(world):
    with pytest.raises(ValidationError) as error:
        meetings.join(world["founder"], world["event"].pk, "investor")
    assert "role" in error.value.message_dict
    assert meetings.join(world["founder"], world["event"].pk, "founder") == world["founder_p"]


def test_organisers_add_only_members_who_can_see_the_event(world):
    event_id = world["event"].pk
    added = meetings.add_participant(world["owner"], event_id, world["member"].handle, "investor")
    assert added.role == "investor"
    with pytest.raises(ValidationError) as error:
        meetings.add_participant(world["owner"], event_id, world["outsider"].pk, "founder")
    assert "user_id" in error.value.message_dict


def test_meetings_exist_only_at_roadshows(world):
    salon = event_services.create_event(
        world["owner"],
        community=world["club"].slug,
        kind="salon",
        title="Salon",
        starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, hours=2),
        venue="Hub",
    )
    browser = client_for(world["owner"])
    assert browser.get(f"/events/{salon.pk}/meetings/").status_code == 404
    assert browser.post(f"/api/v1/events/{salon.pk}/meetings/schedule").status_code == 404
    page = browser.get(f"/events/{salon.pk}/").content.decode()
    assert "/meetings/" not in page
    assert (
        f"/events/{world['event'].pk}/meetings/"
        in browser.get(f"/events/{world['event'].pk}/").content.decode()
    )


# Bad input -------------------------------------------------------------------------------------


def _api(user, method, path, body=None):
    client = client_for(user)
    return getattr(client, method)(
        f"/api/v1{path}",
        json.dumps(body) if body is not None else None,
        content_type="application/json",
    )


def _fields(response) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


def test_an_unknown_participant_is_refused_naming_the_field(world):
    base = f"/events/{world['event'].pk}/meetings"
    body = {"preferences": [{"participant_id": 999_999, "level": "must"}]}
    response = _api(world["founder"], "put", f"{base}/me/preferences", body)
    assert response.status_code == 400
    assert _fields(response) == {"preferences.0.participant_id"}
    same_side = {"preferences": [{"participant_id": world["founder_p"].pk, "level": "like"}]}
    assert _api(world["founder"], "put", f"{base}/me/preferences", same_side).status_code == 400


def test_a_slot_of_another_event_is_refused_naming_the_field(world):
    elsewhere = make_roadshow(world["owner"], world["club"], title="Autumn roadshow")
    (foreign,) = add_slots(world["owner"], elsewhere, [3])
    base = f"/events/{world['event'].pk}/meetings"
    body = {"max_meetings": 2, "slots": [foreign.pk]}
    response = _api(world["founder"], "put", f"{base}/me/availability", body)
    assert response.status_code == 400 and _fields(response) == {"slots"}
    assert not world["founder_p"].available_slots.exists()


def test_a_level_other_than_must_like_or_no_is_refused_naming_the_field(world):
    base = f"/events/{world['event'].pk}/meetings"
    meetings.set_preferences(
        world["founder"], world["event"].pk, [(world["investor_p"].pk, "like")]
    )
    body = {"preferences": [{"participant_id": world["investor_p"].pk, "level": "maybe"}]}
    response = _api(world["founder"], "put", f"{base}/me/preferences", body)
    assert response.status_code == 422
    assert _fields(response) == {"preferences.0.level"}
    page = client_for(world["founder"]).post(
        f"{base}/preferences/", {f"pref_{world['investor_p'].pk}": "maybe"}
    )
    assert page.status_code == 400 and "Choose must, like or no." in page.content.decode()
    assert MeetingPreference.objects.get().level == "like"


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"starts_at": "soon", "ends_at": "2030-01-01T10:00", "tables": "1"}, "Enter a date"),
        ({"starts_at": "2030-01-01T10:00", "ends_at": "2030-01-01T09:00", "tables": "1"}, "end"),
        ({"starts_at": "2030-01-01T10:00", "ends_at": "2030-01-01T11:00", "tables": "x"}, "whole"),
        (
            {"starts_at": "2030-01-01T10:00", "ends_at": "2030-01-01T11:00", "tables": "-2"},
            "tables",
        ),
    ],
)
def test_bad_slot_input_on_the_page_is_a_400_with_the_message(world, data, field_message):
    response = client_for(world["owner"]).post(f"/events/{world['event'].pk}/meetings/slots/", data)
    assert response.status_code == 400 and field_message in response.content.decode()
    assert world["event"].slots.count() == 2


def test_overlapping_slots_are_refused(world):
    first = world["slots"][0]
    with pytest.raises(ValidationError) as error:
        meetings.create_slot(
            world["owner"],
            world["event"].pk,
            starts_at=first.starts_at + timedelta(minutes=10),
            ends_at=first.ends_at + timedelta(minutes=10),
            tables=1,
        )
    assert "starts_at" in error.value.message_dict
    response = _api(
        world["owner"],
        "post",
        f"/events/{world['event'].pk}/meetings/slots",
        {"starts_at": first.starts_at.isoformat(), "ends_at": first.ends_at.isoformat()},
    )
    assert response.status_code == 400 and _fields(response) == {"starts_at"}


def test_bad_limits_and_roles_name_the_field(world):
    base = f"/events/{world['event'].pk}/meetings"
    response = _api(world["founder"], "put", f"{base}/me/availability", {"max_meetings": -1})
    assert response.status_code == 422 and _fields(response) == {"max_meetings"}
    response = _api(world["member"], "post", f"{base}/join", {"role": "mentor"})
    assert response.status_code == 422 and _fields(response) == {"role"}
    page = client_for(world["founder"]).post(f"{base}/availability/", {"max_meetings": "lots"})
    assert page.status_code == 400 and "whole number" in page.content.decode()
    page = client_for(world["member"]).post(f"{base}/join/", {"role": "mentor"})
    assert page.status_code == 400 and "founder or investor" in page.content.decode()


def test_naive_slot_times_are_the_events_local_times(world):
    response = client_for(world["owner"]).post(
        f"/events/{world['event'].pk}/meetings/slots/",
        {"starts_at": "2030-01-01T10:00", "ends_at": "2030-01-01T10:30", "tables": "2"},
    )
    assert response.status_code == 302
    slot = world["event"].slots.order_by("-starts_at").first()
    assert slot.starts_at.isoformat() == "2030-01-01T02:00:00+00:00"  # 10:00 in Shanghai
