"""A member banned from a community can no longer read it, public or private, so search must
not find it for them either: not the community, its posts, its replies nor its events, on the
page, in the API or in the counts. Everyone else still finds it."""

import pytest

from seedbed.communities import services
from seedbed.communities.models import Ban, Membership
from seedbed.search.services import search_everything
from tests.communities.conftest import add_member, client_for
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return MemberFactory()


@pytest.fixture
def outsider(db):
    return MemberFactory()


@pytest.fixture
def club(owner, request):
    return services.create_community(
        owner, name="Quokka Collective", description="quokka founders", visibility=request.param
    )


def _write(club, author, bystander):
    post = services.create_post(author, club.slug, title="Quokka pitch night", body="quokka")
    services.create_reply(bystander, post.pk, body="See you at the quokka night")


@pytest.mark.parametrize("club", ["public", "private"], indirect=True)
def test_a_banned_member_finds_nothing_of_the_community(club, owner):
    banned, bystander = add_member(club), add_member(club)
    _write(club, banned, bystander)
    assert search_everything(banned, "quokka").counts == {"community": 1, "post": 1}

    services.remove_member(owner, club.slug, banned.pk, ban=True)

    page = search_everything(banned, "quokka")
    assert page.total == 0 and page.counts == {} and page.hits == []
    assert search_everything(banned, "uokk").total == 0  # the substring fallback
    assert search_everything(bystander, "uokk").total == 2
    assert search_everything(bystander, "quokka").counts == {"community": 1, "post": 1}


@pytest.mark.parametrize("club", ["public", "private"], indirect=True)
def test_a_ban_left_beside_a_membership_still_hides_the_community(club, owner):
    """Rows written behind the services' backs (an import, the admin) must not reopen it."""
    banned, bystander = add_member(club), add_member(club)
    _write(club, bystander, bystander)
    Ban.objects.create(community=club, user=banned, banned_by=owner)
    assert Membership.objects.filter(community=club, user=banned).exists()
    assert search_everything(banned, "quokka").total == 0


@pytest.mark.parametrize("club", ["public"], indirect=True)
def test_the_search_page_and_api_hide_it_from_the_banned_member_only(club, owner, outsider):
    banned, bystander = add_member(club), add_member(club)
    _write(club, bystander, bystander)
    services.remove_member(owner, club.slug, banned.pk, ban=True)

    api = client_for(banned).get("/api/v1/search", {"q": "quokka"})
    assert api.status_code == 200
    assert api.json()["total"] == 0 and api.json()["counts"] == {}
    page = client_for(banned).get("/search/", {"q": "quokka"}).content.decode()
    assert f"/c/{club.slug}/" not in page and "/p/" not in page

    for searcher in (None, outsider):
        assert client_for(searcher).get("/api/v1/search", {"q": "quokka"}).json()["total"] == 2
        found = client_for(searcher).get("/search/", {"q": "quokka"}).content.decode()
        assert f"/c/{club.slug}/" in found


@pytest.mark.parametrize("club", ["public"], indirect=True)
def test_lifting_the_ban_makes_the_public_community_findable_again(club, owner):
    banned = add_member(club)
    services.remove_member(owner, club.slug, banned.pk, ban=True)
    assert search_everything(banned, "quokka").total == 0
    services.unban_member(owner, club.slug, banned.pk)
    assert search_everything(banned, "quokka").total == 1


@pytest.mark.parametrize("club", ["public"], indirect=True)
def test_searching_while_banned_keeps_the_query_budget(club, owner, django_assert_max_num_queries):
    banned = add_member(club)
    services.remove_member(owner, club.slug, banned.pk, ban=True)
    browser = client_for(banned)
    with django_assert_max_num_queries(8):
        assert browser.get("/api/v1/search", {"q": "quokka"}).status_code == 200
