"""Activity that should refresh suggestions soon, not only at the nightly run: a member's
joins, posts, replies, reactions, RSVPs and intros queue one refresh of that member, delayed
by ``BURST_SECONDS`` so a burst of activity costs one run; a new community or event queues one
refresh of everyone (once, however many arrive before it starts).

Both need a worker that can run a task later (the database backend): with the immediate
backend (tests, one-off scripts) nothing is queued, so nobody's request ever waits for a
refresh."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from seedbed.communities.models import Community, Membership, Post, Reaction, Reply
from seedbed.core.tasks import enqueue_once_after_commit
from seedbed.events.models import RSVP, Event
from seedbed.matching.models import Intro

BURST_SECONDS = 600


def _queues_later() -> bool:
    from seedbed.discovery.tasks import refresh_recommendations

    return bool(refresh_recommendations.get_backend().supports_defer)


def queue_member_refresh(member_id: int | None) -> None:
    """Refresh one member's suggestions ``BURST_SECONDS`` after the first action of a burst."""
    if member_id is None or not _queues_later():
        return
    from seedbed.discovery.tasks import refresh_member_recommendations

    def enqueue() -> None:
        if cache.add(f"discovery:burst:{member_id}", 1, BURST_SECONDS):
            later = timezone.now() + timedelta(seconds=BURST_SECONDS)
            refresh_member_recommendations.using(run_after=later).enqueue(member_id)

    transaction.on_commit(enqueue)


def queue_everyone_refresh() -> None:
    if not _queues_later():
        return
    from seedbed.discovery.tasks import refresh_recommendations

    enqueue_once_after_commit(refresh_recommendations)


ACTOR: dict[Any, str] = {
    Membership: "user_id",
    Post: "author_id",
    Reply: "author_id",
    Reaction: "user_id",
    RSVP: "user_id",
    Intro: "requested_by_id",
}


def _activity(sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
    if created or sender is RSVP:
        queue_member_refresh(getattr(instance, ACTOR[sender]))


def _new_item(sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        queue_everyone_refresh()


def connect() -> None:
    for model in ACTOR:
        post_save.connect(_activity, sender=model, dispatch_uid=f"discovery-{model.__name__}")
    for model in (Community, Event):
        post_save.connect(_new_item, sender=model, dispatch_uid=f"discovery-new-{model.__name__}")
