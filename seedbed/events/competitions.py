"""Competitions: entries, judges and their conflicts, a weighted rubric, scores, and a
leaderboard normalised per judge (see `seedbed.engine.competition`).

Who may do what, for an event of kind "competition" that the caller can see (anything else is a
404, exactly like a missing event):

- any signed-in member except the organisers and the judges enters one project, and edits it,
  while entries are open: before `entries_close_at` (if set) and before the event starts;
- organisers see every entry, edit the rubric, assign and remove judges, mark conflicts, see the
  leaderboard at any time, and publish or unpublish the results;
- judges see and score the entries they have no conflict with, and may declare a conflict;
- entrants see their own entry; after publication everyone who can see the event sees the
  ranked results.

Scores are only comparable while the rubric stays the same, so criteria cannot be added,
removed or re-weighted once any score exists (renaming stays possible). Published results are
frozen: entries, the rubric, judges, conflicts and scores change only after unpublishing.

Every write locks the event row first (`lock_event`), so the "no scores yet", "one entry per
member" and "not published" checks hold under concurrent requests.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count, Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from seedbed.accounts.access import member_by_handle
from seedbed.accounts.models import User
from seedbed.core.text import single_line
from seedbed.events import adapter
from seedbed.events.adapter import Standing
from seedbed.events.models import Criterion, Entry, Event, EventKind, Judge, Score
from seedbed.events.services import (
    EventAccess,
    get_event,
    lock_event,
    require_member,
    visible_events,
)

__all__ = ["Standing"]

MAX_CRITERIA = 20
MAX_WEIGHT = 100.0
MIN_SCORE, MAX_SCORE = 1, 10
ENTRY_LIMITS = {"title": 200, "team": 500, "pitch": 5000, "deck_url": 200}


# Reading ---------------------------------------------------------------------------------------


def _competition(user: User | AnonymousUser, event_id: int) -> EventAccess:
    access = get_event(user, event_id)
    if access.event.kind != EventKind.COMPETITION:
        raise Http404
    return access


def _organiser(user: User | AnonymousUser, event_id: int) -> EventAccess:
    access = _competition(user, event_id)
    if not access.is_organiser:
        raise PermissionDenied(_("Only the organisers can do this."))
    return access


def _judge_of(user: User | AnonymousUser, event: Event) -> Judge | None:
    if not user.is_authenticated:
        return None
    return Judge.objects.filter(event=event, user=user).first()


def entries_open(event: Event, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if event.cancelled_at or now >= event.starts_at:
        return False
    return event.entries_close_at is None or now < event.entries_close_at


@dataclass
class Competition:
    """What the competition panel shows this user."""

    access: EventAccess
    judge: Judge | None
    my_entry: Entry | None
    criteria: list[Criterion]
    entries_open: bool
    entries: list[Entry] = field(default_factory=list)
    judges: list[Judge] = field(default_factory=list)

    @property
    def event(self) -> Event:
        return self.access.event

    @property
    def published(self) -> bool:
        return self.access.event.results_published_at is not None

    @property
    def may_enter(self) -> bool:
        return (
            self.entries_open
            and not (self.access.is_organiser or self.judge)
            and not (self.published)
        )


def get_competition(user: User | AnonymousUser, event_id: int) -> Competition:
    access = _competition(user, event_id)
    judge = _judge_of(user, access.event)
    mine = None
    if user and user.is_authenticated:
        mine = Entry.objects.filter(event=access.event, submitted_by=user).first()
    criteria = list(Criterion.objects.filter(event=access.event))
    return Competition(access, judge, mine, criteria, entries_open(access.event))


def manage(
    user: User | AnonymousUser, event_id: int, *, with_entries=False, with_judges=False
) -> Competition:
    """The organisers' view: optionally every entry (with `judged_by`, the number of judges who
    scored it) and the judges (with their conflicts)."""
    competition = get_competition(user, event_id)
    if not competition.access.is_organiser:
        raise PermissionDenied(_("Only the organisers can do this."))
    if with_entries:
        competition.entries = list(
            Entry.objects.filter(event=competition.event)
            .select_related("submitted_by")
            .annotate(judged_by=Count("scores__judge", distinct=True))
        )
    if with_judges:
        competition.judges = _judges(competition.event)
    return competition


def criteria(user: User | AnonymousUser, event_id: int) -> list[Criterion]:
    """The rubric is public to everyone who can see the competition."""
    return list(Criterion.objects.filter(event=_competition(user, event_id).event))


def entries(user: User | AnonymousUser, event_id: int) -> list[Entry]:
    """Organisers: every entry, with `judged_by` (judges who scored it). Judges: the entries
    they have no conflict with. Everyone else: their own entry, if any."""
    access = _competition(user, event_id)
    rows = Entry.objects.filter(event=access.event).select_related("submitted_by")
    if access.is_organiser:
        return list(rows.annotate(judged_by=Count("scores__judge", distinct=True)))
    judge = _judge_of(user, access.event)
    if judge is not None:
        return list(rows.exclude(conflicted_judges=judge))
    if not user.is_authenticated:
        return []
    return list(rows.filter(submitted_by=user))


# Freezes --------------------------------------------------------------------------------------


def _not_published(event: Event) -> None:
    if event.results_published_at is not None:
        raise ValidationError(
            _("The results are published, so the competition is frozen. Unpublish them first.")
        )


def _no_scores_yet(event: Event, field_name: str) -> None:
    if Score.objects.filter(entry__event=event).exists():
        raise ValidationError(
            {
                field_name: [
                    _(
                        "Scoring has started, so the rubric can no longer change: every judge "
                        "must score against the same criteria and weights."
                    )
                ]
            }
        )


# Entries ---------------------------------------------------------------------------------------


def _clean_entry(entry: Entry) -> None:
    errors: dict[str, list[str]] = {}
    for name in ("title", "team", "deck_url"):
        setattr(entry, name, single_line(getattr(entry, name) or ""))
    entry.pitch = (entry.pitch or "").strip()
    for name, message in (
        ("title", _("Give your project a title.")),
        ("team", _("Say who is in the team.")),
        ("pitch", _("Write a short pitch.")),
    ):
        if not getattr(entry, name):
            errors[name] = [message]
    for name, limit in ENTRY_LIMITS.items():
        if len(getattr(entry, name)) > limit and name not in errors:
            errors[name] = [_("At most %(n)d characters.") % {"n": limit}]
    if entry.deck_url and "deck_url" not in errors:
        try:
            URLValidator(schemes=["http", "https"])(entry.deck_url)
        except ValidationError:
            errors["deck_url"] = [_("Give a link starting with http:// or https://.")]
    if errors:
        raise ValidationError(errors)


def _check_may_enter(user: User, access: EventAccess, event: Event) -> None:
    if access.is_organiser:
        raise PermissionDenied(_("Organisers cannot enter their own competition."))
    if Judge.objects.filter(event=event, user=user).exists():
        raise PermissionDenied(_("Judges cannot enter the competition they judge."))
    _not_published(event)
    if not entries_open(event):
        raise ValidationError(_("Entries are closed."))


def submit_entry(user: User | AnonymousUser, event_id: int, **fields) -> tuple[Entry, bool]:
    """Enter a project, or replace the details of my entry: one entry per member. Returns the
    entry and whether it was created."""
    access = _competition(user, event_id)
    member = require_member(user)
    unknown = set(fields) - set(ENTRY_LIMITS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: [_("Unknown field.")]})
    with transaction.atomic():
        event = lock_event(access.event.pk)
        _check_may_enter(member, access, event)
        entry = Entry.objects.filter(event=event, submitted_by=member).first()
        created = entry is None
        if entry is None:
            entry = Entry(event=event, submitted_by=member)
        for name in ENTRY_LIMITS:
            setattr(entry, name, fields.get(name, ""))
        _clean_entry(entry)
        entry.save()
    return entry, created


def update_entry(user: User | AnonymousUser, event_id: int, entry_id: int, **changes) -> Entry:
    """Change some fields of my entry while entries are open."""
    access = _competition(user, event_id)
    unknown = set(changes) - set(ENTRY_LIMITS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: [_("Unknown field.")]})
    entry = Entry.objects.filter(pk=entry_id, event=access.event).first()
    if entry is None:
        raise Http404
    if entry.submitted_by_id != getattr(user, "pk", None):
        if access.is_organiser or _judge_of(user, access.event):
            raise PermissionDenied(_("Only the entrant can change an entry."))
        raise Http404  # somebody else's entry is invisible to other members
    with transaction.atomic():
        event = lock_event(access.event.pk)
        _not_published(event)
        if not entries_open(event):
            raise ValidationError(_("Entries are closed."))
        for name, value in changes.items():
            setattr(entry, name, value)
        _clean_entry(entry)
        entry.save()
    return entry


# Rubric ----------------------------------------------------------------------------------------


def _clean_criterion(name, weight) -> tuple[str, float]:
    errors: dict[str, list[str]] = {}
    name = single_line(name or "")
    if not name:
        errors["name"] = [_("Name the criterion.")]
    elif len(name) > 100:
        errors["name"] = [_("At most %(n)d characters.") % {"n": 100}]
    try:
        weight = float(weight)
    except (TypeError, ValueError):
        weight = math.nan
    if not (math.isfinite(weight) and 0 < weight <= MAX_WEIGHT):
        errors["weight"] = [
            _("Give a weight greater than 0 and at most %(max)d.") % {"max": MAX_WEIGHT}
        ]
    if errors:
        raise ValidationError(errors)
    return name, weight


def add_criterion(
    user: User | AnonymousUser, event_id: int, *, name: str, weight: float = 1.0
) -> Criterion:
    access = _organiser(user, event_id)
    name, weight = _clean_criterion(name, weight)
    with transaction.atomic():
        event = lock_event(access.event.pk)
        _not_published(event)
        _no_scores_yet(event, "weight")
        existing = Criterion.objects.filter(event=event).aggregate(
            n=Count("id"), last=Max("position")
        )
        if existing["n"] >= MAX_CRITERIA:
            raise ValidationError(
                {"name": [_("A rubric has at most %(n)d criteria.") % {"n": MAX_CRITERIA}]}
            )
        position = (existing["last"] or 0) + 1 if existing["n"] else 0
        return Criterion.objects.create(event=event, name=name, weight=weight, position=position)


def _criterion(event: Event, criterion_id: int) -> Criterion:
    found = Criterion.objects.filter(pk=criterion_id, event=event).first()
    if found is None:
        raise Http404
    return found


def update_criterion(
    user: User | AnonymousUser,
    event_id: int,
    criterion_id: int,
    *,
    name: str | None = None,
    weight=None,
) -> Criterion:
    """Renaming is always possible (scores keep their meaning); re-weighting only before
    scoring starts."""
    access = _organiser(user, event_id)
    criterion = _criterion(access.event, criterion_id)
    new_name, new_weight = _clean_criterion(
        criterion.name if name is None else name, criterion.weight if weight is None else weight
    )
    with transaction.atomic():
        event = lock_event(access.event.pk)
        _not_published(event)
        if new_weight != criterion.weight:
            _no_scores_yet(event, "weight")
        criterion.name, criterion.weight = new_name, new_weight
        criterion.save(update_fields=["name", "weight"])
    return criterion


def remove_criterion(user: User | AnonymousUser, event_id: int, criterion_id: int) -> None:
    access = _organiser(user, event_id)
    criterion = _criterion(access.event, criterion_id)
    with transaction.atomic():
        event = lock_event(access.event.pk)
        _not_published(event)
        _no_scores_yet(event, "criterion")
        criterion.delete()


# Judges and conflicts --------------------------------------------------------------------------


def _judges(event: Event) -> list[Judge]:
    return list(
        Judge.objects.filter(event=event)
        .select_related("user")
        .prefetch_related("conflicts")
        .order_by("user__display_name", "id")
    )


def judges(user: User | AnonymousUser, event_id: int) -> list[Judge]:
    return _judges(_organiser(user, event_id).event)


def _find_member(member: int | str) -> User | None:
    """By id (the API) or public @handle (the page). Never by e-mail address: whether an
    address belongs to a member is private, and the answer would tell."""
    if isinstance(member, int):
        return User.objects.filter(is_active=True, pk=member).first()
    text = member.strip()
    if "@" in text.lstrip("@"):
        raise ValidationError(
            {"member": [_("Give the member's @handle; e-mail addresses are not looked up.")]}
        )
    return member_by_handle(text)


def add_judge(user: User | AnonymousUser, event_id: int, member: int | str) -> Judge:
    """Assign a member (by id or @handle) who can see the event. Entrants cannot judge."""
    access = _organiser(user, event_id)
    person = _find_member(member)
    if person is None:
        missing = (
            _("No such member.") if isinstance(member, int) else _("No member has this handle.")
        )
        raise ValidationError({"member": [missing]})
    if not visible_events(person).filter(pk=access.event.pk).exists():
        raise ValidationError({"member": [_("This member cannot see the event.")]})
    with transaction.atomic():
        event = lock_event(access.event.pk)
        _not_published(event)
        if Entry.objects.filter(event=event, submitted_by=person).exists():
            raise ValidationError({"member": [_("This member has entered the competition.")]})
        judge, _created = Judge.objects.get_or_create(event=event, user=person)
    return judge


def _judge(event: Event, judge_id: int) -> Judge:
    found = Judge.objects.filter(pk=judge_id, event=event).first()
    if found is None:
        raise Http404
    return found


def remove_judge(user: User | AnonymousUser, event_id: int, judge_id: int) -> None:
    """Their scores go with them."""
    access = _organiser(user, event_id)
    judge = _judge(access.event, judge_id)
    with transaction.atomic():
        _not_published(lock_event(access.event.pk))
        judge.delete()


def set_conflicts(
    user: User | AnonymousUser, event_id: int, judge_id: int, entry_ids: Iterable[int]
) -> Judge:
    """The organisers' full list of entries this judge must not score. A judge's scores for a
    conflicted entry are kept but never counted, so lifting the conflict brings them back."""
    access = _organiser(user, event_id)
    judge = _judge(access.event, judge_id)
    wanted = set(entry_ids)
    found = set(
        Entry.objects.filter(event=access.event, pk__in=wanted).values_list("pk", flat=True)
    )
    if wanted - found:
        raise ValidationError({"entries": [_("Choose entries of this competition.")]})
    with transaction.atomic():
        _not_published(lock_event(access.event.pk))
        judge.conflicts.set(found)
    return judge


def _visible_entry_for_judge(
    access: EventAccess, user: User | AnonymousUser, entry_id: int
) -> tuple[Judge, Entry]:
    judge = _judge_of(user, access.event)
    entry = Entry.objects.filter(pk=entry_id, event=access.event).first()
    if judge is None:
        if entry is not None and (access.is_organiser or entry.submitted_by_id == user.pk):
            raise PermissionDenied(_("Only the judges score entries."))
        raise Http404
    if entry is None:
        raise Http404
    return judge, entry


def declare_conflict(user: User | AnonymousUser, event_id: int, entry_id: int) -> None:
    """A judge steps back from an entry (only the organisers can lift a conflict)."""
    access = _competition(user, event_id)
    judge, entry = _visible_entry_for_judge(access, user, entry_id)
    with transaction.atomic():
        _not_published(lock_event(access.event.pk))
        judge.conflicts.add(entry)


# Scoring ---------------------------------------------------------------------------------------


@dataclass
class JudgingRow:
    entry: Entry
    scores: dict[int, int]

    @property
    def complete(self) -> bool:
        return bool(self.scores)


@dataclass
class Judging:
    access: EventAccess
    judge: Judge
    criteria: list[Criterion]
    rows: list[JudgingRow]
    conflicted: int

    @property
    def done(self) -> int:
        return sum(1 for row in self.rows if row.complete)


def judging(user: User | AnonymousUser, event_id: int) -> Judging:
    """A judge's worksheet: the entries without a conflict, with the judge's current scores."""
    access = _competition(user, event_id)
    judge = _judge_of(user, access.event)
    if judge is None:
        raise PermissionDenied(_("Only the judges score entries."))
    conflicted = set(judge.conflicts.values_list("pk", flat=True))
    rows = [
        JudgingRow(entry, {})
        for entry in Entry.objects.filter(event=access.event)
        if entry.pk not in conflicted
    ]
    by_entry = {row.entry.pk: row for row in rows}
    for entry_id, criterion_id, value in Score.objects.filter(judge=judge).values_list(
        "entry_id", "criterion_id", "value"
    ):
        if entry_id in by_entry:
            by_entry[entry_id].scores[criterion_id] = value
    rubric = list(Criterion.objects.filter(event=access.event))
    return Judging(access, judge, rubric, rows, len(conflicted))


def _is_score(value: object) -> TypeGuard[int]:
    return type(value) is int and MIN_SCORE <= value <= MAX_SCORE


def score_entry(
    user: User | AnonymousUser, event_id: int, entry_id: int, values: Mapping[int, object]
) -> list[Score]:
    """A judge's scores for one entry, one whole number from 1 to 10 per criterion; scoring
    again replaces the earlier scores."""
    access = _competition(user, event_id)
    judge, entry = _visible_entry_for_judge(access, user, entry_id)
    if judge.conflicts.filter(pk=entry.pk).exists():
        raise PermissionDenied(_("You have a conflict with this entry, so you cannot score it."))
    with transaction.atomic():
        event = lock_event(access.event.pk)
        _not_published(event)
        rubric = list(Criterion.objects.filter(event=event))
        if not rubric:
            raise ValidationError(_("The organisers have not set up the rubric yet."))
        known = {c.pk for c in rubric}
        errors: dict[str, list[str]] = {}
        for key in values:
            if key not in known:
                errors[f"criterion_{key}"] = [_("This is not a criterion of the rubric.")]
        scores = []
        for criterion in rubric:
            value = values.get(criterion.pk)
            if value is None:
                errors[f"criterion_{criterion.pk}"] = [_("Score every criterion.")]
            elif not _is_score(value):
                errors[f"criterion_{criterion.pk}"] = [_("Give a whole number from 1 to 10.")]
            else:
                scores.append(Score(judge=judge, entry=entry, criterion=criterion, value=value))
        if errors:
            raise ValidationError(errors)
        Score.objects.filter(judge=judge, entry=entry).delete()
        return Score.objects.bulk_create(scores)


# Leaderboard and publication -------------------------------------------------------------------


@dataclass
class Standings:
    access: EventAccess
    criteria: list[Criterion]
    rows: list[Standing] = field(default_factory=list)
    judge_count: int = 0

    @property
    def published(self) -> bool:
        return self.access.event.results_published_at is not None

    @property
    def scored(self) -> list[Standing]:
        return [row for row in self.rows if row.judges]

    @property
    def shown(self) -> list[Standing]:
        """Every entry for the organisers; the scored ones for everyone else."""
        return self.rows if self.access.sees_full_standings else self.scored


def leaderboard(user: User | AnonymousUser, event_id: int) -> Standings:
    """Organisers see the leaderboard at any time; everyone else who can see the event once
    the results are published."""
    access = _competition(user, event_id)
    if not access.sees_standings:
        raise PermissionDenied(_("The results are not published yet."))
    rubric = list(Criterion.objects.filter(event=access.event))
    rows, judge_count = adapter.standings(access.event.pk, rubric)
    return Standings(access, rubric, rows, judge_count)


def publish_results(user: User | AnonymousUser, event_id: int, *, publish: bool = True) -> Event:
    access = _organiser(user, event_id)
    with transaction.atomic():
        event = lock_event(access.event.pk)
        if publish and event.results_published_at is None:
            if not Score.objects.filter(entry__event=event).exists():
                raise ValidationError(_("Nothing to publish yet: no entry has been scored."))
            event.results_published_at = timezone.now()
        elif not publish:
            event.results_published_at = None
        event.save(update_fields=["results_published_at"])
    return event
