"""Every operation of /api/v1 documents the errors it can answer, in the one envelope, and the
errors the API really answers are documented for their operation and match that shape."""

import json

import jsonschema_rs
import pytest
from django.db import OperationalError
from django.test import Client

from seedbed.accounts.services import create_api_token
from seedbed.api import api
from seedbed.communities import services
from seedbed.communities.models import Visibility
from tests.factories import MemberFactory

ERROR_REF = "#/components/schemas/ErrorOut"
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def document():
    return json.loads(json.dumps(api.get_openapi_schema()))


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method in METHODS:
                yield method, path, operation


def test_every_operation_documents_its_errors_in_the_envelope(document):
    missing = []
    for method, path, operation in _operations(document):
        responses = {int(code): answer for code, answer in operation["responses"].items()}
        expected = {429, 503}
        if operation.get("parameters") or "requestBody" in operation or method != "get":
            expected |= {400, 404, 422}
        if "requestBody" in operation:
            expected.add(413)
        if operation.get("security"):
            expected |= {401, 403}
        if not expected <= set(responses):
            missing.append(f"{method.upper()} {path}: {sorted(expected - set(responses))}")
        for code, answer in responses.items():
            if code >= 400:
                schema = answer["content"]["application/json"]["schema"]
                assert schema == {"$ref": ERROR_REF}, (method, path, code)
    assert missing == []


def test_the_envelope_is_a_component_naming_every_code(document):
    schemas = document["components"]["schemas"]
    assert schemas["ErrorOut"]["required"] == ["detail", "code"]
    assert "unavailable" in schemas["ErrorCode"]["enum"]
    assert "too_large" in schemas["ErrorCode"]["enum"]


def test_a_visitor_endpoint_documents_a_dead_token_but_an_open_one_does_not(document):
    paths = document["paths"]
    assert "401" in paths["/api/v1/communities"]["get"]["responses"]
    assert "401" not in paths["/api/v1/auth/login"]["post"]["responses"]


@pytest.fixture
def world(db):
    owner = MemberFactory()
    community = services.create_community(owner, name="Errors", visibility=Visibility.PRIVATE)
    stranger = MemberFactory()
    return {
        "community": community,
        "stranger": stranger,
        "token": create_api_token(stranger, "tests")[1],
    }


def _answers(world, settings, monkeypatch):
    """Real error answers: (method, documented path, status, body)."""
    slug = world["community"].slug
    anonymous = Client()
    stranger = Client(headers={"authorization": f"Bearer {world['token']}"})
    dead = Client(headers={"authorization": "Bearer not-a-token"})

    def call(client, method, url, path, body=None):
        if body is None:
            response = getattr(client, method)(url)
        else:
            response = getattr(client, method)(url, body, content_type="application/json")
        return method, path, response

    yield call(anonymous, "get", "/api/v1/me", "/api/v1/me")
    yield call(dead, "get", "/api/v1/communities", "/api/v1/communities")
    yield call(stranger, "get", f"/api/v1/communities/{slug}", "/api/v1/communities/{slug}")
    yield call(stranger, "get", "/api/v1/communities?page=0", "/api/v1/communities")
    yield call(stranger, "get", "/api/v1/communities?page=%00", "/api/v1/communities")
    yield call(stranger, "post", "/api/v1/communities", "/api/v1/communities", "{")
    yield call(stranger, "post", "/api/v1/communities", "/api/v1/communities", '{"name": ""}')
    other = services.create_community(world["stranger"], name="Mine")
    yield call(
        stranger,
        "delete",
        f"/api/v1/communities/{other.slug}/members/{world['stranger'].pk}",
        "/api/v1/communities/{slug}/members/{user_id}",
    )
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    yield call(stranger, "post", "/api/v1/communities", "/api/v1/communities", "x" * 200)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

    def outage(*args, **kwargs):
        raise OperationalError("gone")

    monkeypatch.setattr("seedbed.communities.services.get_community", outage)
    yield call(stranger, "get", f"/api/v1/communities/{slug}", "/api/v1/communities/{slug}")


def test_real_error_answers_are_documented_and_match_the_envelope(
    document, world, settings, monkeypatch
):
    validator = jsonschema_rs.validator_for(
        {"$ref": ERROR_REF, "components": document["components"]}
    )
    properties = set(document["components"]["schemas"]["ErrorOut"]["properties"])
    seen = set()
    for method, path, response in _answers(world, settings, monkeypatch):
        status = response.status_code
        seen.add(status)
        documented = document["paths"][path][method]["responses"]
        assert str(status) in documented, (method, path, status)
        body = response.json()
        assert validator.is_valid(body), (method, path, status, body)
        assert set(body) <= properties, body
    assert seen == {400, 401, 403, 404, 413, 422, 503}


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("patch", "/api/v1/me", "[null, null]"),
        ("post", "/api/v1/notifications/read", "[]"),
        ("put", "/api/v1/points/me/leaderboards", '{"hidden": 0}'),
        ("post", "/api/v1/notifications/read", '{"ids": [false]}'),
    ],
)
def test_a_body_off_its_schema_is_refused_with_a_422(world, method, url, body):
    """pydantic alone reads a list as an object with no fields, 0 as false and false as 0: the
    document promises an object, booleans and integers, so anything else is refused."""
    client = Client(headers={"authorization": f"Bearer {world['token']}"})
    response = getattr(client, method)(url, body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_input"
