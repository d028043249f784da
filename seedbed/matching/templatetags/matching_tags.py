"""Words for stored match reasons, shared by every page that shows a match (project and offer
matches, intros, rounds, the API's human-readable fields).

``Match.reasons`` is data (``[[criterion, [values...]], ...]``) so that it can be worded in the
reader's language at render time; nothing here touches the database, and no amount is ever
worded (the ticket criterion only says that the ask fits)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from seedbed.accounts.models import Stage
from seedbed.core.sectors import SECTORS
from seedbed.matching.models import ServiceType

register = template.Library()

_SECTOR_NAMES: dict[str, tuple[str, str]] = {slug: (en, zh) for slug, en, zh in SECTORS}


def sector_label(slug: str) -> str:
    """The sector's name in the active language, from the fixed taxonomy (no query)."""
    names = _SECTOR_NAMES.get(slug)
    if names is None:
        return slug
    return names[1] if (get_language() or "").startswith("zh") else names[0]


def _stage_label(value: str) -> str:
    return str(Stage(value).label) if value in Stage.values else value


def _topic_label(value: str) -> str:
    """A project's sought services reach the scorer as topics; show them by their label."""
    return str(ServiceType(value).label) if value in ServiceType.values else value


def _place_label(value: str) -> str:
    return value.title() if value.isascii() else value


def _listed(values: Iterable[str]) -> str:
    return _(", ").join(values)


def _phrase(criterion: str, values: list[str]) -> str | None:
    if criterion == "sectors":
        return _("Sectors: %(list)s") % {"list": _listed(sector_label(v) for v in values)}
    if criterion == "stage":
        return _("Stage: %(list)s") % {"list": _listed(_stage_label(v) for v in values)}
    if criterion == "ticket":
        return _("Funding ask fits the ticket range")
    if criterion == "region":
        return _("Region: %(list)s") % {"list": _listed(_place_label(v) for v in values)}
    if criterion == "skills":
        return _("Skills: %(list)s") % {"list": _listed(values)}
    if criterion == "topics":
        return _("Topics: %(list)s") % {"list": _listed(_topic_label(v) for v in values)}
    if criterion == "text":
        if values:
            return _("Similar descriptions (%(similarity)s)") % {"similarity": values[0]}
        return _("Similar descriptions")
    if criterion == "learned":
        return _("Weighed by past intro outcomes")
    return None


def reason_phrases(reasons) -> list[str]:
    """Stored ``[[criterion, [values...]], ...]`` as translated phrases; malformed or unknown
    entries are skipped rather than shown raw, so a page never fails on old rows."""
    phrases = []
    for entry in reasons or []:
        try:
            criterion, values = entry
            values = [str(v) for v in values or []]
        except (TypeError, ValueError):
            continue
        phrase = _phrase(str(criterion), values)
        if phrase:
            phrases.append(phrase)
    return phrases


register.filter("match_reasons", reason_phrases)


@register.filter
def percent(score) -> str:
    """A score in [0, 1] as a whole percentage ("73%")."""
    try:
        return f"{round(float(score) * 100)}%"
    except (TypeError, ValueError):
        return ""


@register.filter
def sector_name(slug: str) -> str:
    return sector_label(str(slug))


@register.filter
def stage_names(values) -> str:
    """An offer's stored stage values as their labels."""
    return _listed(_stage_label(str(v)) for v in values or [])
