"""Checking what members type into projects, offers, intros and rounds: each refusal is a
ValidationError naming its field, so a form shows it beside the field and the API names it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils.translation import gettext as _

from seedbed.accounts.models import Stage
from seedbed.core.models import Sector, Tag, normalise_tag
from seedbed.core.services import clean_text, tags_named
from seedbed.matching.models import (
    Availability,
    Instrument,
    Offer,
    OfferKind,
    PriceBand,
    Project,
    ProjectStatus,
    ServiceType,
)

MAX_MONEY = 10**13
MAX_CAPACITY = 500
MAX_TAGS = 20
MAX_PLACE = 80

Fields = dict[str, Any]


def text(fields: Fields, name: str, *, limit: int, required: bool = False) -> str:
    return clean_text(name, fields.get(name), required=required, limit=limit)


def _unknown(name: str, value: str, choices: type[TextChoices]) -> ValidationError:
    known = ", ".join(choices.values)
    message = _("Unknown value “%(v)s”; use one of: %(known)s.") % {"v": value, "known": known}
    return ValidationError({name: [message]})


def choice(fields: Fields, name: str, choices: type[TextChoices], *, required: bool = False) -> str:
    value = str(fields.get(name) or "").strip()
    if not value and not required:
        return ""
    if value not in choices.values:
        raise _unknown(name, value, choices)
    return value


def choice_list(fields: Fields, name: str, choices: type[TextChoices]) -> list[str]:
    values = [str(v).strip() for v in (fields.get(name) or []) if str(v).strip()]
    unknown = [v for v in values if v not in choices.values]
    if unknown:
        raise _unknown(name, unknown[0], choices)
    return list(dict.fromkeys(values))


def amount(fields: Fields, name: str) -> int | None:
    value = fields.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({name: [_("Enter a whole amount.")]}) from None
    if number < 0:
        raise ValidationError({name: [_("An amount cannot be negative.")]})
    if number > MAX_MONEY:
        raise ValidationError({name: [_("This amount is too large.")]})
    return number


def count(fields: Fields, name: str, *, default: int, limit: int = MAX_CAPACITY) -> int:
    value = fields.get(name)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({name: [_("Enter a whole number.")]}) from None
    if number < 0:
        raise ValidationError({name: [_("This cannot be negative.")]})
    if number > limit:
        raise ValidationError({name: [_("At most %(n)d.") % {"n": limit}]})
    return number


def _range(lo: int | None, hi: int | None, lo_name: str) -> None:
    if lo is not None and hi is not None and lo > hi:
        raise ValidationError({lo_name: [_("The minimum is above the maximum.")]})


def sectors(fields: Fields, name: str) -> list[Sector]:
    slugs = list(dict.fromkeys(str(s).strip() for s in (fields.get(name) or []) if str(s).strip()))
    found = {s.slug: s for s in Sector.objects.filter(slug__in=slugs)}
    unknown = [s for s in slugs if s not in found]
    if unknown:
        raise ValidationError({name: [_("Unknown sector “%(s)s”.") % {"s": unknown[0]}]})
    return [found[s] for s in slugs]


def _tags(fields: Fields, name: str) -> list[Tag]:
    raw = fields.get(name) or []
    if isinstance(raw, str):
        raw = raw.split(",")
    names = list(dict.fromkeys(n for n in (normalise_tag(str(x)) for x in raw) if n))
    if len(names) > MAX_TAGS:
        raise ValidationError({name: [_("At most %(n)d.") % {"n": MAX_TAGS}]})
    if any(len(n) > 40 or "\x00" in n for n in names):
        raise ValidationError({name: [_("A tag can be at most %(n)d characters.") % {"n": 40}]})
    return tags_named(names)


def _places(fields: Fields, name: str) -> list[str]:
    raw = fields.get(name) or []
    if isinstance(raw, str):
        raw = raw.split(",")
    places = list(dict.fromkeys(p for p in (str(x).strip() for x in raw) if p))
    if len(places) > MAX_TAGS or any(len(p) > MAX_PLACE or "\x00" in p for p in places):
        message = _("List at most %(n)d places of up to %(m)d characters each.")
        raise ValidationError({name: [message % {"n": MAX_TAGS, "m": MAX_PLACE}]})
    return places


_PROJECT_TEXT = {
    "name": (120, True),
    "one_liner": (160, True),
    "description": (10_000, False),
    "city": (80, False),
    "traction": (2000, False),
    "funding_notes": (4000, False),
    "roles_sought": (300, False),
}
_PROJECT_FLAGS = (
    "has_paying_customers",
    "has_working_product",
    "needs_funding",
    "needs_talent",
    "needs_mentoring",
    "needs_services",
)
_OFFER_FIELDS = (
    "title",
    "description",
    "capacity",
    "active",
    "stages",
    "ticket_min",
    "ticket_max",
    "regions",
    "role_sought",
    "availability",
    "city",
    "remote",
    "service_type",
    "price_band",
)


def clean_project(fields: Fields, current: Project | None = None) -> tuple[Fields, Fields]:
    """(column values, many-to-many values) from a partial or full set of fields; fields not
    given keep their current values."""
    if current is not None:
        base = {f: getattr(current, f) for f in (*_PROJECT_TEXT, *_PROJECT_FLAGS)}
        base |= {f: getattr(current, f) for f in Project.DEAL_FIELDS}
        base |= {
            "stage": current.stage,
            "status": current.status,
            "services_sought": current.services_sought,
            "intro_limit": current.intro_limit,
        }
        fields = base | {k: v for k, v in fields.items() if v is not None}
    values: Fields = {
        name: text(fields, name, limit=limit, required=required)
        for name, (limit, required) in _PROJECT_TEXT.items()
    }
    values |= {flag: bool(fields.get(flag)) for flag in _PROJECT_FLAGS}
    values["stage"] = choice(fields, "stage", Stage, required=True)
    values["status"] = choice(fields, "status", ProjectStatus) or ProjectStatus.ACTIVE
    values["funding_instrument"] = choice(fields, "funding_instrument", Instrument)
    values["funding_min"] = amount(fields, "funding_min")
    values["funding_max"] = amount(fields, "funding_max")
    _range(values["funding_min"], values["funding_max"], "funding_min")
    values["services_sought"] = choice_list(fields, "services_sought", ServiceType)
    values["intro_limit"] = count(fields, "intro_limit", default=3, limit=50)
    related: Fields = {}
    for name in ("sectors", "skills_sought", "topics_sought"):
        if current is None or fields.get(name) is not None:
            related[name] = sectors(fields, name) if name == "sectors" else _tags(fields, name)
    return values, related


def clean_offer(kind: str, fields: Fields, current: Offer | None = None) -> tuple[Fields, Fields]:
    if current is not None:
        fields = {f: getattr(current, f) for f in _OFFER_FIELDS} | {
            k: v for k, v in fields.items() if v is not None
        }
    values: Fields = {
        "title": text(fields, "title", limit=120, required=True),
        "description": text(fields, "description", limit=10_000),
        "active": bool(fields.get("active", True)),
        "role_sought": text(fields, "role_sought", limit=120),
        "city": text(fields, "city", limit=80),
        "remote": bool(fields.get("remote")),
        "availability": choice(fields, "availability", Availability),
        "service_type": choice(fields, "service_type", ServiceType),
        "price_band": choice(fields, "price_band", PriceBand),
        "stages": choice_list(fields, "stages", Stage),
        "ticket_min": amount(fields, "ticket_min"),
        "ticket_max": amount(fields, "ticket_max"),
        "regions": _places(fields, "regions"),
        "capacity": count(fields, "capacity", default=1 if kind == OfferKind.TALENT else 3),
    }
    _range(values["ticket_min"], values["ticket_max"], "ticket_min")
    if kind == OfferKind.SERVICE and not values["service_type"]:
        raise ValidationError({"service_type": [_("Choose the service you offer.")]})
    related: Fields = {}
    for name in ("sectors", "excluded_sectors", "skills", "topics"):
        if current is None or fields.get(name) is not None:
            related[name] = (
                sectors(fields, name) if name.endswith("sectors") else _tags(fields, name)
            )
    return values, related
