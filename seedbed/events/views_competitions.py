"""Competition pages: the panel on the event page, entering, the organisers' rubric, judges,
entries and leaderboard, the judges' worksheet, and the published results."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from seedbed.core.pages import Outcome, act, attempt, render_form
from seedbed.core.requests import HtmxRequest
from seedbed.events import competitions as services


class EntryForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Project"), max_length=200)
    team = forms.CharField(
        label=gettext_lazy("Team"),
        max_length=500,
        help_text=gettext_lazy("Who is in the team, and their roles."),
    )
    pitch = forms.CharField(label=gettext_lazy("Pitch"), max_length=5000, widget=forms.Textarea)
    deck_url = forms.URLField(
        label=gettext_lazy("Deck link"), required=False, max_length=200, assume_scheme="https"
    )


class CriterionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Criterion"), max_length=100)
    weight = forms.FloatField(
        label=gettext_lazy("Weight"), initial=1.0, min_value=0.01, max_value=100
    )


class JudgeForm(forms.Form):
    member = forms.CharField(
        label=gettext_lazy("Member"),
        max_length=254,
        help_text=gettext_lazy("Their @handle, as on their profile."),
    )


def _ids(values: list[str]) -> list[int]:
    """Checkbox values; anything that is not an id becomes 0, which names no entry."""
    return [int(v) if v.isdigit() and len(v) < 12 else 0 for v in values]


# Everyone --------------------------------------------------------------------------------------


def home(request: HtmxRequest, pk: int) -> HttpResponse:
    """The competition panel: loaded into the event page with htmx, or a page of its own."""
    competition = services.get_competition(request.user, pk)
    context = {"competition": competition, "event": competition.event}
    template = "events/competitions/home.html"
    if request.htmx:
        template += "#panel"
    return render(request, template, context)


def results(request: HttpRequest, pk: int) -> HttpResponse:
    standings = services.leaderboard(request.user, pk)
    return render(
        request,
        "events/competitions/results.html",
        {"standings": standings, "event": standings.access.event},
    )


def _refused(
    request: HttpRequest, template: str, context: dict, outcome: Outcome | None = None
) -> HttpResponse:
    """A form page sent back after a refusal or bad input: 400 (429 after a rate limit)."""
    return render_form(request, template, context, outcome or Outcome(False), status=400)


# Entrants --------------------------------------------------------------------------------------


@login_required
def my_entry(request: HttpRequest, pk: int) -> HttpResponse:
    competition = services.get_competition(request.user, pk)
    mine = competition.my_entry
    initial = (
        {"title": mine.title, "team": mine.team, "pitch": mine.pitch, "deck_url": mine.deck_url}
        if mine
        else None
    )
    form = EntryForm(request.POST or None, initial=initial)
    template = "events/competitions/entry_form.html"
    context = {"form": form, "competition": competition, "event": competition.event}
    if request.method != "POST":
        return render(request, template, context)
    if not form.is_valid():
        return _refused(request, template, context)
    outcome = attempt(
        request, lambda: services.submit_entry(request.user, pk, **form.cleaned_data), form=form
    )
    if outcome.value is None:
        return _refused(request, template, context, outcome)
    created = outcome.value[1]
    messages.success(request, _("Your entry is in.") if created else _("Your entry is updated."))
    return redirect("events:competition", pk)


# Organisers ------------------------------------------------------------------------------------


@login_required
def entries(request: HttpRequest, pk: int) -> HttpResponse:
    competition = services.manage(request.user, pk, with_entries=True)
    return render(
        request,
        "events/competitions/entries.html",
        {"competition": competition, "event": competition.event},
    )


@login_required
def rubric(request: HttpRequest, pk: int) -> HttpResponse:
    competition = services.manage(request.user, pk)
    form = CriterionForm(request.POST or None)
    template = "events/competitions/rubric.html"
    context = {"form": form, "competition": competition, "event": competition.event}
    if request.method != "POST":
        return render(request, template, context)
    if not form.is_valid():
        return _refused(request, template, context)
    outcome = attempt(
        request, lambda: services.add_criterion(request.user, pk, **form.cleaned_data), form=form
    )
    if not outcome.ok:
        return _refused(request, template, context, outcome)
    messages.success(request, _("The criterion is added."))
    return redirect("events:competition_rubric", pk)


def _rubric_url(pk: int) -> str:
    return reverse("events:competition_rubric", args=[pk])


@login_required
@require_POST
def edit_criterion(request: HttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    return act(
        request,
        lambda: services.update_criterion(
            request.user,
            pk,
            criterion_id,
            name=request.POST.get("name"),
            weight=request.POST.get("weight"),
        ),
        fallback=_rubric_url(pk),
        success=_("Saved."),
    )


@login_required
@require_POST
def remove_criterion(request: HttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    return act(
        request,
        lambda: services.remove_criterion(request.user, pk, criterion_id),
        fallback=_rubric_url(pk),
        success=_("The criterion is removed."),
    )


@login_required
def judges(request: HttpRequest, pk: int) -> HttpResponse:
    competition = services.manage(request.user, pk, with_entries=True, with_judges=True)
    form = JudgeForm(request.POST or None)
    template = "events/competitions/judges.html"
    context = {"form": form, "competition": competition, "event": competition.event}
    if request.method != "POST":
        return render(request, template, context)
    if not form.is_valid():
        return _refused(request, template, context)
    outcome = attempt(
        request,
        lambda: services.add_judge(request.user, pk, form.cleaned_data["member"]),
        form=form,
    )
    if not outcome.ok:
        return _refused(request, template, context, outcome)
    messages.success(request, _("The judge is added."))
    return redirect("events:competition_judges", pk)


def _judges_url(pk: int) -> str:
    return reverse("events:competition_judges", args=[pk])


@login_required
@require_POST
def remove_judge(request: HttpRequest, pk: int, judge_id: int) -> HttpResponse:
    return act(
        request,
        lambda: services.remove_judge(request.user, pk, judge_id),
        fallback=_judges_url(pk),
        success=_("The judge is removed."),
    )


@login_required
@require_POST
def conflicts(request: HttpRequest, pk: int, judge_id: int) -> HttpResponse:
    entry_ids = _ids(request.POST.getlist("entries"))
    return act(
        request,
        lambda: services.set_conflicts(request.user, pk, judge_id, entry_ids),
        fallback=_judges_url(pk),
        success=_("The conflicts are saved."),
    )


@login_required
def leaderboard(request: HttpRequest, pk: int) -> HttpResponse:
    standings = services.leaderboard(request.user, pk)
    if not standings.access.sees_full_standings:
        return redirect("events:competition_results", pk)
    return render(
        request,
        "events/competitions/leaderboard.html",
        {"standings": standings, "event": standings.access.event},
    )


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    publishing = request.POST.get("publish") == "1"
    return act(
        request,
        lambda: services.publish_results(request.user, pk, publish=publishing),
        fallback=reverse("events:competition_leaderboard", args=[pk]),
        success=(
            _("The results are published.")
            if publishing
            else _("The results are no longer published.")
        ),
    )


# Judges ----------------------------------------------------------------------------------------


def _render_judging(
    request: HttpRequest,
    pk: int,
    errors: dict[str, list[str]] | None = None,
    typed: dict[int, object] | None = None,
    failed_entry: int | None = None,
    status: int = 200,
) -> HttpResponse:
    """The worksheet, with what the judge typed and the errors kept on the entry that failed."""
    worksheet = services.judging(request.user, pk)
    errors, typed = errors or {}, typed or {}
    sheets = []
    for row in worksheet.rows:
        failed = row.entry.pk == failed_entry
        cells = [
            {
                "criterion": criterion,
                "name": f"criterion_{criterion.pk}",
                "value": typed.get(criterion.pk, "") if failed else row.scores.get(criterion.pk),
                "errors": errors.get(f"criterion_{criterion.pk}", []) if failed else [],
            }
            for criterion in worksheet.criteria
        ]
        general = errors.get("__all__", []) if failed else []
        sheets.append({"row": row, "cells": cells, "errors": general, "failed": failed})
    return render(
        request,
        "events/competitions/judging.html",
        {"judging": worksheet, "event": worksheet.access.event, "sheets": sheets},
        status=status,
    )


@login_required
def judging(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_judging(request, pk)


def _parse_scores(post) -> dict[int, object]:
    """criterion_<id> fields to {id: whole number, or the text when it is not one}."""
    values: dict[int, object] = {}
    for key, raw in post.items():
        if not key.startswith("criterion_"):
            continue
        suffix = key.removeprefix("criterion_")
        if not (suffix.isdigit() and len(suffix) < 12):
            continue
        raw = raw.strip()
        values[int(suffix)] = int(raw) if raw.isdigit() and len(raw) < 4 else (raw or None)
    return values


@login_required
@require_POST
def score(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    """Not `attempt`: the refusal's messages go next to the cells of the entry that failed,
    on the worksheet, which is no Django form."""
    values = _parse_scores(request.POST)
    try:
        services.score_entry(request.user, pk, entry_id, values)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return _render_judging(request, pk, errors, values, entry_id, status=400)
    messages.success(request, _("Your scores are saved."))
    return redirect(reverse("events:competition_judging", args=[pk]) + f"#entry-{entry_id}")


@login_required
@require_POST
def declare_conflict(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    return act(
        request,
        lambda: services.declare_conflict(request.user, pk, entry_id),
        fallback=reverse("events:competition_judging", args=[pk]),
        success=_("You will not score this entry."),
    )
