"""The sentiment, structure and forecast pages of Insights and the "introduce" button. Each view
takes ``slug=None`` for the platform-wide page; who may see what is ``insights_scope``'s."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from seedbed.core.pages import attempt, back
from seedbed.insights import analysis
from seedbed.insights.templatetags.insights_charts import Chart, line_chart
from seedbed.matching.predictive import Growth


def _url(name: str, slug: str | None) -> str:
    if slug is None:
        return reverse(f"insights:platform:{name}")
    return reverse(f"insights:community:{name}", args=[slug])


@login_required
@require_GET
def sentiment(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    page = analysis.sentiment_page(request.user, slug)
    labels = [w.week.isoformat() for w in page.weeks]
    chart = line_chart(
        _("Share of negative and positive posts and replies per week, in per cent"),
        labels,
        {
            _("Negative"): [round(100 * w.negative_share, 1) for w in page.weeks],
            _("Positive"): [round(100 * w.positive_share, 1) for w in page.weeks],
        },
        caption=_("Each post and reply is scored once when it is written and again after an edit."),
        label_header=_("Week of"),
    )
    context = {
        "scope": page.scope,
        "page": page,
        "chart": chart,
        "alert_percent": round(100 * page.alert_share),
    }
    return render(request, "insights/sentiment.html", context)


def _structure(request: HttpRequest, slug: str | None, status: int = 200) -> HttpResponse:
    page = analysis.structure_page(request.user, slug)
    context = {"scope": page.scope, "page": page, "introduce_url": _url("introduce", slug)}
    return render(request, "insights/structure.html", context, status=status)


@login_required
@require_GET
def structure(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    return _structure(request, slug)


@login_required
@require_POST
def introduce(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    try:
        newcomer = int(request.POST.get("newcomer", ""))
        member = int(request.POST.get("member", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Choose a newcomer and a member to introduce."))
    outcome = attempt(request, lambda: analysis.introduce(request.user, slug, newcomer, member))
    if outcome.retry_after is not None:
        response = _structure(request, slug, status=429)
        response["Retry-After"] = str(outcome.retry_after)
        return response
    if outcome.ok:
        messages.success(request, _("The introduction is sent: both members were told."))
    return back(request, _url("structure", slug) + "#newcomers")


def growth_chart(growth: Growth) -> Chart | None:
    """History and the eight weeks ahead with the interval, as a chart and its table."""
    if not growth.history:
        return None
    past, future = len(growth.history), len(growth.forecast)
    labels = [w.isoformat() for w, _n in growth.history]
    labels += [row["week"].isoformat() for row in growth.forecast]
    series: dict[str, list[float | None]] = {
        _("Per week"): [float(n) for _w, n in growth.history] + [None] * future,
    }
    if future:
        series[_("Forecast")] = [None] * past + [round(r["mean"], 1) for r in growth.forecast]
        series[_("Low end of the interval")] = [None] * past + [
            round(r["lower"], 1) for r in growth.forecast
        ]
        series[_("High end of the interval")] = [None] * past + [
            round(r["upper"], 1) for r in growth.forecast
        ]
    return line_chart(growth.title, labels, series, label_header=_("Week of"))


@login_required
@require_GET
def forecasts(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    page = analysis.forecasts_page(request.user, slug)
    context = {
        "scope": page.scope,
        "page": page,
        "items": [{"growth": g, "chart": growth_chart(g)} for g in page.growth],
    }
    return render(request, "insights/forecasts.html", context)
