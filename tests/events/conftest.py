from datetime import timedelta

import pytest
from django.utils import timezone

from seedbed.communities import services as community_services
from seedbed.communities.models import Membership, Role, Visibility
from seedbed.events import services
from tests.factories import MemberFactory


def event_fields(**overrides) -> dict:
    start = timezone.now() + timedelta(days=3)
    values = {
        "kind": "salon",
        "title": "Founder salon",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "venue": "Innovation hub",
        "online_url": "https://meet.example.org/secret-room",
        "capacity": 10,
    }
    values.update(overrides)
    return values


@pytest.fixture
def world(db):
    """An organiser (community owner), a moderator, a member, an outsider; a public and a
    private community, each with an event."""
    owner = MemberFactory(display_name="Organiser")
    public = community_services.create_community(owner, name="Open salon club")
    private = community_services.create_community(
        owner, name="Closed club", visibility=Visibility.PRIVATE
    )
    member, moderator, outsider = MemberFactory.create_batch(3)
    for community in (public, private):
        Membership.objects.create(community=community, user=member)
        Membership.objects.create(community=community, user=moderator, role=Role.MODERATOR)
    return {
        "owner": owner,
        "member": member,
        "moderator": moderator,
        "outsider": outsider,
        "public": services.create_event(owner, community=public.slug, **event_fields()),
        "private": services.create_event(
            owner, community=private.slug, **event_fields(title="Closed salon")
        ),
    }
