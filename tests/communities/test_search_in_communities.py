import pytest
from django.test import Client

from seedbed.communities import services
from seedbed.search.services import search_everything
from tests.communities.conftest import add_member, client_for

pytestmark = pytest.mark.django_db


def test_members_find_their_private_posts_and_outsiders_do_not(
    private, member_of_private, outsider
):
    services.create_post(
        member_of_private, private.slug, title="天使轮融资经验", body="我们正在寻找天使轮融资"
    )
    assert search_everything(member_of_private, "融资").total == 1
    assert search_everything(outsider, "融资").total == 0
    assert search_everything(None, "融资").total == 0


def test_public_posts_are_found_by_visitors_with_highlighted_snippets(public, member_of_public):
    services.create_post(
        member_of_public, public.slug, title="Founders dinner", body="Meet other founders"
    )
    response = Client().get("/search/?q=found")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<mark>" in body and "Founders dinner" in body.replace("<mark>", "").replace(
        "</mark>", ""
    )


def test_the_search_api_returns_hits_with_a_total(public, member_of_public):
    services.create_post(
        member_of_public, public.slug, title="Hiring a CTO", body="Rust and Python"
    )
    body = client_for(member_of_public).get("/api/v1/search?q=python&type=post").json()
    assert body["total"] == 1 and body["hits"][0]["kind"] == "post"


def test_joining_makes_private_content_searchable_and_leaving_hides_it_again(
    private, member_of_private, owner
):
    services.create_post(
        member_of_private, private.slug, title="Board deck", body="quarterly numbers"
    )
    newcomer = add_member(private)
    assert search_everything(newcomer, "quarterly").total == 1
    services.leave_community(newcomer, private.slug)
    assert search_everything(newcomer, "quarterly").total == 0


def test_making_a_community_private_takes_its_posts_out_of_public_search(
    public, owner, member_of_public
):
    services.create_post(member_of_public, public.slug, title="Pitch practice", body="tips")
    assert search_everything(None, "pitch").total == 1
    services.update_community(owner, public.slug, visibility="private")
    assert search_everything(None, "pitch").total == 0
    assert search_everything(member_of_public, "pitch").total == 1


def test_a_removed_post_vanishes_from_search(public, owner, member_of_public):
    post = services.create_post(member_of_public, public.slug, title="Spam spam", body="spam")
    services.moderate(owner, action="remove", post_id=post.pk)
    assert search_everything(owner, "spam").total == 0


def test_hostile_search_input_is_harmless(public):
    for q in ['"', "*", "AND (", "-", "NEAR/2", "a" * 200, "<script>", "%", "融"]:
        assert Client().get("/search/", {"q": q}).status_code == 200
        assert Client().get("/api/v1/search", {"q": q}).status_code == 200


def test_an_over_long_search_is_refused_with_a_message_not_cut_short(public):
    page = Client().get("/search/", {"q": "a" * 201})
    assert page.status_code == 400 and "at most 200 characters" in page.content.decode()
    api = Client().get("/api/v1/search", {"q": "a" * 201})
    assert api.status_code == 422 and api.json()["errors"][0]["field"] == "q"
