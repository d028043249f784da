"""Shared people and places for the analysis tests (sentiment, structure, forecasts, turnout):
a public and a private community, each with an owner, a moderator and members, an outsider,
the owner of another community, and an operator. Other test files import the fixtures."""

from __future__ import annotations

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


def join(community, user, role=Role.MEMBER, joined_at=None):
    fields = {"role": role} | ({"joined_at": joined_at} if joined_at else {})
    Membership.objects.update_or_create(community=community, user=user, defaults=fields)
    return user


@pytest.fixture(name="world")
def world_fixture(db, settings):
    settings.POSTING_RATE_LIMITS = [(1000, 60)]  # the tests write many posts in a second
    owner = MemberFactory(display_name="Olivia Owner")
    moderator = MemberFactory(display_name="Mo Moderator")
    member = MemberFactory(display_name="Mia Member")
    other_owner = MemberFactory(display_name="Otto Elsewhere")
    operator = MemberFactory(display_name="Opal Operator", is_staff=True)
    outsider = MemberFactory(display_name="Oscar Outsider")
    public = services.create_community(owner, name="Climate Builders")
    private = services.create_community(
        owner, name="Founders Circle", visibility=Visibility.PRIVATE
    )
    services.create_community(other_owner, name="Elsewhere Club")
    for community in (public, private):
        join(community, moderator, Role.MODERATOR)
        join(community, member)
    return {
        "owner": owner,
        "moderator": moderator,
        "member": member,
        "other_owner": other_owner,
        "operator": operator,
        "outsider": outsider,
        "public": public,
        "private": private,
    }


def test_the_world_has_a_moderator_and_a_member_in_both_communities(world):
    for community in (world["public"], world["private"]):
        roles = dict(Membership.objects.filter(community=community).values_list("user", "role"))
        assert roles[world["moderator"].pk] == Role.MODERATOR
        assert roles[world["member"].pk] == Role.MEMBER
        assert roles[world["owner"].pk] == Role.OWNER
