"""Issue #14, finding 6: OpenAPI names components after the schema classes, so two classes of
one name (`PersonOut` in the meetings and attendance routers, `JoinIn` in meetings and
communities) made one silently replace the other in the published schema."""

import enum
import typing
from collections import defaultdict

from ninja import Schema
from pydantic import BaseModel

import seedbed.api


def _reachable(annotation: object, found: set[type]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel | enum.Enum):
        if annotation not in found:
            found.add(annotation)
            if issubclass(annotation, BaseModel):
                for field in annotation.model_fields.values():
                    _reachable(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _reachable(argument, found)


def _shown_classes() -> set[type]:
    """Every schema class of the project and every enum its fields show (both become named
    components)."""
    seedbed.api.api.get_openapi_schema()
    found: set[type] = set()
    todo = [Schema]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("seedbed."):
                _reachable(sub, found)
    return {c for c in found if c.__module__.startswith("seedbed.")}


def test_no_events_schema_or_enum_shares_its_name_with_another():
    where = defaultdict(set)
    for cls in _shown_classes():
        where[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    clashes = {
        name: sorted(places)
        for name, places in where.items()
        if len(places) > 1 and any(p.startswith("seedbed.events.") for p in places)
    }
    assert {"EventOut", "MeetingPersonOut", "AttendeeOut", "EventKind"} <= set(where)
    assert clashes == {}


def test_the_published_schema_keeps_the_meeting_and_attendee_shapes_apart():
    components = seedbed.api.api.get_openapi_schema()["components"]["schemas"]
    assert set(components["MeetingPersonOut"]["properties"]) == {"id", "display_name"}
    assert set(components["AttendeeOut"]["properties"]) == {"id", "display_name", "handle"}
    assert "role" in components["MeetingJoinIn"]["properties"]
