"""The competition rules, through the service functions: entries, judges and conflicts, the
rubric, scores, the leaderboard and publication."""

import math
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from seedbed.accounts.models import User
from seedbed.communities import services as community_services
from seedbed.communities.models import Visibility
from seedbed.events import competitions as comp
from seedbed.events import services as event_services
from seedbed.events.models import Event, Score
from tests.communities.conftest import add_member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def make_competition(organiser, community=None, **fields) -> Event:
    start = timezone.now() + timedelta(days=10)
    values = {
        "kind": "competition",
        "title": "Demo day cup",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "venue": "Innovation hall",
    }
    values.update(fields)
    return event_services.create_event(
        organiser, community=community.slug if community else None, **values
    )


def enter(user, event, title="Project", **fields) -> int:
    values = {"title": title, "team": f"{title} team", "pitch": f"{title} pitch"} | fields
    return comp.submit_entry(user, event.pk, **values)[0].pk


@dataclass
class Cup:
    """A competition in a private community, with one person in every role."""

    event: Event
    organiser: User
    member: User
    entrants: list[User]
    entries: list[int]
    judges: list[User]
    judge_ids: list[int]
    criteria: list[int]
    outsider: User

    def score(self, judge: int, entry: int, *values: int):
        return comp.score_entry(
            self.judges[judge],
            self.event.pk,
            self.entries[entry],
            dict(zip(self.criteria, values, strict=True)),
        )


def build_cup(n_entries=3, n_judges=2, visibility=Visibility.PRIVATE) -> Cup:
    organiser = MemberFactory(display_name="Olga Organiser")
    community = community_services.create_community(
        organiser, name="Founders Circle", description="Closed.", visibility=visibility
    )
    event = make_competition(organiser, community)
    team = comp.add_criterion(organiser, event.pk, name="Team", weight=2).pk
    market = comp.add_criterion(organiser, event.pk, name="Market", weight=1).pk
    entrants = [add_member(community) for _ in range(n_entries)]
    entries = [enter(e, event, title=f"Project {i}") for i, e in enumerate(entrants)]
    judges = [add_member(community) for _ in range(n_judges)]
    judge_ids = [comp.add_judge(organiser, event.pk, j.pk).pk for j in judges]
    return Cup(
        event=event,
        organiser=organiser,
        member=add_member(community),
        entrants=entrants,
        entries=entries,
        judges=judges,
        judge_ids=judge_ids,
        criteria=[team, market],
        outsider=MemberFactory(display_name="Oscar Outsider"),
    )


@pytest.fixture
def cup() -> Cup:
    return build_cup()


# Entries ---------------------------------------------------------------------------------------


def test_a_member_enters_once_and_edits_their_own_entry_while_entries_are_open(cup):
    entry, created = comp.submit_entry(
        cup.member, cup.event.pk, title=" Solar ", team="Ana, Bo", pitch="Cheap panels."
    )
    again, created_again = comp.submit_entry(
        cup.member, cup.event.pk, title="Solar 2", team="Ana", pitch="Cheaper panels."
    )
    assert created and not created_again and entry.pk == again.pk
    assert entry.title == "Solar"
    assert cup.event.entries.filter(submitted_by=cup.member).count() == 1
    patched = comp.update_entry(cup.member, cup.event.pk, entry.pk, deck_url="https://d.example/x")
    assert patched.deck_url == "https://d.example/x" and patched.title == "Solar 2"


def test_nobody_else_can_change_an_entry(cup):
    theirs = cup.entries[0]
    with pytest.raises(Http404):
        comp.update_entry(cup.member, cup.event.pk, theirs, title="Mine now")
    with pytest.raises(PermissionDenied):
        comp.update_entry(cup.organiser, cup.event.pk, theirs, title="Edited")
    with pytest.raises(Http404):
        comp.update_entry(cup.outsider, cup.event.pk, theirs, title="Edited")


def test_entries_close_at_the_deadline_and_when_the_event_starts():
    organiser = MemberFactory(is_staff=True)
    now = timezone.now()
    past_deadline = make_competition(organiser, entries_close_at=now - timedelta(minutes=1))
    started = make_competition(
        organiser, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    open_one = make_competition(organiser, entries_close_at=now + timedelta(days=1))
    for event in (past_deadline, started):
        with pytest.raises(ValidationError, match="Entries are closed"):
            enter(MemberFactory(), event)
    entrant = MemberFactory()
    entry = enter(entrant, open_one)
    Event.objects.filter(pk=open_one.pk).update(entries_close_at=now - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="Entries are closed"):
        comp.update_entry(entrant, open_one.pk, entry, title="Late change")


def test_organisers_and_judges_cannot_enter(cup):
    with pytest.raises(PermissionDenied):
        enter(cup.organiser, cup.event)
    with pytest.raises(PermissionDenied):
        enter(cup.judges[0], cup.event)


def test_only_competitions_have_entries_judges_and_rubrics():
    organiser = MemberFactory(is_staff=True)
    salon = make_competition(organiser, kind="salon")
    with pytest.raises(Http404):
        enter(MemberFactory(), salon)
    with pytest.raises(Http404):
        comp.add_criterion(organiser, salon.pk, name="Team")
    with pytest.raises(Http404):
        comp.get_competition(organiser, salon.pk)


def test_an_outsider_of_a_private_community_finds_nothing(cup):
    calls = [
        lambda: comp.get_competition(cup.outsider, cup.event.pk),
        lambda: enter(cup.outsider, cup.event),
        lambda: comp.entries(cup.outsider, cup.event.pk),
        lambda: comp.criteria(cup.outsider, cup.event.pk),
        lambda: comp.judging(cup.outsider, cup.event.pk),
        lambda: comp.leaderboard(cup.outsider, cup.event.pk),
        lambda: comp.score_entry(cup.outsider, cup.event.pk, cup.entries[0], {}),
    ]
    for call in calls:
        with pytest.raises(Http404):
            call()


def test_bad_entry_input_names_the_field(cup):
    with pytest.raises(ValidationError) as error:
        comp.submit_entry(
            cup.member, cup.event.pk, title=" ", team="", pitch="x" * 5001, deck_url="javascript:1"
        )
    assert set(error.value.message_dict) == {"title", "team", "pitch", "deck_url"}
    with pytest.raises(ValidationError) as error:
        comp.submit_entry(cup.member, cup.event.pk, title="t", team="t", pitch="p", colour="red")
    assert "colour" in error.value.message_dict
    assert not cup.event.entries.filter(submitted_by=cup.member).exists()


def test_organisers_see_every_entry_judges_those_without_conflict_entrants_their_own(cup):
    comp.set_conflicts(cup.organiser, cup.event.pk, cup.judge_ids[0], [cup.entries[1]])
    pks = lambda user: [e.pk for e in comp.entries(user, cup.event.pk)]  # noqa: E731
    assert pks(cup.organiser) == cup.entries
    assert pks(cup.judges[0]) == [cup.entries[0], cup.entries[2]]
    assert pks(cup.judges[1]) == cup.entries
    assert pks(cup.entrants[2]) == [cup.entries[2]]
    assert pks(cup.member) == []


# Judges and conflicts --------------------------------------------------------------------------


def test_organisers_assign_judges_who_can_see_the_event_and_have_not_entered(cup):
    with pytest.raises(ValidationError) as error:
        comp.add_judge(cup.organiser, cup.event.pk, cup.outsider.pk)
    assert "member" in error.value.message_dict
    with pytest.raises(ValidationError):
        comp.add_judge(cup.organiser, cup.event.pk, cup.entrants[0].pk)
    with pytest.raises(ValidationError):
        comp.add_judge(cup.organiser, cup.event.pk, "@nobody-here")
    by_handle = comp.add_judge(cup.organiser, cup.event.pk, f"@{cup.member.handle}")
    assert by_handle.user == cup.member
    assert comp.add_judge(cup.organiser, cup.event.pk, cup.member.pk).pk == by_handle.pk
    with pytest.raises(PermissionDenied):
        comp.add_judge(cup.judges[0], cup.event.pk, cup.member.pk)


def test_removing_a_judge_removes_their_scores(cup):
    cup.score(0, 0, 7, 7)
    comp.remove_judge(cup.organiser, cup.event.pk, cup.judge_ids[0])
    assert not Score.objects.filter(entry__event=cup.event).exists()
    with pytest.raises(PermissionDenied):
        comp.judging(cup.judges[0], cup.event.pk)


def test_a_judge_may_declare_a_conflict_but_only_organisers_set_them(cup):
    comp.declare_conflict(cup.judges[0], cup.event.pk, cup.entries[2])
    assert [e.pk for e in comp.entries(cup.judges[0], cup.event.pk)] == cup.entries[:2]
    with pytest.raises(PermissionDenied):
        comp.set_conflicts(cup.judges[0], cup.event.pk, cup.judge_ids[0], [])
    with pytest.raises(ValidationError) as error:
        comp.set_conflicts(cup.organiser, cup.event.pk, cup.judge_ids[0], [0, 999_999])
    assert "entries" in error.value.message_dict
    comp.set_conflicts(cup.organiser, cup.event.pk, cup.judge_ids[0], [])
    assert len(comp.entries(cup.judges[0], cup.event.pk)) == 3


# Scoring ---------------------------------------------------------------------------------------


def test_judges_score_every_criterion_and_scoring_again_replaces(cup):
    cup.score(0, 0, 6, 4)
    cup.score(0, 0, 9, 8)
    mine = Score.objects.filter(judge_id=cup.judge_ids[0]).order_by("criterion_id")
    assert [s.value for s in mine] == [9, 8]
    sheet = comp.judging(cup.judges[0], cup.event.pk)
    assert sheet.done == 1 and sheet.rows[0].scores == dict(zip(cup.criteria, [9, 8], strict=True))


def test_a_judge_cannot_score_a_conflicted_entry(cup):
    comp.set_conflicts(cup.organiser, cup.event.pk, cup.judge_ids[0], [cup.entries[0]])
    with pytest.raises(PermissionDenied):
        cup.score(0, 0, 5, 5)
    comp.declare_conflict(cup.judges[1], cup.event.pk, cup.entries[1])
    with pytest.raises(PermissionDenied):
        cup.score(1, 1, 5, 5)
    assert not Score.objects.exists()


@pytest.mark.parametrize(
    ("values", "bad"),
    [
        ({0: 0, 1: 5}, 0),
        ({0: 11, 1: 5}, 0),
        ({0: 5, 1: -3}, 1),
        ({0: "7", 1: 5}, 0),
        ({0: True, 1: 5}, 0),
        ({0: 7.5, 1: 5}, 0),
        ({0: 5}, 1),
    ],
)
def test_out_of_range_or_missing_scores_name_the_criterion(cup, values, bad):
    cup.score(0, 0, 6, 6)
    scores = {cup.criteria[i]: v for i, v in values.items()}
    with pytest.raises(ValidationError) as error:
        comp.score_entry(cup.judges[0], cup.event.pk, cup.entries[0], scores)
    assert list(error.value.message_dict) == [f"criterion_{cup.criteria[bad]}"]
    kept = Score.objects.filter(judge_id=cup.judge_ids[0]).values_list("value", flat=True)
    assert list(kept) == [6, 6]


def test_a_score_for_a_criterion_of_another_rubric_is_refused(cup):
    with pytest.raises(ValidationError) as error:
        comp.score_entry(
            cup.judges[0],
            cup.event.pk,
            cup.entries[0],
            {cup.criteria[0]: 5, cup.criteria[1]: 5, 99_999: 5},
        )
    assert "criterion_99999" in error.value.message_dict


def test_only_judges_score(cup):
    values = dict(zip(cup.criteria, [5, 5], strict=True))
    with pytest.raises(Http404):
        comp.score_entry(cup.member, cup.event.pk, cup.entries[0], values)
    with pytest.raises(PermissionDenied):
        comp.score_entry(cup.organiser, cup.event.pk, cup.entries[0], values)
    with pytest.raises(PermissionDenied):
        comp.score_entry(cup.entrants[0], cup.event.pk, cup.entries[0], values)
    with pytest.raises(PermissionDenied):
        comp.judging(cup.member, cup.event.pk)
    with pytest.raises(Http404):
        comp.score_entry(cup.judges[0], cup.event.pk, 999_999, values)


# Rubric ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("weight", [0, -1, "abc", math.inf, math.nan, 101])
def test_criteria_need_a_name_and_a_positive_weight(cup, weight):
    with pytest.raises(ValidationError) as error:
        comp.add_criterion(cup.organiser, cup.event.pk, name=" ", weight=weight)
    assert set(error.value.message_dict) == {"name", "weight"}


def test_only_organisers_edit_the_rubric(cup):
    with pytest.raises(PermissionDenied):
        comp.add_criterion(cup.judges[0], cup.event.pk, name="Vision")
    with pytest.raises(PermissionDenied):
        comp.remove_criterion(cup.member, cup.event.pk, cup.criteria[0])
    assert [c.name for c in comp.criteria(cup.member, cup.event.pk)] == ["Team", "Market"]


def test_the_rubric_is_frozen_once_scoring_starts_but_criteria_can_be_renamed(cup):
    comp.update_criterion(cup.organiser, cup.event.pk, cup.criteria[1], weight=3)
    cup.score(0, 0, 5, 6)
    with pytest.raises(ValidationError, match="Scoring has started") as error:
        comp.add_criterion(cup.organiser, cup.event.pk, name="Vision", weight=1)
    assert "weight" in error.value.message_dict
    with pytest.raises(ValidationError, match="Scoring has started"):
        comp.update_criterion(cup.organiser, cup.event.pk, cup.criteria[1], weight=1)
    with pytest.raises(ValidationError, match="Scoring has started"):
        comp.remove_criterion(cup.organiser, cup.event.pk, cup.criteria[1])
    renamed = comp.update_criterion(
        cup.organiser, cup.event.pk, cup.criteria[1], name="Market size"
    )
    assert (renamed.name, renamed.weight) == ("Market size", 3)
    assert Score.objects.count() == 2


# Leaderboard and publication -------------------------------------------------------------------


def test_the_leaderboard_ranks_by_per_judge_z_scores_as_computed_by_hand(cup):
    # weights 2:1. Judge 0 gives weighted 8, 7, 3; judge 1 (harsher, narrower) 5, 7, 5.
    for entry, values in enumerate([(9, 6), (6, 9), (3, 3)]):
        cup.score(0, entry, *values)
    for entry, values in enumerate([(5, 5), (8, 5), (6, 3)]):
        cup.score(1, entry, *values)
    board = comp.leaderboard(cup.organiser, cup.event.pk)
    assert [row.entry.pk for row in board.rows] == [cup.entries[1], cup.entries[0], cup.entries[2]]
    z_a = [2 / math.sqrt(14 / 3), 1 / math.sqrt(14 / 3), -3 / math.sqrt(14 / 3)]
    z_b = [-1 / math.sqrt(2), math.sqrt(2), -1 / math.sqrt(2)]
    expected = {cup.entries[i]: (z_a[i] + z_b[i]) / 2 for i in range(3)}
    for row in board.rows:
        assert row.mean_z == pytest.approx(expected[row.entry.pk])
        assert row.judges == 2
    assert [row.raw_mean for row in board.rows] == pytest.approx([7.0, 6.5, 4.0])


def test_conflicted_scores_never_count_and_come_back_when_the_conflict_is_lifted(cup):
    cup.score(0, 0, 9, 9)
    cup.score(0, 1, 2, 2)
    cup.score(1, 1, 8, 8)
    cup.score(1, 0, 3, 3)
    comp.set_conflicts(cup.organiser, cup.event.pk, cup.judge_ids[0], [cup.entries[0]])
    board = {row.entry.pk: row for row in comp.leaderboard(cup.organiser, cup.event.pk).rows}
    assert board[cup.entries[0]].judges == 1 and board[cup.entries[0]].raw_mean == 3
    assert board[cup.entries[2]].judges == 0 and board[cup.entries[2]].mean_z is None
    comp.set_conflicts(cup.organiser, cup.event.pk, cup.judge_ids[0], [])
    board = {row.entry.pk: row for row in comp.leaderboard(cup.organiser, cup.event.pk).rows}
    assert board[cup.entries[0]].judges == 2 and board[cup.entries[0]].raw_mean == 6


def test_only_organisers_see_the_leaderboard_before_publication(cup):
    cup.score(0, 0, 5, 5)
    assert comp.leaderboard(cup.organiser, cup.event.pk).rows
    for who in (cup.member, cup.entrants[0], cup.judges[0]):
        with pytest.raises(PermissionDenied):
            comp.leaderboard(who, cup.event.pk)
    comp.publish_results(cup.organiser, cup.event.pk)
    for who in (cup.member, cup.entrants[0], cup.judges[0]):
        assert [r.entry.pk for r in comp.leaderboard(who, cup.event.pk).scored] == [cup.entries[0]]
    with pytest.raises(Http404):
        comp.leaderboard(cup.outsider, cup.event.pk)


def test_publishing_needs_a_score_and_freezes_the_competition_until_unpublished(cup):
    with pytest.raises(ValidationError, match="no entry has been scored"):
        comp.publish_results(cup.organiser, cup.event.pk)
    with pytest.raises(PermissionDenied):
        comp.publish_results(cup.judges[0], cup.event.pk)
    cup.score(0, 0, 5, 5)
    event = comp.publish_results(cup.organiser, cup.event.pk)
    first_published = event.results_published_at
    assert first_published is not None
    assert comp.publish_results(cup.organiser, cup.event.pk).results_published_at == first_published
    frozen = [
        lambda: cup.score(0, 0, 6, 6),
        lambda: comp.remove_judge(cup.organiser, cup.event.pk, cup.judge_ids[0]),
        lambda: comp.set_conflicts(cup.organiser, cup.event.pk, cup.judge_ids[0], []),
        lambda: comp.update_criterion(cup.organiser, cup.event.pk, cup.criteria[0], name="T"),
        lambda: enter(cup.member, cup.event),
        lambda: comp.update_entry(cup.entrants[0], cup.event.pk, cup.entries[0], title="New"),
    ]
    for change in frozen:
        with pytest.raises(ValidationError, match="published"):
            change()
    assert (
        comp.publish_results(cup.organiser, cup.event.pk, publish=False).results_published_at
        is None
    )
    cup.score(0, 0, 6, 6)
    assert comp.get_competition(cup.member, cup.event.pk).published is False
