"""Operators and community owners curate ordered tracks; members follow them and see their
progress."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from seedbed.library import services
from tests.library.conftest import api_for, client_for, published


@pytest.fixture
def fundraising(world):
    operator = world["operator"]
    track = services.create_track(operator, title="Fundraising 101", description="**Start here**")
    extra = published(operator, title="Cap table template", kind="template")
    services.set_track_resources(operator, track.pk, [world["platform_resource"].pk, extra.pk])
    return track, world["platform_resource"], extra


def test_who_may_curate(world):
    assert services.create_track(world["owner"], title="Ours", community=world["public"].slug)
    for user, community in (
        (world["member"], world["public"].slug),
        (world["moderator"], world["public"].slug),
        (world["owner"], None),
    ):
        with pytest.raises(PermissionDenied):
            services.create_track(user, title="Not allowed", community=community)


def test_a_community_track_takes_its_own_and_platform_resources(world):
    track = services.create_track(world["owner"], title="Ours", community=world["private"].slug)
    services.set_track_resources(
        world["owner"], track.pk, [world["private_resource"].pk, world["platform_resource"].pk]
    )
    with pytest.raises(Exception) as refused:
        services.add_to_track(world["owner"], track.pk, world["public_resource"].pk)
    assert refused.typename == "ValidationError"


def test_order_moves_and_removal(world, fundraising):
    track, first, second = fundraising
    operator = world["operator"]
    services.move_in_track(operator, track.pk, second.pk, -1)
    assert [r.pk for r in services.view_track(operator, track.pk).resources] == [
        second.pk,
        first.pk,
    ]
    services.remove_from_track(operator, track.pk, second.pk)
    assert [r.pk for r in services.view_track(operator, track.pk).resources] == [first.pk]
    with pytest.raises(PermissionDenied):
        services.add_to_track(world["member"], track.pk, second.pk)


def test_following_and_progress(world, fundraising):
    track, first, _second = fundraising
    member = world["member"]
    services.follow_track(member, track.pk)
    services.mark_done(member, first.pk)
    view = services.view_track(member, track.pk)
    assert (view.following, view.done, view.total, view.percent) == (True, 1, 2, 50)
    [followed] = services.followed_tracks(member)
    assert (followed.track, followed.done, followed.total) == (track, 1, 2)
    services.follow_track(member, track.pk, False)
    assert services.followed_tracks(member) == []


def test_hidden_resources_leave_the_track_and_its_count(world, fundraising):
    track, first, _second = fundraising
    assert services.tracks(world["member"]).get(pk=track.pk).size == 2
    services.decide_resource(world["operator"], first.pk, "hide")
    assert services.view_track(world["member"], track.pk).total == 1
    assert services.tracks(world["member"]).get(pk=track.pk).size == 1


def test_the_track_page_shows_progress_and_curator_buttons(world, fundraising):
    track, first, _second = fundraising
    services.mark_done(world["member"], first.pk)
    page = client_for(world["member"]).get(reverse("library:track", args=[track.pk]))
    assert page.status_code == 200
    assert "1 of 2 done (50%)" in page.text and "<strong>Start here</strong>" in page.text
    assert "Move up" not in page.text
    curator = client_for(world["operator"]).get(reverse("library:track", args=[track.pk]))
    assert "Move up" in curator.text
    moved = client_for(world["operator"]).post(
        reverse("library:curate", args=[track.pk, "down"]), {"resource": first.pk}
    )
    assert moved.status_code == 302
    assert services.view_track(world["member"], track.pk).resources[-1] == first
    refused = client_for(world["member"]).post(
        reverse("library:curate", args=[track.pk, "down"]), {"resource": first.pk}
    )
    assert refused.status_code == 403
    assert (
        client_for(world["operator"])
        .post(reverse("library:curate", args=[track.pk, "shuffle"]), {"resource": first.pk})
        .status_code
        == 404
    )
    assert (
        client_for(world["operator"])
        .post(reverse("library:curate", args=[track.pk, "up"]), {"resource": "x"})
        .status_code
        == 404
    )


def test_the_api_creates_orders_and_follows(world):
    api = api_for(world["operator"])
    created = api.post(
        "/api/v1/library/tracks",
        json.dumps({"title": "大模型应用创业"}),
        content_type="application/json",
    )
    assert created.status_code == 201
    track_id = created.json()["id"]
    ordered = api.put(
        f"/api/v1/library/tracks/{track_id}/resources",
        json.dumps({"resources": [world["platform_resource"].pk]}),
        content_type="application/json",
    )
    assert [r["title"] for r in ordered.json()["resources"]] == ["Deep Learning"]
    refused = api.put(
        f"/api/v1/library/tracks/{track_id}/resources",
        json.dumps({"resources": [world["private_resource"].pk]}),
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "resources"
    member = api_for(world["member"])
    assert member.put(f"/api/v1/library/tracks/{track_id}/follow").status_code == 204
    assert member.get(f"/api/v1/library/tracks/{track_id}").json()["following"] is True
    forbidden = member.post(
        "/api/v1/library/tracks", json.dumps({"title": "Mine"}), content_type="application/json"
    )
    assert forbidden.status_code == 403
