"""Shared helpers of the intro, pipeline and round page tests: posting through the pages,
reading flashed messages, and growing data for the query-budget tests."""

from __future__ import annotations

import html

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from seedbed.matching import services
from seedbed.matching.models import Intro, IntroMessage, IntroStatus, Offer, Project
from tests.factories import MemberFactory


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def flashed(response) -> list[tuple[str, str]]:
    """(level tag, text) of the messages queued by the request that gave ``response``."""
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def errors(response) -> list[str]:
    return [text for level, text in flashed(response) if level == "error"]


def ask(user, project: Project, offer: Offer, message: str = "", **extra):
    """A member asks for an intro through the page."""
    url = reverse("matching:intro_request", args=[project.slug])
    return client_for(user).post(url, {"offer_id": offer.pk, "message": message, **extra})


def post(user, name: str, intro: Intro, data: dict | None = None):
    return client_for(user).post(reverse(f"matching:{name}", args=[intro.pk]), data or {})


def page(user, intro: Intro) -> str:
    response = client_for(user).get(reverse("matching:intro", args=[intro.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def accepted_intro(team_member, project: Project, offer: Offer) -> Intro:
    intro = services.request_intro(team_member, project.slug, offer.pk, message="Hello")
    services.answer_intro(offer.owner, intro.pk, accept=True)
    intro.refresh_from_db()
    return intro


def more_offers(kind: str, n: int, *, prefix: str = "Extra") -> list[Offer]:
    """``n`` active offers of ``kind``, each with its own owner, written without the services
    (the budget tests need many rows quickly, not the rules)."""
    owners = MemberFactory.create_batch(n)
    return Offer.objects.bulk_create(
        Offer(kind=kind, owner=owner, title=f"{prefix} {kind} {k}", capacity=3)
        for k, owner in enumerate(owners)
    )


def intros_in_every_state(project: Project, offers: list[Offer], requested_by) -> list[Intro]:
    """One intro per offer, cycling through the pipeline's states."""
    from django.utils import timezone

    now = timezone.now()
    states = [
        {"status": IntroStatus.REQUESTED},
        {"status": IntroStatus.ACCEPTED},
        {"status": IntroStatus.DECLINED, "decline_reason": "timing", "decided_at": now},
        {"status": IntroStatus.WITHDRAWN, "decided_at": now},
        {"status": IntroStatus.ACCEPTED, "met_at": now},
        {"status": IntroStatus.ACCEPTED, "met_at": now, "outcome": "mentored", "outcome_at": now},
    ]
    return Intro.objects.bulk_create(
        Intro(project=project, offer=offer, requested_by=requested_by, **states[k % len(states)])
        for k, offer in enumerate(offers)
    )


def thread_of(intro: Intro, author, n: int) -> None:
    IntroMessage.objects.bulk_create(
        IntroMessage(intro=intro, author=author, body=f"Message number {k}") for k in range(n)
    )
