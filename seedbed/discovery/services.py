"""Suggestions for members ("Discovery"): reading the stored recommendations, dismissing one,
recording the signals only this app keeps, and the member's digest preference.

Pages and the API only read stored rows here; the refresh that fits the engine and writes
them lives in ``seedbed.discovery.refresh`` and runs in background tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from seedbed.accounts.access import is_operator
from seedbed.accounts.models import User
from seedbed.communities.access import readable_communities
from seedbed.discovery import access, signals
from seedbed.discovery.models import (
    DiscoveryPreference,
    Dismissal,
    EvaluationRun,
    Kind,
    ProfileView,
    Recommendation,
)
from seedbed.discovery.reasons import VIA, reason_text

KINDS = ("communities", "events", "people", "posts")
STORED_KIND = {
    "communities": Kind.COMMUNITY,
    "events": Kind.EVENT,
    "people": Kind.PERSON,
    "posts": Kind.POST,
}
MAX_LIMIT = 50


@dataclass(frozen=True)
class Suggestion:
    id: int  # the stored Recommendation row id (used by dismiss)
    kind: str  # one of KINDS
    object: Any  # Community | Event | User | Post instance
    title: str
    url: str
    reason: str  # one sentence in the active language
    score: float


def _member(user: User | AnonymousUser | None) -> User | None:
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def check_kind(kind: str) -> str:
    """The stored kind for a public one, or ValidationError naming ``kind``."""
    if kind not in STORED_KIND:
        raise ValidationError(
            {
                "kind": _("Unknown kind %(kind)s; use one of: %(kinds)s.")
                % {"kind": kind, "kinds": ", ".join(KINDS)}
            }
        )
    return STORED_KIND[kind]


def _title_and_url(kind: str, obj: Any) -> tuple[str, str]:
    if kind == Kind.COMMUNITY:
        return obj.name, reverse("communities:detail", args=[obj.slug])
    if kind == Kind.EVENT:
        return obj.title, reverse("events:detail", args=[obj.pk])
    if kind == Kind.PERSON:
        return obj.display_name, reverse("accounts:profile", args=[obj.pk])
    return obj.title, reverse("communities:post", args=[obj.pk])


def stored_rows(member: User, stored_kind: str):
    """The member's stored rows of a kind, best first, without the dismissed ones."""
    dismissed = Exists(
        Dismissal.objects.filter(member=member, kind=stored_kind, object_id=OuterRef("object_id"))
    )
    return (
        Recommendation.objects.filter(member=member, kind=stored_kind)
        .filter(~dismissed)
        .order_by("rank", "id")
    )


def suggestions_for(
    member: User | AnonymousUser | None, kind: str, limit: int = 5
) -> list[Suggestion]:
    """Up to ``limit`` stored suggestions, each checked again for visibility (memberships,
    bans, cancellations and deactivations change after a refresh) in at most three queries
    whatever the limit; [] for visitors."""
    stored_kind = check_kind(kind)
    found = _member(member)
    if found is None or limit <= 0:
        return []
    rows = list(stored_rows(found, stored_kind)[: min(limit, MAX_LIMIT) * 3])
    if not rows:
        return []
    objects = access.recommendable(found, stored_kind).in_bulk([r.object_id for r in rows])
    rows = [r for r in rows if r.object_id in objects][:limit]
    vias = {via for r in rows if (via := _via(r)) is not None}
    readable = (
        set(readable_communities(found).filter(pk__in=vias).values_list("pk", flat=True))
        if vias
        else set()
    )
    out = []
    for row in rows:
        obj = objects[row.object_id]
        title, url = _title_and_url(stored_kind, obj)
        via = _via(row)
        reason = reason_text(row.reason_code, row.reason_params, via is None or via in readable)
        out.append(Suggestion(row.pk, kind, obj, title, url, reason, row.score))
    return out


def _via(row: Recommendation) -> int | None:
    params = row.reason_params
    via = params.get(VIA) if isinstance(params, dict) else None
    return via if isinstance(via, int) else None


def dismiss_suggestion(member: User | AnonymousUser | None, suggestion_id: int) -> None:
    """Saying "Not interested": the row goes and a dismissal stays, so the object is never
    suggested again and pushes down what is like it at the next refresh. Someone else's row
    is ``Recommendation.DoesNotExist``, exactly like a missing one."""
    found = _member(member)
    if found is None:
        raise PermissionDenied(_("Sign in to manage your suggestions."))
    with transaction.atomic():
        row = Recommendation.objects.select_for_update().get(pk=suggestion_id, member=found)
        Dismissal.objects.bulk_create(
            [Dismissal(member=found, kind=row.kind, object_id=row.object_id)],
            ignore_conflicts=True,
        )
        Recommendation.objects.filter(pk=row.pk).delete()
    signals.queue_member_refresh(found.pk)


def record_profile_view(viewer: User | AnonymousUser | None, member: User) -> None:
    """A member looking at another's profile: a signal for people suggestions. Visitors and
    one's own profile are not recorded."""
    found = _member(viewer)
    if found is None or found.pk == member.pk:
        return
    updated = ProfileView.objects.filter(viewer=found, member=member).update(
        views=F("views") + 1, last_viewed_at=timezone.now()
    )
    if not updated:
        ProfileView.objects.bulk_create(
            [ProfileView(viewer=found, member=member)], ignore_conflicts=True
        )


def wants_digest(member: User) -> bool:
    preference = DiscoveryPreference.objects.filter(member=member).first()
    return preference is None or preference.in_digest


def set_digest_preference(member: User | AnonymousUser | None, in_digest: bool) -> None:
    found = _member(member)
    if found is None:
        raise PermissionDenied(_("Sign in to manage your suggestions."))
    DiscoveryPreference.objects.update_or_create(member=found, defaults={"in_digest": in_digest})


KIND_LABELS = {
    "communities": _lazy("Communities for you"),
    "events": _lazy("Events for you"),
    "people": _lazy("People to meet"),
    "posts": _lazy("Posts you may like"),
}


@dataclass(frozen=True)
class Section:
    kind: str
    label: str
    suggestions: list[Suggestion]


def sections_for(member: User | AnonymousUser | None, limit: int = 5) -> list[Section]:
    """Every kind's suggestions, for the For you page and the digest."""
    return [Section(k, str(KIND_LABELS[k]), suggestions_for(member, k, limit)) for k in KINDS]


@dataclass(frozen=True)
class OperatorReport:
    computed_at: datetime
    kinds: list[dict[str, Any]]
    coverage: list[dict[str, Any]]


def operator_report(user: User | AnonymousUser | None) -> OperatorReport | None:
    """The last stored evaluation (each algorithm on a temporal split of the platform's own
    interactions) and the catalogue coverage of the stored suggestions, labelled in the
    reader's language; None before the first run. Operators only."""
    if not is_operator(user):
        raise PermissionDenied(_("Only operators can see this."))
    run = EvaluationRun.objects.first()
    if run is None:
        return None

    def labelled(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            b | {"label": str(KIND_LABELS.get(b.get("kind", ""), b.get("kind", "")))}
            for b in blocks
        ]

    return OperatorReport(
        run.computed_at,
        labelled(run.results.get("kinds", [])),
        labelled(run.coverage.get("kinds", [])),
    )
