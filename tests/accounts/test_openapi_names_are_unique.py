"""The OpenAPI document names each schema by its class name: two classes of one name (the
accounts and communities ``MemberOut``, ``Role``, ``Visibility``) silently became one."""

import enum

from ninja import Schema

from seedbed.accounts.models import PlatformRole, ProfileVisibility, Role, Visibility
from seedbed.api import api
from seedbed.communities import models as communities


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_all_subclasses(sub)}
    return found


def test_the_platform_enums_have_their_own_names_and_values_in_the_document():
    components = api.get_openapi_schema()["components"]["schemas"]
    assert components["PlatformRole"]["enum"] == list(PlatformRole.values)
    assert components["ProfileVisibility"]["enum"] == list(ProfileVisibility.values)
    for name, enum_class in [("Role", communities.Role), ("Visibility", communities.Visibility)]:
        if name in components:
            assert components[name]["enum"] == list(enum_class.values)


def test_the_member_directory_schema_is_not_the_communities_member_schema():
    components = api.get_openapi_schema()["components"]["schemas"]
    assert {"handle", "skills", "interests"} <= set(components["MemberProfileOut"]["properties"])


def test_no_accounts_schema_or_enum_shares_a_name_with_another_apps():
    classes = _all_subclasses(Schema) | _all_subclasses(enum.Enum)
    ours = {c.__name__ for c in classes if c.__module__.startswith("seedbed.accounts")}
    theirs = {
        c.__name__
        for c in classes
        if c.__module__.startswith("seedbed.") and not c.__module__.startswith("seedbed.accounts")
    }
    assert not ours & theirs


def test_the_old_enum_names_stay_importable():
    assert Role is PlatformRole and Visibility is ProfileVisibility
