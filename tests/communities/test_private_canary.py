"""A unique string posted in a private community must never reach an outsider: crawl what an
outsider (and a visitor) can reach, pages and API, and look for it everywhere."""

import re

import pytest
from django.test import Client

from seedbed.communities import services
from seedbed.communities.models import Membership, Visibility
from seedbed.search import services as search
from tests.factories import MemberFactory

CANARY = "canary7f3a9宝藏"
LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/accounts/logout", "/admin", "/static", "/i18n", "/api/v1/docs")


@pytest.fixture
def secret_world(db):
    owner = MemberFactory(display_name="Private Owner")
    private = services.create_community(
        owner, name="Secret Syndicate", visibility=Visibility.PRIVATE, description="Members only"
    )
    insider = MemberFactory()
    Membership.objects.create(community=private, user=insider)
    outsider = MemberFactory(display_name="Outsider")
    post = services.create_post(
        insider,
        private.slug,
        title=f"Term sheet {CANARY}",
        body=f"Our valuation is {CANARY}. cc @{outsider.handle}",
        tags=[CANARY[:8]],
    )
    services.create_reply(owner, post.pk, body=f"Reply with {CANARY}")
    public = services.create_community(owner, name="Open Town Hall")
    services.create_post(owner, public.slug, title="Public news", body="Open to all")
    # members do find it, so its absence below means something
    assert search.search("valuation", member_community_ids=[private.pk]).total >= 1
    return {"outsider": outsider, "post": post, "private": private, "public": public}


def _crawl(client: Client, start: list[str], limit: int = 150) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or url.startswith(SKIP):
            continue
        response = client.get(url)
        body = response.content.decode(errors="replace")
        seen[url] = body
        if response.get("Content-Type", "").startswith("text/html"):
            queue += [link.replace("&amp;", "&") for link in LINK.findall(body)]
    return seen


@pytest.mark.parametrize("who", ["visitor", "outsider"])
def test_a_private_canary_never_reaches_an_outsider(secret_world, who):
    client = Client()
    if who == "outsider":
        client.force_login(secret_world["outsider"])
    post, private = secret_world["post"], secret_world["private"]
    start = [
        "/",
        "/c/",
        "/members/",
        "/feed/",
        "/notifications/",
        f"/c/{private.slug}/",
        f"/c/{private.slug}/members/",
        f"/p/{post.pk}/",
        "/search/?q=valuation",
        "/search/?q=Term+sheet",
        "/search/?q=%E5%AE%9D%E8%97%8F",
        f"/c/{secret_world['public'].slug}/",
        "/api/v1/communities",
        f"/api/v1/communities/{private.slug}",
        f"/api/v1/communities/{private.slug}/posts",
        f"/api/v1/posts/{post.pk}",
        f"/api/v1/posts/{post.pk}/replies",
        "/api/v1/search?q=valuation",
        "/api/v1/feed",
        "/api/v1/notifications",
        "/api/v1/members",
        "/api/v1/openapi.json",
    ]
    pages = _crawl(client, start)
    assert len(pages) > 20
    leaks = [url for url, body in pages.items() if CANARY in body or CANARY[:8] in body]
    assert leaks == []
    assert "Secret Syndicate" in pages["/c/"]  # listed, so people can ask to join
