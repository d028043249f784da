"""Who may use each Discovery page and endpoint: visitor, the member whose suggestion it is,
another member, an operator; bad input gets a clear 4xx. Completeness tests fail when a route
has no row here."""

import pytest
from django.urls import URLPattern

from seedbed.accounts.auth import MEMBER
from seedbed.discovery import urls
from seedbed.discovery.api import router
from seedbed.discovery.models import Recommendation
from seedbed.discovery.services import suggestions_for
from tests.discovery.conftest import client_for, post, store
from tests.factories import MemberFactory

PAGES = {
    # (method, route name): {actor: expected status}
    ("GET", "for_you"): {"visitor": 302, "member": 200, "other": 200, "operator": 200},
    ("POST", "for_you"): {"visitor": 302, "member": 302, "other": 302, "operator": 302},
    ("POST", "dismiss"): {"visitor": 302, "member": 302, "other": 404, "operator": 404},
    ("GET", "dismiss"): {"visitor": 405, "member": 405, "other": 405, "operator": 405},
    ("GET", "operator"): {"visitor": 302, "member": 403, "other": 403, "operator": 200},
}
API = {
    ("GET", "/recommendations"): {"visitor": 401, "member": 200, "other": 200, "operator": 200},
    ("POST", "/recommendations/{suggestion_id}/dismiss"): {
        "visitor": 401,
        "member": 200,
        "other": 404,
        "operator": 404,
    },
}


@pytest.fixture
def world(member, public_community, operator):
    return {
        "actors": {
            "visitor": None,
            "member": member,
            "other": MemberFactory(),
            "operator": operator,
        },
        "make_row": lambda: store(member, "community", public_community),
    }


def _page_path(name: str, row: Recommendation) -> str:
    return {
        "for_you": "/for-you/",
        "dismiss": f"/for-you/{row.pk}/dismiss/",
        "operator": "/operator/recommendations/",
    }[name]


@pytest.mark.parametrize("route", list(PAGES), ids=lambda r: f"{r[0]} {r[1]}")
@pytest.mark.parametrize("actor", ["visitor", "member", "other", "operator"])
def test_page_permissions(world, route, actor):
    method, name = route
    row = world["make_row"]()
    client = client_for(world["actors"][actor])
    call = client.get if method == "GET" else client.post
    response = call(_page_path(name, row))
    assert response.status_code == PAGES[route][actor]
    if response.status_code == 302 and actor == "visitor":
        assert response["Location"].startswith("/accounts/login/")
    kept = Recommendation.objects.filter(pk=row.pk).exists()
    assert kept == (route != ("POST", "dismiss") or actor != "member")


@pytest.mark.parametrize("route", list(API), ids=lambda r: f"{r[0]} {r[1]}")
@pytest.mark.parametrize("actor", ["visitor", "member", "other", "operator"])
def test_api_permissions(world, route, actor):
    method, path = route
    row = world["make_row"]()
    client = client_for(world["actors"][actor])
    url = "/api/v1" + path.replace("{suggestion_id}", str(row.pk))
    response = client.get(url, {"kind": "communities"}) if method == "GET" else client.post(url)
    assert response.status_code == API[route][actor]
    body = response.json()
    if response.status_code >= 400:
        assert body["code"] in ("unauthenticated", "not_found")
    elif method == "GET":
        ids = [item["id"] for item in body["items"]]
        assert ids == ([row.pk] if actor == "member" else [])


def test_every_page_route_has_a_row():
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == {name for _method, name in PAGES}


def test_every_api_route_has_a_row_and_needs_a_member():
    routes = {
        (method, path)
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }
    assert routes == set(API)
    for view in router.path_operations.values():
        for operation in view.operations:
            assert operation.auth_callbacks == MEMBER


@pytest.mark.django_db
def test_an_api_item_carries_what_a_client_needs(member, public_community):
    row = store(member, "community", public_community, params={"count": 2})
    body = client_for(member).get("/api/v1/recommendations?kind=communities").json()
    assert body["count"] == 1
    assert body["items"][0] == {
        "id": row.pk,
        "kind": "communities",
        "object_id": public_community.pk,
        "title": "Fintech Founders",
        "url": f"/c/{public_community.slug}/",
        "reason": "Popular: 2 members took part.",
        "score": 1.0,
    }


@pytest.mark.django_db
def test_without_a_kind_the_api_lists_every_kind(member, owner, public_community):
    store(member, "community", public_community, params={"count": 2})
    written = post(public_community, owner, "Hello")
    store(member, "post", written, params={"count": 3})
    body = client_for(member).get("/api/v1/recommendations").json()
    assert [item["kind"] for item in body["items"]] == ["communities", "posts"]


@pytest.mark.django_db
def test_the_api_speaks_the_requests_language(member, public_community):
    store(member, "community", public_community, params={"count": 2})
    body = (
        client_for(member)
        .get("/api/v1/recommendations?kind=communities", HTTP_ACCEPT_LANGUAGE="zh-hans")
        .json()
    )
    assert body["items"][0]["reason"] == "热门：已有 2 位成员参与。"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, field",
    [
        ("kind=projects", "kind"),
        ("kind=communities&page=0", "page"),
        ("kind=communities&page_size=100000", "page_size"),
    ],
)
def test_bad_api_input_is_a_422_naming_the_field(member, query, field):
    response = client_for(member).get(f"/api/v1/recommendations?{query}")
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/api/v1/recommendations/abc/dismiss", "/api/v1/recommendations/99999999999999999999/dismiss"],
)
def test_a_bad_dismiss_id_is_a_clear_4xx(member, path):
    response = client_for(member).post(path)
    assert response.status_code in (404, 422)
    assert response.json()["code"] in ("invalid_input", "not_found")


@pytest.mark.django_db
def test_a_missing_suggestion_is_404_on_the_page_and_in_the_api(member):
    client = client_for(member)
    assert client.post("/for-you/999999/dismiss/").status_code == 404
    assert client.post("/api/v1/recommendations/999999/dismiss").status_code == 404


@pytest.mark.django_db
def test_dismissing_twice_is_a_404_the_second_time(member, public_community):
    row = store(member, "community", public_community)
    client = client_for(member)
    assert client.post(f"/api/v1/recommendations/{row.pk}/dismiss").status_code == 200
    assert client.post(f"/api/v1/recommendations/{row.pk}/dismiss").status_code == 404
    assert suggestions_for(member, "communities") == []


@pytest.mark.django_db
def test_the_digest_setting_is_saved_and_shown(member):
    client = client_for(member)
    assert 'name="in_digest" checked' in client.get("/for-you/").content.decode().replace(
        ' id="id_in_digest"', ""
    )
    client.post("/for-you/", {})
    page = client.get("/for-you/").content.decode()
    assert "checked" not in page.split('name="in_digest"')[1].split(">")[0]
    client.post("/for-you/", {"in_digest": "on"})
    page = client.get("/for-you/").content.decode()
    assert "checked" in page.split('name="in_digest"')[1].split(">")[0]
