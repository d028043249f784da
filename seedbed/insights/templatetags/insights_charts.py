"""Charts for the Insights pages: pygal SVG in the site's colours, shipped inside the page as a
``data:`` image (the CSP allows ``img-src data:`` and no inline styles, and an image document
keeps pygal's own stylesheet to itself), each with the same figures as a table for screen
readers and anyone who would rather read. Build a :class:`Chart` in the view with
:func:`line_chart`, :func:`bar_chart` or :func:`funnel_chart`; render it with
``{% load insights_charts %}{% chart chart %}``. Nothing here runs a model or a query."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pygal
from django import template
from pygal.style import Style

register = template.Library()

#: The community palette of ``site.css`` (``communities.models.COLOURS``), accent first.
PALETTE = ("#1f7a55", "#2b6cb0", "#b7791f", "#9b2c2c", "#6b46c1", "#2c7a7b", "#c05621", "#4a5568")
FONT = 'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif'
STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1d2321",
    foreground_strong="#1d2321",
    foreground_subtle="#e2e4df",
    opacity=".85",
    opacity_hover="1",
    colors=PALETTE,
    font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    value_font_family=FONT,
    legend_font_family=FONT,
    title_font_family=FONT,
    tooltip_font_family=FONT,
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
)
_CONFIG = {
    "js": [],  # no script: pygal's default is a CDN
    "style": STYLE,
    "width": 800,
    "height": 320,
    "margin": 12,
    "legend_at_bottom": True,
    "show_y_guides": True,
    "show_x_guides": False,
    "truncate_label": -1,
    "disable_xml_declaration": True,
}


@dataclass(frozen=True)
class Chart:
    """A chart as an image and as a table: ``headers`` then ``rows`` of cells."""

    title: str
    svg: str
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]
    caption: str = ""
    classes: Sequence[str] = field(default_factory=tuple)

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def _render(chart: pygal.graph.graph.Graph) -> str:
    """The SVG without pygal's inline config script (an image runs no script anyway: it is
    dead weight, and nothing here should look like code to a scanner)."""
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def _sparse_labels(labels: Sequence[str], most: int = 7) -> list[str]:
    """Every label in the table; at most ``most`` of them under the chart's x axis (an 800-wide
    chart fits about seven dates side by side without overlapping)."""
    step = max(1, -(-len(labels) // most))
    return [label if i % step == 0 else "" for i, label in enumerate(labels)]


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    caption: str = "",
    label_header: str = "",
) -> Chart:
    """Lines over time (one per entry of ``series``, in order), labels along the x axis."""
    graph = pygal.Line(**{**_CONFIG, "show_dots": len(labels) <= 31})
    graph.x_labels = _sparse_labels([str(x) for x in labels])
    for name, values in series.items():
        graph.add(name, list(values))
    rows = [[label, *(values[i] for values in series.values())] for i, label in enumerate(labels)]
    return Chart(title, _render(graph), [label_header, *series], rows, caption)


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    caption: str = "",
    label_header: str = "",
    horizontal: bool = False,
    stacked: bool = False,
) -> Chart:
    """Bars per label, one colour per entry of ``series``."""
    kind = (pygal.StackedBar if stacked else pygal.Bar) if not horizontal else pygal.HorizontalBar
    graph = kind(**{**_CONFIG, "show_legend": len(series) > 1})
    labels_text = [str(x) for x in labels]
    graph.x_labels = labels_text if horizontal else _sparse_labels(labels_text)
    for name, values in series.items():
        graph.add(name, list(values))
    rows = [[label, *(values[i] for values in series.values())] for i, label in enumerate(labels)]
    return Chart(title, _render(graph), [label_header, *series], rows, caption)


def funnel_chart(
    title: str, steps: Sequence[tuple[str, int]], *, caption: str = "", count_header: str = ""
) -> Chart:
    """A funnel as horizontal bars, widest first, with each step's share of the first."""
    graph = pygal.HorizontalBar(**{**_CONFIG, "show_legend": False, "print_values": True})
    graph.x_labels = [name for name, _n in reversed(steps)]
    graph.add(title, [n for _name, n in reversed(steps)])
    first = steps[0][1] if steps else 0
    rows = [[name, n, f"{n / first:.0%}" if first else "–"] for name, n in steps]
    return Chart(title, _render(graph), ["", count_header, "%"], rows, caption)


@register.inclusion_tag("insights/_chart.html")
def chart(chart: Chart) -> dict[str, Chart]:
    return {"chart": chart}
