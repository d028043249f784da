"""One small world for the sweeps of every route: a private community with its owner, a member
and a banned member; a member of nothing there; an operator; and in it a post, a reply, an
event, plus a project and an offer in matching. Every private field holds ``CANARY``."""

from datetime import timedelta

from django.db import transaction
from django.test import Client
from django.utils import timezone

from seedbed.accounts.models import PlatformRole
from seedbed.communities import services as communities
from seedbed.communities.models import Ban, Membership, Visibility
from seedbed.events import services as events
from seedbed.matching import services as matching
from tests.factories import MemberFactory

ACTORS = ["visitor", "member", "non_member", "banned", "owner", "operator"]
CANARY = "canary7f3a9宝藏"
MISSING = 987_654


def build_world() -> dict:
    owner = MemberFactory(display_name="Private Owner", roles=[PlatformRole.FOUNDER])
    member = MemberFactory(display_name="Inside Member", roles=[PlatformRole.FOUNDER])
    non_member = MemberFactory(display_name="Outside Member", roles=[PlatformRole.INVESTOR])
    banned = MemberFactory(display_name="Banned Member")
    operator = MemberFactory(
        display_name="Platform Operator", roles=[PlatformRole.OPERATOR], is_staff=True
    )
    community = communities.create_community(
        owner,
        name="Secret Syndicate",
        visibility=Visibility.PRIVATE,
        description="Members only",  # listed publicly, so people can ask to join
    )
    Membership.objects.create(community=community, user=member)
    Membership.objects.create(community=community, user=banned)
    post = communities.create_post(
        member,
        community.slug,
        title=f"Term sheet {CANARY}",
        body=f"Our valuation is {CANARY}. cc @{non_member.handle}",
        tags=[CANARY[:8]],
    )
    reply = communities.create_reply(owner, post.pk, body=f"Reply with {CANARY}")
    Membership.objects.filter(community=community, user=banned).delete()
    Ban.objects.create(community=community, user=banned, banned_by=owner)
    start = timezone.now() + timedelta(days=3)
    event = events.create_event(
        owner,
        community=community.slug,
        kind="salon",
        title=f"Closed salon {CANARY}",
        description=f"Agenda {CANARY}",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue=f"Room {CANARY}",
        online_url="https://meet.example.org/canary7f3a9",
        capacity=10,
    )
    events.rsvp(member, event.pk)
    project = matching.create_project(
        member,
        name="Robo Arm",
        one_liner="Low-cost robot arms",
        description="Robot arms with computer vision for small factories.",
        sectors=["hardware"],
        stage="seed",
        city="Shanghai",
        needs_funding=True,
        funding_min=1_000_000,
        funding_max=2_000_000,
        funding_instrument="equity",
        funding_notes=f"Terms {CANARY}",
    )
    offer = matching.create_offer(
        non_member,
        "investor",
        title="Hardware seed fund",
        description="We back robot arms at seed.",
        sectors=["hardware"],
        stages=["seed"],
        ticket_min=500_000,
        ticket_max=3_000_000,
        regions=["Shanghai"],
        capacity=5,
    )
    actors = {
        "visitor": None,
        "member": member,
        "non_member": non_member,
        "banned": banned,
        "owner": owner,
        "operator": operator,
    }
    return {
        "actors": actors,
        "community": community,
        "post": post,
        "reply": reply,
        "event": event,
        "project": project,
        "offer": offer,
    }


def clients(world: dict) -> dict[str, Client]:
    result = {}
    for name, user in world["actors"].items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        result[name] = client
    return result


def request_rolled_back(client: Client, method: str, url: str, body=None):
    """One request whose writes are undone, so that every caller meets the same world."""
    with transaction.atomic():
        if body is None:
            response = getattr(client, method)(url)
        else:
            response = getattr(client, method)(url, body, content_type="application/json")
        transaction.set_rollback(True)
    return response
