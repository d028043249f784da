"""Cross-site request forgery, swept: every page route and every API write, posted with the
owner's session cookie but without the CSRF token a forged form cannot know, is refused before
it changes anything. A new route is swept as soon as it exists."""

import pytest
from django.test import Client

from tests.contract.routes import (
    api_body,
    api_document,
    api_operations,
    api_url,
    page_routes,
    page_url,
)
from tests.contract.world import build_world, request_rolled_back
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

WRITES = ("post", "put", "patch", "delete")
#: Open to anyone and acting on no session: the credentials are in the body and the answer is a
#: token for the caller (no session cookie is set), so a forged request gains the forger nothing.
SESSIONLESS = {"POST /api/v1/auth/login", "POST /api/v1/auth/register"}


@pytest.fixture
def forged():
    world = build_world()
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    browser.force_login(world["actors"]["owner"])
    return world, browser


def test_every_page_refuses_a_post_without_the_token(forged):
    world, browser = forged
    accepted = {}
    for name, route in page_routes().items():
        url = page_url(route, world)
        response = request_rolled_back(browser, "post", url, None)
        if response.status_code != 403:
            accepted[name] = response.status_code
    assert accepted == {}


def test_every_api_write_refuses_the_session_without_the_token(forged):
    world, browser = forged
    document = api_document()
    accepted = {}
    for key, operation in api_operations(document).items():
        method = key.split(" ")[0].lower()
        if method not in WRITES or key in SESSIONLESS:
            continue
        body = api_body(operation, document) or "{}"
        response = request_rolled_back(browser, method, api_url(key, world), body)
        if response.status_code not in (401, 403):
            accepted[key] = response.status_code
    assert accepted == {}


def test_the_sessionless_endpoints_set_no_session(forged):
    world, _browser = forged
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.post(
        "/api/v1/auth/login",
        {"email": world["actors"]["owner"].email, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["token"]
    assert "sessionid" not in response.cookies
