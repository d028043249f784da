"""Links between the Insights pages, which exist twice (platform-wide and per community)."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from seedbed.communities.models import Community

register = template.Library()

TABS = (
    ("overview", _("Overview")),
    ("members", _("Members")),
    ("at_risk", _("At risk")),
    ("sentiment", _("Sentiment")),
    ("structure", _("Structure")),
    ("forecasts", _("Forecasts")),
    ("export", _("Export")),
)


def insights_path(name: str, scope: Community | None, *args: object) -> str:
    """The page ``name`` of this scope: ``insights:community:<name>`` for a community,
    ``insights:platform:<name>`` platform-wide."""
    if scope is None:
        return reverse(f"insights:platform:{name}", args=args)
    return reverse(f"insights:community:{name}", args=[scope.slug, *args])


@register.simple_tag
def insights_url(name: str, scope: Community | None, *args: object) -> str:
    return insights_path(name, scope, *args)


@register.inclusion_tag("insights/_tab_list.html")
def insights_tabs(scope: Community | None, current: str) -> dict[str, object]:
    return {
        "scope": scope,
        "tabs": [(label, insights_path(name, scope), name == current) for name, label in TABS],
    }


@register.filter
def figure(value: float | None, kind: str = "count") -> str:
    """A figure as the overview shows it: counts whole, means and hours to one decimal, rates
    as percentages; a dash when there is nothing to show."""
    if value is None:
        return "–"
    if kind == "rate":
        return f"{value:.0%}"
    if kind in ("mean", "hours"):
        return f"{value:.1f}"
    return f"{value:,.0f}"


@register.filter
def change(value: float | None, kind: str = "count") -> str:
    """A relative change as a signed percentage, a rate's change in percentage points (with a
    real minus sign)."""
    if value is None:
        return ""
    if kind == "rate":
        points = f"{value * 100:+.0f}".replace("-", "−")
        return gettext("%(points)s percentage points") % {"points": points}
    return f"{value:+.0%}".replace("-", "−")
