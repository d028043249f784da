"""The learning library's resources in search, indexed as the library does (``Document`` of
kind "resource", its resource kind in ``flag``): a "Library" tab on the page and
``type=resource`` in the API, a ranking prior, a hit that names its kind and links to the
resource, and the visibility of the community it belongs to (a platform-wide one is public)."""

import pytest
from django.utils import timezone

from seedbed.communities import services as communities
from seedbed.communities.models import Visibility
from seedbed.search import services as search
from seedbed.search.models import Kind
from tests.communities.conftest import add_member, client_for
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return MemberFactory()


@pytest.fixture
def private(owner):
    return communities.create_community(owner, name="Inner Circle", visibility=Visibility.PRIVATE)


def index_resource(pk, title, *, community=None, kind="book", body="a resource"):
    """What ``seedbed.library.indexing`` hands over for one published resource."""
    search.index_documents(
        [
            search.Document(
                Kind.RESOURCE,
                pk,
                title,
                body,
                f"/library/{pk}/",
                timezone.now(),
                community_id=community.pk if community else None,
                is_public=community is None or community.visibility == Visibility.PUBLIC,
                flag=kind,
            )
        ]
    )


def test_a_platform_resource_is_found_by_everyone_under_the_library_tab(owner):
    index_resource(1, "Lean Startup Handbook", kind="book")
    api = client_for(None).get("/api/v1/search", {"q": "handbook", "type": "resource"})
    assert api.status_code == 200
    body = api.json()
    assert body["counts"] == {"resource": 1} and body["total"] == 1
    hit = body["hits"][0]
    assert (hit["type"], hit["kind"], hit["flag"], hit["url"]) == (
        "resource",
        "resource",
        "book",
        "/library/1/",
    )
    page = client_for(None).get("/search/", {"q": "handbook"}).content.decode()
    assert 'href="?q=handbook&amp;type=resource"' in page and "Library" in page
    assert 'href="/library/1/"' in page and "Library · Book" in page


def test_the_library_tab_and_the_resource_kind_are_in_chinese(owner):
    index_resource(2, "Pitch deck template", kind="template")
    page = client_for(None).get(
        "/search/", {"q": "pitch", "type": "resource"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "资料库" in body and "模板" in body


def test_the_resource_tab_holds_resources_only(owner):
    public = communities.create_community(owner, name="Open Forum")
    communities.create_post(owner, public.slug, title="Fundraising notes", body="seed round")
    index_resource(3, "Fundraising course", community=public, kind="course")
    assert search.search_everything(None, "fundraising").counts == {"post": 1, "resource": 1}
    hits = search.search_everything(None, "fundraising", type="resource").hits
    assert [(h.kind, h.object_id) for h in hits] == [("resource", 3)]


def test_a_resource_of_a_private_community_is_for_its_members_only(owner, private):
    member, outsider = add_member(private), MemberFactory()
    index_resource(4, "Cap table paper", community=private, kind="paper")
    assert search.search_everything(member, "cap table", type="resource").total == 1
    for searcher in (None, outsider):
        assert search.search_everything(searcher, "cap table").total == 0
        api = client_for(searcher).get("/api/v1/search", {"q": "cap table"}).json()
        assert api["total"] == 0 and api["counts"] == {}


def test_a_resource_follows_its_community_out_of_search(owner):
    public = communities.create_community(owner, name="Open Forum")
    index_resource(5, "Unit economics course", community=public, kind="course")
    banned = add_member(public)
    communities.remove_member(owner, public.slug, banned.pk, ban=True)
    assert search.search_everything(banned, "unit economics").total == 0
    communities.update_community(owner, public.slug, visibility=Visibility.PRIVATE)
    assert search.search_everything(None, "unit economics").total == 0
    assert search.search_everything(owner, "unit economics").total == 1
    communities.archive_community(owner, public.slug)
    assert search.search_everything(owner, "unit economics").total == 0


def test_a_resource_ranks_above_a_post_that_says_the_same(owner):
    public = communities.create_community(owner, name="Open Forum")
    communities.create_post(owner, public.slug, title="Okapi valuation", body="okapi methods")
    index_resource(6, "Okapi valuation", community=public, body="okapi methods")
    hits = search.search_everything(None, "okapi valuation").hits
    assert [h.kind for h in hits] == ["resource", "post"]


def test_an_unknown_type_is_still_refused_with_the_field_named(db):
    api = client_for(None).get("/api/v1/search", {"q": "x", "type": "library"})
    assert api.status_code == 422 and api.json()["errors"][0]["field"] == "type"
    assert client_for(None).get("/search/", {"q": "x", "type": "library"}).status_code == 400
