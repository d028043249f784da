"""A unique string planted in every private field (a private community's post,
reply, tag and event; a project's funding terms) must never reach a visitor, a member of
nothing there or a member banned from it: they crawl every page of every app, every link on
those pages and every API read, and the string must appear nowhere."""

import re

import pytest
from django.db import transaction

from seedbed.search import services as search
from tests.contract.routes import api_document, api_operations, api_url, page_routes, page_url
from tests.contract.world import CANARY, build_world, clients

LINK = re.compile(r'(?:href|src|hx-get)="(/[^"#]*)"')
SKIP = ("/accounts/logout", "/admin", "/static", "/i18n", "/api/v1/docs")
LIMIT = 400


def _crawl(client, start: list[str]) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = list(start)
    while queue and len(seen) < LIMIT:
        url = queue.pop(0)
        if url in seen or url.startswith(SKIP):
            continue
        with transaction.atomic():  # a page that writes (a first visit...) changes nothing
            response = client.get(url)
            transaction.set_rollback(True)
        body = response.content.decode(errors="replace")
        seen[url] = body
        if response.get("Content-Type", "").startswith("text/html"):
            queue += [link.replace("&amp;", "&") for link in LINK.findall(body)]
    return seen


def _start(world) -> list[str]:
    pages = [page_url(route, world) for route in page_routes().values()]
    document = api_document()
    reads = [api_url(key, world) for key in api_operations(document) if key.startswith("GET ")]
    private = world["community"]
    searches = [
        f"{prefix}?q={quote}"
        for prefix in ("/search/", "/api/v1/search")
        for quote in (
            "valuation",
            "Term+sheet",
            "%E5%AE%9D%E8%97%8F",
            "Closed+salon",
        )
    ]
    return [*searches, f"/c/{private.slug}/", *pages, *reads]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["visitor", "non_member", "banned"])
def test_a_private_canary_never_reaches_an_outsider(who):
    world = build_world()
    insiders = clients(world)
    # members do find it, so its absence below means something
    assert search.search("valuation", member_community_ids=[world["community"].pk]).total >= 1
    assert CANARY in insiders["member"].get(f"/p/{world['post'].pk}/").content.decode()
    pages = _crawl(insiders[who], _start(world))
    assert len(pages) > 150
    leaks = [url for url, body in pages.items() if CANARY in body or CANARY[:8] in body]
    assert leaks == [], leaks
    assert "Secret Syndicate" in pages["/c/"]  # listed, so people can ask to join
