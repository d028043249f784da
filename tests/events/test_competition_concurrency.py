"""One entry per member, also when the same member submits twice at the same moment (a
double click, two tabs). On PostgreSQL two threads, each with its own connection, race through
the service; the control run switches the event-row lock off and must create two entries, which
proves the threads really race. On SQLite every write transaction begins IMMEDIATE, so writers
queue and the control could never fail; the test runs on PostgreSQL only."""

import threading
import time

import pytest
from django.db import connection

from seedbed.events import competitions as comp
from seedbed.events import services
from seedbed.events.models import Entry
from tests.events.test_competitions import make_competition
from tests.factories import MemberFactory

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises writers (IMMEDIATE)"
    ),
    pytest.mark.django_db(transaction=True),
]


def _twice_at_once(user, event) -> list:
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = comp.submit_entry(
                user, event.pk, title=f"Take {i}", team="Solo", pitch="Same moment"
            )
        except Exception as error:
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def slow_checks(monkeypatch):
    """Widen the window between "has this member entered?" and the insert."""
    clean = comp._clean_entry

    def slow(entry):
        time.sleep(0.3)
        clean(entry)

    monkeypatch.setattr(comp, "_clean_entry", slow)


def test_two_simultaneous_submissions_by_one_member_make_one_entry(slow_checks):
    event = make_competition(MemberFactory(is_staff=True))
    entrant = MemberFactory()
    results = _twice_at_once(entrant, event)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Entry.objects.filter(event=event, submitted_by=entrant).count() == 1
    assert sorted(created for _entry, created in results) == [False, True]


def test_the_control_run_without_the_lock_races_into_the_database_constraint(
    slow_checks, monkeypatch
):
    """Without the lock both requests pass the "already entered?" check; only the unique
    constraint stops the second insert, so one request fails where the lock lets both succeed."""
    from django.db import IntegrityError

    monkeypatch.setattr(services, "LOCK_EVENTS", False)
    event = make_competition(MemberFactory(is_staff=True))
    entrant = MemberFactory()
    results = _twice_at_once(entrant, event)
    assert [type(r) for r in results if isinstance(r, Exception)] == [IntegrityError]
    assert Entry.objects.filter(event=event, submitted_by=entrant).count() == 1
