import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from seedbed.accounts.models import User

pytestmark = pytest.mark.django_db


def _sign_up(client, email="ada@example.org", name="Ada Lovelace"):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "display_name": name,
            "password1": "an-Unusual-pass-99",
            "password2": "an-Unusual-pass-99",
        },
    )


def test_signing_up_creates_a_member_with_a_display_name_and_sends_a_verification_mail(client):
    response = _sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(email="ada@example.org")
    assert user.display_name == "Ada Lovelace"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_an_unverified_member_cannot_log_in_until_the_address_is_confirmed(client):
    _sign_up(client)
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": "ada@example.org", "password": "an-Unusual-pass-99"}
    )
    assert response.status_code == 302
    assert "confirm-email" in response["Location"] or "verification" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_following_the_confirmation_link_verifies_the_address_and_logs_in(client):
    _sign_up(client)
    link = re.search(r"http://\S+/accounts/confirm-email/(\S+)/", mail.outbox[0].body)
    assert link
    key = link.group(1)
    assert client.get(f"/accounts/confirm-email/{key}/").status_code == 200
    response = client.post(f"/accounts/confirm-email/{key}/")
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="ada@example.org").verified
    assert int(client.session["_auth_user_id"]) == User.objects.get(email="ada@example.org").pk


def test_signup_without_a_display_name_shows_a_form_error(client):
    response = _sign_up(client, name="")
    assert response.status_code == 200
    assert response.context["form"].errors["display_name"]
    assert not User.objects.exists()


def test_signup_with_a_taken_address_is_refused_and_the_existing_member_is_untouched(
    client, member
):
    before = member.password
    _sign_up(client, email=member.email)
    assert User.objects.filter(email=member.email).count() == 1
    member.refresh_from_db()
    assert member.password == before
