from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from seedbed.communities import services
from seedbed.communities.models import Membership, Role, Visibility
from seedbed.engagement.models import Standing, TrustLevel
from tests.factories import MemberFactory


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
