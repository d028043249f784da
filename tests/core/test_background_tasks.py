from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.models import DBTaskResult

from seedbed.core.tasks import clear_expired_sessions


def _expired_session() -> str:
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    return store.session_key


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_an_enqueued_task(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    expired = _expired_session()
    result = clear_expired_sessions.enqueue()
    assert result.status == TaskResultStatus.READY
    assert Session.objects.filter(pk=expired).exists()

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert not Session.objects.filter(pk=expired).exists()
    stored = DBTaskResult.objects.get(id=result.id)
    assert stored.status == TaskResultStatus.SUCCESSFUL
    refreshed = task_backends["default"].get_result(result.id)
    assert refreshed.return_value == 1


@pytest.mark.django_db
def test_tests_run_tasks_inline_with_the_immediate_backend():
    _expired_session()
    result = clear_expired_sessions.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
