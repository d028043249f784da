import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def _check(tmp_path, **env):
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")},
        "SEEDBED_DATA_DIR": str(tmp_path),
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_production_settings_pass_the_deploy_check(tmp_path):
    result = _check(
        tmp_path,
        SECRET_KEY="k" * 20 + "-production-secret-that-is-long-and-random-3f9a",
        ALLOWED_HOSTS="seedbed.example.org",
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        BEHIND_PROXY="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_debug_mode_fails_the_deploy_check(tmp_path):
    result = _check(tmp_path, DEBUG="1", SECRET_KEY="k" * 60)
    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr


def test_a_short_secret_key_is_refused_with_one_clear_line(tmp_path):
    result = _check(tmp_path, SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters long" in result.stderr
