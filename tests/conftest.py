import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from tests.factories import PASSWORD, MemberFactory

REAL_HASHERS = None


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tasks run inline, static files need no manifest, and passwords hash fast (the hashing
    test restores the production list). The cache holds rate-limit counters: start empty.
    A request in Chinese leaves Chinese active in the thread, so every test starts in English."""
    global REAL_HASHERS
    REAL_HASHERS = REAL_HASHERS or list(settings.PASSWORD_HASHERS)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *REAL_HASHERS]
    settings.SECURE_SSL_REDIRECT = False
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = REAL_HASHERS
    return REAL_HASHERS


@pytest.fixture
def member(db):
    return MemberFactory()


@pytest.fixture
def other_member(db):
    return MemberFactory()


@pytest.fixture
def member_client(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def password() -> str:
    return PASSWORD
