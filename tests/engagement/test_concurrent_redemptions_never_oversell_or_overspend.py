"""Many members redeeming at the same moment never take more than the stock, and one member
redeeming many times at once never spends more than their balance. The control run switches
the row locks off and must oversell, which proves the crowd really races.

On PostgreSQL the crowd runs in threads, each with its own connection, released together by a
barrier. On SQLite every write transaction begins IMMEDIATE, so writers queue for the write
lock and a control run could never oversell; there the crowd runs in a child process on a file
copy of the test database (the in-memory one cannot be shared), with the production options."""

import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from seedbed.engagement import services
from seedbed.engagement.models import Redemption, Reward
from tests.factories import MemberFactory

STOCK = 5
CROWD = 20
CONTROL_ROUNDS = 10

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers; the child-process test below covers it",
)


def _all_at_once(calls: list) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=60)
            results[i] = call()
        except Exception as error:  # counted by the test
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a redemption never finished"
    return results


def _setup(crowd: int = CROWD, points: int = 100):
    operator = MemberFactory(is_staff=True, password="!")
    members = MemberFactory.create_batch(crowd, password="!")
    for member in members:
        services.award_points(operator, member.pk, points, "seed")
    reward = services.create_reward(
        operator, kind="event_seat", title="Seat", price=30, stock=STOCK
    )
    return operator, members, reward


def _redeem(member, reward_id):
    def call():
        try:
            return services.redeem(member, reward_id).status
        except ValidationError:
            return "refused"

    return call


def _stock_race() -> dict:
    _operator, members, reward = _setup()
    answers = _all_at_once([_redeem(m, reward.pk) for m in members])
    return {
        "answers": [a if isinstance(a, str) else repr(a) for a in answers],
        "redeemed": Redemption.objects.filter(reward=reward).count(),
        "stock": Reward.objects.get(pk=reward.pk).stock,
    }


def _balance_race() -> dict:
    operator, members, _reward = _setup(crowd=1)
    big = services.create_reward(operator, kind="merchandise", title="Cap", price=30, stock=100)
    member = members[0]
    answers = _all_at_once([_redeem(member, big.pk) for _ in range(10)])
    return {
        "answers": [a if isinstance(a, str) else repr(a) for a in answers],
        "balance": services.standing_of(member).balance,
    }


def _check_stock(outcome: dict) -> None:
    assert Counter(outcome["answers"]) == {"pending": STOCK, "refused": CROWD - STOCK}
    assert (outcome["redeemed"], outcome["stock"]) == (STOCK, 0)


def _check_balance(outcome: dict) -> None:
    assert Counter(outcome["answers"]) == {"pending": 3, "refused": 7}
    assert outcome["balance"] == 10


@on_postgresql
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_crowd_redeeming_at_once_never_takes_more_than_the_stock():
    _check_stock(_stock_race())


@on_postgresql
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_one_member_redeeming_many_times_at_once_never_overspends():
    _check_balance(_balance_race())


@on_postgresql
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_with_the_locks_switched_off_the_same_rush_oversells(monkeypatch):
    monkeypatch.setattr(services, "LOCK_REDEMPTIONS", False)
    redeemed = []
    for _ in range(CONTROL_ROUNDS):
        outcome = _stock_race()
        redeemed.append(outcome["redeemed"])
        if redeemed[-1] > STOCK:
            break
    assert max(redeemed) > STOCK, redeemed


def race_on_a_sqlite_file() -> None:
    """Run in a child process on a SQLite file with the production options; prints JSON."""
    print(json.dumps({"stock": _stock_race(), "balance": _balance_race()}))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the threads above race on PostgreSQL")
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_crowd_redeeming_at_once_on_sqlite_never_oversells_nor_overspends(tmp_path):
    with sqlite3.connect(tmp_path / "race.sqlite3") as copy:
        connection.ensure_connection()
        connection.connection.backup(copy)
    copy.close()
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from tests.engagement."
            "test_concurrent_redemptions_never_oversell_or_overspend import "
            "race_on_a_sqlite_file; race_on_a_sqlite_file()",
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
    _check_stock(outcome["stock"])
    _check_balance(outcome["balance"])
