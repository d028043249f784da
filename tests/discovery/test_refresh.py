"""The refresh: signals become engine inputs, the engine's ranking becomes stored rows with true
reasons, dismissals hold, a new member is served from what they declared, and running it twice
changes nothing."""

import math
from datetime import timedelta

import pytest
from django.utils import timezone

from seedbed.communities.models import Membership, Reaction
from seedbed.discovery import adapter, services
from seedbed.discovery.models import Kind, Recommendation
from seedbed.discovery.refresh import refresh
from seedbed.discovery.tasks import refresh_member_recommendations, refresh_recommendations
from seedbed.events.models import RSVP, RSVPStatus
from seedbed.matching.models import Match, Offer, Project
from tests.discovery.conftest import community, event_in, interested, join, post, reply, store
from tests.factories import MemberFactory


def rows_of(member, kind):
    return list(
        Recommendation.objects.filter(member=member, kind=kind)
        .order_by("rank")
        .values_list("object_id", "reason_code", "reason_params")
    )


@pytest.fixture
def crowd(db):
    """Ten members who joined both Fintech Founders and Payments Lab; a newcomer who joined
    only Fintech Founders; a Gardening club nobody links to fintech."""
    people = MemberFactory.create_batch(10)
    fintech = community("Fintech Founders", tags=["fintech"], members=people)
    payments = community("Payments Lab", tags=["payments"], members=people)
    garden = community("Gardening", tags=["gardening"], members=people[:2])
    newcomer = MemberFactory(display_name="Nina Newcomer")
    join(fintech, newcomer)
    return {
        "people": people,
        "fintech": fintech,
        "payments": payments,
        "garden": garden,
        "newcomer": newcomer,
    }


def test_members_who_joined_the_same_community_lead_to_the_next_one(crowd):
    refresh()
    top = rows_of(crowd["newcomer"], Kind.COMMUNITY)[0]
    assert top[0] == crowd["payments"].pk
    assert top[1] == "co_joined"
    assert top[2] == {"community": "Fintech Founders", "via": crowd["fintech"].pk}
    [first] = services.suggestions_for(crowd["newcomer"], "communities", 1)
    assert first.reason == "Members who joined Fintech Founders also joined this."


def test_a_community_the_member_is_in_is_never_suggested(crowd):
    refresh()
    suggested = {r[0] for r in rows_of(crowd["newcomer"], Kind.COMMUNITY)}
    assert crowd["fintech"].pk not in suggested


def test_members_you_replied_to_are_the_reason_when_three_or_more_are_in_it(crowd):
    newcomer, people = crowd["newcomer"], crowd["people"]
    for author in people[:3]:
        reply(post(crowd["fintech"], author, f"Question from {author.pk}"), newcomer)
    refresh()
    reasons = {r[0]: (r[1], r[2]) for r in rows_of(newcomer, Kind.COMMUNITY)}
    assert reasons[crowd["payments"].pk] == ("replied_members_in", {"count": 3})


def test_a_new_member_is_served_from_declared_interests_at_once(crowd):
    health = community("Health Builders", tags=["医疗"], description="数字医疗 创业者")
    newcomer = interested(MemberFactory(), "医疗")
    refresh_member_recommendations.enqueue(newcomer.pk)
    rows = rows_of(newcomer, Kind.COMMUNITY)
    assert rows[0][0] == health.pk
    assert rows[0][1] == "matches_interest" and rows[0][2] == {"term": "医疗"}
    [first] = services.suggestions_for(newcomer, "communities", 1)
    assert first.reason == "Matches your interest in 医疗."


def test_refreshing_only_newcomers_skips_the_hybrids_tuning(crowd, monkeypatch):
    """A newcomer has no history for the hybrid to use, and its tuning takes seconds: the
    onboarding refresh ranks by content alone. A member with history still gets the hybrid."""
    from seedbed.discovery import refresh as module

    fits = []
    real_fit = module.Hybrid.fit

    def counting_fit(self, *args, **kwargs):
        fits.append(self)
        return real_fit(self, *args, **kwargs)

    monkeypatch.setattr(module.Hybrid, "fit", counting_fit)
    health = community("Health Builders", tags=["医疗"], description="数字医疗 创业者")
    newcomer = interested(MemberFactory(), "医疗")
    refresh([newcomer.pk])
    assert fits == [] and rows_of(newcomer, Kind.COMMUNITY)[0][0] == health.pk
    refresh([crowd["newcomer"].pk])
    assert fits and rows_of(crowd["newcomer"], Kind.COMMUNITY)[0][1] == "co_joined"


def test_a_sector_reason_reads_in_the_readers_language(db):
    community("Fintech Circle", description="fintech payments")
    newcomer = interested(MemberFactory(), sectors=["fintech"])
    refresh([newcomer.pk])
    [row] = rows_of(newcomer, Kind.COMMUNITY)
    assert row[2] == {"term": {"en": "Fintech", "zh": "金融科技"}}


def test_a_member_refresh_touches_only_that_member(crowd):
    other = crowd["people"][0]
    keep = store(other, "community", crowd["garden"], rank=7)
    refresh([crowd["newcomer"].pk])
    assert Recommendation.objects.filter(pk=keep.pk).exists()
    assert rows_of(crowd["newcomer"], Kind.COMMUNITY)


def test_the_refresh_is_idempotent(crowd):
    event_in(crowd["people"][0], crowd["fintech"], title="Fintech salon")
    refresh_recommendations.enqueue()
    first = sorted(
        Recommendation.objects.values_list(
            "member_id", "kind", "object_id", "rank", "reason_code", "score"
        )
    )
    refresh_recommendations.enqueue()
    second = sorted(
        Recommendation.objects.values_list(
            "member_id", "kind", "object_id", "rank", "reason_code", "score"
        )
    )
    assert first and first == second


def test_a_dismissed_item_is_never_stored_again_and_pushes_down_its_likes(db):
    members = MemberFactory.create_batch(4)
    alike = [
        community(f"Robotics {n}", tags=["robotics", "hardware"], description="robot arms")
        for n in range(3)
    ]
    other = community("Poetry", tags=["poetry"], description="poems and verse")
    anchor = community("Makers", tags=["robotics"], members=members)
    me = interested(MemberFactory(), "robotics", "poetry")
    join(anchor, me)

    def scores():
        return dict(
            Recommendation.objects.filter(member=me, kind=Kind.COMMUNITY).values_list(
                "object_id", "score"
            )
        )

    refresh([me.pk])
    before = scores()
    row = Recommendation.objects.get(member=me, kind=Kind.COMMUNITY, object_id=alike[0].pk)
    services.dismiss_suggestion(me, row.pk)
    refresh([me.pk])
    after = scores()
    assert alike[0].pk not in after
    lead_before = before[alike[1].pk] - before[other.pk]
    lead_after = after[alike[1].pk] - after[other.pk]
    assert lead_after < lead_before - 1


def test_signals_decay_with_the_configured_half_life(settings, db):
    member = MemberFactory()
    club = community("Old club")
    Membership.objects.filter(community=club).delete()
    Membership.objects.create(
        community=club, user=member, joined_at=timezone.now() - timedelta(days=30)
    )
    settings.DISCOVERY_HALF_LIFE_DAYS = 30
    snap = adapter.snapshot()
    weight = snap.kinds[Kind.COMMUNITY].matrix.toarray().max()
    assert weight == pytest.approx(adapter.WEIGHTS["join"] / 2, rel=1e-3)
    settings.DISCOVERY_HALF_LIFE_DAYS = 60
    weight = adapter.snapshot().kinds[Kind.COMMUNITY].matrix.toarray().max()
    assert weight == pytest.approx(adapter.WEIGHTS["join"] * 2**-0.5, rel=1e-3)


def test_a_check_in_says_more_than_an_rsvp_and_a_cancelled_rsvp_says_nothing(db):
    owner, going, arrived, cancelled = MemberFactory.create_batch(4)
    event = event_in(owner, title="Salon")
    RSVP.objects.create(event=event, user=going, status=RSVPStatus.CONFIRMED)
    RSVP.objects.create(
        event=event, user=arrived, status=RSVPStatus.CONFIRMED, checked_in_at=timezone.now()
    )
    RSVP.objects.create(event=event, user=cancelled, status=RSVPStatus.CANCELLED)
    snap = adapter.snapshot()
    matrix, index = snap.kinds[Kind.EVENT].matrix.toarray(), snap.member_index
    assert matrix[index[arrived.pk], 0] > matrix[index[going.pk], 0] > 0
    assert matrix[index[cancelled.pk], 0] == 0


def test_replies_and_reactions_are_signals_for_posts_and_people(db):
    author, reader = MemberFactory.create_batch(2)
    club = community("Club", members=[author, reader])
    first = post(club, author, "First")
    reply(first, reader)
    Reaction.objects.create(user=reader, post=first, kind="like")
    snap = adapter.snapshot()
    posts, people = snap.kinds[Kind.POST], snap.kinds[Kind.PERSON]
    row = snap.member_index[reader.pk]
    expected = adapter.WEIGHTS["reply_to_post"] + adapter.WEIGHTS["react_to_post"]
    assert posts.matrix[row, posts.index[first.pk]] == pytest.approx(expected, rel=1e-3)
    assert people.matrix[row, people.index[author.pk]] > 0


def test_mentors_matched_with_my_project_are_suggested_with_the_need_they_fill(db):
    founder = MemberFactory(display_name="Fang", roles=["founder"])
    mentor = MemberFactory(display_name="Mei", roles=["mentor"])
    project = Project.objects.create(
        slug="robo",
        name="Robo Arm",
        one_liner="Arms",
        stage="seed",
        funding_min=1_000_000,
        funding_notes="Canary-valuation-77",
    )
    project.team.add(founder)
    offer = Offer.objects.create(kind="mentor", owner=mentor, title="Robotics mentoring")
    Match.objects.create(
        project=project,
        offer=offer,
        score=0.8,
        reasons=[["topics", ["robotics"]], ["ticket", []], ["stage", ["seed"]]],
    )
    refresh()
    rows = rows_of(founder, Kind.PERSON)
    assert rows[0][:3] == (mentor.pk, "mentor_for_need", {"term": "robotics"})
    [first] = services.suggestions_for(founder, "people", 1)
    assert first.reason == "Mentor in robotics, which your project needs."
    mentor_rows = rows_of(mentor, Kind.PERSON)
    assert mentor_rows[0][:3] == (founder.pk, "offer_fits_project", {"project": "Robo Arm"})
    stored = str(list(Recommendation.objects.values_list("reason_params", flat=True)))
    assert "Canary" not in stored and "1000000" not in stored


def test_a_closed_offer_or_an_inactive_owner_leads_nowhere(db):
    founder = MemberFactory(roles=["founder"])
    mentor = MemberFactory(roles=["mentor"])
    project = Project.objects.create(slug="p", name="P", one_liner="p", stage="seed")
    project.team.add(founder)
    offer = Offer.objects.create(kind="mentor", owner=mentor, title="M", active=False)
    Match.objects.create(project=project, offer=offer, score=0.9, reasons=[["topics", ["ai"]]])
    refresh()
    assert all(r[1] != "mentor_for_need" for r in rows_of(founder, Kind.PERSON))


def test_profile_views_are_counted_for_members_only_and_become_a_people_signal(db):
    from django.test import Client

    from seedbed.discovery.models import ProfileView
    from tests.discovery.conftest import client_for

    viewer, viewed = MemberFactory.create_batch(2)
    client = client_for(viewer)
    for _ in range(3):
        assert client.get(f"/members/{viewed.pk}/").status_code == 200
    client.get(f"/members/{viewer.pk}/")
    Client().get(f"/members/{viewed.pk}/")
    [row] = ProfileView.objects.all()
    assert (row.viewer, row.member, row.views) == (viewer, viewed, 3)
    snap = adapter.snapshot()
    people = snap.kinds[Kind.PERSON]
    weight = people.matrix[snap.member_index[viewer.pk], people.index[viewed.pk]]
    assert weight == pytest.approx(adapter.WEIGHTS["profile_view"] * (1 + math.log(3)), rel=1e-3)


def test_events_already_answered_or_over_are_never_stored(db):
    owner, member = MemberFactory.create_batch(2)
    interested(member, "salon")
    answered = event_in(owner, title="Answered salon", description="salon")
    over = event_in(owner, title="Past salon", days=-5, description="salon")
    fresh = event_in(owner, title="Fresh salon", description="salon")
    RSVP.objects.create(event=answered, user=member, status=RSVPStatus.CANCELLED)
    refresh([member.pk])
    stored = {r[0] for r in rows_of(member, Kind.EVENT)}
    assert stored == {fresh.pk}
    assert over.pk not in stored
