"""Rows for the home page tests, written straight to the tables (posting through the services
would meet the posting rate limit long before twenty posts)."""

from datetime import timedelta
from itertools import count

import pytest
from django.test import Client
from django.utils import timezone

from seedbed.communities.models import (
    Community,
    ContentStatus,
    Membership,
    Post,
    Reaction,
    Reply,
    Role,
    Visibility,
)
from seedbed.events.models import RSVP, Event, RSVPStatus
from seedbed.matching.models import Intro, IntroStatus, Offer, Project
from tests.factories import MemberFactory

_serial = count()


def client_for(user=None, **headers) -> Client:
    client = Client(**headers)
    if user is not None:
        client.force_login(user)
    return client


def make_community(name=None, visibility=Visibility.PUBLIC, members=(), owner=None, **fields):
    n = next(_serial)
    community = Community.objects.create(
        name=name or f"Community {n}", slug=f"community-{n}", visibility=visibility, **fields
    )
    if owner is not None:
        Membership.objects.create(community=community, user=owner, role=Role.OWNER)
    Membership.objects.bulk_create([Membership(community=community, user=m) for m in members])
    return community


def make_post(community, author, title=None, *, ago=timedelta(hours=1), **fields):
    created = timezone.now() - ago
    return Post.objects.create(
        community=community,
        author=author,
        title=title or f"Post {next(_serial)}",
        body="Body",
        body_html="<p>Body</p>",
        created_at=created,
        last_activity_at=created,
        **fields,
    )


def engage(post, people, *, replies=1, ago=timedelta(hours=1)):
    """``replies`` replies and one reaction per person, ``ago`` ago."""
    when = timezone.now() - ago
    for person in people:
        Reaction.objects.create(user=person, post=post, kind="like", created_at=when)
    Reply.objects.bulk_create(
        [
            Reply(post=post, author=people[0], body="Yes", body_html="<p>Yes</p>", created_at=when)
            for _ in range(replies)
        ]
    )
    Post.objects.filter(pk=post.pk).update(
        reply_count=replies, reaction_count=len(people), last_activity_at=when
    )


def make_event(community=None, title=None, *, days=3, **fields):
    start = timezone.now() + timedelta(days=days)
    return Event.objects.create(
        community=community,
        kind="salon",
        title=title or f"Event {next(_serial)}",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        **fields,
    )


def rsvp(event, user, status=RSVPStatus.CONFIRMED):
    return RSVP.objects.create(event=event, user=user, status=status)


def intro_between(team_member, offer_owner, *, waiting_for="team"):
    """A requested intro waiting for one side's answer (``team`` or ``offer``)."""
    n = next(_serial)
    project = Project.objects.create(
        slug=f"project-{n}", name=f"Project {n}", one_liner="A project", stage="seed"
    )
    project.team.add(team_member)
    offer = Offer.objects.create(kind="investor", owner=offer_owner, title=f"Fund {n}")
    return Intro.objects.create(
        project=project,
        offer=offer,
        status=IntroStatus.REQUESTED,
        project_consent=None if waiting_for == "team" else True,
        offer_consent=None if waiting_for == "offer" else True,
    )


@pytest.fixture
def author(db):
    return MemberFactory(display_name="Ada Author")


@pytest.fixture
def fans(db):
    return MemberFactory.create_batch(3)


VISIBLE = ContentStatus.VISIBLE
