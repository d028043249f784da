import ast
import importlib
import re
from pathlib import Path

import pytest
from django.core.management import call_command

import seedbed
from seedbed.core.sectors import SECTORS

MIGRATIONS = sorted(Path(seedbed.__file__).parent.glob("*/migrations/0*.py"))

# What a migration may take from Seedbed: the model modules Django's serializer names for a
# field's default, validators or manager, and custom migration operations. Never data or
# services, which change after the migration was written.
ALLOWED = re.compile(r"seedbed\.\w+\.(models|operations)")


def app_code_imported(source: str) -> list[str]:
    imported = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            imported.append("." * node.level + (node.module or ""))
    return [
        name
        for name in imported
        if name.startswith(("seedbed", ".")) and not ALLOWED.fullmatch(name)
    ]


@pytest.mark.django_db
def test_every_model_change_has_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda path: f"{path.parts[-3]}/{path.stem}")
def test_a_migration_carries_its_data_instead_of_importing_app_code(path):
    assert app_code_imported(path.read_text()) == []


def test_the_import_check_catches_a_constant_a_service_or_a_relative_import():
    source = (
        "from seedbed.core.sectors import SECTORS\n"
        "def forwards(apps, schema_editor):\n"
        "    from seedbed.communities import services\n"
        "from ..models import Tag\n"
        "import seedbed.accounts.models\n"
        "from seedbed.search.operations import RunSQLOn\n"
    )
    assert sorted(app_code_imported(source)) == [
        "..models",
        "seedbed.communities",
        "seedbed.core.sectors",
    ]


def test_every_migration_of_every_app_is_checked():
    apps = {path.parts[-3] for path in MIGRATIONS}
    assert {"accounts", "communities", "core", "events", "matching", "search"} <= apps


def test_the_sector_migration_loads_the_taxonomy_of_today():
    """The migration keeps its own copy; when the taxonomy changes, a new data migration must
    carry the change, and this test moves to it."""
    migration = importlib.import_module("seedbed.core.migrations.0002_sectors")
    assert migration.SECTORS == SECTORS
