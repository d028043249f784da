"""A project's deal data (its funding ask, instrument and notes) must reach only its team,
operators and investors whose intro the team accepted. Plant a canary in every deal field, give
the project matches, intros, a thread and notifications, then crawl everything other members can
reach — pages, API, search, feed, notifications, OpenAPI — and look for it."""

import re

import pytest
from django.test import Client

from seedbed.matching import services
from tests.factories import MemberFactory

CANARY = "dealcanary4Q7宝"
AMOUNTS = (
    "8765431",
    "8,765",
    "9876541",
    "9,876",
    "8.77M",
    "8.8M",
    "9.88M",
    "9.9M",
    '"funding_instrument":"convertible"',
    '"funding_instrument": "convertible"',
    "<dd>Convertible note",
)
"""The ask in every way a page might print it, and the instrument as the API and the project
page give it (the bare label is also a choice in the new-project form)."""
LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/accounts/logout", "/admin", "/static", "/i18n", "/api/v1/docs", "/me/tokens")


@pytest.fixture
def deal_world(db):
    founder = MemberFactory(display_name="Deal Founder", roles=["founder"])
    project = services.create_project(
        founder,
        name="Canary Robotics",
        one_liner="Robot arms for small factories",
        description="Robot arms with computer vision for small factories.",
        sectors=["hardware"],
        stage="seed",
        needs_funding=True,
        funding_min=8_765_431,
        funding_max=9_876_541,
        funding_instrument="convertible",
        funding_notes=f"Valuation {CANARY}",
        needs_mentoring=True,
        topics_sought=["pricing"],
    )
    members = {
        "accepted_investor": MemberFactory(roles=["investor"]),
        "pending_investor": MemberFactory(roles=["investor"]),
        "declined_investor": MemberFactory(roles=["investor"]),
        "accepted_mentor": MemberFactory(roles=["mentor"]),
        "outsider": MemberFactory(),
    }
    offers = {}
    for name in ("accepted_investor", "pending_investor", "declined_investor"):
        offers[name] = services.create_offer(
            members[name],
            "investor",
            title=f"Fund of {name}",
            description="Robot arms and computer vision at seed",
            sectors=["hardware"],
            stages=["seed"],
        )
    offers["accepted_mentor"] = services.create_offer(
        members["accepted_mentor"], "mentor", title="Pricing hours", topics=["pricing"]
    )
    services.refresh_matches()
    for name in ("accepted_investor", "pending_investor", "declined_investor", "accepted_mentor"):
        intro = services.request_intro(members[name], project.slug, offers[name].pk, message="Hi")
        if name.startswith("accepted"):
            services.answer_intro(founder, intro.pk, accept=True)
            services.post_intro_message(members[name], intro.pk, "Shall we meet?")
        elif name.startswith("declined"):
            services.answer_intro(founder, intro.pk, accept=False, reason="not_a_fit")
    return {"founder": founder, "project": project, "offers": offers, **members}


def _crawl(client: Client, start: list[str], limit: int = 250) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or url.startswith(SKIP):
            continue
        response = client.get(url)
        seen[url] = response.content.decode(errors="replace")
        if response.get("Content-Type", "").startswith("text/html"):
            queue += [link.replace("&amp;", "&") for link in LINK.findall(seen[url])]
    return seen


def _start(world, who) -> list[str]:
    project, offers = world["project"], world["offers"]
    urls = [
        "/",
        "/matching/",
        "/projects/",
        f"/projects/{project.slug}/",
        f"/projects/{project.slug}/matches/",
        "/offers/",
        "/intros/",
        "/notifications/",
        "/feed/",
        "/members/",
        "/search/?q=Canary",
        "/api/v1/projects",
        f"/api/v1/projects/{project.slug}",
        f"/api/v1/projects/{project.slug}/matches",
        "/api/v1/offers",
        "/api/v1/intros",
        "/api/v1/notifications",
        "/api/v1/openapi.json",
    ]
    if who in offers:
        offer = offers[who]
        urls += [f"/offers/{offer.pk}/", f"/offers/{offer.pk}/matches/"]
        urls += [f"/api/v1/offers/{offer.pk}", f"/api/v1/offers/{offer.pk}/matches"]
    from seedbed.matching.models import Intro

    for intro in Intro.objects.all():
        urls += [f"/intros/{intro.pk}/", f"/api/v1/intros/{intro.pk}"]
        urls += [f"/api/v1/intros/{intro.pk}/messages"]
    return urls


def _leaks(pages: dict[str, str]) -> list[str]:
    return [
        f"{url}: {needle}"
        for url, body in pages.items()
        for needle in (CANARY, *AMOUNTS)
        if needle in body
    ]


@pytest.mark.parametrize(
    "who",
    ["visitor", "outsider", "pending_investor", "declined_investor", "accepted_mentor"],
)
def test_deal_data_never_reaches_anyone_else(deal_world, who):
    client = Client()
    if who != "visitor":
        client.force_login(deal_world[who])
    pages = _crawl(client, _start(deal_world, who))
    assert len(pages) > 15
    assert _leaks(pages) == []


@pytest.mark.parametrize("who", ["founder", "accepted_investor"])
def test_the_same_crawl_finds_it_for_those_who_may_see_it(deal_world, who):
    """The control: the crawl does reach the deal data when the caller may read it, so the
    empty result above means something."""
    client = Client()
    client.force_login(deal_world[who])
    pages = _crawl(client, _start(deal_world, who))
    found = _leaks(pages)
    assert any(CANARY in leak for leak in found)
    assert any("/api/v1/projects/" in leak for leak in found)
