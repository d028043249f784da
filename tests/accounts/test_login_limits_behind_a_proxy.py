"""Behind a reverse proxy every request comes from the proxy's address: the per-address login
limit must count the forwarded client instead, or twenty failures lock the whole site out; and
without a proxy the header is the client's own claim and must not dodge the limit."""

import os
import subprocess
import sys

import pytest
from django.test import RequestFactory

from seedbed.core.ratelimit import client_ip
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


def _login(client, email, password, forwarded_for):
    return client.post(
        "/accounts/login/",
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def _fail_twenty_times(client, forwarded_for):
    for m in MemberFactory.create_batch(20):
        _login(client, m.email, "wrong-password", forwarded_for)


def test_behind_a_proxy_one_clients_failures_do_not_lock_out_another(client, settings, password):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    _fail_twenty_times(client, "203.0.113.5")
    member = MemberFactory()
    _login(client, member.email, password, "198.51.100.7")
    assert int(client.session["_auth_user_id"]) == member.pk


def test_behind_a_proxy_a_spoofed_left_entry_does_not_dodge_the_limit(client, settings, password):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    _fail_twenty_times(client, "203.0.113.5")
    member = MemberFactory()
    response = _login(client, member.email, password, "192.0.2.99, 203.0.113.5")
    assert "_auth_user_id" not in client.session
    assert "too many" in response.content.decode().lower()


def test_without_a_proxy_the_forwarded_header_is_ignored(client, settings, password):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    _fail_twenty_times(client, "203.0.113.5")
    member = MemberFactory()
    _login(client, member.email, password, "198.51.100.7")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "203.0.113.5", PROXY),
        (1, "", PROXY),
        (1, "192.0.2.1, 203.0.113.5", "203.0.113.5"),
        (2, "192.0.2.1, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", PROXY),
        (1, "not-an-address", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_rule(settings, hops, forwarded, expected):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = hops
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_allauth_asks_the_same_rule_for_the_client_address(settings):
    from allauth.account.adapter import get_adapter

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert get_adapter(request).get_client_ip(request) == client_ip(request) == PROXY


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "0"),
        ({"BEHIND_PROXY": "1"}, "1"),
        ({"BEHIND_PROXY": "1", "TRUSTED_PROXY_COUNT": "2"}, "2"),
    ],
)
def test_behind_proxy_sets_the_number_of_trusted_proxies(tmp_path, env, expected):
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("BEHIND_PROXY", "TRUSTED_PROXY_COUNT")},
        "SEEDBED_DATA_DIR": str(tmp_path),
        **env,
    }
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import seedbed.settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT)",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == expected
