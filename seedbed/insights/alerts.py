"""Notification kinds of the analyses: the negative-sentiment alert and introductions.

An introduction notifies each of the two members with the *other* member as the actor, so the
sentence can name the person to meet ("%(actor)s" is the only person a notification carries);
who made the introduction is kept in the introductions log (``analysis.introduce``)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from seedbed.accounts.access import is_operator
from seedbed.accounts.models import User
from seedbed.communities.models import Membership, Role
from seedbed.insights.notifications import _community, _readable_community
from seedbed.notifications.models import Notification
from seedbed.notifications.registry import register


def _sentiment_link(n: Notification) -> str:
    assert n.community is not None
    return reverse("insights:community:sentiment", args=[n.community.slug])


def _moderates(user: User) -> Q:
    """Operators, and the owners and moderators of the alert's community (now, not when sent)."""
    if is_operator(user):
        return Q()
    moderated = Membership.objects.filter(user=user, role__in=[Role.OWNER, Role.MODERATOR])
    return Q(community__in=moderated.values("community"))


def _profile_link(n: Notification) -> str:
    return reverse("accounts:profile", args=[n.actor_id]) if n.actor_id else ""


NEGATIVE_SENTIMENT = register(
    "negative_sentiment",
    _(
        "Many of today's posts and replies in %(community)s read as negative: "
        "have a look at its sentiment page."
    ),
    names=_community,
    link=_sentiment_link,
    related=("community",),
    visible=_moderates,
)
INTRODUCED = register(
    "introduced",
    _("The organisers of %(community)s suggest you meet %(actor)s: you may have a lot to share."),
    names=_community,
    link=_profile_link,
    related=("community",),
    visible=_readable_community,
)
INTRODUCED_BY_SITE = register(
    "introduced_by_site",
    _("The Seedbed team suggests you meet %(actor)s: you may have a lot to share."),
    names=lambda n: {},
    link=_profile_link,
)
