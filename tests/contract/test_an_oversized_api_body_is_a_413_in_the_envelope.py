"""A body above ``DATA_UPLOAD_MAX_MEMORY_SIZE`` sent to the API is refused in the API's own
JSON envelope (Django alone answers an HTML 400 page), in the request's language."""

import json

import pytest
from django.test import Client

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    client = Client()
    client.force_login(MemberFactory())
    return client


def _post(client, size, **extra):
    body = json.dumps({"name": "Big", "description": "x" * size})
    return client.post("/api/v1/communities", body, content_type="application/json", **extra)


def test_an_oversized_json_body_is_a_413_in_the_envelope(client):
    response = _post(client, 5_000)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "too_large"
    assert "2000" in response.json()["detail"]


def test_the_refusal_is_translated(client):
    response = _post(client, 5_000, headers={"accept-language": "zh-hans"})
    assert response.status_code == 413
    assert "字节" in response.json()["detail"]


def test_a_body_under_the_limit_is_served(client):
    assert _post(client, 100).status_code == 201


def test_an_oversized_form_body_is_refused_the_same_way(client):
    response = client.post("/api/v1/communities", {"name": "Big", "description": "x" * 5_000})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_pages_keep_djangos_own_answer(client):
    """Only the API speaks JSON; a page's oversized form is Django's plain 400."""
    response = client.post("/c/new/", {"name": "Big", "description": "x" * 5_000})
    assert response.status_code == 400
