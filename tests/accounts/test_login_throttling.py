import time as real_time
from types import SimpleNamespace

import pytest

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _login(client, email, password, ip="10.0.0.1"):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def clock(monkeypatch):
    """A controllable clock for allauth's rate-limit windows."""
    state = SimpleNamespace(now=real_time.time())
    fake = SimpleNamespace(
        time=lambda: state.now, monotonic=real_time.monotonic, sleep=real_time.sleep
    )
    monkeypatch.setattr("allauth.core.internal.ratelimit.time", fake)
    return state


def test_an_account_is_throttled_after_five_failed_logins_even_with_the_right_password(
    client, member, password, clock
):
    for _ in range(5):
        _login(client, member.email, "wrong-password")
    response = _login(client, member.email, password)
    assert "_auth_user_id" not in client.session
    assert "too many" in response.content.decode().lower()


def test_the_account_throttle_does_not_touch_other_accounts(
    client, member, other_member, password, clock
):
    for _ in range(5):
        _login(client, member.email, "wrong-password")
    _login(client, other_member.email, password)
    assert int(client.session["_auth_user_id"]) == other_member.pk


def test_one_address_is_throttled_after_many_failures_across_accounts(client, password, clock):
    members = MemberFactory.create_batch(25)
    for m in members[:20]:
        _login(client, m.email, "wrong-password", ip="10.9.9.9")
    _login(client, members[24].email, password, ip="10.9.9.9")
    assert "_auth_user_id" not in client.session
    _login(client, members[24].email, password, ip="10.1.1.1")
    assert int(client.session["_auth_user_id"]) == members[24].pk


def test_the_throttle_expires_so_nobody_is_locked_out_for_good(client, member, password, clock):
    for _ in range(6):
        _login(client, member.email, "wrong-password")
    clock.now += 5 * 60 + 1
    _login(client, member.email, password)
    assert int(client.session["_auth_user_id"]) == member.pk
