"""Members rate (1–5) and review resources, save them and mark them done; "my library" holds
what they saved and finished. A rating from someone else earns the author points, which
hiding the resource takes back."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from seedbed.engagement.models import PointEntry
from seedbed.library import services
from tests.library.conftest import api_for, client_for


@pytest.fixture
def seasoned(world):
    """Raters old enough for their ratings to earn the author points."""
    for key in ("member", "moderator", "outsider"):
        world[key].date_joined = timezone.now() - timedelta(days=30)
        world[key].save(update_fields=["date_joined"])
    return world


def test_rating_again_replaces_and_the_average_follows(world):
    resource = world["public_resource"]
    services.rate_resource(world["member"], resource.pk, 5, "Clear and short")
    services.rate_resource(world["moderator"], resource.pk, 2)
    services.rate_resource(world["member"], resource.pk, 4, "Still good")
    resource.refresh_from_db()
    assert (resource.rating_count, resource.rating_sum, resource.average_rating) == (2, 6, 3.0)
    reviews = [
        (r.user, r.stars, r.review)
        for r in services.reviews(services.get_resource(None, resource.pk))
    ]
    assert (world["member"], 4, "Still good") in reviews


@pytest.mark.parametrize("stars", [0, 6, -1, True, "5"])
def test_stars_outside_one_to_five_are_refused(world, stars):
    with pytest.raises(ValidationError) as refused:
        services.rate_resource(world["member"], world["public_resource"].pk, stars)
    assert "stars" in refused.value.message_dict


def test_the_author_cannot_rate_their_own_resource(world):
    with pytest.raises(PermissionDenied):
        services.rate_resource(world["owner"], world["public_resource"].pk, 5)


def test_a_rating_from_someone_else_earns_the_author_points_once(seasoned):
    world, resource = seasoned, seasoned["public_resource"]
    services.rate_resource(world["member"], resource.pk, 5)
    services.rate_resource(world["member"], resource.pk, 3)
    services.rate_resource(world["moderator"], resource.pk, 4)
    entries = PointEntry.objects.filter(member=world["owner"], action="resource_rated")
    assert sorted(e.counterpart_id for e in entries) == sorted(
        [world["member"].pk, world["moderator"].pk]
    )
    assert {e.source_kind for e in entries} == {"resource"}


def test_hiding_the_resource_takes_the_points_back_and_restoring_returns_them(seasoned):
    world, resource = seasoned, seasoned["public_resource"]
    services.rate_resource(world["member"], resource.pk, 5)

    def total():
        return sum(
            PointEntry.objects.filter(member=world["owner"]).values_list("amount", flat=True)
        )

    earned = total()
    assert earned > 0
    services.decide_resource(world["moderator"], resource.pk, "hide")
    assert total() == 0
    services.decide_resource(world["moderator"], resource.pk, "approve")
    assert total() == earned


def test_save_and_done_fill_my_library(world):
    member = world["member"]
    first, second = world["public_resource"], world["platform_resource"]
    services.save_resource(member, first.pk)
    services.mark_done(member, second.pk)
    assert {r.pk for r in services.my_library(member)} == {first.pk, second.pk}
    assert [r.pk for r in services.my_library(member, "saved")] == [first.pk]
    assert [r.pk for r in services.my_library(member, "done")] == [second.pk]
    assert services.save_resource(member, first.pk, False) is None
    assert [r.pk for r in services.my_library(member)] == [second.pk]
    with pytest.raises(ValidationError):
        services.my_library(member, "everything")


def test_pages_rate_save_and_show_my_library(world):
    client = client_for(world["member"])
    resource = world["platform_resource"]
    assert (
        client.post(
            reverse("library:rate", args=[resource.pk]), {"stars": "4", "review": "深度好书"}
        ).status_code
        == 302
    )
    assert (
        client.post(reverse("library:shelve", args=[resource.pk, "done"]), {"on": "1"}).status_code
        == 302
    )
    page = client.get(reverse("library:resource", args=[resource.pk]))
    assert "深度好书" in page.text and "Done ✓" in page.text
    assert "Deep Learning" in client.get(reverse("library:mine") + "?shelf=done").text
    assert client.post(reverse("library:shelve", args=[resource.pk, "lost"])).status_code == 404
    assert (
        client_for(None)
        .post(reverse("library:rate", args=[resource.pk]), {"stars": "4"})
        .status_code
        == 302
    )
    assert world["platform_resource"].ratings.count() == 1


def test_the_api_rates_saves_and_lists_my_library(world):
    api = api_for(world["member"])
    resource = world["platform_resource"]
    rated = api.put(
        f"/api/v1/library/resources/{resource.pk}/rating",
        json.dumps({"stars": 5, "review": "Classic"}),
        content_type="application/json",
    )
    assert rated.status_code == 200 and rated.json()["stars"] == 5
    bad = api.put(
        f"/api/v1/library/resources/{resource.pk}/rating",
        json.dumps({"stars": 9}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "stars"
    saved = api.put(
        f"/api/v1/library/resources/{resource.pk}/saved",
        json.dumps({"on": True}),
        content_type="application/json",
    )
    assert saved.json() == {"saved": True, "done": False}
    mine = api.get("/api/v1/library/mine").json()
    assert [r["id"] for r in mine["items"]] == [resource.pk]
    assert client_for(None).get("/api/v1/library/mine").status_code == 401
    listed = client_for(None).get(f"/api/v1/library/resources/{resource.pk}/ratings").json()
    assert [(r["stars"], r["review"]) for r in listed["items"]] == [(5, "Classic")]
