"""The OpenAPI document names each shape by its class name, the last class of a name wins:
no schema of the communities and search apps, nor an enum one of them shows, may share its
name with another app's (``MemberOut``, ``JoinIn`` and ``ReportIn`` did, with accounts',
events' and the library's)."""

import enum
import typing

from ninja import Schema
from pydantic import BaseModel

from seedbed.api import api

OURS = ("seedbed.communities", "seedbed.search")


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_all_subclasses(sub)}
    return found


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
    """Every schema of the project and every enum a schema's fields show."""
    api.get_openapi_schema()  # every router imported and bound
    found: set[type] = set()
    for schema in _all_subclasses(Schema):
        if schema.__module__.startswith("seedbed."):
            _reachable(schema, found)
    return {c for c in found if c.__module__.startswith("seedbed.")}


def test_no_communities_or_search_shape_shares_a_name_with_another_apps():
    shown = _shown_classes()
    ours = {c.__name__ for c in shown if c.__module__.startswith(OURS)}
    theirs = {c.__name__ for c in shown if not c.__module__.startswith(OURS)}
    assert {"CommunityOut", "PostOut", "SearchOut", "Visibility", "ReactionKind"} <= ours
    assert ours & theirs == set()


def test_the_member_list_join_and_report_shapes_are_documented_under_their_own_names():
    components = api.get_openapi_schema()["components"]["schemas"]
    assert set(components["CommunityMemberOut"]["properties"]) == {"user", "role", "joined_at"}
    assert set(components["CommunityJoinIn"]["properties"]) == {"message"}
    assert {"post_id", "reply_id", "reason"} <= set(components["ContentReportIn"]["properties"])
