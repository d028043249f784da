from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from seedbed.communities import services as communities
from seedbed.communities.models import Membership, Role, Visibility
from seedbed.events import services as events
from seedbed.matching import services as matching
from seedbed.matching.models import Intro
from seedbed.notifications.models import Notification
from seedbed.notifications.services import notify
from tests.factories import MemberFactory


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reader(db):
    return MemberFactory(display_name="Rita Reader")


@pytest.fixture
def actor(db):
    return MemberFactory(display_name="Alan Actor")


@pytest.fixture
def world(reader, actor):
    """A private community both belong to (the reader moderates it), with a post, a reply and an event; a project of the
    actor's and an offer of the reader's with an intro between them. Every name is distinct, so
    a test can tell which one a sentence says."""
    club = communities.create_community(
        actor, name="Founders Circle", visibility=Visibility.PRIVATE
    )
    Membership.objects.create(community=club, user=reader, role=Role.MODERATOR)
    post = communities.create_post(reader, club.slug, title="Pricing our first robot", body="b")
    reply = communities.create_reply(actor, post.pk, body="An answer")
    start = timezone.now() + timedelta(days=3)
    event = events.create_event(
        actor,
        community=club.slug,
        kind="salon",
        title="Spring pitch night",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue="Hub",
        capacity=10,
    )
    project = matching.create_project(
        actor,
        name="Robo Arm",
        one_liner="Robot arms for small factories",
        description="Affordable robot arms.",
        sectors=["hardware"],
        stage="seed",
        city="Shanghai",
        needs_mentoring=True,
        topics_sought=["pricing"],
    )
    offer = matching.create_offer(
        reader,
        "mentor",
        title="Pricing office hours",
        description="Pricing hardware products.",
        sectors=["hardware"],
        topics=["pricing"],
        capacity=4,
    )
    intro = Intro.objects.create(project=project, offer=offer, requested_by=actor)
    Notification.objects.all().delete()
    return {"community": club, "post": post, "reply": reply, "event": event, "intro": intro}


#: What each registered kind is about, and the names its sentence must say (besides the
#: actor's, for kinds with an actor).
ABOUT = {
    "mention": (("community", "post", "reply"), ["Pricing our first robot"]),
    "reply": (("community", "post", "reply"), ["Pricing our first robot"]),
    "join_request": (("community",), ["Founders Circle"]),
    "request_approved": (("community",), ["Founders Circle"]),
    "invitation": (("community",), ["Founders Circle"]),
    "seat_confirmed": (("event", "community"), ["Spring pitch night"]),
    "event_message": (("event", "community"), ["Spring pitch night"]),
    "intro_requested": (("intro",), ["Robo Arm × Pricing office hours"]),
    "intro_proposed": (("intro",), ["Robo Arm × Pricing office hours"]),
    "intro_accepted": (("intro",), ["Robo Arm × Pricing office hours"]),
    "intro_declined": (("intro",), ["Robo Arm × Pricing office hours"]),
    "intro_message": (("intro",), ["Robo Arm × Pricing office hours"]),
    "reach_out": (("community",), ["Founders Circle"]),
    "reach_out_platform": ((), []),
    "introduced": (("community",), ["Founders Circle"]),
    "introduced_by_site": ((), []),
    "negative_sentiment": (("community",), ["Founders Circle"]),
    "points_awarded": ((), []),
    "badge_granted": ((), []),
    "level_changed": ((), []),
    "reward_fulfilled": ((), []),
    "reward_refunded": ((), []),
}
WITHOUT_ACTOR = {"seat_confirmed", "negative_sentiment", "badge_granted", "level_changed"}


def send(kind: str, world: dict, reader, actor) -> Notification:
    fields, _names = ABOUT[kind]
    who = None if kind in WITHOUT_ACTOR else actor
    [note] = notify([reader], kind, actor=who, **{f: world[f] for f in fields})
    return note
