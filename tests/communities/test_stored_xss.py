"""Stored XSS, end to end: every payload of the corpus posted as a title, a body, a reply and
a community description comes back on the real pages without live markup."""

import re
from html.parser import HTMLParser

import pytest

from seedbed.communities import services
from seedbed.communities.models import Role
from tests.communities.conftest import add_member, client_for
from tests.core.test_markdown_xss import load_payloads, url_scheme

pytestmark = pytest.mark.django_db
MAIN = re.compile(r"<main[^>]*>(.*)</main>", re.S)
LIVE = {
    "script",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "style",
    "img",
    "link",
    "meta",
    "base",
}


class _PageChecker(HTMLParser):
    """Markup on a whole page that could run script or load something; our own templates use
    forms and buttons, so unlike the fragment checker this one allows those."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in LIVE:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                self.problems.append(f"{name}= on <{tag}>")
            if name in ("href", "src", "action", "hx-get", "hx-post") and value:
                scheme = url_scheme(value)
                if scheme not in (None, "http", "https", "mailto"):
                    self.problems.append(f"{name}={value!r}")


def unsafe_markup(html: str) -> list[str]:
    checker = _PageChecker()
    checker.feed(html)
    checker.close()
    return checker.problems


@pytest.fixture
def unlimited(settings):
    settings.POSTING_RATE_LIMITS = [(100_000, 60)]
    settings.COMMUNITY_CREATION_RATE_LIMITS = [(100_000, 60)]


def _main(html: str) -> str:
    return MAIN.search(html).group(1)


@pytest.mark.slow
def test_no_corpus_payload_survives_as_markup_on_the_post_and_community_pages(unlimited, owner):
    community = services.create_community(owner, name="XSS lab")
    author = add_member(community, role=Role.MODERATOR)  # a new member's daily limit is lower
    browser = client_for(author)
    payloads = [p.replace("\x00", "") for p in load_payloads()]  # entry points refuse NUL
    for payload in payloads:
        post = services.create_post(
            author, community.slug, title=payload[:200], body=payload, tags=[payload[:40]]
        )
        services.create_reply(owner, post.pk, body=payload)
        page = _main(browser.get(f"/p/{post.pk}/").content.decode())
        assert unsafe_markup(page) == [], payload
    listing = _main(browser.get(f"/c/{community.slug}/").content.decode())
    assert unsafe_markup(listing) == []
    feed = _main(browser.get("/feed/").content.decode())
    assert unsafe_markup(feed) == []
    search = _main(browser.get("/search/", {"q": "script"}).content.decode())
    assert unsafe_markup(search) == []


def test_community_descriptions_and_names_are_safe_everywhere(unlimited, owner):
    for i, payload in enumerate(p.replace("\x00", "") for p in load_payloads()[:40]):
        services.create_community(
            owner, name=payload[:80] or f"c{i}", slug=f"x{i}", description=payload
        )
        page = _main(client_for(owner).get(f"/c/x{i}/").content.decode())
        assert unsafe_markup(page) == [], payload
    assert unsafe_markup(_main(client_for(None).get("/c/").content.decode())) == []
