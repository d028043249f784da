from datetime import timedelta

import pytest
from django.utils import timezone

from seedbed.communities.models import Membership, Visibility
from seedbed.discovery.models import Recommendation
from seedbed.events.models import RSVPStatus
from seedbed.notifications.models import Notification
from seedbed.site import services
from tests.factories import MemberFactory
from tests.site.conftest import (
    client_for,
    intro_between,
    make_community,
    make_event,
    make_post,
    rsvp,
)

pytestmark = pytest.mark.django_db


def page(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def suggest(member, kind, obj, rank=1, code="matches_interest", **params):
    return Recommendation.objects.create(
        member=member,
        kind=kind,
        object_id=obj.pk,
        score=1.0 / rank,
        rank=rank,
        reason_code=code,
        reason_params=params or {"term": "fintech"},
    )


def test_a_new_member_is_asked_to_finish_onboarding_and_shown_where_to_start():
    newcomer = MemberFactory(onboarding_step=2)
    body = page(client_for(newcomer))
    assert "Welcome back" in body
    assert "step 2 of 3 is next" in body and 'href="/welcome/"' in body
    assert "You have no upcoming event." in body
    assert "Nothing is waiting for you." in body
    assert "You have not joined a community yet." in body
    assert "members are building here" not in body


def test_a_member_who_finished_onboarding_is_not_reminded_of_it(member):
    assert "Finish setting up" not in page(client_for(member))


def test_my_next_events_are_soonest_first_with_their_status_and_skip_past_and_cancelled(member):
    club = make_community(members=[member])
    later = make_event(club, "Demo day in a month", days=30)
    sooner = make_event(club, "Salon tomorrow", days=1)
    over = make_event(club, "Meetup last week", days=-7)
    called_off = make_event(club, "Called-off competition", cancelled_at=timezone.now())
    given_up = make_event(club, "Seat given back")
    rsvp(later, member, RSVPStatus.WAITLISTED)
    rsvp(sooner, member, RSVPStatus.CONFIRMED)
    rsvp(over, member)
    rsvp(called_off, member)
    rsvp(given_up, member, RSVPStatus.CANCELLED)
    make_event(club, "Not my event")
    body = page(client_for(member))
    assert body.index("Salon tomorrow") < body.index("Demo day in a month")
    section = body[body.index("Your next events") : body.index("Intros waiting")]
    assert "Going" in section and "Waitlisted" in section
    for absent in ("Meetup last week", "Called-off competition", "Seat given back", "Not my event"):
        assert absent not in section


def test_an_event_of_a_private_community_i_was_removed_from_leaves_my_list(member):
    closed = make_community("Closed club", visibility=Visibility.PRIVATE, members=[member])
    rsvp(make_event(closed, "Closed dinner"), member)
    assert "Closed dinner" in page(client_for(member))
    Membership.objects.filter(community=closed, user=member).delete()
    assert "Closed dinner" not in page(client_for(member))


def test_intros_waiting_for_my_answer_are_listed_and_those_waiting_for_the_other_side_are_not(
    member, other_member
):
    mine = intro_between(member, other_member, waiting_for="team")
    theirs = intro_between(member, other_member, waiting_for="offer")
    body = page(client_for(member))
    assert f'href="/intros/{mine.pk}/"' in body
    assert f'href="/intros/{theirs.pk}/"' not in body
    assert f'href="/intros/{mine.pk}/"' not in page(client_for(MemberFactory()))


def test_new_posts_since_my_last_visit_and_unread_notifications_are_counted_per_community(
    member, other_member
):
    club = make_community("Fintech founders", members=[member, other_member])
    quiet = make_community("Quiet corner", members=[member, other_member])
    make_post(club, other_member, ago=timedelta(days=2))
    make_post(club, other_member, ago=timedelta(days=1))
    make_post(club, member, ago=timedelta(hours=5))
    make_post(quiet, other_member, ago=timedelta(days=30))
    mentioned = make_post(club, other_member, ago=timedelta(hours=1))
    Notification.objects.create(
        recipient=member, kind="mention", actor=other_member, community=club, post=mentioned
    )
    Notification.objects.create(
        recipient=member,
        kind="mention",
        actor=other_member,
        community=club,
        post=mentioned,
        read_at=timezone.now(),
    )
    body = page(client_for(member))
    section = body[body.index("New in your communities") : body.index('id="for-you"')]
    assert "Fintech founders" in section
    assert "3 new posts since your last visit" in section
    assert "1 unread notification" in section
    assert "Quiet corner" not in section


def test_a_private_communitys_activity_is_not_counted_for_someone_who_left_it(member, other_member):
    closed = make_community("Closed club", visibility=Visibility.PRIVATE, members=[other_member])
    make_post(closed, other_member, "Private plans")
    Notification.objects.create(recipient=member, kind="reply", community=closed)
    body = page(client_for(member))
    assert "Closed club" not in body and "Private plans" not in body


def test_the_counts_stay_while_one_visit_goes_on_and_restart_from_the_last_look_after_a_break(
    member, other_member
):
    club = make_community("Club", members=[member, other_member])
    make_post(club, other_member, ago=timedelta(days=2))
    make_post(club, other_member, ago=timedelta(days=1))
    client = client_for(member)
    assert "2 new posts since your last visit" in page(client)
    assert "2 new posts since your last visit" in page(client)
    session = client.session
    session["home_seen_at"] = (timezone.now() - timedelta(hours=2)).isoformat()
    session.save()
    make_post(club, other_member, ago=timedelta(hours=1))
    body = page(client)
    assert "1 new post since your last visit" in body
    assert "1 new post since your last visit" in page(client)


def test_the_last_visit_is_a_week_ago_on_a_new_device_and_ignores_a_tampered_marker():
    now = timezone.now()
    assert services.last_visit({}, now) == now - services.FIRST_VISIT_LOOKBACK
    broken = {"home_seen_at": "yesterday", "home_previous_visit": 12}
    assert services.last_visit(broken, now) == now - services.FIRST_VISIT_LOOKBACK
    assert broken["home_seen_at"] == now.isoformat()


def test_for_you_shows_each_kind_with_its_reason_and_a_not_interested_button(member):
    club = make_community("Fintech founders")
    event = make_event(None, "Fintech demo day")
    person = MemberFactory(display_name="Mentor Mei")
    post = make_post(make_community(), MemberFactory(), "How we priced our API")
    suggest(member, "community", club)
    suggest(member, "event", event)
    suggest(member, "person", person)
    suggest(member, "post", post)
    body = page(client_for(member))
    section = body[body.index('id="for-you"') :]
    for title in ("Fintech founders", "Fintech demo day", "Mentor Mei", "How we priced our API"):
        assert title in section
    assert section.count("Matches your interest in fintech.") == 4
    assert section.count("Not interested") == 4
    for heading in ("Communities to join", "Upcoming events", "People to meet", "Posts to read"):
        assert heading in section


def test_for_you_never_shows_a_private_communitys_post_or_event_to_an_outsider(member):
    closed = make_community("Closed club", visibility=Visibility.PRIVATE)
    suggest(member, "event", make_event(closed, "Closed dinner"))
    suggest(member, "post", make_post(closed, MemberFactory(), "Closed memo"))
    body = page(client_for(member))
    assert "Closed dinner" not in body and "Closed memo" not in body


def test_a_dismissed_suggestion_is_gone_from_the_home_page(member):
    club = make_community("Fintech founders")
    row = suggest(member, "community", club)
    client = client_for(member)
    assert "Fintech founders" in page(client)
    client.post(f"/for-you/{row.pk}/dismiss/")
    assert "Fintech founders" not in page(client)


def test_the_members_home_page_renders_in_chinese(member, other_member):
    club = make_community("气候创业者", members=[member, other_member])
    make_post(club, other_member)
    member.onboarding_step = 1
    member.save()
    body = page(client_for(member, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert '<html lang="zh-hans">' in body
    assert "你的下一场活动" in body and "为你推荐" in body and "气候创业者" in body
    assert "Your next events" not in body and "For you" not in body


def test_members_get_a_for_you_link_and_only_operators_an_insights_link(member):
    operator = MemberFactory(is_staff=True, roles=["operator"])
    assert 'href="/for-you/"' not in page(client_for())
    member_page = page(client_for(member))
    assert 'href="/for-you/"' in member_page
    assert 'href="/operator/insights/"' not in member_page
    assert 'href="/operator/insights/"' in page(client_for(operator))
