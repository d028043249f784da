import pytest

from seedbed.communities import services
from tests.communities.conftest import add_member, client_for

pytestmark = pytest.mark.django_db


def _posts(user, community, n):
    return [
        services.create_post(user, community.slug, title=f"Post {i}", body="b") for i in range(n)
    ]


def test_the_feed_is_newest_first_across_my_communities_only(public, private, owner):
    me = add_member(public)
    add_member(private, me)
    other = services.create_community(owner, name="Elsewhere")
    a = services.create_post(owner, public.slug, title="A", body="b")
    services.create_post(owner, other.slug, title="Not mine", body="b")
    c = services.create_post(owner, private.slug, title="C", body="b")
    posts, cursor = services.home_feed(me)
    assert posts == [c, a] and cursor == ""


def test_the_feed_cursor_never_skips_or_repeats_even_when_new_posts_arrive(settings, public, owner):
    settings.POSTING_RATE_LIMITS = [(1000, 60)]
    me = add_member(public)
    _posts(owner, public, 25)
    first, cursor = services.home_feed(me, limit=10)
    services.create_post(owner, public.slug, title="Brand new", body="b")
    second, cursor2 = services.home_feed(me, cursor, limit=10)
    third, cursor3 = services.home_feed(me, cursor2, limit=10)
    seen = [p.title for p in first + second + third]
    assert seen == [f"Post {i}" for i in range(24, -1, -1)]
    assert cursor3 == ""


def test_a_tampered_cursor_is_a_404_not_a_500(public, owner):
    me = add_member(public)
    assert client_for(me).get("/feed/?cursor=not-a-cursor").status_code == 404
    assert client_for(me).get("/api/v1/feed?cursor=%%%").status_code == 400
