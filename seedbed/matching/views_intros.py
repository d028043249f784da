"""Intro pages (the double opt-in between a project's team and an offer's owner) and the
operators' pipeline and matching-round pages: parse, call one service, render. A refusal of
the services comes back as a message on the page the action returns to, never as a 500."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from seedbed.core.pages import act, attempt, back
from seedbed.matching import services
from seedbed.matching.forms_intros import (
    DeclineForm,
    IntroMessageForm,
    OutcomeForm,
    RoundForm,
)
from seedbed.matching.models import (
    IntroStatus,
    OfferKind,
    Outcome,
)

PIPELINE_PAGE = 50
MY_INTROS_LIMIT = 100
STAGE_LABELS = {
    "requested": gettext_lazy("Requested"),
    "accepted": gettext_lazy("Accepted"),
    "declined": gettext_lazy("Declined"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "met": gettext_lazy("Met"),
    "outcome": gettext_lazy("Outcome recorded"),
}


def _int_or_none(value: str) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


# Members: asking, answering, meeting ------------------------------------------------------------


@login_required
@require_POST
def intro_request(request: HttpRequest, slug: str) -> HttpResponse:
    project_page = reverse("matching:project", args=[slug])
    offer_id = _int_or_none(request.POST.get("offer_id", ""))
    if offer_id is None:
        messages.error(request, _("Choose an offer."))
        return back(request, project_page)
    message = request.POST.get("message", "")
    outcome = attempt(
        request, lambda: services.request_intro(request.user, slug, offer_id, message=message)
    )
    if not outcome.ok or outcome.value is None:
        return back(request, project_page)
    messages.success(request, _("Intro requested. The other side is asked to accept."))
    return redirect("matching:intro", outcome.value.pk)


@login_required
def intros(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "matching/intros.html",
        {"mine": services.my_intros(request.user, limit=MY_INTROS_LIMIT)},
    )


@login_required
def intro(request: HttpRequest, pk: int) -> HttpResponse:
    access = services.get_intro(request.user, pk)
    found = access.intro
    context = {
        "access": access,
        "intro": found,
        "match": services.intro_match(found),
        "asked_by_owner": not found.round_id and found.requested_by_id == found.offer.owner_id,
        "contacts": services.intro_contacts(access),
        "thread": list(services.intro_thread(access)) if access.reads_thread else [],
        "decline_form": DeclineForm() if access.can_answer else None,
        "outcome_form": OutcomeForm.for_kind(found.offer.kind) if access.can_record else None,
        "message_form": IntroMessageForm() if access.reads_thread else None,
    }
    return render(request, "matching/intro.html", context)


def _intro_action(
    request: HttpRequest, pk: int, call: Callable[[], Any], done: str
) -> HttpResponse:
    return act(request, call, fallback=reverse("matching:intro", args=[pk]), success=done)


@login_required
@require_POST
def intro_accept(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = attempt(request, lambda: services.answer_intro(request.user, pk, accept=True))
    if outcome.ok and outcome.value is not None:
        if outcome.value.status == IntroStatus.ACCEPTED:
            said = _("You accepted the intro: you can now see each other's contact details.")
        else:
            said = _("Your side said yes; the other side is asked too.")
        messages.success(request, said)
    return back(request, reverse("matching:intro", args=[pk]))


@login_required
@require_POST
def intro_decline(request: HttpRequest, pk: int) -> HttpResponse:
    reason, note = request.POST.get("reason", ""), request.POST.get("note", "")
    return _intro_action(
        request,
        pk,
        lambda: services.answer_intro(request.user, pk, accept=False, reason=reason, note=note),
        _("You declined the intro."),
    )


@login_required
@require_POST
def intro_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _intro_action(
        request,
        pk,
        lambda: services.withdraw_intro(request.user, pk),
        _("The intro request is withdrawn."),
    )


@login_required
@require_POST
def intro_met(request: HttpRequest, pk: int) -> HttpResponse:
    return _intro_action(
        request, pk, lambda: services.record_meeting(request.user, pk), _("Noted: you met.")
    )


@login_required
@require_POST
def intro_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = request.POST.get("outcome", "")
    return _intro_action(
        request,
        pk,
        lambda: services.record_outcome(request.user, pk, outcome),
        _("The outcome is saved."),
    )


@login_required
@require_POST
def intro_message(request: HttpRequest, pk: int) -> HttpResponse:
    body = request.POST.get("body", "")
    return _intro_action(
        request,
        pk,
        lambda: services.post_intro_message(request.user, pk, body),
        _("Your message is posted."),
    )


# Operators: the pipeline ------------------------------------------------------------------------


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{100 * rate:.0f}%"


@dataclass
class FunnelBar:
    label: str
    count: int
    x: float
    y: int
    width: float
    text_y: int


FUNNEL_LEFT, FUNNEL_WIDTH, FUNNEL_ROW, FUNNEL_BAR = 150, 440, 44, 34


def funnel_bars(pipeline: services.Pipeline) -> list[FunnelBar]:
    """Bars of the intro funnel (all → accepted → met → deal), centred, widths relative to all
    intros, so the page draws it as SVG attributes without any style."""
    deals = pipeline.counts["outcome"] - pipeline.outcomes.get(Outcome.NO_DEAL, 0)
    steps = [
        (_("All intros"), pipeline.total),
        (_("Accepted"), pipeline.counts["accepted_ever"]),
        (_("Met"), pipeline.counts["met_ever"]),
        (_("Deal"), deals),
    ]
    top = max(pipeline.total, 1)
    bars = []
    for row, (label, count) in enumerate(steps):
        width = round(FUNNEL_WIDTH * count / top, 1) if count else 2.0
        bars.append(
            FunnelBar(
                label=label,
                count=count,
                x=round(FUNNEL_LEFT + (FUNNEL_WIDTH - width) / 2, 1),
                y=row * FUNNEL_ROW,
                width=width,
                text_y=row * FUNNEL_ROW + FUNNEL_BAR // 2 + 5,
            )
        )
    return bars


@login_required
def pipeline(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in OfferKind.values else ""
    stage = request.GET.get("stage", "")
    stage = stage if stage in services.PIPELINE_STAGES else ""
    summary = services.pipeline(request.user, kind=kind)
    listed = services.pipeline_intros(request.user, stage=stage, kind=kind)
    page = Paginator(listed, PIPELINE_PAGE).get_page(request.GET.get("page"))
    statuses = list(IntroStatus)
    kind_rows = [
        {
            "label": label,
            "counts": [summary.by_kind[value].get(s.value, 0) for s in statuses],
            "total": sum(summary.by_kind[value].values()),
        }
        for value, label in OfferKind.choices
        if not kind or value == kind
    ]
    context = {
        "summary": summary,
        "stages": [(s, STAGE_LABELS[s], summary.counts[s]) for s in services.PIPELINE_STAGES],
        "outcomes": [(label, summary.outcomes.get(value, 0)) for value, label in Outcome.choices],
        "rates": [
            (_("Acceptance"), _percent(summary.acceptance_rate)),
            (_("Meeting"), _percent(summary.meeting_rate)),
            (_("Deal"), _percent(summary.deal_rate)),
        ],
        "statuses": statuses,
        "kind_rows": kind_rows,
        "funnel": funnel_bars(summary),
        "funnel_height": 4 * FUNNEL_ROW,
        "page": page,
        "kind": kind,
        "stage": stage,
        "kinds": OfferKind.choices,
        "stage_choices": list(STAGE_LABELS.items()),
        "query": urlencode({k: v for k, v in (("stage", stage), ("kind", kind)) if v}),
    }
    return render(request, "matching/pipeline.html", context)


# Operators: matching rounds ---------------------------------------------------------------------


@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    listed = services.list_rounds(request.user)
    if request.method == "POST":
        data = request.POST
        outcome = attempt(
            request,
            lambda: services.create_round(
                request.user,
                name=data.get("name", ""),
                kind=data.get("kind", ""),
                fair=bool(data.get("fair")),
                min_score=data.get("min_score", "") or 0.05,
            ),
        )
        if outcome.ok and outcome.value is not None:
            messages.success(request, _("The round is built. Check the proposals, then send them."))
            return redirect("matching:round", outcome.value.pk)
        context = {"rounds": listed[:100], "form": RoundForm.retyped(data)}
        return render(request, "matching/rounds.html", context, status=400)
    return render(request, "matching/rounds.html", {"rounds": listed[:100], "form": RoundForm()})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = services.get_round(request.user, pk)
    proposals = list(services.round_proposals(found))
    sent = {}
    if found.sent_at:
        sent = {(i.project_id, i.offer_id): i for i in found.intros.all()}
    rows = [(p, sent.get((p.project_id, p.offer_id))) for p in proposals]
    return render(request, "matching/round.html", {"round": found, "rows": rows})


@login_required
@require_POST
def round_send(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = attempt(request, lambda: services.send_round(request.user, pk))
    if outcome.ok and outcome.value is not None:
        count = outcome.value
        messages.success(
            request,
            ngettext(
                "%(n)d intro sent; both sides are asked to accept.",
                "%(n)d intros sent; both sides are asked to accept.",
                count,
            )
            % {"n": count},
        )
    return redirect("matching:round", pk)
