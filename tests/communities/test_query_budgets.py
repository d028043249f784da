import pytest

from seedbed.communities import services
from tests.communities.conftest import add_member, client_for

pytestmark = pytest.mark.django_db


def _fill(community, owner, n):
    for i in range(n):
        author = add_member(community)
        post = services.create_post(
            author, community.slug, title=f"Post {i}", body=f"body {i}", tags=["a", f"t{i}"]
        )
        services.create_reply(owner, post.pk, body="reply")
        services.toggle_reaction(owner, kind="like", post_id=post.pk)


@pytest.fixture
def many(settings):
    settings.POSTING_RATE_LIMITS = [(10_000, 60)]
    settings.COMMUNITY_CREATION_RATE_LIMITS = [(10_000, 60)]


@pytest.mark.parametrize("n", [2, 12])
def test_the_community_page_has_a_fixed_query_budget(
    many, public, owner, django_assert_max_num_queries, n
):
    _fill(public, owner, n)
    browser = client_for(owner)
    with django_assert_max_num_queries(14):
        assert browser.get(f"/c/{public.slug}/").status_code == 200


@pytest.mark.parametrize("n", [1, 10])
def test_the_post_page_has_a_fixed_query_budget(
    many, public, owner, django_assert_max_num_queries, n
):
    post = services.create_post(owner, public.slug, title="t", body="b")
    for _ in range(n):
        replier = add_member(public)
        reply = services.create_reply(replier, post.pk, body="r")
        services.toggle_reaction(owner, kind="like", reply_id=reply.pk)
    browser = client_for(owner)
    with django_assert_max_num_queries(14):
        assert browser.get(f"/p/{post.pk}/").status_code == 200


@pytest.mark.parametrize("n", [2, 12])
def test_the_feed_has_a_fixed_query_budget(many, public, owner, django_assert_max_num_queries, n):
    _fill(public, owner, n)
    browser = client_for(owner)
    with django_assert_max_num_queries(10):
        assert browser.get("/feed/").status_code == 200
    with django_assert_max_num_queries(8):
        assert browser.get("/api/v1/feed").status_code == 200


@pytest.mark.parametrize("n", [2, 12])
def test_search_has_a_fixed_query_budget(many, public, owner, django_assert_max_num_queries, n):
    _fill(public, owner, n)
    browser = client_for(owner)
    with django_assert_max_num_queries(10):
        assert browser.get("/search/?q=body").status_code == 200
    with django_assert_max_num_queries(8):
        assert browser.get("/api/v1/search?q=body").status_code == 200


@pytest.mark.parametrize("n", [2, 12])
def test_the_community_directory_and_lists_have_fixed_query_budgets(
    many, owner, django_assert_max_num_queries, n
):
    for i in range(n):
        community = services.create_community(owner, name=f"C{i}", tags=["x", f"y{i}"])
        add_member(community)
    browser = client_for(owner)
    with django_assert_max_num_queries(10):
        assert browser.get("/c/").status_code == 200
    with django_assert_max_num_queries(8):
        assert browser.get("/api/v1/communities").status_code == 200


@pytest.mark.parametrize("n", [2, 12])
def test_member_lists_and_api_post_lists_have_fixed_budgets(
    many, public, owner, django_assert_max_num_queries, n
):
    _fill(public, owner, n)
    browser = client_for(owner)
    with django_assert_max_num_queries(10):
        assert browser.get(f"/c/{public.slug}/members/").status_code == 200
    with django_assert_max_num_queries(10):
        assert browser.get(f"/api/v1/communities/{public.slug}/posts").status_code == 200
    with django_assert_max_num_queries(10):
        assert browser.get("/api/v1/notifications").status_code == 200
