import json

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.test import Client
from django.utils import translation
from ninja import NinjaAPI, Router
from ninja.errors import HttpError, Throttled
from ninja.testing import TestClient

from seedbed.accounts.services import create_api_token
from seedbed.core.api import ErrorCode, add_error_envelope
from seedbed.core.ratelimit import RateLimited

pytestmark = pytest.mark.django_db

router = Router()


@router.get("/broken-rule")
def broken_rule(request):
    raise ValidationError({"name": ["Taken."]})


@router.get("/missing")
def missing(request):
    raise ObjectDoesNotExist


@router.get("/refused")
def refused(request):
    raise PermissionDenied


@router.get("/too-fast")
def too_fast(request):
    raise RateLimited(7)


@router.get("/throttled")
def throttled(request):
    raise Throttled(9)


@router.get("/teapot")
def teapot(request):
    raise HttpError(418, "I am a teapot.")


@router.get("/number")
def number(request, n: int):
    return {"n": n}


envelope_api = NinjaAPI(urls_namespace="envelope-test")
add_error_envelope(envelope_api)
envelope_api.add_router("", router)
kit = TestClient(envelope_api)


def test_the_error_codes_are_stable():
    assert {c.value for c in ErrorCode} == {
        "invalid_input",
        "rule_broken",
        "bad_request",
        "unauthenticated",
        "forbidden",
        "not_found",
        "rate_limited",
        "http_error",
        "too_large",
        "unavailable",
    }


@pytest.mark.parametrize(
    ("path", "status", "code", "english", "chinese"),
    [
        ("/number?n=x", 422, "invalid_input", "The request is invalid.", "请求无效。"),
        ("/missing", 404, "not_found", "Not found.", "未找到。"),
        ("/refused", 403, "forbidden", "You may not do this.", "你无权执行此操作。"),
        (
            "/too-fast",
            429,
            "rate_limited",
            "Too many requests; try again later.",
            "请求过于频繁，请稍后再试。",
        ),
        (
            "/throttled",
            429,
            "rate_limited",
            "Too many requests; try again later.",
            "请求过于频繁，请稍后再试。",
        ),
    ],
)
def test_every_refusal_has_a_stable_code_and_a_message_in_the_readers_language(
    path, status, code, english, chinese
):
    for language, message in (("en", english), ("zh-hans", chinese)):
        with translation.override(language):
            response = kit.get(path)
        assert response.status_code == status
        assert response.json()["code"] == code
        assert response.json()["detail"] == message


def test_a_rate_limit_says_when_to_come_back():
    assert kit.get("/too-fast")["Retry-After"] == "7"
    assert kit.get("/throttled")["Retry-After"] == "9"


def test_a_broken_rule_is_a_400_naming_its_field():
    body = kit.get("/broken-rule").json()
    assert body == {
        "detail": "Taken.",
        "code": "rule_broken",
        "errors": [{"field": "name", "message": "Taken."}],
    }


def test_any_other_http_error_keeps_its_status_and_message():
    response = kit.get("/teapot")
    assert response.status_code == 418
    assert response.json() == {"detail": "I am a teapot.", "code": "http_error"}


def test_a_malformed_parameter_is_named_with_the_invalid_input_code():
    body = kit.get("/number?n=x").json()
    assert body["code"] == "invalid_input"
    assert [e["field"] for e in body["errors"]] == ["n"]


# The whole stack: the request's Accept-Language picks the language.


def test_a_visitor_asking_for_their_profile_is_told_in_chinese_that_a_login_is_needed():
    response = Client().get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 401
    assert response.json() == {"detail": "需要登录认证。", "code": "unauthenticated"}
    english = Client().get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english == {"detail": "Authentication required.", "code": "unauthenticated"}


def test_a_revoked_token_is_named_in_the_readers_language(member):
    token, secret = create_api_token(member, "old")
    from seedbed.accounts.services import revoke_api_token

    revoke_api_token(member, token.pk)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = client.get("/api/v1/members")
    assert response.status_code == 401
    assert response.json() == {"detail": "令牌无效或已被撤销。", "code": "unauthenticated"}


def test_a_refused_profile_change_keeps_its_field_in_both_languages(member_client):
    for language, needle in (("en", "Unknown sector"), ("zh-hans", "未知")):
        response = member_client.patch(
            "/api/v1/me",
            json.dumps({"sectors": ["no-such-sector"]}),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "rule_broken"
        assert body["errors"][0]["field"] == "sectors"
        assert needle in body["detail"]


def test_a_missing_member_is_not_found_in_chinese(member_client):
    response = member_client.get("/api/v1/members/999999", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。", "code": "not_found"}


def test_a_malformed_filter_is_invalid_input_in_chinese(member_client):
    response = member_client.get("/api/v1/members?role=astronaut", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "请求无效。" and body["code"] == "invalid_input"
    assert body["errors"][0]["field"] == "role"
