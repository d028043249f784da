import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contract_forbids_every_seedbed_app_and_django():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    engine = next(c for c in contracts["contracts"] if c["source_modules"] == ["seedbed.engine"])
    forbidden = set(engine["forbidden_modules"])
    apps = {app for app in settings.INSTALLED_APPS if app.startswith("seedbed.")}
    assert apps <= forbidden
    assert {"django", "seedbed.settings"} <= forbidden
