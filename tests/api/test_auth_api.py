import json

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from seedbed.accounts.models import ApiToken, User
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def post_json(client, url, body, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def test_registering_creates_an_unverified_member_and_sends_a_verification_mail(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(
            client,
            "/api/v1/auth/register",
            {"email": "New@Example.org", "password": "a-Long-pass-123", "display_name": "Nia"},
        )
    assert response.status_code == 201, response.content
    assert response.json()["email"] == "new@example.org"
    assert not EmailAddress.objects.get(email="new@example.org").verified
    assert len(mail.outbox) == 1
    assert User.objects.get(email="new@example.org").onboarding_step == 1  # as on the page


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "x@example.org", "password": "short", "display_name": "X"}, "password"),
        ({"email": "not-an-address", "password": "a-Long-pass-123", "display_name": "X"}, "email"),
        (
            {"email": "x@example.org", "password": "a-Long-pass-123", "display_name": "  "},
            "display_name",
        ),
        ({"email": "x@example.org", "password": "a-Long-pass-123"}, "display_name"),
    ],
)
def test_bad_registration_input_names_the_field(client, body, field):
    response = post_json(client, "/api/v1/auth/register", body)
    assert response.status_code in (400, 422)
    fields = [e["field"] for e in response.json()["errors"]]
    assert field in fields
    assert not User.objects.exists()


def test_registering_a_taken_address_answers_as_a_new_one_and_the_member_is_untouched(
    client, member
):
    """Nobody learns from the API which addresses are registered; the owner is told by mail."""
    taken = post_json(
        client,
        "/api/v1/auth/register",
        {"email": member.email, "password": "a-Long-pass-123", "display_name": "X"},
    )
    new = post_json(
        client,
        "/api/v1/auth/register",
        {"email": "brand-new@example.org", "password": "a-Long-pass-123", "display_name": "Y"},
    )
    assert taken.status_code == new.status_code == 201
    assert set(taken.json()) == set(new.json())
    assert User.objects.get(email=member.email).display_name == member.display_name


def test_logging_in_returns_a_working_token(client, member, password):
    response = post_json(
        client, "/api/v1/auth/login", {"email": member.email, "password": password}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["member"]["id"] == member.pk
    me = Client(HTTP_AUTHORIZATION=f"Bearer {body['token']}").get("/api/v1/me")
    assert me.status_code == 200 and me.json()["email"] == member.email
    assert ApiToken.objects.get(pk=body["token_id"]).user == member


def test_a_wrong_password_is_400_with_a_message_and_no_token(client, member):
    response = post_json(client, "/api/v1/auth/login", {"email": member.email, "password": "wrong"})
    assert response.status_code == 400
    assert "wrong" in response.json()["detail"].lower()
    assert not ApiToken.objects.exists()


def test_an_unverified_member_gets_no_token(client, password):
    unverified = MemberFactory(verified=False)
    response = post_json(
        client, "/api/v1/auth/login", {"email": unverified.email, "password": password}
    )
    assert response.status_code == 400
    assert "verify" in response.json()["detail"].lower()


def test_api_logins_are_throttled_per_account_with_429_and_retry_after(client, member, password):
    for _ in range(5):
        post_json(client, "/api/v1/auth/login", {"email": member.email, "password": "wrong"})
    response = post_json(
        client, "/api/v1/auth/login", {"email": member.email, "password": password}
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not ApiToken.objects.exists()


def test_no_credentials_is_401_json(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_made_up_token_is_401(client):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer sbt_madeup")
    assert response.status_code == 401


def test_a_bad_token_is_401_even_on_endpoints_open_to_visitors(client, member):
    response = client.get("/api/v1/members", HTTP_AUTHORIZATION="Bearer sbt_madeup")
    assert response.status_code == 401


def test_session_auth_works_for_reads_and_needs_csrf_for_writes(member, password):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    assert browser.get("/api/v1/me").status_code == 200
    response = browser.patch(
        "/api/v1/me", json.dumps({"city": "Paris"}), content_type="application/json"
    )
    assert response.status_code in (401, 403)
    member.refresh_from_db()
    assert member.city != "Paris"
    browser.get("/members/")  # sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = browser.patch(
        "/api/v1/me",
        json.dumps({"city": "Paris"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.city == "Paris"


def test_malformed_json_is_a_4xx_not_a_500(member):
    api = Client()
    api.force_login(member)
    response = api.patch("/api/v1/me", "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]
