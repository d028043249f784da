"""Competitions under /api/v1/events/{event_id}/...: entries, the rubric, judges and conflicts,
scores, the leaderboard and publication, with exactly the rules of the pages (the same service
functions in `seedbed.events.competitions`)."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from seedbed.accounts.auth import MEMBER, VISITOR
from seedbed.core.api import Input
from seedbed.events import competitions as services
from seedbed.events.models import Entry, Judge

router = Router(tags=["competitions"])


class CriterionOut(Schema):
    id: int
    name: str
    weight: float
    position: int


class CriterionIn(Input):
    name: str = Field(..., max_length=100)
    weight: float = Field(1.0, gt=0, le=100)


class CriterionPatch(Input):
    name: str | None = Field(None, max_length=100)
    weight: float | None = Field(None, gt=0, le=100)


class CompetitionEntryOut(Schema):
    id: int
    title: str
    team: str
    pitch: str
    deck_url: str
    submitted_by: int
    submitted_at: datetime

    @staticmethod
    def resolve_submitted_by(obj: Entry) -> int:
        return obj.submitted_by_id


class EntryIn(Input):
    title: str = Field(..., max_length=200)
    team: str = Field(..., max_length=500)
    pitch: str = Field(..., max_length=5000)
    deck_url: str = Field("", max_length=200)


class EntryPatch(Input):
    title: str | None = Field(None, max_length=200)
    team: str | None = Field(None, max_length=500)
    pitch: str | None = Field(None, max_length=5000)
    deck_url: str | None = Field(None, max_length=200)


class CompetitionOut(Schema):
    event_id: int
    entries_open: bool
    entries_close_at: datetime | None
    published: bool
    is_organiser: bool
    is_judge: bool
    may_enter: bool
    my_entry: CompetitionEntryOut | None
    criteria: list[CriterionOut]


class JudgeOut(Schema):
    id: int
    user_id: int
    display_name: str
    conflicts: list[int]

    @staticmethod
    def resolve_display_name(obj: Judge) -> str:
        return obj.user.display_name

    @staticmethod
    def resolve_conflicts(obj: Judge) -> list[int]:
        return sorted(entry.pk for entry in obj.conflicts.all())


class JudgeIn(Input):
    user_id: int


class ConflictsIn(Input):
    entry_ids: list[int] = Field(..., max_length=10_000)


class ScoreIn(Input):
    criterion_id: int
    value: int = Field(..., ge=1, le=10)


class ScoresIn(Input):
    scores: list[ScoreIn] = Field(..., max_length=100)


class ScoreOut(Schema):
    criterion_id: int
    value: int


class JudgingEntryOut(Schema):
    entry: CompetitionEntryOut
    scores: list[ScoreOut]


class CompetitionStandingOut(Schema):
    entry_id: int
    title: str
    team: str
    rank: int
    tied: bool
    mean_z: float | None
    raw_mean: float | None
    judges: int


class LeaderboardOut(Schema):
    published: bool
    published_at: datetime | None
    method: str
    standings: list[CompetitionStandingOut]


class PublishIn(Input):
    published: bool


class PublishOut(Schema):
    published: bool
    published_at: datetime | None


METHOD = (
    "Each judge's weighted score of an entry (the weighted mean of the criterion scores) becomes "
    "a z-score over the entries that judge scored (population standard deviation; a judge with "
    "one entry or no spread gives z = 0). An entry's mean_z is the mean over its judges; ties "
    "within 1e-9 go to more judges, then to the earlier entry. Conflicted scores never count."
)


@router.get("/events/{event_id}/competition", response=CompetitionOut, auth=VISITOR)
def get_competition(request: HttpRequest, event_id: int):
    """What this caller can do in the competition, and the rubric."""
    c = services.get_competition(request.user, event_id)
    return {
        "event_id": c.event.pk,
        "entries_open": c.entries_open,
        "entries_close_at": c.event.entries_close_at,
        "published": c.published,
        "is_organiser": c.access.is_organiser,
        "is_judge": c.judge is not None,
        "may_enter": c.may_enter and request.user.is_authenticated,
        "my_entry": c.my_entry,
        "criteria": c.criteria,
    }


@router.get("/events/{event_id}/entries", response=list[CompetitionEntryOut], auth=MEMBER)
def list_entries(request: HttpRequest, event_id: int):
    """Organisers: every entry. Judges: the entries without a conflict. Others: their own."""
    return services.entries(request.user, event_id)


@router.post(
    "/events/{event_id}/entries",
    response={200: CompetitionEntryOut, 201: CompetitionEntryOut},
    auth=MEMBER,
)
def submit_entry(request: HttpRequest, event_id: int, payload: EntryIn):
    """Enter a project (201), or replace my entry's details if I entered already (200)."""
    entry, created = services.submit_entry(request.user, event_id, **payload.dict())
    return Status(201 if created else 200, entry)


@router.patch("/events/{event_id}/entries/{entry_id}", response=CompetitionEntryOut, auth=MEMBER)
def patch_entry(request: HttpRequest, event_id: int, entry_id: int, payload: EntryPatch):
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return services.update_entry(request.user, event_id, entry_id, **changes)


@router.get("/events/{event_id}/criteria", response=list[CriterionOut], auth=VISITOR)
def list_criteria(request: HttpRequest, event_id: int):
    return services.criteria(request.user, event_id)


@router.post("/events/{event_id}/criteria", response={201: CriterionOut}, auth=MEMBER)
def add_criterion(request: HttpRequest, event_id: int, payload: CriterionIn):
    """Organisers, before scoring starts."""
    return Status(201, services.add_criterion(request.user, event_id, **payload.dict()))


@router.patch("/events/{event_id}/criteria/{criterion_id}", response=CriterionOut, auth=MEMBER)
def patch_criterion(
    request: HttpRequest, event_id: int, criterion_id: int, payload: CriterionPatch
):
    """Renaming any time; re-weighting only before scoring starts."""
    changes = payload.dict(exclude_unset=True)
    return services.update_criterion(
        request.user, event_id, criterion_id, name=changes.get("name"), weight=changes.get("weight")
    )


@router.delete("/events/{event_id}/criteria/{criterion_id}", response={204: None}, auth=MEMBER)
def delete_criterion(request: HttpRequest, event_id: int, criterion_id: int):
    services.remove_criterion(request.user, event_id, criterion_id)
    return Status(204, None)


@router.get("/events/{event_id}/judges", response=list[JudgeOut], auth=MEMBER)
def list_judges(request: HttpRequest, event_id: int):
    """Organisers only."""
    return services.judges(request.user, event_id)


@router.post("/events/{event_id}/judges", response={201: JudgeOut}, auth=MEMBER)
def add_judge(request: HttpRequest, event_id: int, payload: JudgeIn):
    judge = services.add_judge(request.user, event_id, payload.user_id)
    return Status(201, judge)


@router.delete("/events/{event_id}/judges/{judge_id}", response={204: None}, auth=MEMBER)
def remove_judge(request: HttpRequest, event_id: int, judge_id: int):
    """Their scores go with them."""
    services.remove_judge(request.user, event_id, judge_id)
    return Status(204, None)


@router.put("/events/{event_id}/judges/{judge_id}/conflicts", response=JudgeOut, auth=MEMBER)
def put_conflicts(request: HttpRequest, event_id: int, judge_id: int, payload: ConflictsIn):
    """Organisers: the full list of entries this judge must not score."""
    return services.set_conflicts(request.user, event_id, judge_id, payload.entry_ids)


@router.post("/events/{event_id}/entries/{entry_id}/conflict", response={204: None}, auth=MEMBER)
def declare_conflict(request: HttpRequest, event_id: int, entry_id: int):
    """A judge declares a conflict with an entry."""
    services.declare_conflict(request.user, event_id, entry_id)
    return Status(204, None)


@router.get("/events/{event_id}/judging", response=list[JudgingEntryOut], auth=MEMBER)
def judging(request: HttpRequest, event_id: int):
    """A judge's worksheet: entries without a conflict and the judge's scores."""
    sheet = services.judging(request.user, event_id)
    return [
        {
            "entry": row.entry,
            "scores": [{"criterion_id": k, "value": v} for k, v in sorted(row.scores.items())],
        }
        for row in sheet.rows
    ]


@router.put("/events/{event_id}/entries/{entry_id}/scores", response=list[ScoreOut], auth=MEMBER)
def put_scores(request: HttpRequest, event_id: int, entry_id: int, payload: ScoresIn):
    """A judge scores every criterion of the rubric, 1 to 10; this replaces earlier scores."""
    values: dict[int, object] = {}
    for item in payload.scores:
        values[item.criterion_id] = item.value
    scores = services.score_entry(request.user, event_id, entry_id, values)
    return [{"criterion_id": s.criterion_id, "value": s.value} for s in scores]


@router.get("/events/{event_id}/leaderboard", response=LeaderboardOut, auth=VISITOR)
def leaderboard(request: HttpRequest, event_id: int):
    """Organisers at any time; everyone who can see the event once published."""
    standings = services.leaderboard(request.user, event_id)
    full = standings.access.sees_full_standings
    return {
        "published": standings.published,
        "published_at": standings.access.event.results_published_at,
        "method": METHOD,
        "standings": [
            {
                "entry_id": row.entry.pk,
                "title": row.entry.title,
                "team": row.entry.team,
                "rank": row.rank,
                "tied": row.tied,
                "mean_z": row.mean_z,
                "raw_mean": row.raw_mean if full else None,
                "judges": row.judges,
            }
            for row in standings.shown
        ],
    }


@router.put("/events/{event_id}/publish", response=PublishOut, auth=MEMBER)
def publish(request: HttpRequest, event_id: int, payload: PublishIn):
    """Organisers publish (true) or unpublish (false) the results."""
    event = services.publish_results(request.user, event_id, publish=payload.published)
    published_at = event.results_published_at
    return {"published": published_at is not None, "published_at": published_at}
