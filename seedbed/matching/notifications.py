"""What intros tell both sides, registered with the notifications app. Only the names of the
project and the offer are said, never the thread or the deal's terms."""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from seedbed.notifications.models import Notification
from seedbed.notifications.registry import register


def _intro(n: Notification) -> dict[str, str]:
    assert n.intro is not None
    return {"intro": f"{n.intro.project.name} × {n.intro.offer.title}"}


def _intro_link(n: Notification) -> str:
    return reverse("matching:intro", args=[n.intro_id])


def _register(code: str, sentence: str | Promise) -> str:
    return register(
        code, sentence, names=_intro, link=_intro_link, related=("intro__project", "intro__offer")
    )


INTRO_REQUESTED = _register("intro_requested", _("%(actor)s asked for an intro: %(intro)s."))
INTRO_PROPOSED = _register("intro_proposed", _("%(actor)s proposed an intro: %(intro)s."))
INTRO_ACCEPTED = _register("intro_accepted", _("%(actor)s accepted the intro %(intro)s."))
INTRO_DECLINED = _register("intro_declined", _("%(actor)s declined the intro %(intro)s."))
INTRO_MESSAGE = _register(
    "intro_message", _("%(actor)s wrote in the thread of the intro %(intro)s.")
)
