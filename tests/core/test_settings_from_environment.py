import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from seedbed.env import env_bool, env_int, env_list


def test_booleans_integers_and_lists_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a.org, b.org,")
    assert env_bool("X_BOOL") is True
    assert env_int("X_INT", 0) == 42
    assert env_list("X_LIST", []) == ["a.org", "b.org"]
    assert env_int("X_MISSING", 7) == 7


@pytest.mark.parametrize(
    ("reader", "value"), [(env_bool, "maybe"), (lambda n: env_int(n, 0), "4x")]
)
def test_a_bad_value_names_the_variable(monkeypatch, reader, value):
    monkeypatch.setenv("X_BAD", value)
    with pytest.raises(ImproperlyConfigured, match="X_BAD"):
        reader("X_BAD")


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions_and_a_busy_timeout(tmp_path, settings):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    import sqlite3

    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    database = sqlite3.connect(tmp_path / "x.sqlite3")
    database.executescript(options["init_command"])
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("name", ["DISCOVERY_HALF_LIFE_DAYS", "INSIGHTS_HISTORY_DAYS"])
def test_intelligence_windows_must_be_at_least_a_day(name, tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, name: "0", "SEEDBED_DATA_DIR": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-c", "import seedbed.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0 and name in run.stderr


def _settings_value(tmp_path, expression: str, **env: str) -> str:
    import os
    import subprocess
    import sys

    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "BEHIND_PROXY")},
        "SEEDBED_DATA_DIR": str(tmp_path),
        **env,
    }
    run = subprocess.run(
        [sys.executable, "-c", f"import seedbed.settings as s; print({expression})"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    return run.stdout.strip() or run.stderr


def test_rate_limits_are_kept_in_the_database_without_redis_and_in_redis_with_it(tmp_path):
    from seedbed.accounts.models import RATE_LIMIT_CACHE_TABLE

    read = "s.CACHES['ratelimit']['BACKEND'], s.CACHES['ratelimit'].get('LOCATION')"
    assert _settings_value(tmp_path, read) == (
        f"django.core.cache.backends.db.DatabaseCache {RATE_LIMIT_CACHE_TABLE}"
    )
    with_redis = _settings_value(tmp_path, read, REDIS_URL="redis://127.0.0.1:6379/3")
    assert with_redis == "django.core.cache.backends.redis.RedisCache redis://127.0.0.1:6379/3"


def test_a_negative_proxy_count_stops_start_up(tmp_path):
    out = _settings_value(tmp_path, "1", BEHIND_PROXY="1", TRUSTED_PROXY_COUNT="-1")
    assert "TRUSTED_PROXY_COUNT" in out
