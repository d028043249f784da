"""Notification kinds of the activity side of Insights: the "reach out" message an operator or a
community's owner sends a member who is slipping away. The sentence is the template: it is said
in the reader's language whenever they read it (the e-mail copy in the language of their
profile)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from seedbed.accounts.models import User
from seedbed.communities.access import readable_communities
from seedbed.notifications.models import Notification
from seedbed.notifications.registry import register


def _community(n: Notification) -> dict[str, str]:
    assert n.community is not None
    return {"community": n.community.name}


def _community_link(n: Notification) -> str:
    assert n.community is not None
    return reverse("communities:detail", args=[n.community.slug])


def _readable_community(user: User) -> Q:
    return Q(community__in=readable_communities(user))


REACH_OUT = register(
    "reach_out",
    _(
        "%(actor)s from %(community)s misses you there and would love to hear what would make "
        "it more useful to you."
    ),
    names=_community,
    link=_community_link,
    related=("community",),
    visible=_readable_community,
)
REACH_OUT_PLATFORM = register(
    "reach_out_platform",
    _(
        "%(actor)s from the Seedbed team misses you and would love to hear what would make "
        "Seedbed more useful to you."
    ),
    names=lambda n: {},
    link=lambda n: reverse("communities:feed"),
)
