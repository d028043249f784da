"""The activity side of the Insights pages. Every view exists twice, platform-wide (``slug``
None, operators) and per community (its owners and moderators, and operators); who may see
which is ``access.insights_scope``'s answer. Pages read stored results only."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from seedbed.accounts.models import User
from seedbed.core.pages import attempt, back
from seedbed.insights import services
from seedbed.insights.access import Scope, insights_scope
from seedbed.insights.forms import MemberFilterForm, RangeForm, default_period
from seedbed.insights.templatetags.insights import insights_path
from seedbed.insights.templatetags.insights_charts import bar_chart, funnel_chart, line_chart

PAGE_SIZE = 25
CHART_CACHE_SECONDS = 6 * 3600

View = Callable[..., HttpResponse]


def scoped(view: Callable[..., HttpResponse]) -> View:
    """Visitors go to the login page; everyone else gets the scope ``insights_scope`` allows
    (or its 403/404)."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str | None = None, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, insights_scope(request.user, slug), **kwargs)

    return wrapper


def _period_form(request: HttpRequest) -> tuple[RangeForm, services.Period | None]:
    if not any(k in request.GET for k in ("range", "start", "end")):
        return RangeForm(initial={"range": "30"}), default_period()
    form = RangeForm(request.GET)
    return form, form.period if form.is_valid() else None


@require_GET
@scoped
def overview(request: HttpRequest, scope: Scope) -> HttpResponse:
    form, period = _period_form(request)
    context: dict[str, Any] = {"scope": scope, "tab": "overview", "form": form}
    if period is None:
        return render(request, "insights/overview.html", context, status=400)
    data = services.overview(scope, period)
    context |= {"data": data, "charts": _cached_charts(scope, data)}
    return render(request, "insights/overview.html", context)


def _cached_charts(scope: Scope, data: services.Overview) -> list[Any]:
    """Drawing seven charts takes most of a second, and they change only when the refresh
    stores new figures: they are kept in the cache per scope, period, refresh and language."""
    key = ":".join(
        [
            "insights-charts",
            str(scope.pk if scope is not None else "platform"),
            data.period.start.isoformat(),
            data.period.end.isoformat(),
            data.computed_at.isoformat() if data.computed_at else "never",
            get_language() or "",
        ]
    )
    charts = cache.get(key)
    if charts is None:
        points = services.chart_points(data.days)
        labels = [date_format(p["day"], "SHORT_DATE_FORMAT") for p in points]
        charts = _overview_charts(data, points, labels)
        cache.set(key, charts, CHART_CACHE_SECONDS)
    return charts


def _overview_charts(
    data: services.Overview, days: list[dict[str, Any]], labels: list[str]
) -> list[Any]:
    weekly = len(days) < len(data.days)
    x = _("Week from") if weekly else _("Day")
    return [
        line_chart(
            _("Active members"),
            labels,
            {
                _("That day (mean)") if weekly else _("That day"): [
                    d["active_members"] for d in days
                ],
                _("In the last 7 days"): [d["active_7d"] for d in days],
                _("In the last 30 days"): [d["active_30d"] for d in days],
            },
            label_header=x,
        ),
        bar_chart(
            _("New and returning members among the active"),
            labels,
            {
                _("New (joined under 30 days ago)"): [
                    round(d["active_members"] - d["returning_members"], 1) for d in days
                ],
                _("Returning"): [d["returning_members"] for d in days],
            },
            stacked=True,
            label_header=x,
        ),
        line_chart(
            _("Posts and replies"),
            labels,
            {_("Posts"): [d["posts"] for d in days], _("Replies"): [d["replies"] for d in days]},
            label_header=x,
        ),
        line_chart(
            _("Hours to a first reply"),
            labels,
            {
                _("Mean hours"): [
                    round(d["response_hours"] / d["answered_posts"], 1)
                    if d["answered_posts"]
                    else None
                    for d in days
                ]
            },
            caption=_("Posts of that day that someone else answered, mean hours to the answer."),
            label_header=x,
        ),
        bar_chart(
            _("Events and attendance"),
            labels,
            {
                _("Confirmed seats"): [d["confirmed"] for d in days],
                _("Checked in"): [d["attended"] for d in days],
            },
            caption=_("Of the events that started that day."),
            label_header=x,
        ),
        bar_chart(
            _("Members by engagement level"),
            [label for _value, label, _n in data.levels],
            {_("Members"): [n for _value, _label, n in data.levels]},
            label_header=_("Level"),
        ),
        funnel_chart(
            _("From joining to taking part"),
            data.funnel,
            caption=_("All current members, each step among those who took the one before."),
            count_header=_("Members"),
        ),
    ]


def _member_page(request: HttpRequest, rows: Any) -> Page:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
@scoped
def members(request: HttpRequest, scope: Scope) -> HttpResponse:
    form = MemberFilterForm(request.GET, platform=scope is None)
    context: dict[str, Any] = {"scope": scope, "tab": "members", "form": form}
    if not form.is_valid():
        return render(request, "insights/members.html", context, status=400)
    rows = services.engagement_rows(
        scope,
        level=form.cleaned_data["level"],
        role=form.cleaned_data["role"],
        community=form.cleaned_data.get("community"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context |= {"page": _member_page(request, rows), "query": query.urlencode()}
    return render(request, "insights/members.html", context)


@require_GET
@scoped
def at_risk(request: HttpRequest, scope: Scope) -> HttpResponse:
    page = _member_page(request, services.engagement_rows(scope, at_risk=True))
    for row in page.object_list:
        row.reason_texts = services.reasons_in_words(row.reasons)
    return render(
        request,
        "insights/at_risk.html",
        {
            "scope": scope,
            "tab": "at_risk",
            "page": page,
            "threshold": services.RISK_THRESHOLD,
            "every_days": services.REACH_OUT_EVERY_DAYS,
        },
    )


@require_POST
@scoped
def reach_out(request: HttpRequest, scope: Scope, member_id: int) -> HttpResponse:
    assert isinstance(request.user, User)
    sender = request.user
    outcome = attempt(request, lambda: services.reach_out(sender, scope, member_id))
    if outcome.retry_after is not None:
        context = {"scope": scope, "tab": "at_risk"}
        response = render(request, "insights/refused.html", context, status=429)
        response["Retry-After"] = str(outcome.retry_after)
        return response
    if outcome.value is not None:
        name = outcome.value.member.display_name
        messages.success(request, _("The message is on its way to %(name)s.") % {"name": name})
    return back(request, insights_path("at_risk", scope))


@require_GET
@scoped
def export(request: HttpRequest, scope: Scope) -> HttpResponse:
    name = scope.slug if scope is not None else "platform"
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(services.export_csv(scope), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="insights-{name}-{stamp}.csv"'
    return response


@require_GET
def my_activity(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    assert isinstance(request.user, User)
    return render(
        request, "insights/my_activity.html", {"mine": services.my_activity(request.user)}
    )
