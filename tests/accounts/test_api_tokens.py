import pytest
from django.test import Client

from seedbed.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _create(member_client, name="laptop script") -> str:
    response = member_client.post("/me/tokens/", {"name": name})
    assert response.status_code == 200
    return response.context["new_secret"]


def test_a_new_token_is_shown_once_and_only_its_digest_is_stored(member_client, member):
    secret = _create(member_client)
    token = ApiToken.objects.get(user=member)
    assert len(secret) >= 4 + 43  # prefix + 32 random bytes in base64
    assert token.digest == ApiToken.digest_of(secret)
    assert secret not in token.digest and secret != token.hint
    listing = member_client.get("/me/tokens/").content.decode()
    assert "laptop script" in listing
    assert secret not in listing


def test_two_tokens_are_never_the_same(member_client):
    assert _create(member_client, "a") != _create(member_client, "b")


def test_a_token_authenticates_api_calls_until_it_is_revoked(member_client, member):
    secret = _create(member_client)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/me").json()["email"] == member.email
    token = ApiToken.objects.get(user=member)
    assert member_client.post(f"/me/tokens/{token.pk}/revoke/").status_code == 302
    assert api.get("/api/v1/me").status_code == 401


def test_a_member_cannot_revoke_someone_elses_token(member_client, other_member):
    other = Client()
    other.force_login(other_member)
    secret = _create(other)
    token = ApiToken.objects.get(user=other_member)
    assert member_client.post(f"/me/tokens/{token.pk}/revoke/").status_code == 404
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/me").status_code == 200


def test_a_token_without_a_name_is_a_form_error(member_client, member):
    response = member_client.post("/me/tokens/", {"name": "   "})
    assert response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_the_token_pages_need_a_login(client):
    assert client.get("/me/tokens/").status_code == 302
    assert client.post("/me/tokens/1/revoke/").status_code == 302
