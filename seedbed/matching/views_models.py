"""The operators' Models page: growth forecasts, the success network (edit, reset, ask), and
who is likely to raise within 12 months."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from seedbed.core.pages import act, attempt
from seedbed.engine.predict import BayesianNetwork, default_startup_network
from seedbed.matching import predictive
from seedbed.matching.forms_models import NetworkTablesForm
from seedbed.matching.verdict_text import evidence_text, state_label, variable_label

CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 640, 220, 30


def line_chart(growth: predictive.Growth) -> dict[str, Any] | None:
    """SVG coordinates for the history, the forecast line and its interval band."""
    if not growth.history:
        return None
    counts = [n for _week, n in growth.history]
    forecast = growth.forecast
    periods = len(counts) + len(forecast)
    top = max([*counts, *(f["upper"] for f in forecast), 1])
    inner_w, inner_h = CHART_WIDTH - 2 * CHART_PAD, CHART_HEIGHT - 2 * CHART_PAD

    def point(i: int, value: float) -> str:
        x = CHART_PAD + (inner_w * i / max(periods - 1, 1))
        y = CHART_PAD + inner_h * (1 - value / top)
        return f"{x:.1f},{y:.1f}"

    n = len(counts)
    chart = {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_PAD,
        "right": CHART_WIDTH - CHART_PAD,
        "top": CHART_PAD,
        "bottom": CHART_HEIGHT - CHART_PAD,
        "top_label": f"{top:.0f}",
        "first_week": growth.history[0][0],
        "last_week": forecast[-1]["week"] if forecast else growth.history[-1][0],
        "history": " ".join(point(i, c) for i, c in enumerate(counts)),
        "forecast": "",
        "band": "",
    }
    if forecast:
        chart["forecast"] = " ".join(
            [point(n - 1, counts[-1])] + [point(n + i, f["mean"]) for i, f in enumerate(forecast)]
        )
        upper = [point(n + i, f["upper"]) for i, f in enumerate(forecast)]
        lower = [point(n + i, f["lower"]) for i, f in enumerate(forecast)]
        chart["band"] = " ".join(upper + lower[::-1])
    return chart


def _render(
    request: HttpRequest,
    page: predictive.ModelsPage,
    form: NetworkTablesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    form = form or NetworkTablesForm(page.network.network)
    fitted = page.fitted
    context = {
        "page": page,
        "growth": [{"model": g, "chart": line_chart(g)} for g in fitted.growth] if fitted else [],
        "form": form,
        "tables": [labelled(table) for table in form.tables()],
        "fitted_tables": compare_tables(fitted.network_fit, page.network.network) if fitted else [],
        "list_separator": _(", "),
        "success_is_yes": evidence_text({predictive.TARGET: "yes"}),
    }
    return render(request, "matching/models.html", context, status=status)


def labelled(table: dict[str, Any]) -> dict[str, Any]:
    """A table's variable, parents and states with their labels in the reader's language."""
    return table | {
        "variable_label": variable_label(table["variable"]),
        "parent_labels": [variable_label(p) for p in table["parents"]],
        "state_labels": [state_label(s) for s in table["states"]],
        "rows": [row | {"given_labels": _given_labels(row["given"])} for row in table["rows"]],
    }


def _given_labels(given: dict[str, str] | list[str]) -> list[str]:
    return [state_label(s) for s in (given.values() if isinstance(given, dict) else given)]


def compare_tables(fit: predictive.NetworkFit, network: BayesianNetwork) -> list[dict[str, Any]]:
    """Each learned row beside the same row of the tables in use, to see where they differ."""
    compared = []
    for table in fit.tables:
        in_use = network.cpt_rows(table.variable)
        rows = [
            row | {"in_use": [round(current["probabilities"][s], 3) for s in table.states]}
            for row, current in zip(table.rows, in_use, strict=True)
        ]
        shape = {"variable": table.variable, "parents": table.parents, "states": table.states}
        compared.append({"table": labelled(shape | {"rows": rows})})
    return compared


@login_required
@require_GET
def models(request: HttpRequest) -> HttpResponse:
    return _render(request, predictive.models_page(request.user, request.GET))


@login_required
@require_POST
def network(request: HttpRequest) -> HttpResponse:
    """Save edited tables; on a problem the page comes back with the numbers as typed."""
    form = NetworkTablesForm(default_startup_network(), request.POST)
    if form.is_valid():
        tables = form.cleaned_tables()
        if attempt(
            request, lambda: predictive.save_network_tables(request.user, tables), form=form
        ).ok:
            messages.success(request, _("The tables are saved."))
            return redirect("matching:models")
    return _render(request, predictive.models_page(request.user), form, status=400)


@login_required
@require_POST
def network_reset(request: HttpRequest) -> HttpResponse:
    return act(
        request,
        lambda: predictive.reset_network_tables(request.user),
        fallback=reverse("matching:models"),
        success=_("The built-in tables are back."),
    )
