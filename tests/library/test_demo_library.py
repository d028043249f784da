"""The demo library: bilingual, with the founding brief's classics and the founder templates,
tracks that use them, and ratings only from members who may see each resource."""

import random

import pytest
from django.utils import timezone

from seedbed.communities.models import Membership
from seedbed.demo import accounts, communities
from seedbed.demo.library import load_library
from seedbed.library import services
from seedbed.library.models import LibraryEntry, Rating, Resource, Track

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def library():
    accounts.load_members(40, seed=3)
    now = timezone.now()
    communities.load_communities(random.Random("3:communities"), now)
    return load_library(random.Random("3:library"), now)


def test_the_classics_templates_and_tracks_are_there(library):
    titles = " | ".join(Resource.objects.values_list("title", flat=True))
    for expected in (
        "Deep Learning (Goodfellow, Bengio, Courville)",
        "机器学习实战 Machine Learning in Action",
        "Machine Learning (Andrew Ng)",
        "term sheet",
        "Pitch deck outline",
        "Cap table",
    ):
        assert expected.lower() in titles.lower()
    fundraising = Track.objects.get(title="Fundraising 101")
    llm = Track.objects.get(title="大模型应用创业")
    steps = " ".join(r.title for r in services.track_resources(None, fundraising))
    assert "term sheet" in steps and "Cap table" in steps
    assert services.track_resources(None, llm)[0].title == "Machine Learning (Andrew Ng)"
    assert library["resources"] == Resource.objects.count() and library["ratings"] > 20
    assert Resource.objects.filter(language="zh").exists()


def test_ratings_and_marks_come_only_from_members_who_may_see(library):
    for rating in Rating.objects.select_related("resource").filter(
        resource__community__isnull=False
    ):
        assert Membership.objects.filter(
            user=rating.user_id, community=rating.resource.community_id
        ).exists()
    for entry in LibraryEntry.objects.select_related("resource"):
        assert entry.saved_at or entry.done_at
    for resource in Resource.objects.all():
        stars = list(Rating.objects.filter(resource=resource).values_list("stars", flat=True))
        assert (resource.rating_count, resource.rating_sum) == (len(stars), sum(stars))


def test_the_private_communitys_resource_stays_private(library):
    secret = Resource.objects.get(title__startswith="Seed Founders Circle")
    assert secret.pk not in set(services.browse(None).values_list("pk", flat=True))
