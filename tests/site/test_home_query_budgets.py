"""The home page costs the same number of queries with 2 rows of everything as with 20."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seedbed.discovery.models import Recommendation
from seedbed.events.models import RSVPStatus
from seedbed.notifications.models import Notification
from tests.factories import MemberFactory
from tests.site.conftest import (
    client_for,
    engage,
    intro_between,
    make_community,
    make_event,
    make_post,
    rsvp,
)

pytestmark = pytest.mark.django_db

#: Session, the three lists, the member count (+ the trending posts' tags when there are any).
VISITOR_BUDGET = 5
#: Session and user, unread badge, my events, intros, community news, the session's visit
#: marker (3 with its savepoint), and discovery's suggestions at its promised <= 3 per kind.
MEMBER_BUDGET = 9 + 3 * 4


def fill(n: int, member, author, fans) -> None:
    """``n`` of every kind of row the home page reads, public and private."""
    for i in range(n):
        club = make_community(members=[member, author, *fans])
        closed = make_community(visibility="private", members=[author])
        post = make_post(club, author, ago=timedelta(hours=i + 1))
        engage(post, fans)
        make_post(closed, author)
        event = make_event(club, days=i + 1)
        make_event(None, days=i + 2)
        make_event(closed)
        rsvp(event, member, RSVPStatus.WAITLISTED if i % 2 else RSVPStatus.CONFIRMED)
        intro_between(member, author)
        Notification.objects.create(
            recipient=member, kind="mention", actor=author, community=club, post=post
        )
        for kind, obj in (("community", closed), ("event", event), ("person", author)):
            Recommendation.objects.get_or_create(
                member=member,
                kind=kind,
                object_id=obj.pk,
                defaults={"score": 1, "rank": i + 1, "reason_code": "popular"},
            )
        Recommendation.objects.create(
            member=member, kind="post", object_id=post.pk, score=1, rank=i + 1, reason_code="x"
        )


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


@pytest.mark.parametrize("rows", [2, 20])
def test_the_visitors_home_page_stays_within_its_budget(rows, django_assert_max_num_queries):
    member, author = MemberFactory.create_batch(2)
    fill(rows, member, author, MemberFactory.create_batch(2))
    with django_assert_max_num_queries(VISITOR_BUDGET):
        client_for().get("/")


@pytest.mark.parametrize("rows", [2, 20])
def test_an_established_members_home_page_stays_within_its_budget(
    rows, django_assert_max_num_queries
):
    member, author = MemberFactory.create_batch(2)
    fill(rows, member, author, MemberFactory.create_batch(2))
    client = client_for(member)
    with django_assert_max_num_queries(MEMBER_BUDGET):
        body = client.get("/").content.decode()
    assert "Waitlisted" in body and "unread notification" in body


def test_a_new_members_home_page_stays_within_its_budget(django_assert_max_num_queries):
    newcomer = MemberFactory(onboarding_step=1)
    fill(3, MemberFactory(), MemberFactory(), MemberFactory.create_batch(2))
    client = client_for(newcomer)
    with django_assert_max_num_queries(MEMBER_BUDGET):
        body = client.get("/").content.decode()
    assert "Finish setting up" in body


@pytest.mark.slow
def test_the_query_count_does_not_grow_with_the_data():
    small_member, small_author = MemberFactory.create_batch(2)
    fill(2, small_member, small_author, MemberFactory.create_batch(2))
    small = queries(client_for(small_member)), queries(client_for())
    big_member, big_author = MemberFactory.create_batch(2)
    fill(20, big_member, big_author, MemberFactory.create_batch(2))
    assert (queries(client_for(big_member)), queries(client_for())) == small
