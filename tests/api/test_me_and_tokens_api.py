import json

import pytest
from django.test import Client

from seedbed.accounts.models import ApiToken
from seedbed.accounts.services import create_api_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(member) -> Client:
    _token, secret = create_api_token(member, "tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def patch(api, body):
    return api.patch("/api/v1/me", json.dumps(body), content_type="application/json")


def test_a_member_reads_and_updates_the_profile(api, member):
    response = patch(
        api,
        {
            "headline": "Angel in climate",
            "roles": ["investor"],
            "sectors": ["cleantech"],
            "skills": ["Due Diligence", "估值"],
            "languages": ["zh"],
            "visibility": "public",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["headline"] == "Angel in climate"
    assert body["roles"] == ["investor"]
    assert body["sectors"] == ["cleantech"]
    assert sorted(body["skills"]) == ["due diligence", "估值"]
    assert api.get("/api/v1/me").json()["languages"] == ["zh"]


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"roles": ["astronaut"]}, "roles.0", 422),
        ({"roles": ["operator"]}, "roles", 400),
        ({"sectors": ["space-mining"]}, "sectors", 400),
        ({"languages": ["xx"]}, "languages", 400),
        ({"skills": [f"s{i}" for i in range(30)]}, "skills", 400),
        ({"display_name": ""}, "display_name", 422),
        ({"headline": "x" * 200}, "headline", 422),
        ({"stage": "unicorn"}, "stage", 422),
    ],
)
def test_bad_profile_input_names_the_field_and_changes_nothing(api, member, body, field, status):
    before = api.get("/api/v1/me").json()
    response = patch(api, body)
    assert response.status_code == status
    assert field in [e["field"] for e in response.json()["errors"]]
    assert api.get("/api/v1/me").json() == before


def test_tokens_are_created_listed_and_revoked_through_the_api(api, member):
    created = api.post(
        "/api/v1/me/tokens", json.dumps({"name": "ci"}), content_type="application/json"
    )
    assert created.status_code == 201
    secret = created.json()["token"]
    listed = api.get("/api/v1/me/tokens").json()
    assert {t["name"] for t in listed} == {"tests", "ci"}
    assert all("token" not in t for t in listed)
    new_client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert new_client.get("/api/v1/me").status_code == 200
    assert api.delete(f"/api/v1/me/tokens/{created.json()['id']}").status_code == 204
    assert new_client.get("/api/v1/me").status_code == 401


def test_a_member_cannot_revoke_another_members_token_through_the_api(api, other_member):
    theirs, _secret = create_api_token(other_member, "theirs")
    assert api.delete(f"/api/v1/me/tokens/{theirs.pk}").status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None


def test_a_deactivated_members_token_stops_working(api, member):
    member.is_active = False
    member.save()
    assert api.get("/api/v1/me").status_code == 401
