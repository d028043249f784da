"""Two different classes rendered under one component name make the OpenAPI document describe
one of them with the other's shape (ninja keys components by class name, the last one wins).
Every class reachable from every operation's inputs and responses is checked."""

import enum
import typing
from collections import defaultdict

from pydantic import BaseModel

from seedbed.api import api
from seedbed.core.api import ErrorOut


def _operations():
    for router in api._get_bound_routers():
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield f"{'/'.join(operation.methods)} {router.prefix}{path}", operation


def _classes_in(annotation, found: set) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel | enum.Enum):
        if annotation in found:
            return
        found.add(annotation)
        if issubclass(annotation, BaseModel):
            for field in annotation.model_fields.values():
                _classes_in(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _classes_in(argument, found)


def _shape(cls) -> object:
    if issubclass(cls, enum.Enum):
        return sorted(str(member.value) for member in cls)
    return cls.model_json_schema(mode="serialization")


def _documented_classes() -> dict[str, dict[type, set[str]]]:
    """Component name → class → the operations that use it. The wrappers ninja builds for each
    operation (its parameters, its response) are not components; what they hold is."""
    by_name: dict[str, dict[type, set[str]]] = defaultdict(lambda: defaultdict(set))
    for label, operation in _operations():
        wrappers = [*operation.models, *operation.response_models.values()]
        for wrapper in wrappers:
            if not isinstance(wrapper, type) or not issubclass(wrapper, BaseModel):
                continue
            found: set = set()
            for field in wrapper.model_fields.values():
                _classes_in(field.annotation, found)
            for cls in found:
                by_name[cls.__name__][cls].add(label)
    errors: set = set()
    _classes_in(ErrorOut, errors)
    for cls in errors:
        by_name[cls.__name__][cls].add("every error answer")
    return by_name


def test_the_sweep_sees_the_shapes_of_every_app():
    names = _documented_classes()
    assert {"CommunityOut", "EventOut", "ErrorOut", "ErrorCode"} <= set(names)
    modules = {cls.__module__ for classes in names.values() for cls in classes}
    apps = {module.split(".")[1] for module in modules if module.startswith("seedbed.")}
    assert {"accounts", "communities", "events", "matching"} <= apps


def test_no_two_shapes_share_a_component_name():
    collisions = []
    for name, classes in sorted(_documented_classes().items()):
        if len({repr(_shape(cls)) for cls in classes}) > 1:
            users = "; ".join(
                f"{cls.__module__}.{cls.__qualname__} (used by {', '.join(sorted(ops)[:3])})"
                for cls, ops in classes.items()
            )
            collisions.append(f"{name}: {users}")
    assert collisions == [], (
        "Several classes are documented under one component name; rename all but one:\n"
        + "\n".join(collisions)
    )
