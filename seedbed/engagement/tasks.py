"""Background work: the reconciliation that earns whatever the live calls and signals missed,
the trust-level recompute and the badge grant. Each is idempotent: a second run (or a run beside
live traffic) adds nothing, because every earning is unique per source and every badge per
member."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks import task

from seedbed.accounts.models import User
from seedbed.engagement import badges, trust
from seedbed.engagement import notifications as kinds
from seedbed.engagement.models import Action, HelpfulMark, PointEntry, Standing
from seedbed.engagement.services import award
from seedbed.events.models import RSVP
from seedbed.matching.models import Intro
from seedbed.notifications.services import notify

#: How far back a routine reconciliation looks; ``reconcile_points(days=None)`` replays it all.
RECONCILE_DAYS = 3


def _moment(now: str | datetime | None) -> datetime:
    return (parse_datetime(now) if isinstance(now, str) else now) or timezone.now()


def earn_from_history(since: datetime | None = None) -> int:
    """Earn the points of reactions, helpful marks, check-ins and met mentoring intros since
    ``since`` (all when None), each as of the moment it happened, so the anti-gaming rules
    judge it as they would have then. Returns how many entries were added."""
    from seedbed.communities.models import Post, Reaction, Reply
    from seedbed.matching.models import OfferKind

    def after(field: str) -> dict:
        return {f"{field}__gte": since} if since else {}

    done = set(
        PointEntry.objects.filter(
            reverses__isnull=True, source_id__isnull=False, **after("created_at")
        ).values_list("member_id", "action", "source_kind", "source_id", "counterpart_id")
    )

    def earn(
        member_id: int, action: str, source: Model, counterpart: User | None, **kwargs: Any
    ) -> int:
        key = (
            member_id,
            action,
            source._meta.model_name,
            source.pk,
            counterpart and counterpart.pk,
        )
        if key in done:
            return 0
        return int(award(member_id, action, source, counterpart=counterpart, **kwargs) is not None)

    added = 0
    reactions = Reaction.objects.filter(**after("created_at")).select_related(
        "user", "post", "reply__post"
    )
    for reaction in reactions.order_by("created_at", "id").iterator(chunk_size=500):
        content: Post | Reply | None = reaction.post or reaction.reply
        if content is None or content.status != "visible":
            continue
        community_id = (content if isinstance(content, Post) else content.post).community_id
        added += earn(
            content.author_id,
            Action.REACTION,
            content,
            counterpart=reaction.user,
            community_id=community_id,
            now=reaction.created_at,
        )
    marks = HelpfulMark.objects.filter(**after("created_at")).select_related(
        "reply", "post", "marked_by"
    )
    for mark in marks.order_by("created_at", "id").iterator(chunk_size=500):
        if mark.reply.status == "visible":
            added += earn(
                mark.reply.author_id,
                Action.HELPFUL,
                mark.reply,
                counterpart=mark.marked_by,
                community_id=mark.post.community_id,
                now=mark.created_at,
            )
    rsvps = RSVP.objects.filter(checked_in_at__isnull=False, **after("checked_in_at"))
    for rsvp in rsvps.select_related("event").order_by("checked_in_at", "id").iterator(500):
        if (rsvp.user_id, Action.ATTENDED, "rsvp", rsvp.pk, None) not in done:
            added += award_attendance(rsvp) is not None
    intros = Intro.objects.filter(
        met_at__isnull=False, offer__kind=OfferKind.MENTOR, **after("met_at")
    ).select_related("offer")
    for intro in intros.order_by("met_at", "id").iterator(chunk_size=500):
        if (intro.offer.owner_id, Action.INTRO_MET, "intro", intro.pk, None) not in done:
            added += award_mentoring(intro) is not None
    return added


def award_attendance(rsvp: RSVP) -> PointEntry | None:
    """Points for a check-in (never for an RSVP alone)."""
    return award(
        rsvp.user_id,
        Action.ATTENDED,
        rsvp,
        community_id=rsvp.event.community_id,
        now=rsvp.checked_in_at,
    )


def award_mentoring(intro: Intro) -> PointEntry | None:
    """Points for the mentor whose mentoring intro was met."""
    return award(intro.offer.owner_id, Action.INTRO_MET, intro, now=intro.met_at)


def recompute_levels(now: datetime | None = None) -> int:
    """Store every active member's trust level from points, tenure and strikes (three queries
    and one write per change); tells each member whose level changed. Returns the changes."""
    now = now or timezone.now()
    strikes = trust.strike_counts(now)
    stored = {s.member_id: s for s in Standing.objects.all()}
    changed: list[int] = []
    for pk, joined in User.objects.filter(is_active=True).values_list("pk", "date_joined"):
        standing = stored.get(pk) or Standing(member_id=pk)
        level = trust.level_for(standing.earned, joined, strikes.get(pk, {}), now)
        if standing.level == level and standing.pk in stored:
            continue
        with transaction.atomic():
            Standing.objects.get_or_create(member_id=pk)
            Standing.objects.filter(member_id=pk).update(level=level, level_changed_at=now)
        if standing.level != level:
            changed.append(pk)
    notify(changed, kinds.LEVEL_CHANGED)
    return len(changed)


@task()
def refresh_engagement(
    now: str | datetime | None = None, days: int | None = RECONCILE_DAYS
) -> dict:
    """Reconcile the last ``days`` of points, then trust levels and badges. Run it every few
    minutes (cron: ``seedbed refresh_engagement``)."""
    moment = _moment(now)
    since = moment - timedelta(days=days) if days is not None else None
    return {
        "points": earn_from_history(since),
        "levels": recompute_levels(moment),
        "badges": badges.grant_badges(moment),
    }
