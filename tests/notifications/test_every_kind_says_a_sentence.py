"""Every registered kind says one whole sentence naming who and what, in English and in
Chinese, the same in the inbox, the API and the e-mail digest."""

import re

import pytest
from django.core import mail
from django.utils import translation
from django.utils.html import escape

from seedbed.notifications import registry
from seedbed.notifications.services import send_digest
from tests.notifications.conftest import ABOUT, WITHOUT_ACTOR, client_for, send

pytestmark = pytest.mark.django_db

KINDS = sorted(ABOUT)
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_app_registered_its_kinds_and_each_one_is_tested_here():
    assert set(registry.KINDS) == set(ABOUT)


@pytest.mark.parametrize("code", KINDS)
def test_each_sentence_is_translated_whole_into_chinese(code):
    sentence = registry.kind(code).sentence
    with translation.override("en"):
        english = str(sentence)
    with translation.override("zh-hans"):
        chinese = str(sentence)
    assert english.endswith(".") and chinese.endswith("。")
    words = re.sub(r"%\(\w+\)s|Seedbed", "", chinese)  # the product's name stays as it is
    assert HAN.search(words) and not re.search(r"[A-Za-z]", words)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("code", KINDS)
def test_the_inbox_says_the_sentence_with_its_names_and_its_link(
    code, language, world, reader, actor
):
    note = send(code, world, reader, actor)
    with translation.override(language):
        text = registry.kind(code).text(note)
        assert text == str(registry.kind(code).sentence) % registry.kind(code).values(note)
    for name in ABOUT[code][1] + ([] if code in WITHOUT_ACTOR else [actor.display_name]):
        assert name in text
    assert HAN.search(text) if language == "zh-hans" else not HAN.search(text)
    page = client_for(reader).get("/notifications/", HTTP_ACCEPT_LANGUAGE=language)
    assert escape(text) in page.content.decode()
    link = registry.kind(code).link(note)
    assert link == "" or f'href="{link}"' in page.content.decode()


@pytest.mark.parametrize("code", KINDS)
def test_the_api_says_the_same_sentence_in_the_request_language(code, world, reader, actor):
    note = send(code, world, reader, actor)
    with translation.override("zh-hans"):
        text = registry.kind(code).text(note)
    response = client_for(reader).get("/api/v1/notifications", HTTP_ACCEPT_LANGUAGE="zh-hans")
    [item] = response.json()["items"]
    assert item["kind"] == code and item["text"] == text
    assert item["url"] == registry.kind(code).link(note)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("code", KINDS)
def test_the_digest_says_the_sentence_in_the_members_language(
    code, language, world, reader, actor, django_capture_on_commit_callbacks
):
    reader.languages = [language]
    reader.save()
    note = send(code, world, reader, actor)
    with translation.override("zh-hans" if language == "zh" else "en"):
        text = registry.kind(code).text(note)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digest(reader, "weekly")
    body = mail.outbox[-1].body
    assert f"* {text}\n" in body
    assert ("你有 1 条未读通知" in body) == (language == "zh")
