import pytest

pytestmark = pytest.mark.django_db


def test_a_verified_member_logs_in_with_email_and_password(client, member, password):
    response = client.post("/accounts/login/", {"login": member.email, "password": password})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == member.pk


def test_a_wrong_password_shows_an_error_and_does_not_log_in(client, member):
    response = client.post("/accounts/login/", {"login": member.email, "password": "nope-nope"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_the_session_key_rotates_at_login(client, member, password):
    client.get("/accounts/login/")
    session = client.session
    session["before"] = "x"
    session.save()
    key_before = session.session_key
    client.post("/accounts/login/", {"login": member.email, "password": password})
    assert client.session.session_key != key_before
    assert int(client.session["_auth_user_id"]) == member.pk


def test_logging_out_ends_the_session(member_client):
    response = member_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in member_client.session
