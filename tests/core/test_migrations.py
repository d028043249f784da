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
# field's default, validators or manager (`import seedbed.events.models`), and custom migration
# operations; and the field-encryption module, whose field type the serializer names and whose
# cipher a data migration must share (a copy would not know the installation's keys). Never data
# (constants are UPPER_CASE) or services, which change after the migration was written.
MODEL_MODULE = re.compile(r"seedbed\.\w+\.(models|encryption)")
OPERATIONS = re.compile(r"seedbed\.\w+\.(operations|encryption)")


def app_code_used(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
            found += [n for n in names if n.startswith("seedbed") and not MODEL_MODULE.fullmatch(n)]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if module.startswith(("seedbed", ".")) and not OPERATIONS.fullmatch(module):
                found.append(module)
        elif (
            isinstance(node, ast.Attribute)
            and node.attr.isupper()
            and MODEL_MODULE.fullmatch(ast.unparse(node.value))
        ):
            found.append(ast.unparse(node))
    return found


@pytest.mark.django_db
def test_every_model_change_has_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda path: f"{path.parts[-3]}/{path.stem}")
def test_a_migration_carries_its_data_instead_of_importing_app_code(path):
    assert app_code_used(path.read_text()) == []


def test_the_check_catches_constants_services_and_relative_imports_but_not_model_references():
    source = (
        "import seedbed.accounts.models\n"
        "import seedbed.communities.models\n"
        "from seedbed.search.operations import RunSQLOn\n"
        "from seedbed.core.sectors import SECTORS\n"
        "from seedbed.communities.models import COLOURS\n"
        "from ..models import Tag\n"
        "manager = seedbed.accounts.models.UserManager()\n"
        "def forwards(apps, schema_editor):\n"
        "    from seedbed.communities import services\n"
        "    return seedbed.communities.models.COLOURS\n"
    )
    assert sorted(app_code_used(source)) == [
        "..models",
        "seedbed.communities",
        "seedbed.communities.models",
        "seedbed.communities.models.COLOURS",
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
