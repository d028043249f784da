"""A project's funding notes, an intro's message and its thread are stored encrypted (Fernet);
the raw columns hold no plain text, the keys rotate with ``seedbed reencrypt``, the migration
encrypts rows written before it, and the search index holds neither the text nor the
ciphertext."""

import importlib
from io import StringIO
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from seedbed.matching import encryption, indexing, services
from seedbed.matching.models import Intro, IntroMessage, Project
from seedbed.search.models import SearchDocument
from seedbed.search.services import search_everything
from tests.matching.conftest import SECRET_TERMS

pytestmark = pytest.mark.django_db

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
MESSAGE, REPLY = "Our cap table has room: 9sQ-canary", "Term sheet attached: 7Wx-canary"
MIGRATION = importlib.import_module(
    "seedbed.matching.migrations.0003_encrypt_funding_notes_and_intro_messages"
)
COLUMNS = (
    (Project, "funding_notes"),
    (Intro, "message"),
    (IntroMessage, "body"),
)


def _raw(model, field: str) -> list[str]:
    meta = model._meta
    quote = connection.ops.quote_name
    column, table, pk = (quote(n) for n in (meta.get_field(field).column, meta.db_table, "id"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY {pk}")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def _all_raw() -> list[str]:
    return [value for model, field in COLUMNS for value in _raw(model, field) if value]


@pytest.fixture
def thread(project, investor, investor_offer, founder):
    intro = services.request_intro(investor, project.slug, investor_offer.pk, message=MESSAGE)
    services.answer_intro(founder, intro.pk, accept=True)
    services.post_intro_message(founder, intro.pk, REPLY)
    return intro


def test_the_raw_columns_hold_ciphertext_and_the_models_read_the_text(project, thread):
    raw = _all_raw()
    assert len(raw) == 3
    for value in raw:
        assert value.startswith(encryption.TOKEN_PREFIX)
        assert "canary" not in value and "Sequoia" not in value and "12,345,678" not in value
    assert Project.objects.get(pk=project.pk).funding_notes == SECRET_TERMS
    assert Intro.objects.get(pk=thread.pk).message == MESSAGE
    assert IntroMessage.objects.get(intro=thread).body == REPLY


def test_each_save_encrypts_afresh_and_empty_text_stays_empty(project, founder):
    before = _raw(Project, "funding_notes")
    services.update_project(founder, project.slug, funding_notes=SECRET_TERMS)
    after = _raw(Project, "funding_notes")
    assert before != after, "Fernet tokens carry a random IV: equal texts do not look equal"
    services.update_project(founder, project.slug, funding_notes="")
    assert _raw(Project, "funding_notes") == [""]
    assert Project.objects.get(pk=project.pk).funding_notes == ""


def test_rotation_from_the_development_key_and_then_to_a_new_one(settings, project, thread):
    settings.FIELD_ENCRYPTION_KEYS = [OLD, "SECRET_KEY"]
    call_command("reencrypt", stdout=StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    assert all(Fernet(OLD.encode()).decrypt(v.encode()) for v in _all_raw())

    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    assert Project.objects.get(pk=project.pk).funding_notes == SECRET_TERMS
    call_command("reencrypt", batch_size=1, stdout=StringIO())
    new_only = Fernet(NEW.encode())
    assert sorted(new_only.decrypt(v.encode()).decode() for v in _all_raw()) == sorted(
        [SECRET_TERMS, MESSAGE, REPLY]
    )

    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    assert Project.objects.get(pk=project.pk).funding_notes == SECRET_TERMS
    assert IntroMessage.objects.get(intro=thread).body == REPLY
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
        Project.objects.get(pk=project.pk)


def test_reencrypt_refuses_while_a_needed_key_is_missing_and_changes_nothing(settings, project):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    project.save()
    before = _all_raw()
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    with pytest.raises(CommandError, match="keep the old key"):
        call_command("reencrypt")
    assert _all_raw() == before


def test_the_migration_encrypts_rows_written_in_plain_text_once(project, thread):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(Project._meta.db_table)} SET {quote('funding_notes')} = %s",  # noqa: S608
            [SECRET_TERMS],
        )
    editor = SimpleNamespace(connection=connection)
    MIGRATION.encrypt_existing(apps, editor)
    once = _all_raw()
    assert all(v.startswith(encryption.TOKEN_PREFIX) for v in once) and len(once) == 3
    assert Project.objects.get(pk=project.pk).funding_notes == SECRET_TERMS
    MIGRATION.encrypt_existing(apps, editor)
    assert _all_raw() == once, "running it again leaves encrypted rows alone"
    MIGRATION.decrypt_existing(apps, editor)
    assert _raw(Project, "funding_notes") == [SECRET_TERMS]
    assert sorted(_raw(Intro, "message") + _raw(IntroMessage, "body")) == sorted([MESSAGE, REPLY])


def test_search_indexes_neither_the_notes_nor_their_ciphertext(project, thread, founder, operator):
    indexing.index_project(project)
    [doc] = SearchDocument.objects.filter(kind="project", object_id=project.pk)
    stored = " ".join([doc.title, doc.body, doc.index_title, doc.index_text])
    assert "Sequoia" not in stored and "canary" not in stored.lower()
    assert encryption.TOKEN_PREFIX not in stored
    for ciphertext in _all_raw():
        assert ciphertext[:40] not in stored
    for who in (founder, operator):
        for term in ("Sequoia-Canary-7Q9", "9sQ-canary", "7Wx-canary"):
            assert search_everything(who, term).total == 0


def test_production_without_a_key_fails_the_deploy_check(settings):
    settings.DEBUG, settings.FIELD_ENCRYPTION_KEYS = False, []
    [error] = encryption.check_encryption_keys_for_deployment()
    assert error.id == "matching.E001" and error.is_serious()
    [warning] = encryption.check_encryption_keys()
    assert warning.id == "matching.W001"
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-fernet-key"]
    [error] = encryption.check_encryption_keys_for_deployment()
    assert error.id == "matching.E002"
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    assert encryption.check_encryption_keys_for_deployment() == []
    settings.DEBUG, settings.FIELD_ENCRYPTION_KEYS = True, []
    assert encryption.check_encryption_keys_for_deployment() == []
