"""A NUL character in the path reached lookups that PostgreSQL refuses (a 500): it is refused
up front, in the API's JSON envelope under /api/ and as a plain page elsewhere."""

import pytest
from django.test import Client

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/communities/a%00b",
        "/api/v1/projects/1%00",
        "/api/v1/invitations/abc%00def/accept",
    ],
)
def test_a_nul_in_an_api_path_is_a_400_in_the_json_envelope(url):
    client = Client()
    client.force_login(MemberFactory())
    response = client.post(url) if url.endswith("accept") else client.get(url)
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_a_nul_in_a_page_path_is_a_plain_400(client):
    response = client.get("/calendar/abc%00def.ics")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_a_raw_nul_in_the_path_is_refused_too(client):
    response = client.get("/calendar/x.ics", PATH_INFO="/calendar/a\x00b.ics")
    assert response.status_code == 400


def test_an_encoded_percent_sign_before_00_is_not_a_nul(client):
    assert client.get("/api/v1/communities/a%2500b").status_code == 404


def test_a_nul_in_the_servers_raw_uri_is_refused(client):
    """gunicorn passes the undecoded request line as RAW_URI."""
    response = client.get("/api/v1/communities/ab", RAW_URI="/api/v1/communities/a%00b")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
