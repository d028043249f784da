"""The sign-up page never says whether an address is registered (allauth's enumeration
prevention); the API sign-up answered 400 "already exists" and so told anyone who asked."""

import json

import pytest
from django.core import mail

from seedbed.accounts.models import User

pytestmark = pytest.mark.django_db


def _register(client, email, display_name="Nia"):
    body = {"email": email, "password": "a-Long-pass-123", "display_name": display_name}
    return client.post("/api/v1/auth/register", json.dumps(body), content_type="application/json")


def test_a_registered_and_a_new_address_get_the_same_answer(
    client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        taken = _register(client, member.email.upper(), display_name="Someone else")
        new = _register(client, "fresh@example.org")
    assert taken.status_code == new.status_code == 201
    assert set(taken.json()) == set(new.json())
    assert taken.json()["detail"].replace(member.email, "@") == new.json()["detail"].replace(
        "fresh@example.org", "@"
    )
    assert taken.json()["email"] == member.email and new.json()["email"] == "fresh@example.org"


def test_the_owner_of_a_registered_address_is_told_by_mail_and_nothing_changes(
    client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, member.email, display_name="Someone else")
    assert User.objects.get(email=member.email).display_name == member.display_name
    assert User.objects.filter(email=member.email).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]


def test_a_new_address_still_gets_an_unverified_account_and_a_verification_mail(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, "Fresh@Example.org")
    assert User.objects.get(email="fresh@example.org").display_name == "Nia"
    assert len(mail.outbox) == 1


def test_bad_input_is_still_refused_by_field(client, member):
    response = _register(client, member.email, display_name="   ")
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["display_name"]


def test_the_register_route_keeps_a_fixed_query_budget(
    client, member, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30):
        _register(client, member.email)
