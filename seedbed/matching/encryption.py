"""Encryption at rest for the few texts whose leak hurts most even from a database dump or a
backup: a project's funding notes (valuation, use of funds, current investors) and what the two
sides of an intro write to each other. The rest of a project is for every member anyway.

Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) under a ``MultiFernet``: keys come
from ``FIELD_ENCRYPTION_KEYS`` (comma-separated); the first encrypts, every one decrypts. To
rotate: put a new key first, run ``seedbed reencrypt``, then drop the old key. With no key set,
DEBUG and the tests use one derived from ``SECRET_KEY``; with DEBUG off that is a check error.

The columns hold ciphertext, so these fields cannot be filtered, ordered or searched by content
(a lookup compares ciphertexts); nothing in the app does, and the search index never holds them.
An empty text stays empty, so "has notes" remains readable, as is the length, roughly."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router, transaction

TOKEN_PREFIX = "gAAAAA"  # noqa: S105 (a format marker, not a secret)
"""How every Fernet token starts (version byte 0x80, then the timestamp's high bytes)."""


DERIVED = "SECRET_KEY"


def configured_keys() -> list[str]:
    return [k.strip() for k in getattr(settings, "FIELD_ENCRYPTION_KEYS", []) if k.strip()]


def _derived_key() -> str:
    digest = hashlib.sha256(b"seedbed field encryption\0" + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


@lru_cache(maxsize=4)
def _multi(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS: each key must be 32 url-safe base64-encoded bytes "
            "(make one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')"
        ) from exc


def fernet() -> MultiFernet:
    """The keys in force: the configured ones, else (DEBUG and tests) one from SECRET_KEY. The
    word ``SECRET_KEY`` in the list stands for that derived key, so an installation that ran
    without a key of its own can rotate to one (``NEW,SECRET_KEY``, reencrypt, ``NEW``)."""
    keys = configured_keys() or [DERIVED]
    return _multi(tuple(_derived_key() if key == DERIVED else key for key in keys))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "An encrypted field cannot be decrypted with FIELD_ENCRYPTION_KEYS: was the key "
            "that encrypted it dropped before `seedbed reencrypt` ran?"
        ) from None


def rotate(token: str) -> str:
    """The same text encrypted with the first key (what ``seedbed reencrypt`` does per value)."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A value cannot be decrypted with any of FIELD_ENCRYPTION_KEYS; keep the old key "
            "in the list until every value is re-encrypted."
        ) from None


def is_token(value: str) -> bool:
    """Whether ``value`` is ciphertext under the keys in force."""
    try:
        fernet().decrypt(value.encode())
    except InvalidToken:
        return False
    return True


class EncryptedTextField(models.TextField):
    """A text column that holds a Fernet token: encrypted on the way in, decrypted on load.
    ``max_length`` still limits the plain text in forms."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)


def encrypted_columns() -> Iterator[tuple[type[models.Model], EncryptedTextField]]:
    """Every (model, field) stored encrypted, for the re-encryption command and its tests."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field


def _key_problems(
    level: type[checks.Error] | type[checks.Warning], id: str
) -> list[checks.CheckMessage]:
    if configured_keys() or settings.DEBUG:
        try:
            fernet()
        except ImproperlyConfigured as exc:
            return [checks.Error(str(exc), id="matching.E002")]
        return []
    return [
        level(
            "FIELD_ENCRYPTION_KEYS is not set: funding notes and intro messages are encrypted "
            "at rest, and production needs its own key (the one derived from SECRET_KEY is for "
            "DEBUG and tests, and dies with it).",
            hint="Set FIELD_ENCRYPTION_KEYS to one or more comma-separated Fernet keys; make "
            "one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'",
            id=id,
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_encryption_keys_for_deployment(**kwargs: Any) -> list[checks.CheckMessage]:
    """``seedbed check --deploy`` (the production gate) fails without a key of production's own."""
    return _key_problems(checks.Error, "matching.E001")


@checks.register(checks.Tags.security)
def check_encryption_keys(**kwargs: Any) -> list[checks.CheckMessage]:
    """Every start with DEBUG off says so too (``migrate``, the worker, the server), without
    stopping commands such as ``makemigrations`` that need no key."""
    return _key_problems(checks.Warning, "matching.W001")


def reencrypt_all(batch_size: int = 1000) -> dict[str, int]:
    """Encrypt every stored value again with the first key, batch by batch, each batch in its
    own transaction (so it can be stopped and run again); counts by ``app.Model.field``.
    A value no key decrypts stops it with ImproperlyConfigured, before anything of its batch
    is written."""
    counts: dict[str, int] = {}
    for model, field in encrypted_columns():
        using = router.db_for_write(model)
        ops = connections[using].ops
        table, column = ops.quote_name(model._meta.db_table), ops.quote_name(str(field.column))
        pk = ops.quote_name(str(model._meta.pk.column))
        done, last = 0, None
        while True:
            with transaction.atomic(using=using), connections[using].cursor() as cursor:
                after = "" if last is None else f"AND {pk} > %s"
                cursor.execute(
                    f"SELECT {pk}, {column} FROM {table} WHERE {column} <> '' {after} "  # noqa: S608
                    f"ORDER BY {pk} LIMIT %s",
                    [*([] if last is None else [last]), batch_size],
                )
                rows = cursor.fetchall()
                if not rows:
                    break
                cursor.executemany(
                    f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                    [(rotate(value), key) for key, value in rows],
                )
            done, last = done + len(rows), rows[-1][0]
        counts[f"{model._meta.label}.{field.name}"] = done
    return counts
