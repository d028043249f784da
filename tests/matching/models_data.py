"""Generated platform histories for the Models page tests, with relationships strong enough
that the signs of fitted coefficients are meaningful.

Rows are bulk-created (hundreds of members, dozens of projects) because going through the
services one intro at a time would make these tests slow without testing anything more."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from seedbed.accounts.models import Stage, User
from seedbed.matching.models import (
    Intro,
    IntroStatus,
    Offer,
    Outcome,
    Project,
    ProjectStatus,
)
from seedbed.matching.predictive import week_start

PASSWORD_HASH = make_password(None)


def weekly_joins(weeks: int = 20) -> list[int]:
    """Members joining per week: a clear upward trend with a little deterministic noise."""
    return [2 + i + (i % 3 - 1) for i in range(weeks)]


def midweek(this_week: date, weeks_back: int) -> datetime:
    day = this_week - timedelta(weeks=weeks_back) + timedelta(days=2)
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=12))


def create_members(counts: list[int], prefix: str = "grower") -> int:
    """``counts[i]`` members joining in week i of the last ``len(counts)`` complete weeks."""
    this_week = week_start(timezone.now())
    users = []
    for i, n in enumerate(counts):
        joined = midweek(this_week, len(counts) - i)
        for k in range(n):
            users.append(
                User(
                    email=f"{prefix}-{i}-{k}@example.org",
                    handle=f"{prefix}-{i}-{k}",
                    display_name=f"Grower {i}.{k}",
                    password=PASSWORD_HASH,
                    date_joined=joined,
                )
            )
    User.objects.bulk_create(users)
    return len(users)


def _project(name: str, *, created_at: datetime, **fields) -> Project:
    return Project(
        slug=name.lower().replace(" ", "-"),
        name=name,
        one_liner=f"{name} does something useful",
        created_at=created_at,
        updated_at=created_at,
        **fields,
    )


def create_history(
    investor_offer: Offer, team_member: User, old: int = 60, young: int = 10
) -> dict[str, list[Project]]:
    """``old`` projects created 400 days ago whose first year is over, and ``young`` active ones
    created 30 days ago. An old project raised (an investor intro ended "invested" 100 days after
    it joined) exactly when it has both paying customers and a working product, and it
    succeeded exactly when it raised; the others closed."""
    now = timezone.now()
    stages = Stage.values
    old_projects, young_projects = [], []
    for i in range(old):
        paying, product = i % 2 == 0, i % 3 != 0
        raised = paying and product
        old_projects.append(
            _project(
                f"Old {i}",
                created_at=now - timedelta(days=400),
                stage=stages[i % len(stages)],
                has_paying_customers=paying,
                has_working_product=product,
                needs_funding=i % 4 == 0,
                status=ProjectStatus.SUCCEEDED if raised else ProjectStatus.CLOSED,
            )
        )
    for i in range(young):
        both = i < 3
        young_projects.append(
            _project(
                f"Young {i}",
                created_at=now - timedelta(days=30),
                stage=stages[i % len(stages)],
                has_paying_customers=both,
                has_working_product=both,
                needs_funding=True,
                status=ProjectStatus.ACTIVE,
            )
        )
    created = Project.objects.bulk_create([*old_projects, *young_projects])
    Project.team.through.objects.bulk_create(
        Project.team.through(project=p, user=team_member) for p in created
    )
    Intro.objects.bulk_create(
        Intro(
            project=p,
            offer=investor_offer,
            status=IntroStatus.ACCEPTED,
            project_consent=True,
            offer_consent=True,
            decided_at=p.created_at + timedelta(days=60),
            met_at=p.created_at + timedelta(days=70),
            outcome=Outcome.INVESTED,
            outcome_at=p.created_at + timedelta(days=100),
            created_at=p.created_at + timedelta(days=50),
        )
        for p in old_projects
        if p.status == ProjectStatus.SUCCEEDED
    )
    return {"old": old_projects, "young": young_projects}
