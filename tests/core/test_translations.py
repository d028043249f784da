import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from tests.factories import MemberFactory

PACKAGE = Path(__file__).resolve().parents[2] / "seedbed"
CATALOGUE = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES"
ENTRY = re.compile(
    r'^(?P<flags>#,.*\n)?(?:msgctxt "(?P<context>.*)"\n)?msgid "(?P<id>.*)"\n'
    r'(?:msgid_plural ".*"\n)?msgstr(?:\[0\])? "(?P<str>.*)"$',
    re.M,
)


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def _entries(with_context: bool = False) -> list[tuple]:
    text = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    return [
        (m["flags"] or "", _unescape(m["id"]), _unescape(m["str"]))
        + ((m["context"],) if with_context else ())
        for m in ENTRY.finditer(text)
    ]


@pytest.mark.django_db
def test_pages_render_in_simplified_chinese_when_asked():
    MemberFactory(display_name="王伟")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = client.get("/members/").content.decode()
    assert "会员名录" in body and "所有身份" in body and "1 位会员" in body
    assert "Member directory" not in body
    assert '<html lang="zh-hans">' in body


@pytest.mark.django_db
def test_the_language_switcher_remembers_the_choice(client):
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "创始人、投资人、导师与人才在这里相遇。" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Where founders, investors" in client.get("/").content.decode()


def test_every_message_in_the_chinese_catalogue_is_translated():
    entries = [(flags, msgid, msgstr) for flags, msgid, msgstr in _entries() if msgid]
    assert len(entries) > 100
    assert [msgid for flags, msgid, msgstr in entries if not msgstr or "fuzzy" in flags] == []


def test_the_compiled_catalogue_matches_the_source_catalogue():
    with open(CATALOGUE / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    def compiled(context: str | None, msgid: str) -> str:
        return catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)

    stale = [
        msgid
        for _f, msgid, msgstr, context in _entries(with_context=True)
        if msgid and compiled(context, msgid) != msgstr
    ]
    assert stale == []


def test_api_error_messages_follow_the_request_language():
    from django.core.exceptions import ValidationError

    from seedbed.accounts.services import _clean_tag_names

    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        _clean_tag_names("skills", [f"t{i}" for i in range(30)])
    assert "最多" in error.value.message_dict["skills"][0]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_the_catalogue_holds_every_translatable_string_in_the_code(tmp_path):
    copy = tmp_path / "seedbed"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "engine"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-wrap",
            "--settings=seedbed.settings",
            f"--pythonpath={PACKAGE.parent}",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        timeout=120,
    )
    fresh = (copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    # (context, msgid): a string translated only under a context (pgettext) is still missing
    # where the code asks for it without one.
    wanted = {(m["context"], _unescape(m["id"])) for m in ENTRY.finditer(fresh) if m["id"]}
    have = {(context, msgid) for _f, msgid, _s, context in _entries(with_context=True)}
    assert sorted(wanted - have, key=str) == []
