"""Never more confirmed than seats, also when many members say "going" at the same moment.

On PostgreSQL a crowd of members, each with an API token, posts RSVPs to a live server at once
(a barrier releases them together; the server handles each request in its own thread with its
own database connection). The control run switches the row lock off and must oversell, which
proves that the crowd really races. On SQLite every write transaction begins IMMEDIATE, so
writers queue for the database's write lock; there the same crowd drives the service from
threads directly, and a `database is locked` error counts as a failure."""

import json
import os
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from seedbed.accounts.services import create_api_token
from seedbed.events import services
from seedbed.events.models import RSVP, RSVPStatus
from tests.factories import MemberFactory

CAPACITY = 10
CROWD = 50
CONTROL_ROUNDS = 10

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers (every transaction begins IMMEDIATE), so a live-server "
    "race cannot oversell there and its control run could never pass; the SQLite variant "
    "below drives the service from threads instead",
)


def _open_event(organiser, capacity: int = CAPACITY):
    start = timezone.now() + timedelta(days=3)
    return services.create_event(
        organiser,
        kind="salon",
        title="Demo day",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue="WeWork",
        capacity=capacity,
    )


def _all_at_once(calls: list) -> list:
    """Run the calls in as many threads, released together; each result or the exception."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=60)
            results[i] = call()
        except Exception as error:  # reported by the test, not swallowed
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    return results


def _post_rsvp(url: str, token: str):
    def call() -> tuple[int, str]:
        request = urllib.request.Request(  # noqa: S310 - the live server's http URL
            url,
            data=b"",
            method="POST",
            headers={"Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status, json.load(response)["status"]
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")[:500]

    return call


@pytest.fixture
def organiser(db):
    return MemberFactory(is_staff=True)


@pytest.fixture
def crowd(db) -> list[tuple]:
    """CROWD members and their API token secrets."""
    members = MemberFactory.create_batch(CROWD)
    return [(member, create_api_token(member, "concurrency test")[1]) for member in members]


@pytest.fixture
def server(live_server, settings):
    """The live server, reached as through a TLS-terminating proxy: the session-wide server
    built its middleware (HTTPS redirect on) before the test settings turned the redirect
    off, so plain-HTTP requests would be redirected."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    return live_server


def _rush(live_server, event, crowd) -> list[tuple[int, str]]:
    url = f"{live_server.url}/api/v1/events/{event.pk}/rsvp"
    return _all_at_once([_post_rsvp(url, token) for _, token in crowd])


def _confirmed(event) -> int:
    return RSVP.objects.filter(event=event, status=RSVPStatus.CONFIRMED).count()


@on_postgresql
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_rsvps_never_confirm_more_than_the_capacity(server, organiser, crowd):
    event = _open_event(organiser)

    answers = _rush(server, event, crowd)

    failures = [
        answer for answer in answers if not (isinstance(answer, tuple) and answer[0] == 200)
    ]
    assert failures == []
    assert Counter(status for _, status in answers) == {
        RSVPStatus.CONFIRMED: CAPACITY,
        RSVPStatus.WAITLISTED: CROWD - CAPACITY,
    }
    stored = {row.user_id: row.status for row in RSVP.objects.filter(event=event)}
    assert stored == {
        member.pk: status for (member, _), (_, status) in zip(crowd, answers, strict=True)
    }


@on_postgresql
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_with_the_row_lock_switched_off_the_same_rush_oversells_the_event(
    server, organiser, crowd, monkeypatch
):
    """The control run: without the lock the test must see an oversold event, else it could
    not have caught a missing lock. Races on a small machine are not certain in one round, so
    it tries up to CONTROL_ROUNDS fresh events."""
    monkeypatch.setattr(services, "LOCK_EVENTS", False)
    confirmed_per_round = []
    for _ in range(CONTROL_ROUNDS):
        event = _open_event(organiser)
        answers = _rush(server, event, crowd)
        assert all(isinstance(a, tuple) and a[0] == 200 for a in answers), answers
        confirmed_per_round.append(_confirmed(event))
        if confirmed_per_round[-1] > CAPACITY:
            break
    assert max(confirmed_per_round) > CAPACITY, confirmed_per_round


def race_on_a_sqlite_file() -> None:
    """Run in a child process whose settings point at a SQLite file (WAL, IMMEDIATE, the busy
    timeout: the production options); prints what the crowd got, as JSON."""
    organiser = MemberFactory(is_staff=True, password="!")
    event = _open_event(organiser)
    members = MemberFactory.create_batch(CROWD, password="!")

    def rsvp_of(member):
        return lambda: services.rsvp(member, event.pk).status

    results = _all_at_once([rsvp_of(member) for member in members])
    print(
        json.dumps(
            {
                "answers": [r if isinstance(r, str) else repr(r) for r in results],
                "confirmed": _confirmed(event),
                "rows": RSVP.objects.filter(event=event).count(),
            }
        )
    )


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="on PostgreSQL the live-server rush above is the concurrency test",
)
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_fifty_threads_rsvping_at_once_on_sqlite_never_confirm_more_than_the_capacity(tmp_path):
    """The in-memory test database shares one cache between connections, whose table locks
    fail at once instead of waiting, so the crowd runs in a child process on a file: a copy
    of the migrated test database, opened with the settings production uses."""
    with sqlite3.connect(tmp_path / "race.sqlite3") as copy:
        connection.ensure_connection()
        connection.connection.backup(copy)
    copy.close()
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from tests.events.test_rsvp_concurrency import race_on_a_sqlite_file; "
            "race_on_a_sqlite_file()",
        ],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "seedbed.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
            "SEEDBED_DATA_DIR": str(tmp_path),
        },
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    outcome = json.loads(child.stdout.strip().splitlines()[-1])

    # anything else, `database is locked` included, is a failure: the busy timeout must
    # absorb the queue of writers
    assert Counter(outcome["answers"]) == {
        RSVPStatus.CONFIRMED: CAPACITY,
        RSVPStatus.WAITLISTED: CROWD - CAPACITY,
    }
    assert (outcome["confirmed"], outcome["rows"]) == (CAPACITY, CROWD)
