"""A member's export of their own data: a registry of sections, each a function of the member
returning JSON-ready data in a fixed number of queries.

``SECTIONS`` covers the apps that exist here; another app adds its own by giving its AppConfig
an ``export_sections`` method returning ``{name: function}``. A section holds only what the
member wrote, did or may see about themselves: never another member's e-mail address, an
intro's other side's messages or a moderator's notes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from seedbed.accounts.models import ApiToken, User
from seedbed.communities.models import JoinRequest, Membership, Post, Reaction, Reply
from seedbed.core import ratelimit
from seedbed.discovery.models import DiscoveryPreference, Dismissal
from seedbed.engagement.models import MemberBadge, PointEntry, Redemption, Standing
from seedbed.events.models import RSVP, Entry, Feedback
from seedbed.insights.models import MemberEngagement
from seedbed.library.models import LibraryEntry, Rating, Resource, ResourceReport, TrackFollow
from seedbed.matching.models import Intro, IntroMessage, Offer, Project
from seedbed.notifications.models import Notification, NotificationSettings

FORMAT_VERSION = 1
#: Exports per member: each is a few dozen queries over all their rows.
EXPORT_RATE_LIMITS = [(5, 3600), (20, 86400)]

Section = Callable[[User], Any]


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def profile(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "handle": user.handle,
        "headline": user.headline,
        "bio": user.bio,
        "city": user.city,
        "languages": user.languages,
        "stage": user.stage,
        "visibility": user.visibility,
        "roles": sorted(user.role_rows.values_list("role", flat=True)),
        "sectors": sorted(user.sectors.values_list("slug", flat=True)),
        "skills": sorted(user.skills.values_list("name", flat=True)),
        "interests": sorted(user.interests.values_list("name", flat=True)),
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
        ),
    }


def posts(user: User) -> list[dict[str, Any]]:
    return [
        {
            "id": p.pk,
            "community": p.community.slug,
            "title": p.title,
            "body": p.body,
            "status": p.status,
            "created_at": _iso(p.created_at),
            "edited_at": _iso(p.edited_at),
        }
        for p in Post.objects.filter(author=user).select_related("community").order_by("pk")
    ]


def replies(user: User) -> list[dict[str, Any]]:
    return [
        {
            "id": r.pk,
            "post_id": r.post_id,
            "body": r.body,
            "status": r.status,
            "created_at": _iso(r.created_at),
            "edited_at": _iso(r.edited_at),
        }
        for r in Reply.objects.filter(author=user).order_by("pk")
    ]


def reactions(user: User) -> list[dict[str, Any]]:
    rows = Reaction.objects.filter(user=user).order_by("pk")
    return [
        {
            "kind": r.kind,
            "post_id": r.post_id,
            "reply_id": r.reply_id,
            "created_at": _iso(r.created_at),
        }
        for r in rows
    ]


def memberships(user: User) -> dict[str, Any]:
    joined = Membership.objects.filter(user=user).select_related("community").order_by("pk")
    asked = JoinRequest.objects.filter(user=user).select_related("community").order_by("pk")
    return {
        "communities": [
            {"community": m.community.slug, "role": m.role, "joined_at": _iso(m.joined_at)}
            for m in joined
        ],
        "join_requests": [
            {
                "community": j.community.slug,
                "message": j.message,
                "status": j.status,
                "created_at": _iso(j.created_at),
            }
            for j in asked
        ],
    }


def events(user: User) -> dict[str, Any]:
    rsvps = RSVP.objects.filter(user=user).select_related("event").order_by("pk")
    return {
        "rsvps": [
            {
                "event_id": r.event_id,
                "event": r.event.title,
                "starts_at": _iso(r.event.starts_at),
                "status": r.status,
                "ticket_code": r.ticket_code,
                "checked_in_at": _iso(r.checked_in_at),
            }
            for r in rsvps
        ],
        "feedback": [
            {"event_id": f.event_id, "rating": f.rating, "comment": f.comment}
            for f in Feedback.objects.filter(user=user).order_by("pk")
        ],
        "competition_entries": [
            {
                "event_id": e.event_id,
                "title": e.title,
                "team": e.team,
                "pitch": e.pitch,
                "deck_url": e.deck_url,
                "submitted_at": _iso(e.submitted_at),
            }
            for e in Entry.objects.filter(submitted_by=user).order_by("pk")
        ],
    }


_PROJECT_FIELDS = (
    "id",
    "slug",
    "name",
    "one_liner",
    "description",
    "stage",
    "city",
    "traction",
    "status",
    "needs_funding",
    "funding_min",
    "funding_max",
    "funding_instrument",
    "funding_notes",
    "needs_talent",
    "roles_sought",
    "needs_mentoring",
    "needs_services",
    "services_sought",
)
_OFFER_FIELDS = (
    "id",
    "kind",
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


def matching(user: User) -> dict[str, Any]:
    """Projects on whose team they are (deal data included: the team sees it), their offers,
    and their side of each intro: its state and what they wrote, not the other side's words."""
    mine = Q(offer__owner=user) | Q(project__team=user)
    intros = Intro.objects.filter(mine).distinct().select_related("project", "offer")
    written = IntroMessage.objects.filter(author=user).order_by("pk")
    return {
        "projects": list(Project.objects.filter(team=user).order_by("pk").values(*_PROJECT_FIELDS)),
        "offers": list(Offer.objects.filter(owner=user).order_by("pk").values(*_OFFER_FIELDS)),
        "intros": [
            {
                "id": i.pk,
                "project": i.project.name,
                "offer": i.offer.title,
                "side": "offer" if i.offer.owner_id == user.pk else "project",
                "status": i.status,
                "my_request_message": i.message if i.requested_by_id == user.pk else "",
                "my_decline_note": i.decline_note if i.decided_by_id == user.pk else "",
                "outcome": i.outcome,
                "created_at": _iso(i.created_at),
            }
            for i in intros.order_by("pk")
        ],
        "my_intro_messages": [
            {"intro_id": m.intro_id, "body": m.body, "created_at": _iso(m.created_at)}
            for m in written
        ],
    }


def notifications(user: User) -> dict[str, Any]:
    rows = Notification.objects.filter(recipient=user).order_by("pk")
    digest = NotificationSettings.objects.filter(user=user).values_list("digest", flat=True)
    return {
        "digest": next(iter(digest), None),
        "items": [
            {
                "kind": n.kind,
                "created_at": _iso(n.created_at),
                "read_at": _iso(n.read_at),
                "community_id": n.community_id,
                "post_id": n.post_id,
                "reply_id": n.reply_id,
                "event_id": n.event_id,
                "intro_id": n.intro_id,
            }
            for n in rows
        ],
    }


def account(user: User) -> dict[str, Any]:
    """API tokens by name and hint (never the secret), discovery choices and the engagement
    level the Insights pages show about them."""
    preference = DiscoveryPreference.objects.filter(member=user).first()
    return {
        "api_tokens": [
            {
                "name": t.name,
                "hint": t.hint,
                "created_at": _iso(t.created_at),
                "last_used_at": _iso(t.last_used_at),
                "revoked_at": _iso(t.revoked_at),
            }
            for t in ApiToken.objects.filter(user=user).order_by("pk")
        ],
        "suggestions_in_digest": preference.in_digest if preference else True,
        "dismissed_suggestions": list(
            Dismissal.objects.filter(member=user).order_by("pk").values("kind", "object_id")
        ),
        "engagement": [
            {"community_id": e.community_id, "level": e.level, "score": e.score}
            for e in MemberEngagement.objects.filter(member=user).order_by("pk")
        ],
    }


def points(user: User) -> dict[str, Any]:
    """Their standing, ledger, badges and redemptions; the reasons and notes others wrote
    (a moderator reversing points, an operator deciding) stay out."""
    standing = Standing.objects.filter(member=user).first()
    return {
        "standing": {
            "balance": standing.balance,
            "earned": standing.earned,
            "level": standing.level,
            "hide_from_leaderboards": standing.hide_from_leaderboards,
        }
        if standing
        else None,
        "ledger": [
            {"action": e.action, "amount": e.amount, "created_at": _iso(e.created_at)}
            for e in PointEntry.objects.filter(member=user).order_by("pk")
        ],
        "badges": [
            {"code": b.code, "granted_at": _iso(b.granted_at)}
            for b in MemberBadge.objects.filter(member=user).order_by("pk")
        ],
        "redemptions": [
            {
                "reward": r.reward.title,
                "price": r.price,
                "status": r.status,
                "created_at": _iso(r.created_at),
            }
            for r in Redemption.objects.filter(member=user).select_related("reward").order_by("pk")
        ],
    }


def library(user: User) -> dict[str, Any]:
    """Resources they shared, their ratings, shelf, followed tracks and reports."""
    shelf = LibraryEntry.objects.filter(user=user).select_related("resource").order_by("pk")
    return {
        "resources": list(
            Resource.objects.filter(author=user)
            .order_by("pk")
            .values("id", "kind", "title", "description", "link", "file_name", "status")
        ),
        "ratings": [
            {"resource_id": r.resource_id, "stars": r.stars, "review": r.review}
            for r in Rating.objects.filter(user=user).order_by("pk")
        ],
        "shelf": [
            {
                "resource_id": e.resource_id,
                "saved_at": _iso(e.saved_at),
                "done_at": _iso(e.done_at),
            }
            for e in shelf
        ],
        "followed_tracks": list(
            TrackFollow.objects.filter(user=user).order_by("pk").values_list("track_id", flat=True)
        ),
        "reports": [
            {"resource_id": r.resource_id, "reason": r.reason, "status": r.status}
            for r in ResourceReport.objects.filter(reporter=user).order_by("pk")
        ],
    }


SECTIONS: dict[str, Section] = {
    "profile": profile,
    "posts": posts,
    "replies": replies,
    "reactions": reactions,
    "memberships": memberships,
    "events": events,
    "matching": matching,
    "notifications": notifications,
    "account": account,
    "points": points,
    "library": library,
}


def all_sections() -> dict[str, Section]:
    """The built-in sections and those each installed app's AppConfig adds."""
    sections = dict(SECTIONS)
    for config in apps.get_app_configs():
        extra = getattr(config, "export_sections", None)
        if callable(extra):
            sections.update(extra())
    return sections


def export_member_data(user: User) -> dict[str, Any]:
    """Everything the member may take with them, as one JSON-ready document. Rate-limited per
    member (``RateLimited``)."""
    ratelimit.hit(
        f"export:user:{user.pk}", getattr(settings, "EXPORT_RATE_LIMITS", EXPORT_RATE_LIMITS)
    )
    return {
        "format": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        **{name: section(user) for name, section in all_sections().items()},
    }
