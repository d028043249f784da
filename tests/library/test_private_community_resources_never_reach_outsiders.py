"""A private community's resources and files reach its members only: pages, API, file
downloads, lists and counts, tracks, suggestions, search, events and posts."""

import pytest
from django.urls import reverse

from seedbed.communities import services as community_services
from seedbed.library import services
from seedbed.library.models import ResourceStatus
from seedbed.library.suggestions import suggestions_for
from tests.library.conftest import api_for, client_for


def test_outsiders_and_visitors_get_404_for_the_page_the_api_and_the_file(world):
    secret = world["private_resource"]
    for user in (world["outsider"], None):
        client = client_for(user)
        assert client.get(reverse("library:resource", args=[secret.pk])).status_code == 404
        assert client.get(reverse("library:file", args=[secret.pk])).status_code == 404
        api = client.get(f"/api/v1/library/resources/{secret.pk}")
        assert api.status_code == 404
        assert api.json()["code"] == "not_found"
        file_api = client.get(f"/api/v1/library/resources/{secret.pk}/file")
        assert file_api.status_code == 404
        assert client.get(f"/api/v1/library/resources/{secret.pk}/ratings").status_code == 404


def test_members_get_the_page_and_the_file(world):
    secret = world["private_resource"]
    client = client_for(world["member"])
    page = client.get(reverse("library:resource", args=[secret.pk]))
    assert page.status_code == 200 and "Secret cap table" in page.text
    download = client.get(reverse("library:file", args=[secret.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_the_file_is_not_under_a_public_media_url(world, client):
    secret = world["private_resource"]
    assert client.get("/media/" + secret.file.name).status_code == 404
    assert secret.file.name.endswith(".pdf") and "secret" not in secret.file.name


def test_lists_and_counts_leave_the_private_resource_out(world):
    secret = world["private_resource"]
    outsider_titles = [r.title for r in services.browse(world["outsider"])]
    assert "Secret cap table" not in outsider_titles
    assert "Open term sheet guide" in outsider_titles
    api = api_for(world["outsider"]).get("/api/v1/library/resources?topic=fundraising").json()
    assert api["count"] == 1
    assert [r["title"] for r in api["items"]] == ["Open term sheet guide"]
    assert "Secret cap table" in [r.title for r in services.browse(world["member"])]
    page = client_for(world["outsider"]).get(reverse("library:home"))
    assert "Secret cap table" not in page.text
    with pytest.raises(Exception) as refused:
        services.browse(world["outsider"], community=world["private"].slug)
    assert refused.typename == "Http404"
    assert secret.pk not in [r.pk for r in services.browse(world["member"], kind="paper")]


def test_a_member_who_leaves_loses_it_from_their_library(world):
    member, secret = world["member"], world["private_resource"]
    services.save_resource(member, secret.pk)
    assert [r.pk for r in services.my_library(member)] == [secret.pk]
    community_services.leave_community(member, world["private"].slug)
    assert list(services.my_library(member)) == []
    with pytest.raises(Exception) as refused:
        services.get_resource(member, secret.pk)
    assert refused.typename == "Http404"


def test_suggestions_never_offer_it_to_an_outsider(world):
    outsider = world["outsider"]
    outsider.interests.set([world["private_resource"].topics.get()])
    titles = [s.resource.title for s in suggestions_for(outsider)]
    assert titles == ["Open term sheet guide"]
    member = world["member"]
    member.interests.set([world["private_resource"].topics.get()])
    assert {s.resource.title for s in suggestions_for(member)} == {
        "Open term sheet guide",
        "Secret cap table",
    }
    response = api_for(outsider).get("/api/v1/library/suggestions").json()
    assert [s["resource"]["title"] for s in response] == ["Open term sheet guide"]


def test_a_track_of_the_platform_cannot_carry_a_private_resource(world):
    track = services.create_track(world["operator"], title="Fundraising 101")
    with pytest.raises(Exception) as refused:
        services.set_track_resources(world["operator"], track.pk, [world["private_resource"].pk])
    assert refused.typename == "ValidationError"


def test_a_private_communitys_track_is_hidden_from_outsiders(world):
    track = services.create_track(
        world["owner"], title="Closed track", community=world["private"].slug
    )
    services.set_track_resources(world["owner"], track.pk, [world["private_resource"].pk])
    assert (
        client_for(world["outsider"]).get(reverse("library:track", args=[track.pk])).status_code
        == 404
    )
    assert api_for(world["outsider"]).get(f"/api/v1/library/tracks/{track.pk}").status_code == 404
    assert "Closed track" not in [t.title for t in services.tracks(world["outsider"])]
    view = services.view_track(world["member"], track.pk)
    assert [r.title for r in view.resources] == ["Secret cap table"]


def test_a_private_resource_cannot_be_attached_to_a_public_event(world):
    from seedbed.events import services as events
    from tests.events.conftest import event_fields

    event = events.create_event(world["owner"], community=world["public"].slug, **event_fields())
    with pytest.raises(Exception) as refused:
        services.attach_to_event(world["owner"], event.pk, world["private_resource"].pk)
    assert refused.typename == "ValidationError"
    services.attach_to_event(world["owner"], event.pk, world["public_resource"].pk)
    response = client_for(None).get(f"/api/v1/events/{event.pk}/resources").json()
    assert [r["title"] for r in response] == ["Open term sheet guide"]


def test_pending_resources_stay_out_of_every_list(world):
    pending = services.add_resource(
        world["member"], kind="paper", title="Draft paper", link="https://example.org/p"
    )
    assert pending.status == ResourceStatus.PENDING
    for user in (world["outsider"], world["moderator"], None):
        assert "Draft paper" not in [r.title for r in services.browse(user)]


def test_search_finds_it_only_for_members(world):
    from seedbed.library import indexing
    from seedbed.search import services as search

    indexing.rebuild()
    for user, expected in ((world["outsider"], 0), (None, 0), (world["member"], 1)):
        ids = world["private"].pk if user is world["member"] else None
        page = search.search(
            "Secret cap table",
            member_community_ids=[ids] if ids else [],
            signed_in=user is not None,
            kinds=["resource"],
        )
        assert page.total == expected, user
    open_page = search.search("term sheet guide", member_community_ids=[], kinds=["resource"])
    assert [h.object_id for h in open_page.hits] == [world["public_resource"].pk]
