"""The operators' side: the intro pipeline with its conversion rates, and matching rounds that
share out one kind of offer among projects and send the proposals as intros."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from seedbed.accounts.models import User
from seedbed.matching import adapter
from seedbed.matching import notifications as kinds
from seedbed.matching.access import REREQUEST_DAYS, require_operator
from seedbed.matching.models import (
    Intro,
    IntroStatus,
    MatchingRound,
    OfferKind,
    Outcome,
    Project,
    Proposal,
)
from seedbed.matching.services.fields import choice, text
from seedbed.matching.services.intros import intro_queryset
from seedbed.notifications.services import notify_each

PIPELINE_STAGES = ("requested", "accepted", "declined", "withdrawn", "met", "outcome")


@dataclass
class Pipeline:
    counts: dict[str, int]
    outcomes: dict[str, int]
    by_kind: dict[str, dict[str, int]]

    @property
    def total(self) -> int:
        return self.counts["total"]

    def _rate(self, num: int, den: int) -> float | None:
        return num / den if den else None

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted among the intros both sides have answered."""
        decided = self.counts["accepted_ever"] + self.counts["declined"]
        return self._rate(self.counts["accepted_ever"], decided)

    @property
    def meeting_rate(self) -> float | None:
        return self._rate(self.counts["met_ever"], self.counts["accepted_ever"])

    @property
    def deal_rate(self) -> float | None:
        deals = self.counts["outcome"] - self.outcomes.get(Outcome.NO_DEAL, 0)
        return self._rate(deals, self.counts["met_ever"])


def pipeline(user: User | AnonymousUser, *, kind: str = "") -> Pipeline:
    """Counts of intros at each stage, outcomes and conversion rates, for operators."""
    require_operator(user)
    intros = Intro.objects.all()
    if kind:
        intros = intros.filter(offer__kind=kind)
    accepted = Q(status=IntroStatus.ACCEPTED)
    summary = intros.aggregate(
        total=Count("id"),
        requested=Count("id", filter=Q(status=IntroStatus.REQUESTED)),
        declined=Count("id", filter=Q(status=IntroStatus.DECLINED)),
        withdrawn=Count("id", filter=Q(status=IntroStatus.WITHDRAWN)),
        accepted=Count("id", filter=accepted & Q(met_at__isnull=True)),
        accepted_ever=Count("id", filter=accepted),
        met=Count("id", filter=accepted & Q(met_at__isnull=False) & Q(outcome="")),
        met_ever=Count("id", filter=accepted & Q(met_at__isnull=False)),
        outcome=Count("id", filter=accepted & ~Q(outcome="")),
    )
    outcomes = dict(
        intros.exclude(outcome="").values_list("outcome").annotate(n=Count("id")).order_by()
    )
    by_kind: dict[str, dict[str, int]] = {k: {} for k in OfferKind.values}
    rows = intros.values_list("offer__kind", "status").annotate(n=Count("id")).order_by()
    for offer_kind, status, n in rows:
        by_kind[offer_kind][status] = n
    return Pipeline(summary, outcomes, by_kind)


def pipeline_intros(
    user: User | AnonymousUser, *, stage: str = "", kind: str = ""
) -> QuerySet[Intro]:
    require_operator(user)
    intros = intro_queryset()
    if kind:
        intros = intros.filter(offer__kind=kind)
    if stage == "met":
        intros = intros.filter(status=IntroStatus.ACCEPTED, met_at__isnull=False, outcome="")
    elif stage == "outcome":
        intros = intros.exclude(outcome="")
    elif stage == "accepted":
        intros = intros.filter(status=IntroStatus.ACCEPTED, met_at__isnull=True)
    elif stage in IntroStatus.values:
        intros = intros.filter(status=stage)
    return intros


def _score_floor(value: float | str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = -1.0
    if not 0 <= number <= 1:
        raise ValidationError({"min_score": [_("Enter a number between 0 and 1.")]})
    return number


def create_round(
    user: User | AnonymousUser,
    *,
    name: str,
    kind: str = OfferKind.MENTOR,
    fair: bool = True,
    min_score: float | str = 0.05,
) -> MatchingRound:
    """Allocate offers of one kind to projects from the stored match scores, maximising the
    total score within each offer's capacity (a mentor's office hours) and each project's
    limit; pairs already introduced, pending, or declined in the last 90 days are left out."""
    operator = require_operator(user)
    name = text({"name": name}, "name", limit=120, required=True)
    kind = choice({"kind": kind}, "kind", OfferKind, required=True)
    floor = _score_floor(min_score)
    since = timezone.now() - timedelta(days=REREQUEST_DAYS)
    blocked = set(
        Intro.objects.filter(
            Q(status__in=[IntroStatus.REQUESTED, IntroStatus.ACCEPTED])
            | Q(status=IntroStatus.DECLINED, decided_at__gte=since),
            offer__kind=kind,
        ).values_list("project_id", "offer_id")
    )
    with transaction.atomic():
        round_ = MatchingRound.objects.create(
            name=name, kind=kind, fair=bool(fair), min_score=floor, created_by=operator
        )
        adapter.allocate_round(round_, exclude=blocked)
    return round_


def list_rounds(user: User | AnonymousUser) -> QuerySet[MatchingRound]:
    """Every round with its proposal and sent-intro counts, for operators only."""
    require_operator(user)
    return MatchingRound.objects.select_related("created_by").annotate(
        proposal_count=Count("proposals", distinct=True),
        intro_count=Count("intros", distinct=True),
        accepted_count=Count(
            "intros", filter=Q(intros__status=IntroStatus.ACCEPTED), distinct=True
        ),
    )


def get_round(user: User | AnonymousUser, round_id: int) -> MatchingRound:
    require_operator(user)
    round_ = MatchingRound.objects.filter(pk=round_id).first()
    if round_ is None:
        raise Http404
    return round_


def round_proposals(round_: MatchingRound) -> QuerySet[Proposal]:
    return round_.proposals.select_related("project", "offer__owner")


def send_round(user: User | AnonymousUser, round_id: int) -> int:
    """Send each proposal as an intro that both sides must accept; returns how many were sent
    (a pair that got a pending intro since the round was built is skipped)."""
    with transaction.atomic():
        operator = require_operator(user)
        round_ = get_round(operator, round_id)
        round_ = MatchingRound.objects.select_for_update().get(pk=round_.pk)
        if round_.sent_at:
            raise ValidationError(_("This round was already sent."))
        proposals = list(round_.proposals.select_related("offer"))
        pending = set(
            Intro.objects.filter(
                status__in=[IntroStatus.REQUESTED, IntroStatus.ACCEPTED],
                project_id__in=[p.project_id for p in proposals],
            ).values_list("project_id", "offer_id")
        )
        intros = Intro.objects.bulk_create(
            Intro(
                project_id=p.project_id,
                offer=p.offer,
                requested_by=operator,
                round=round_,
                score=p.score,
            )
            for p in proposals
            if (p.project_id, p.offer_id) not in pending
        )
        teams: dict[int, list[int]] = {}
        for project_id, user_id in Project.team.through.objects.filter(
            project_id__in=[i.project_id for i in intros]
        ).values_list("project_id", "user_id"):
            teams.setdefault(project_id, []).append(user_id)
        sent = Intro.objects.filter(round=round_).select_related("offer")
        notify_each(
            kinds.INTRO_PROPOSED,
            (([*teams.get(i.project_id, []), i.offer.owner_id], {"intro": i}) for i in sent),
            actor=operator,
        )
        round_.sent_at = timezone.now()
        round_.save(update_fields=["sent_at"])
    return len(intros)
