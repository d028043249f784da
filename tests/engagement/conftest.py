from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from seedbed.communities import services
from seedbed.communities.models import Membership, Role, Visibility
from seedbed.engagement.models import Standing, TrustLevel
from tests.factories import MemberFactory


@pytest.fixture(autouse=True)
def _roomy_posting_limits(settings):
    """Tests here post fast; the new members' daily limit is tested on its own."""
    settings.POSTING_RATE_LIMITS = [(1000, 60)]


def veteran(**kwargs):
    """A member whose account is old enough for their reactions to count."""
    return MemberFactory(date_joined=timezone.now() - timedelta(days=400), **kwargs)


def join(community, user=None, role=Role.MEMBER):
    user = user or veteran()
    Membership.objects.update_or_create(community=community, user=user, defaults={"role": role})
    return user


def at_level(user, level: TrustLevel):
    Standing.objects.update_or_create(member=user, defaults={"level": level})
    return user


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def owner(db):
    return veteran(display_name="Olivia Owner")


@pytest.fixture
def operator(db):
    return veteran(display_name="Opal Operator", is_staff=True)


@pytest.fixture
def public(owner):
    return services.create_community(owner, name="Climate Builders", visibility=Visibility.PUBLIC)


@pytest.fixture
def private(owner):
    return services.create_community(owner, name="Founders Circle", visibility=Visibility.PRIVATE)


@pytest.fixture
def author(public):
    return join(public)


@pytest.fixture
def fan(public):
    return join(public)


@pytest.fixture
def post(author, public):
    return services.create_post(author, public.slug, title="How do I price?", body="Help")


def held_event(community=None, host=None, days_ago: int = 2):
    from seedbed.events.models import Event

    start = timezone.now() - timedelta(days=days_ago)
    return Event.objects.create(
        community=community,
        created_by=host,
        kind="salon",
        title="Pricing salon",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )


def attend(event, user):
    from seedbed.events.models import RSVP

    return RSVP.objects.create(
        event=event, user=user, status="confirmed", checked_in_at=event.starts_at
    )


def project_with(team, slug: str):
    from seedbed.matching.models import Project

    project = Project.objects.create(slug=slug, name=slug, one_liner="x", stage="seed")
    project.team.set(team)
    return project


def intro(project, offer, **fields):
    from seedbed.matching.models import Intro

    return Intro.objects.create(project=project, offer=offer, **fields)


def offer_of(owner, kind: str = "mentor"):
    from seedbed.matching.models import Offer

    return Offer.objects.create(kind=kind, owner=owner, title=f"{kind} offer")
