import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_a_member_changes_the_password_with_the_old_one(member_client, member, password):
    response = member_client.post(
        "/accounts/password/change/",
        {
            "oldpassword": password,
            "password1": "brand-New-pass-77",
            "password2": "brand-New-pass-77",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("brand-New-pass-77")


def test_a_wrong_old_password_leaves_the_password_unchanged(member_client, member, password):
    response = member_client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "not-it",
            "password1": "brand-New-pass-77",
            "password2": "brand-New-pass-77",
        },
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.check_password(password)


def test_a_reset_link_by_mail_sets_a_new_password(client, member, password):
    client.post("/accounts/password/reset/", {"email": member.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    assert link
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link.group(1)
    response = client.post(
        form_url, {"password1": "reset-Pass-2026!", "password2": "reset-Pass-2026!"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("reset-Pass-2026!")
    assert not member.check_password(password)


def test_a_reset_request_for_an_unknown_address_reveals_nothing(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
