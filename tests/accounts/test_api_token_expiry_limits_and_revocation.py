"""Issue #14: creating tokens is rate limited, a token may carry an expiry (page and API) and
is refused with a 401 in the JSON envelope after it, and every token dies when the password
changes (page or reset) or the account is deactivated."""

import json
import re
from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from seedbed.accounts import services
from seedbed.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_token_created_on_the_page_with_an_expiry_carries_it(member_client, member):
    response = member_client.post("/me/tokens/", {"name": "ci", "expires_in_days": "30"})
    assert response.status_code == 200 and response.context["new_secret"]
    token = ApiToken.objects.get(user=member)
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert "ci" in member_client.get("/me/tokens/").content.decode()


def test_a_token_created_on_the_page_without_an_expiry_never_expires(member_client, member):
    member_client.post("/me/tokens/", {"name": "forever", "expires_in_days": ""})
    assert ApiToken.objects.get(user=member).expires_at is None


def test_an_unknown_expiry_choice_is_a_form_error(member_client, member):
    response = member_client.post("/me/tokens/", {"name": "x", "expires_in_days": "9999"})
    assert "expires_in_days" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_a_token_created_through_the_api_with_an_expiry_shows_it(member_client, member):
    when = (timezone.now() + timedelta(days=7)).replace(microsecond=0)
    response = _post_json(
        member_client, "/api/v1/me/tokens", {"name": "bot", "expires_at": when.isoformat()}
    )
    assert response.status_code == 201, response.content
    assert response.json()["expires_at"] is not None
    assert ApiToken.objects.get(user=member).expires_at == when


def test_an_expiry_in_the_past_is_refused_naming_the_field(member_client):
    past = (timezone.now() - timedelta(minutes=1)).isoformat()
    response = _post_json(member_client, "/api/v1/me/tokens", {"name": "bot", "expires_at": past})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "expires_at"
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_refused_with_a_401_in_the_envelope(member):
    _token, secret = services.create_api_token(
        member, "short", expires_at=timezone.now() + timedelta(hours=1)
    )
    assert _bearer(secret).get("/api/v1/me").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    for url in ("/api/v1/me", "/api/v1/members"):
        response = _bearer(secret).get(url)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"


def test_creating_tokens_is_rate_limited_on_the_page_and_in_the_api(member_client, settings):
    settings.API_TOKEN_RATE_LIMITS = [(3, 3600)]
    for n in range(3):
        assert _post_json(member_client, "/api/v1/me/tokens", {"name": f"t{n}"}).status_code == 201
    refused = _post_json(member_client, "/api/v1/me/tokens", {"name": "one too many"})
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited" and int(refused["Retry-After"]) > 0
    page = member_client.post("/me/tokens/", {"name": "on the page"})
    assert page.status_code == 429 and not page.context["new_secret"]
    assert ApiToken.objects.count() == 3


def test_the_token_limit_is_per_member(member_client, other_member, settings):
    settings.API_TOKEN_RATE_LIMITS = [(1, 3600)]
    services.create_api_token(other_member, "theirs")
    assert _post_json(member_client, "/api/v1/me/tokens", {"name": "mine"}).status_code == 201


def test_changing_the_password_revokes_every_token(member_client, member, password):
    _token, secret = services.create_api_token(member, "script")
    member_client.post(
        "/accounts/password/change/",
        {
            "oldpassword": password,
            "password1": "brand-New-pass-77",
            "password2": "brand-New-pass-77",
        },
    )
    assert _bearer(secret).get("/api/v1/me").status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_a_wrong_old_password_revokes_nothing(member_client, member):
    _token, secret = services.create_api_token(member, "script")
    member_client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "not-it",
            "password1": "brand-New-pass-77",
            "password2": "brand-New-pass-77",
        },
    )
    assert _bearer(secret).get("/api/v1/me").status_code == 200


def test_a_password_reset_revokes_every_token(client, member, other_member):
    _token, secret = services.create_api_token(member, "script")
    _other, other_secret = services.create_api_token(other_member, "theirs")
    client.post("/accounts/password/reset/", {"email": member.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link.group(1)
    client.post(form_url, {"password1": "reset-Pass-2026!", "password2": "reset-Pass-2026!"})
    assert _bearer(secret).get("/api/v1/me").status_code == 401
    assert _bearer(other_secret).get("/api/v1/me").status_code == 200


def test_deactivating_an_account_revokes_its_tokens_for_good(member):
    _token, secret = services.create_api_token(member, "script")
    member.is_active = False
    member.save()
    member.is_active = True
    member.save()
    assert _bearer(secret).get("/api/v1/me").status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_the_token_pages_and_routes_need_a_member(client):
    assert client.post("/me/tokens/", {"name": "x"}).status_code == 302
    assert _post_json(client, "/api/v1/me/tokens", {"name": "x"}).status_code == 401
    assert not ApiToken.objects.exists()


def test_listing_tokens_keeps_a_fixed_query_budget(
    member_client, member, django_assert_max_num_queries
):
    for n in range(5):
        services.create_api_token(
            member, f"t{n}", expires_at=timezone.now() + timedelta(days=n + 1)
        )
    with django_assert_max_num_queries(8):
        assert member_client.get("/me/tokens/").status_code == 200
    with django_assert_max_num_queries(6):
        assert len(member_client.get("/api/v1/me/tokens").json()) == 5


def test_an_expiry_without_a_time_zone_is_read_as_utc(member_client, member):
    when = (timezone.now() + timedelta(days=2)).replace(microsecond=0, tzinfo=None)
    response = _post_json(
        member_client, "/api/v1/me/tokens", {"name": "bot", "expires_at": when.isoformat()}
    )
    assert response.status_code == 201
    assert ApiToken.objects.get().expires_at == when.replace(tzinfo=UTC)


def test_a_malformed_expiry_is_a_422_naming_the_field(member_client):
    response = _post_json(member_client, "/api/v1/me/tokens", {"name": "b", "expires_at": "soon"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "expires_at"
