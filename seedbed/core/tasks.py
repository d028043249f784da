from typing import Any

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_tasks import task


def enqueue_once_after_commit(queued: Any) -> None:
    """Queue ``queued`` (a task without arguments) when the current transaction commits, unless
    a run is already waiting: a queued run has not started yet, so it will read this change too,
    and a burst of changes costs one run, not one each."""

    def enqueue() -> None:
        from django_tasks_db.models import DBTaskResult

        if not DBTaskResult.objects.ready().filter(task_path=queued.module_path).exists():
            queued.enqueue()

    transaction.on_commit(enqueue)


@task()
def clear_expired_sessions() -> int:
    """Expired sessions pile up in the database backend; the worker deletes them."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
