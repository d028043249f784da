"""A small world around one member who wrote a unique canary into every place that holds
their data, and a neighbour whose private words must never leak into the member's export."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from seedbed.accounts.models import ApiToken, User
from seedbed.accounts.services import update_profile
from seedbed.communities import services as communities
from seedbed.communities.models import Membership, Reaction, Report, Role
from seedbed.engagement.models import MemberBadge
from seedbed.events.models import RSVP, Event, Feedback, RSVPStatus
from seedbed.library.models import (
    LibraryEntry,
    Rating,
    Resource,
    ResourceReport,
    ResourceStatus,
)
from seedbed.matching.models import Intro, IntroMessage, IntroStatus, Offer, Project
from seedbed.notifications.models import Notification
from tests.factories import MemberFactory

CANARY = "zqcanary"
SECRET = "zqneighbour"


@dataclass
class World:
    member: User
    neighbour: User
    owner: User
    post_alone: int
    post_answered: int
    neighbour_reply: int
    event: Event
    waiting: User
    intro: Intro


def canary(field: str) -> str:
    return f"{CANARY}{field}"


@pytest.fixture
def world(db) -> World:
    member = MemberFactory(email=f"{canary('mail')}@example.org", display_name=canary("name"))
    update_profile(
        member,
        handle=canary("handle"),
        headline=canary("headline"),
        bio=canary("bio"),
        city=canary("city"),
        skills=[canary("skill")],
        interests=[canary("interest")],
    )
    neighbour = MemberFactory(email=f"{SECRET}mail@example.org", display_name="Neighbour")
    owner = MemberFactory()
    community = communities.create_community(owner, name="Makers", visibility="public")
    for person in (member, neighbour):
        Membership.objects.create(community=community, user=person)
    alone = communities.create_post(
        member, community.slug, title=canary("title1"), body=canary("body1")
    )
    answered = communities.create_post(
        member, community.slug, title=canary("title2"), body=canary("body2")
    )
    reply = communities.create_reply(neighbour, answered.pk, body="Neighbour's answer")
    communities.create_reply(member, answered.pk, body=canary("reply"))
    Reaction.objects.create(user=member, reply=reply, kind="like")
    Report.objects.create(
        community=community, reporter=member, reply=reply, reason=canary("report")
    )
    ApiToken.objects.create(user=member, name=canary("token"), digest="d" * 64, hint="sbt_abcd")

    now = timezone.now()
    event = Event.objects.create(
        community=community,
        kind="salon",
        title="Salon",
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=3, hours=2),
        capacity=1,
    )
    waiting = MemberFactory()
    RSVP.objects.create(event=event, user=member, status=RSVPStatus.CONFIRMED)
    RSVP.objects.create(event=event, user=waiting, status=RSVPStatus.WAITLISTED)
    Feedback.objects.create(event=event, user=member, rating=4, comment=canary("feedback"))

    project = Project.objects.create(
        slug="zq-project",
        name="Solo project",
        one_liner="One person",
        stage="seed",
        funding_notes=canary("funding"),
    )
    project.team.add(member)
    offer = Offer.objects.create(
        kind="mentor", owner=neighbour, title="Mentoring", description=f"{SECRET}offer"
    )
    intro = Intro.objects.create(
        project=project,
        offer=offer,
        requested_by=member,
        message=canary("intro"),
        project_consent=True,
    )
    accepted_offer = Offer.objects.create(kind="talent", owner=neighbour, title="Talent")
    accepted = Intro.objects.create(
        project=project, offer=accepted_offer, status=IntroStatus.ACCEPTED
    )
    IntroMessage.objects.create(intro=accepted, author=member, body=canary("message"))
    IntroMessage.objects.create(intro=accepted, author=neighbour, body=f"{SECRET}message")
    member_offer = Offer.objects.create(
        kind="mentor", owner=member, title=canary("offer"), description=canary("offerbody")
    )
    assert member_offer.pk
    Notification.objects.create(recipient=member, kind="reply", actor=neighbour)
    resource = Resource.objects.create(
        kind="book", title="Shared book", author=neighbour, status=ResourceStatus.APPROVED
    )
    Rating.objects.create(resource=resource, user=member, stars=4, review=canary("review"))
    Resource.objects.filter(pk=resource.pk).update(rating_count=1, rating_sum=4)
    LibraryEntry.objects.create(resource=resource, user=member, saved_at=now)
    ResourceReport.objects.create(resource=resource, reporter=member, reason=canary("libreport"))
    MemberBadge.objects.create(member=member, code="first_post")
    return World(
        member=member,
        neighbour=neighbour,
        owner=owner,
        post_alone=alone.pk,
        post_answered=answered.pk,
        neighbour_reply=reply.pk,
        event=event,
        waiting=waiting,
        intro=intro,
    )


@pytest.fixture
def owned_community(world):
    community = communities.create_community(world.member, name="Only mine", visibility="public")
    assert Membership.objects.get(community=community, user=world.member).role == Role.OWNER
    return community
