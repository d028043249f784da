"""Every kind of notification, registered by the app that sends it (in its own
``notifications.py``, imported from its ``AppConfig.ready()``). The inbox, the unread badge, the
API and the digest say each notification from its registration alone, so a new kind touches
no code, template or migration here.

A kind's sentence is one whole sentence in gettext with named placeholders: ``%(actor)s`` is
always available (the actor's name), the others come from the kind's ``names``. Translators
see the sentence whole and may put the names wherever their language wants them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from seedbed.accounts.models import User
    from seedbed.notifications.models import Notification

ITEM_TEMPLATE = "notifications/_item.html"


@dataclass(frozen=True)
class Kind:
    code: str
    sentence: str | Promise
    #: The sentence's placeholders other than ``actor``, from the notification.
    names: Callable[[Notification], Mapping[str, str]]
    #: The path the notification leads to.
    link: Callable[[Notification], str]
    #: ``select_related`` paths ``names`` and ``link`` read, so a page of any kinds is one query.
    related: tuple[str, ...] = ()
    #: Which of the reader's notifications of this kind they may still see (``None``: all).
    #: A notification about something the reader can no longer read is not shown at all.
    visible: Callable[[User], Q] | None = None
    #: The inbox line; it gets ``item`` (a :class:`Said`).
    template: str = ITEM_TEMPLATE

    def values(self, notification: Notification) -> dict[str, str]:
        actor = notification.actor
        return {
            "actor": actor.display_name if actor is not None else _("Someone"),
            **self.names(notification),
        }

    def text(self, notification: Notification) -> str:
        return str(self.sentence) % self.values(notification)


@dataclass(frozen=True)
class Said:
    """One notification as the reader sees it, in the active language."""

    notification: Notification
    text: str
    url: str
    template: str

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None

    @property
    def created_at(self) -> datetime:
        return self.notification.created_at


@dataclass(frozen=True)
class DigestSection:
    """Something an app adds to the e-mail digest (new posts, say): ``collect(user, since)``
    gives the section template's context, or ``None`` when there is nothing to say."""

    template: str
    collect: Callable[[User, datetime], dict[str, Any] | None]


KINDS: dict[str, Kind] = {}
DIGEST_SECTIONS: list[DigestSection] = []


def register(
    code: str,
    sentence: str | Promise,
    *,
    names: Callable[[Notification], Mapping[str, str]],
    link: Callable[[Notification], str],
    related: tuple[str, ...] = (),
    visible: Callable[[User], Q] | None = None,
    template: str = ITEM_TEMPLATE,
) -> str:
    """Register a kind; returns its code for the sender to pass to ``notify``."""
    if code in KINDS:
        raise ValueError(f"The notification kind {code!r} is registered twice.")
    if len(code) > 20:
        raise ValueError(f"The notification kind {code!r} is longer than 20 characters.")
    KINDS[code] = Kind(code, sentence, names, link, related, visible, template)
    return code


def register_digest_section(
    template: str, collect: Callable[[User, datetime], dict[str, Any] | None]
) -> None:
    DIGEST_SECTIONS.append(DigestSection(template, collect))


def kind(code: str) -> Kind:
    try:
        return KINDS[code]
    except KeyError:
        raise ValueError(f"No notification kind {code!r} is registered.") from None


def related() -> list[str]:
    return sorted({path for entry in KINDS.values() for path in entry.related})


def visible_to(user: User) -> Q:
    """The notifications of registered kinds this reader may see, as one filter: kinds that
    share a visibility rule are grouped, so the rule appears once in the query."""
    by_rule: dict[Callable[[User], Q] | None, list[str]] = {}
    for entry in KINDS.values():
        by_rule.setdefault(entry.visible, []).append(entry.code)
    allowed = Q(pk__in=[])
    for rule, codes in by_rule.items():
        allowed |= Q(kind__in=codes) & (rule(user) if rule is not None else Q())
    return allowed


def say(notification: Notification) -> Said:
    entry = kind(notification.kind)
    return Said(
        notification,
        entry.text(notification),
        entry.link(notification),
        entry.template,
    )
