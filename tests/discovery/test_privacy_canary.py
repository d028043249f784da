"""The privacy canary: distinctive private things are planted where the engine would love to
suggest them (they match the outsider's interests and are the most popular items there are),
everything is refreshed, and nothing of them may reach an outsider through the service, the
For you page, the API or the digest. Read time filters again, for changes after a refresh."""

from datetime import timedelta

import pytest
from django.utils import timezone

from seedbed.communities.models import Ban, Membership, Reaction, Visibility
from seedbed.discovery import services
from seedbed.discovery.models import Kind, Recommendation
from seedbed.discovery.refresh import refresh
from seedbed.events.models import RSVP, RSVPStatus
from seedbed.matching.models import Match, Offer, Project
from seedbed.notifications.services import digest_for
from tests.discovery.conftest import client_for, community, event_in, interested, post, reply
from tests.factories import MemberFactory

CANARY = "Zebracanary"


@pytest.fixture
def planted(db):
    insiders = MemberFactory.create_batch(6)
    for m in insiders:
        interested(m, "quantum")
    private = community(
        f"{CANARY} private club",
        tags=["quantum"],
        visibility=Visibility.PRIVATE,
        description="quantum computing",
        members=insiders,
    )
    hidden = community(
        f"{CANARY} hidden room",
        tags=["quantum"],
        visibility=Visibility.HIDDEN,
        description="quantum computing",
        members=insiders,
    )
    archived = community(f"{CANARY} archived", tags=["quantum"], members=insiders)
    archived.archived_at = timezone.now()
    archived.save()
    banned_from = community(f"{CANARY} banned", tags=["quantum"], members=insiders)
    secret_posts = []
    for home in (private, hidden):
        for n in range(3):
            made = post(home, insiders[n], f"{CANARY} secret post {n}", "quantum", tags=["quantum"])
            secret_posts.append(made)
            for other in insiders[3:]:
                reply(made, other)
                Reaction.objects.create(user=other, post=made, kind="like")
    secret_events = [
        event_in(insiders[0], private, title=f"{CANARY} private salon", description="quantum"),
        event_in(insiders[0], hidden, title=f"{CANARY} hidden salon", description="quantum"),
        event_in(
            insiders[0],
            None,
            title=f"{CANARY} cancelled",
            description="quantum",
            cancelled_at=timezone.now(),
        ),
        event_in(insiders[0], None, title=f"{CANARY} over", days=-3, description="quantum"),
    ]
    for event in secret_events:
        for m in insiders:
            RSVP.objects.create(event=event, user=m, status=RSVPStatus.CONFIRMED)
    gone = interested(MemberFactory(display_name=f"{CANARY} gone", is_active=False), "quantum")
    for m in insiders:
        Membership.objects.create(community=private, user=gone) if m is insiders[0] else None
    project = Project.objects.create(
        slug="canary",
        name="Quiet Project",
        one_liner="q",
        stage="seed",
        funding_notes=f"{CANARY} valuation",
        funding_min=7_777_777,
    )
    project.team.add(insiders[0])
    # Some ordinary public things, so the outsider has suggestions at all.
    public = community("Open quantum meetup", tags=["quantum"], members=insiders[:2])
    open_post = post(public, insiders[0], "Open quantum notes", "quantum", tags=["quantum"])
    open_event = event_in(insiders[0], public, title="Open quantum salon", description="quantum")
    outsider = interested(MemberFactory(display_name="Olly Outsider"), "quantum")
    Ban.objects.create(community=banned_from, user=outsider)
    offer = Offer.objects.create(kind="investor", owner=outsider, title="Quantum fund")
    Match.objects.create(
        project=project,
        offer=offer,
        score=0.9,
        reasons=[["sectors", ["ai"]], ["ticket", []]],
    )
    newcomer_insider = interested(MemberFactory(), "quantum")
    Membership.objects.create(community=private, user=newcomer_insider)
    refresh()
    return {
        "outsider": outsider,
        "insider": newcomer_insider,
        "private": private,
        "secret_ids": {
            Kind.COMMUNITY: {private.pk, hidden.pk, archived.pk, banned_from.pk},
            Kind.POST: {p.pk for p in secret_posts},
            Kind.EVENT: {e.pk for e in secret_events},
            Kind.PERSON: {gone.pk},
        },
        "open": {Kind.COMMUNITY: public.pk, Kind.POST: open_post.pk, Kind.EVENT: open_event.pk},
    }


def test_no_private_thing_is_stored_for_an_outsider(planted):
    outsider = planted["outsider"]
    for kind, secret in planted["secret_ids"].items():
        stored = set(
            Recommendation.objects.filter(member=outsider, kind=kind).values_list(
                "object_id", flat=True
            )
        )
        assert not stored & secret, kind
    for kind, open_id in planted["open"].items():
        assert Recommendation.objects.filter(
            member=outsider, kind=kind, object_id=open_id
        ).exists(), kind


def test_the_canary_is_real_a_member_of_the_private_club_gets_its_posts(planted):
    stored = set(
        Recommendation.objects.filter(member=planted["insider"], kind=Kind.POST).values_list(
            "object_id", flat=True
        )
    )
    assert stored & planted["secret_ids"][Kind.POST]


def test_no_private_thing_reaches_an_outsider_anywhere(planted):
    outsider = planted["outsider"]
    said = [s for kind in services.KINDS for s in services.suggestions_for(outsider, kind, 50)]
    assert said
    assert not [s for s in said if CANARY in s.title or CANARY in s.reason]
    client = client_for(outsider)
    page = client.get("/for-you/").content.decode()
    assert "Open quantum" in page and CANARY not in page
    for kind in services.KINDS:
        answer = client.get(f"/api/v1/recommendations?kind={kind}&page_size=100")
        assert answer.status_code == 200 and CANARY not in answer.content.decode()
    digest = digest_for(outsider, timezone.now() - timedelta(days=7))
    assert digest["sections"] and CANARY not in "".join(digest["sections"])
    stored = str(list(Recommendation.objects.values_list("reason_params", flat=True)))
    assert "7777777" not in stored and "valuation" not in stored


def test_leaving_a_community_hides_its_posts_at_once_without_a_refresh(planted):
    insider, private = planted["insider"], planted["private"]
    assert any(CANARY in s.title for s in services.suggestions_for(insider, "posts", 50))
    Membership.objects.filter(community=private, user=insider).delete()
    assert not any(CANARY in s.title for s in services.suggestions_for(insider, "posts", 50))
    page = client_for(insider).get("/for-you/").content.decode()
    assert "secret post" not in page and "private club" not in page


def test_a_member_deactivated_after_the_refresh_is_not_suggested(planted):
    outsider = planted["outsider"]
    people = services.suggestions_for(outsider, "people", 50)
    assert people
    people[0].object.is_active = False
    people[0].object.save()
    assert people[0].object not in [
        s.object for s in services.suggestions_for(outsider, "people", 50)
    ]


def test_a_cancelled_event_disappears_at_once(planted):
    outsider = planted["outsider"]
    [event] = services.suggestions_for(outsider, "events", 1)
    event.object.cancelled_at = timezone.now()
    event.object.save()
    assert event.object not in [s.object for s in services.suggestions_for(outsider, "events", 50)]


def test_a_reason_naming_a_community_the_reader_left_falls_back_to_the_generic_sentence(db):
    from tests.discovery.conftest import join, store

    reader = MemberFactory()
    secret = community("Quiet room", visibility=Visibility.HIDDEN)
    join(secret, reader)
    target = community("Open room")
    store(
        reader,
        "community",
        target,
        code="co_joined",
        params={"community": "Quiet room", "via": secret.pk},
    )
    [shown] = services.suggestions_for(reader, "communities")
    assert shown.reason == "Members who joined Quiet room also joined this."
    Membership.objects.filter(community=secret, user=reader).delete()
    [shown] = services.suggestions_for(reader, "communities")
    assert "Quiet room" not in shown.reason
    assert shown.reason == "Suggested for you from your activity."
