import pytest
from django.test import Client

from seedbed.communities import services
from seedbed.communities.models import Membership, Role, Visibility
from tests.factories import MemberFactory


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def owner(db):
    return MemberFactory(display_name="Olivia Owner")


@pytest.fixture
def public(owner):
    return services.create_community(
        owner,
        name="Climate Builders",
        description="We build **climate** tech.",
        visibility=Visibility.PUBLIC,
        tags=["climate"],
    )


@pytest.fixture
def private(owner):
    return services.create_community(
        owner, name="Founders Circle", description="Closed group.", visibility=Visibility.PRIVATE
    )


@pytest.fixture
def hidden(owner):
    return services.create_community(
        owner, name="Board Room", description="Invitation only.", visibility=Visibility.HIDDEN
    )


def add_member(community, user=None, role=Role.MEMBER):
    user = user or MemberFactory()
    Membership.objects.update_or_create(community=community, user=user, defaults={"role": role})
    return user


@pytest.fixture
def member_of_public(public):
    return add_member(public)


@pytest.fixture
def member_of_private(private):
    return add_member(private)


@pytest.fixture
def outsider(db):
    return MemberFactory(display_name="Oscar Outsider")
