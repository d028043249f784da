from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from seedbed.communities import services as community_services
from seedbed.communities.models import Membership, Visibility
from seedbed.discovery.models import Recommendation
from seedbed.events.models import Event
from tests.factories import MemberFactory


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def join(community, *users):
    for user in users:
        Membership.objects.get_or_create(community=community, user=user)


def event_in(owner, community=None, title="Founder salon", days=3, **extra):
    start = timezone.now() + timedelta(days=days)
    return Event.objects.create(
        community=community,
        created_by=owner,
        kind="salon",
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        **extra,
    )


def store(member, kind, obj, rank=0, code="popular", params=None, score=1.0):
    """A stored row as the refresh would write it, for read-side tests."""
    return Recommendation.objects.create(
        member=member,
        kind=kind,
        object_id=obj.pk,
        score=score,
        rank=rank,
        reason_code=code,
        reason_params=params or {"count": 3},
    )


@pytest.fixture
def owner(db):
    return MemberFactory(display_name="Olivia Owner")


@pytest.fixture
def operator(db):
    return MemberFactory(display_name="Opal Operator", roles=["operator"], is_staff=True)


@pytest.fixture
def public_community(owner):
    return community_services.create_community(
        owner, name="Fintech Founders", description="Payments and banking.", tags=["fintech"]
    )


@pytest.fixture
def private_community(owner):
    return community_services.create_community(
        owner, name="Closed Circle", description="Closed group.", visibility=Visibility.PRIVATE
    )


# Rows written directly, as the demo does: these tests are about what the refresh reads. ------

from django.utils.text import slugify  # noqa: E402

from seedbed.communities.models import Community, Post, Reply  # noqa: E402
from seedbed.core.models import Sector, Tag  # noqa: E402


def community(name, *, tags=(), visibility=Visibility.PUBLIC, description="", members=()):
    made = Community.objects.create(
        name=name,
        slug=slugify(name) or f"c{Community.objects.count()}",
        description=description,
        visibility=visibility,
    )
    made.tags.set([Tag.objects.get_or_create(name=t)[0] for t in tags])
    join(made, *members)
    return made


def post(community, author, title, body="", tags=()):
    made = Post.objects.create(
        community=community, author=author, title=title, body=body or title, body_html=""
    )
    made.tags.set([Tag.objects.get_or_create(name=t)[0] for t in tags])
    return made


def reply(post, author, body="Agreed."):
    return Reply.objects.create(post=post, author=author, body=body, body_html="")


def interested(member, *names, sectors=()):
    member.interests.set([Tag.objects.get_or_create(name=n)[0] for n in names])
    if sectors:
        member.sectors.set(Sector.objects.filter(slug__in=sectors))
    return member
