"""Points from apps this one does not own: a check-in and a met mentoring intro are noticed when
their rows are saved. The reconciliation task earns whatever a signal missed (a bulk update)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from seedbed.events.models import RSVP
from seedbed.matching.models import Intro, OfferKind


@receiver(post_save, sender=RSVP, dispatch_uid="engagement_rsvp_checked_in")
def rsvp_checked_in(sender: Any, instance: RSVP, raw: bool = False, **kwargs: Any) -> None:
    from seedbed.engagement.tasks import award_attendance

    if instance.checked_in_at is not None and not raw:
        award_attendance(instance)


@receiver(post_save, sender=Intro, dispatch_uid="engagement_intro_met")
def intro_met(sender: Any, instance: Intro, raw: bool = False, **kwargs: Any) -> None:
    from seedbed.engagement.tasks import award_mentoring

    if instance.met_at is not None and not raw and instance.offer.kind == OfferKind.MENTOR:
        award_mentoring(instance)
