"""Every library page and endpoint costs a fixed number of queries, whatever the data size."""

import pytest
from django.urls import reverse

from seedbed.core.services import tags_named
from seedbed.library import services
from tests.factories import MemberFactory
from tests.library.conftest import api_for, client_for, published


@pytest.fixture
def crowded(world, settings):
    settings.POSTING_RATE_LIMITS = [(1000, 60)]
    operator, member = world["operator"], world["member"]
    member.interests.set(tags_named(["fundraising", "machine learning"]))
    track = services.create_track(operator, title="Fundraising 101")
    resources = [
        published(
            operator,
            title=f"Resource {i}",
            topics=["fundraising", f"topic {i}"],
            sectors=["fintech", "ai"],
        )
        for i in range(12)
    ]
    services.set_track_resources(operator, track.pk, [r.pk for r in resources])
    services.follow_track(member, track.pk)
    for resource in resources[:6]:
        services.save_resource(member, resource.pk)
        services.mark_done(member, resource.pk)
        rater = MemberFactory()
        services.rate_resource(rater, resource.pk, 4, "ok")
        services.mark_done(rater, resources[-1].pk)
        services.report_resource(rater, resource.pk, "spam")
    return {"track": track, "resources": resources, **world}


@pytest.mark.parametrize(
    "path, who",
    [
        ("library:home", "member"),
        ("library:home", None),
        ("library:mine", "member"),
        ("library:queue", "operator"),
    ],
)
def test_pages(crowded, django_assert_max_num_queries, path, who):
    client = client_for(crowded[who] if who else None)
    with django_assert_max_num_queries(24):
        assert client.get(reverse(path)).status_code == 200


def test_resource_and_track_pages(crowded, django_assert_max_num_queries):
    client = client_for(crowded["member"])
    resource = crowded["resources"][0]
    with django_assert_max_num_queries(16):
        assert client.get(reverse("library:resource", args=[resource.pk])).status_code == 200
    with django_assert_max_num_queries(16):
        page = client.get(reverse("library:track", args=[crowded["track"].pk]))
        assert page.status_code == 200
    operator = client_for(crowded["operator"])
    with django_assert_max_num_queries(18):
        assert operator.get(reverse("library:track", args=[crowded["track"].pk])).status_code == 200


@pytest.mark.parametrize(
    "path, budget",
    [
        ("/api/v1/library/resources", 10),
        ("/api/v1/library/mine", 10),
        ("/api/v1/library/suggestions", 18),
        ("/api/v1/library/tracks", 10),
    ],
)
def test_api_lists(crowded, django_assert_max_num_queries, path, budget):
    api = api_for(crowded["member"])
    with django_assert_max_num_queries(budget):
        assert api.get(path).status_code == 200


def test_api_track_and_ratings(crowded, django_assert_max_num_queries):
    api = api_for(crowded["member"])
    with django_assert_max_num_queries(14):
        assert api.get(f"/api/v1/library/tracks/{crowded['track'].pk}").status_code == 200
    resource = crowded["resources"][0]
    with django_assert_max_num_queries(10):
        assert api.get(f"/api/v1/library/resources/{resource.pk}/ratings").status_code == 200
