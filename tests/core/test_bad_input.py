import json

import pytest

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/members/?q=a%00b", "/c/?q=%00", "/search/?q=x%00", "/api/v1/members?q=%00"]
)
def test_a_nul_character_in_a_query_string_is_a_400_not_a_500(client, url):
    response = client.get(url)
    assert response.status_code == 400


def test_a_nul_character_in_a_form_is_a_400(client):
    member = MemberFactory()
    client.force_login(member)
    response = client.post("/me/tokens/", {"name": "a\x00b"})
    assert response.status_code == 400


def test_a_nul_character_in_an_api_body_is_a_422_naming_the_field(client):
    member = MemberFactory()
    client.force_login(member)
    response = client.patch(
        "/api/v1/me", json.dumps({"headline": "a\u0000b"}), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "headline"


@pytest.mark.parametrize(
    "url", ["/c/no-such-community/", "/p/999999/", "/r/999999/edit/", "/members/0/"]
)
def test_missing_things_are_404_pages(client, url):
    client.force_login(MemberFactory())
    assert client.get(url).status_code == 404


def test_a_nul_character_in_an_api_query_is_a_bad_request_in_the_envelope(client):
    body = client.get("/api/v1/members?q=%00").json()
    assert body["code"] == "bad_request" and body["detail"]
