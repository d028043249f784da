"""Asking for the address (slug) of a community you cannot see must not tell you that it
exists: every address already in use, hidden or not, gets a free variant of it, silently,
so the answer for a hidden community's address is the answer for a public one's."""

import pytest

from seedbed.communities import services
from seedbed.communities.models import Community
from tests.communities.conftest import client_for

pytestmark = pytest.mark.django_db


def _create_through_api(user, slug):
    return client_for(user).post(
        "/api/v1/communities",
        {"name": "Probe", "slug": slug, "visibility": "public"},
        content_type="application/json",
    )


def test_the_api_answers_a_hidden_address_exactly_as_a_public_one(hidden, public, outsider):
    answers = {}
    for taken in (hidden, public):
        response = _create_through_api(outsider, taken.slug)
        body = response.json()
        assert response.status_code == 201, body
        assert body["slug"] != taken.slug and body["slug"].startswith(f"{taken.slug}-")
        answers[taken.visibility] = (
            response.status_code,
            sorted(body),
            body["slug"][len(taken.slug) :],
        )
    assert answers["hidden"] == answers["public"]
    assert Community.objects.get(pk=hidden.pk).name == "Board Room"


def test_a_free_address_is_kept_as_asked(outsider):
    response = _create_through_api(outsider, "free-address")
    assert response.status_code == 201 and response.json()["slug"] == "free-address"


def test_the_create_page_answers_a_hidden_address_exactly_as_a_public_one(hidden, public, outsider):
    browser = client_for(outsider)
    for taken in (hidden, public):
        response = browser.post(
            "/c/new/", {"name": "Probe", "slug": taken.slug, "visibility": "public"}
        )
        assert response.status_code == 302
        created = Community.objects.filter(created_by=outsider).latest("pk")
        assert response["Location"] == f"/c/{created.slug}/"
        assert created.slug == f"{taken.slug}-2"


def test_the_service_never_refuses_an_address_in_use(hidden, outsider):
    community = services.create_community(outsider, name="Board Room", slug=hidden.slug)
    assert community.slug == f"{hidden.slug}-2"


def test_an_address_our_own_pages_use_is_never_given_out(outsider):
    assert services.create_community(outsider, name="New", slug="new").slug == "new-2"
    assert services.create_community(outsider, name="New").slug == "new-3"
