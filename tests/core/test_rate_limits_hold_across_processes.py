"""Gunicorn runs several worker processes: a limit kept in one process's memory is multiplied by
their number. Two real OS processes share one database here and must share the limits too."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

# Each process tries 15 sign-ups from one address (allauth: 20 a minute per IP) and 15 actions
# under seedbed.core.ratelimit (limit 20); together they try 30 of each.
SCRIPT = """
import json
import os
import django
django.setup()
from allauth.core import ratelimit as allauth_ratelimit
from django.test import RequestFactory
from seedbed.core import ratelimit

signups = sum(
    bool(allauth_ratelimit.consume(RequestFactory().post("/", REMOTE_ADDR=os.environ["TEST_IP"]), action="signup"))
    for _ in range(15)
)
actions = 0
for _ in range(15):
    try:
        ratelimit.hit(os.environ["TEST_KEY"], [(20, 86400)])
        actions += 1
    except ratelimit.RateLimited:
        pass
print(json.dumps({"signups": signups, "actions": actions}))
"""


def _environment(tmp_path: Path, *, database: bool = True) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DEBUG")}
    env |= {
        "SEEDBED_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "seedbed.settings",
        # Fresh keys each run, so that counts left in Redis by an earlier run do not count.
        "TEST_IP": f"10.7.{secrets.randbelow(250)}.{secrets.randbelow(250)}",
        "TEST_KEY": f"cross-process-{secrets.token_hex(8)}",
    }
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    if connection.vendor == "sqlite" and database:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "accounts", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=300,
        )
    elif connection.vendor != "sqlite":
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    return env


def _run_two_processes(env: dict[str, str]) -> tuple[int, int]:
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", SCRIPT],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return sum(r["signups"] for r in results), sum(r["actions"] for r in results)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_processes_share_the_sign_up_and_action_limits_in_the_database(tmp_path):
    signups, actions = _run_two_processes(_environment(tmp_path))
    # Per-process memory would let 15 + 15 = 30 through.
    assert 15 <= signups <= 20
    assert actions == 20


REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_is_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_processes_share_the_limits_in_redis_when_it_is_configured(tmp_path):
    if not _redis_is_up():
        pytest.skip("no Redis on 127.0.0.1:6379")
    # Redis holds every count: the processes need no tables.
    env = _environment(tmp_path, database=False) | {"REDIS_URL": REDIS_URL}
    signups, actions = _run_two_processes(env)
    assert 15 <= signups <= 20
    assert actions == 20
