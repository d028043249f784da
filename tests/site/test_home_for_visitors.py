from datetime import timedelta

import pytest
from django.utils import timezone

from seedbed.communities.models import ContentStatus, Report, Visibility
from tests.factories import MemberFactory
from tests.site.conftest import client_for, engage, make_community, make_event, make_post

pytestmark = pytest.mark.django_db


def page(client=None) -> str:
    response = (client or client_for()).get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_visitor_sees_public_events_active_communities_trending_posts_and_a_call_to_sign_up(
    author, fans
):
    climate = make_community("Climate Builders", members=fans)
    make_event(climate, "Climate salon")
    make_event(None, "Platform demo day")
    engage(make_post(climate, author, "Our first pilot customer"), fans)
    body = page()
    assert "Climate salon" in body and "Platform demo day" in body
    assert "Climate Builders" in body
    assert "Our first pilot customer" in body
    assert 'href="/accounts/signup/"' in body and "Create your account" in body
    assert "members are building here" in body


def test_private_and_hidden_communities_never_show_their_name_post_or_event_to_a_visitor(
    author, fans
):
    for visibility in (Visibility.PRIVATE, Visibility.HIDDEN):
        secret = make_community(f"Secret {visibility} club", visibility=visibility, members=fans)
        make_event(secret, f"Secret {visibility} dinner")
        engage(make_post(secret, author, f"Secret {visibility} term sheet"), fans, replies=9)
    make_community("Open club")
    body = page()
    assert "Open club" in body
    assert "Secret" not in body


def test_an_archived_community_is_not_featured_and_its_posts_do_not_trend(author, fans):
    old = make_community("Old club", members=fans, archived_at=timezone.now())
    engage(make_post(old, author, "Old news"), fans)
    body = page()
    assert "Old club" not in body and "Old news" not in body


def test_hidden_removed_and_reported_posts_never_trend(author, fans):
    club = make_community("Club", members=fans)
    engage(make_post(club, author, "Hidden by a moderator", status=ContentStatus.HIDDEN), fans)
    engage(make_post(club, author, "Removed for spam", status=ContentStatus.REMOVED), fans)
    reported = make_post(club, author, "Reported and waiting")
    engage(reported, fans)
    Report.objects.create(community=club, reporter=fans[0], post=reported, reason="Spam")
    dismissed = make_post(club, author, "Reported and kept")
    engage(dismissed, fans)
    Report.objects.create(
        community=club,
        reporter=fans[0],
        post=dismissed,
        reason="Spam",
        status=Report.Status.RESOLVED,
    )
    body = page()
    assert "Hidden by a moderator" not in body
    assert "Removed for spam" not in body
    assert "Reported and waiting" not in body
    assert "Reported and kept" in body


def test_trending_posts_are_those_with_the_most_engagement_lately(author):
    club = make_community("Club")
    people = MemberFactory.create_batch(4)
    engage(make_post(club, author, "Quiet post"), people[:1], replies=1)
    engage(make_post(club, author, "Busy post"), people, replies=5)
    engage(
        make_post(club, author, "Busy long ago", ago=timedelta(days=60)),
        people,
        replies=9,
        ago=timedelta(days=40),
    )
    make_post(club, author, "Nobody answered")
    body = page()
    assert body.index("Busy post") < body.index("Quiet post")
    assert "Busy long ago" not in body
    assert "Nobody answered" not in body


def test_an_old_post_trends_again_when_people_react_to_it_now(author, fans):
    club = make_community("Club")
    old = make_post(club, author, "Evergreen guide", ago=timedelta(days=90))
    engage(old, fans, replies=0, ago=timedelta(hours=2))
    assert "Evergreen guide" in page()


def test_communities_are_featured_by_their_recent_posts_then_their_size(author):
    quiet_but_big = make_community("Big and quiet", members=MemberFactory.create_batch(5))
    lively = make_community("Small and lively")
    for _ in range(3):
        make_post(lively, author)
    make_post(quiet_but_big, author, ago=timedelta(days=30))
    body = page()
    assert body.index("Small and lively") < body.index("Big and quiet")
    assert "3 new posts lately" in body


def test_past_and_cancelled_events_are_not_listed():
    club = make_community("Club")
    make_event(club, "Last month salon", days=-30)
    make_event(club, "Called-off meetup", cancelled_at=timezone.now())
    make_event(club, "Next week roadshow", days=7)
    body = page()
    assert "Next week roadshow" in body
    assert "Last month salon" not in body and "Called-off meetup" not in body


def test_an_empty_platform_still_gives_a_visitor_a_way_in():
    body = page()
    assert "No public event is planned yet." in body
    assert "No public community yet." in body
    assert 'href="/accounts/signup/"' in body


def test_the_visitors_home_page_renders_in_chinese(author, fans):
    club = make_community("气候创业者", members=fans)
    make_event(club, "气候沙龙")
    body = page(client_for(HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert '<html lang="zh-hans">' in body
    assert "气候创业者" in body and "气候沙龙" in body
    assert "即将举行的活动" in body and "活跃社区" in body and "热门讨论" in body
    assert "Upcoming events" not in body and "Trending conversations" not in body
