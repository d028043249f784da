import re

import pytest
from django.conf import settings
from django.test import Client

from seedbed.api import api
from seedbed.communities import services as communities
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _list_routes() -> list[tuple[str, set[str]]]:
    """Every GET route of the OpenAPI document that takes a page number, with its query
    parameters; path parameters get a placeholder (validation runs before any lookup)."""
    routes = []
    for path, operations in api.get_openapi_schema(path_prefix="/api/v1")["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        query = {p["name"] for p in get.get("parameters", []) if p["in"] == "query"}
        if "page" in query:
            routes.append((re.sub(r"\{[^}]+\}", "1", path), query))
    return routes


LIST_ROUTES = _list_routes()


@pytest.fixture
def operator_client() -> Client:
    client = Client()
    client.force_login(MemberFactory(is_staff=True))
    return client


def test_the_document_has_list_routes_to_check():
    paths = [path for path, _ in LIST_ROUTES]
    assert "/api/v1/members" in paths and "/api/v1/events" in paths and len(paths) >= 10


@pytest.mark.parametrize("path", [path for path, _ in LIST_ROUTES])
def test_every_list_refuses_a_huge_page_number_with_a_422_naming_page(operator_client, path):
    response = operator_client.get(path, {"page": "99999999999999999999", "q": "x"})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid_input"
    assert [e["field"] for e in body["errors"]] == ["page"]


PAGED_ROUTES = [path for path, query in LIST_ROUTES if "page_size" in query]


def test_every_list_but_search_uses_the_one_paginator():
    """Search ranks its hits in one query with their total, so its pages are a fixed size."""
    assert {path for path, _ in LIST_ROUTES} - set(PAGED_ROUTES) == {"/api/v1/search"}


@pytest.mark.parametrize("path", PAGED_ROUTES)
def test_every_list_takes_a_page_size_up_to_the_cap_and_refuses_one_above(operator_client, path):
    cap = settings.API_MAX_PAGE_SIZE
    assert operator_client.get(path, {"page_size": cap, "q": "x"}).status_code != 422
    refused = operator_client.get(path, {"page_size": cap + 1, "q": "x"})
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["page_size"]


def test_lists_use_the_page_size_setting_and_honour_page_size_up_to_the_cap(client):
    MemberFactory.create_batch(settings.API_MAX_PAGE_SIZE + 1, visibility="public")
    default = client.get("/api/v1/members").json()
    assert len(default["items"]) == settings.API_PAGE_SIZE
    assert default["count"] == settings.API_MAX_PAGE_SIZE + 1
    full = client.get("/api/v1/members", {"page_size": settings.API_MAX_PAGE_SIZE}).json()
    assert len(full["items"]) == settings.API_MAX_PAGE_SIZE


def test_a_field_called_body_is_named_in_a_422(member, member_client):
    community = communities.create_community(member, name="Field names")
    post = communities.create_post(member, community.slug, title="Hello", body="First")
    response = member_client.post(
        f"/api/v1/posts/{post.pk}/replies", {"body": 42}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"
