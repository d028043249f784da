"""Why a suggestion is shown, worded whole in the reader's language at read time.

A reason is stored as a stable code with parameters (names, counts; a sector as both its
English and Chinese name), so the same row reads as one natural sentence in either language.
A code this module does not know reads as the generic sentence, never an error."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

VIA = "via"
"""A reason's parameter naming the community its sentence mentions (or mentions content of):
the sentence is shown only while the reader may still read that community."""


def localised(value: Any) -> str:
    """A parameter stored as ``{"en": ..., "zh": ...}`` (a sector) in the active language."""
    if isinstance(value, Mapping):
        zh = (get_language() or "").startswith("zh")
        return str(value.get("zh" if zh else "en") or value.get("en") or "")
    return str(value)


def _count(p: Mapping[str, Any]) -> int:
    try:
        return int(p.get("count", 0))
    except (TypeError, ValueError):
        return 0


def _replied(p: Mapping[str, Any]) -> str:
    return ngettext(
        "%(count)d member you replied to is in it.",
        "%(count)d members you replied to are in it.",
        _count(p),
    ) % {"count": _count(p)}


def _contacts_going(p: Mapping[str, Any]) -> str:
    return ngettext(
        "%(count)d member you know is going.",
        "%(count)d members you know are going.",
        _count(p),
    ) % {"count": _count(p)}


def _popular(p: Mapping[str, Any]) -> str:
    if _count(p) < 2:
        return _("New and open to everyone.")
    return ngettext(
        "Popular: %(count)d member took part.",
        "Popular: %(count)d members took part.",
        _count(p),
    ) % {"count": _count(p)}


def _similar_users(p: Mapping[str, Any]) -> str:
    return ngettext(
        "%(count)d member with interests like yours took part.",
        "%(count)d members with interests like yours took part.",
        _count(p),
    ) % {"count": _count(p)}


def _shared_communities(p: Mapping[str, Any]) -> str:
    return ngettext(
        "You are both in %(count)d community.",
        "You are both in %(count)d communities.",
        _count(p),
    ) % {"count": _count(p)}


SENTENCES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "replied_members_in": _replied,
    "contacts_going": _contacts_going,
    "popular": _popular,
    "similar_users": _similar_users,
    "shared_communities": _shared_communities,
    "matches_interest": lambda p: _("Matches your interest in %(term)s.") % p,
    "co_joined": lambda p: _("Members who joined %(community)s also joined this.") % p,
    "co_attended": lambda p: _("Members who went to %(event)s are going to this.") % p,
    "similar_post": lambda p: _("Like “%(title)s”, which you took part in.") % p,
    "in_your_community": lambda p: _("In %(community)s, which you joined.") % p,
    "same_city": lambda p: _("Also in %(city)s.") % p,
    "fellow_founder": lambda p: _("Founder in %(term)s, like you.") % p,
    "mentor_for_need": lambda p: _("Mentor in %(term)s, which your project needs.") % p,
    "investor_for_need": lambda p: _("Invests in %(term)s, which fits your project.") % p,
    "talent_for_need": lambda p: _("Offers %(term)s, which your project is hiring for.") % p,
    "provider_for_need": lambda p: _("Provides %(term)s, which your project needs.") % p,
    "offer_fits_project": lambda p: _("Works on %(project)s, which fits your offer.") % p,
}


def reason_text(code: str, params: Mapping[str, Any] | None, readable: bool = True) -> str:
    """One whole sentence for ``code``; parameters that are missing or malformed, or a
    sentence naming a community the reader may no longer read, give the generic sentence."""
    values = {k: (v if k == "count" else localised(v)) for k, v in (params or {}).items()}
    sentence = SENTENCES.get(code) if readable else None
    if sentence is not None:
        try:
            return sentence(values)
        except (KeyError, TypeError, ValueError):
            pass
    return _("Suggested for you from your activity.")
