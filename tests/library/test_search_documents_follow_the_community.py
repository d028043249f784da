"""The search documents the library hands to the index: only published resources, public
exactly when platform-wide or in a public community, tied to their community so the index's
own rules (members only, a community going private or archived) apply to them."""

from seedbed.library import indexing, services
from seedbed.library.models import Resource
from seedbed.search import services as search


def documents() -> dict[int, search.Document]:
    return {
        d.object_id: d for d in indexing._documents(indexing._resources(Resource.objects.all()))
    }


def test_visibility_follows_the_community(world):
    docs = documents()
    private, public = world["private_resource"], world["public_resource"]
    platform = world["platform_resource"]
    assert (docs[private.pk].is_public, docs[private.pk].community_id) == (
        False,
        world["private"].pk,
    )
    assert (docs[public.pk].is_public, docs[public.pk].community_id) == (True, world["public"].pk)
    assert (docs[platform.pk].is_public, docs[platform.pk].community_id) == (True, None)
    assert docs[platform.pk].url == f"/library/r/{platform.pk}/"
    assert "machine learning" in docs[platform.pk].body and "Book" in docs[platform.pk].body
    assert docs[platform.pk].flag == platform.kind  # the hit names the kind of resource


def test_unpublished_and_archived_resources_are_left_out(world):
    pending = services.add_resource(
        world["member"], kind="paper", title="Draft", link="https://example.org/d"
    )
    services.decide_resource(world["operator"], world["public_resource"].pk, "hide")
    from seedbed.communities import services as community_services

    community_services.archive_community(world["owner"], world["private"].slug)
    docs = documents()
    assert pending.pk not in docs
    assert world["public_resource"].pk not in docs
    assert world["private_resource"].pk not in docs
    assert list(docs) == [world["platform_resource"].pk]


def test_the_index_follows_decisions_once_search_knows_resources(
    world, django_capture_on_commit_callbacks
):
    from seedbed.search.models import SearchDocument

    indexing.rebuild()
    resource = world["public_resource"]
    assert SearchDocument.objects.filter(kind="resource", object_id=resource.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_resource(world["moderator"], resource.pk, "hide")
    assert not SearchDocument.objects.filter(kind="resource", object_id=resource.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_resource(world["moderator"], resource.pk, "approve")
    assert SearchDocument.objects.filter(kind="resource", object_id=resource.pk).exists()
