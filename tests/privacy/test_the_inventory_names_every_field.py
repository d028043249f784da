"""docs/privacy.md stays true: every field of every model of ours (and allauth's e-mail
addresses) is named in its personal-data inventory or in its list of fields without personal
data, and everything it names exists."""

import re
from pathlib import Path

from django.apps import apps

DOC = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"
NAME = re.compile(r"`([a-z_]+\.[A-Za-z]+(?:\.[a-z_0-9]+)?)`")


def _model_fields() -> set[str]:
    names = set()
    for model in apps.get_models():
        app = model._meta.app_config.name
        if app.startswith("seedbed.") or model._meta.label == "account.EmailAddress":
            for field in model._meta.fields + model._meta.many_to_many:
                names.add(f"{model._meta.label}.{field.name}")
    return names


def _documented_fields(text: str) -> set[str]:
    named = set()
    for line in text.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        for name in NAME.findall(cells[0]):
            if name.count(".") == 2:
                named.add(name)
            else:
                named.update(f"{name}.{f.strip()}" for f in cells[1].split(",") if f.strip())
    return named


def test_every_model_field_is_in_the_inventory():
    missing = _model_fields() - _documented_fields(DOC.read_text())
    assert not missing, f"add these to docs/privacy.md: {sorted(missing)}"


def test_the_inventory_names_no_field_that_does_not_exist():
    stale = _documented_fields(DOC.read_text()) - _model_fields()
    assert not stale, f"docs/privacy.md names fields that are gone: {sorted(stale)}"


def test_the_check_fails_for_a_field_the_doc_does_not_name():
    text = DOC.read_text().replace("`accounts.User.bio`, ", "")
    assert "accounts.User.bio" in _model_fields() - _documented_fields(text)
