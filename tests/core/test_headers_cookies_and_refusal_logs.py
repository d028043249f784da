"""Issue #14, informational findings: the language cookie's flags, no caching of anything a
signed-in member or an API caller receives, and a refusal (403) logged as one line."""

import logging

import pytest
from django.test import Client

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_the_language_cookie_is_http_only_same_site_and_secure_over_https(client, settings):
    assert settings.LANGUAGE_COOKIE_HTTPONLY is True
    assert settings.LANGUAGE_COOKIE_SAMESITE == "Lax"
    assert settings.LANGUAGE_COOKIE_SECURE == settings.SESSION_COOKIE_SECURE
    settings.LANGUAGE_COOKIE_SECURE = True
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "zh-hans"
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"


def test_the_language_cookie_is_secure_whenever_the_session_cookie_is(tmp_path):
    import os
    import subprocess
    import sys

    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "SESSION_COOKIE_SECURE")},
        "SEEDBED_DATA_DIR": str(tmp_path),
    }
    read = "import seedbed.settings as s; print(s.LANGUAGE_COOKIE_SECURE)"
    run = subprocess.run(
        [sys.executable, "-c", read], env=environment, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "True"


def test_signed_in_pages_are_never_stored(member_client):
    for url in ("/", "/members/", "/me/tokens/"):
        response = member_client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_every_api_answer_is_never_stored(client, member_client):
    assert "no-store" in client.get("/api/v1/members").get("Cache-Control", "")
    assert "no-store" in client.get("/api/v1/no-such-route").get("Cache-Control", "")
    assert "no-store" in member_client.get("/api/v1/me").get("Cache-Control", "")
    assert "no-store" in client.get("/api/v1/me").get("Cache-Control", "")
    assert "no-store" in client.get("/api/v1/members?q=%00").get("Cache-Control", "")


def test_a_visitors_public_page_may_be_cached(client):
    response = client.get("/members/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_refusal_is_logged_as_one_line_without_a_traceback(caplog):
    client = Client()
    client.force_login(MemberFactory())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/operator/").status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(getattr(r, "status_code", None) == 403 for r in records)
    for record in records:
        assert record.exc_info is None
        assert "\n" not in logging.Formatter().format(record)
