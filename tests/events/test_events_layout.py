"""Where the events code keeps its rules: only the adapter turns rows into the engine's arrays,
and one function locks an event's row."""

import ast
from pathlib import Path

import pytest

from seedbed.events import services

EVENTS = Path(services.__file__).parent
MODULES = sorted(p for p in EVENTS.glob("*.py") if p.name != "__init__.py")


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


@pytest.mark.parametrize(
    "path", [p for p in MODULES if p.name != "adapter.py"], ids=lambda p: p.name
)
def test_only_the_adapter_builds_engine_inputs(path):
    engine = {m for m in _imports(path) if m.startswith(("seedbed.engine", "numpy"))}
    assert not engine, f"{path.name} imports {engine}; ORM → engine code belongs in adapter.py"


@pytest.mark.parametrize(
    "path", [p for p in MODULES if p.name != "services.py"], ids=lambda p: p.name
)
def test_only_lock_event_locks_an_events_row(path):
    assert "Event.objects.select_for_update" not in path.read_text(), path.name
