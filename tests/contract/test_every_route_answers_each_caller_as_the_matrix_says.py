"""The permission matrix of every route: each page of the site and each operation of the API,
asked by a visitor, a member of the private community, a member of nothing there, a member
banned from it, its owner and a platform operator, must answer as ``permission_matrix.py``
says. A new route without a row fails here with the row to add."""

import pytest
from django.core.cache import cache

from tests.contract.permission_matrix import API, PAGES
from tests.contract.routes import (
    api_body,
    api_document,
    api_operations,
    api_url,
    page_routes,
    page_url,
)
from tests.contract.world import ACTORS, build_world, clients, request_rolled_back

MATRIX_FILE = "tests/contract/permission_matrix.py"
HOW = (
    "Add a row to {file} giving what each of {actors} gets (a status, or L for a redirect to "
    "the login page, R for any other redirect), as a private community's content would."
)


def page_outcome(response) -> str:
    if response.status_code in (301, 302, 303):
        return "L" if "/accounts/login/" in response["Location"] else "R"
    return str(response.status_code)


def _group(name: str) -> str:
    return name.split(":")[0] if ":" in name else "site"


def _api_group(key: str) -> str:
    path = key.split(" ", 1)[1].removeprefix("/api/v1/")
    return path.split("/")[0] or "root"


def sweep_pages(names, world) -> dict[str, str]:
    """Each route as each caller: GET, or POST (an empty form) for a route that only takes
    posts. The codes are in ``ACTORS`` order, POST-only routes prefixed with ``POST``."""
    routes = page_routes()
    callers = clients(world)
    found = {}
    for name in names:
        url = page_url(routes[name], world)
        method = "get"
        if request_rolled_back(callers["owner"], "get", url).status_code == 405:
            method = "post"
        codes = []
        for actor in ACTORS:
            cache.clear()
            codes.append(page_outcome(request_rolled_back(callers[actor], method, url, None)))
        found[name] = ("POST " if method == "post" else "") + " ".join(codes)
    return found


def sweep_api(keys, world, document) -> dict[str, str]:
    operations = api_operations(document)
    callers = clients(world)
    found = {}
    for key in keys:
        method = key.split(" ")[0].lower()
        url = api_url(key, world)
        body = api_body(operations[key], document)
        if body is None and method in ("post", "put", "patch"):
            body = "{}"
        codes = []
        for actor in ACTORS:
            cache.clear()
            codes.append(str(request_rolled_back(callers[actor], method, url, body).status_code))
        found[key] = " ".join(codes)
    return found


def test_every_page_route_has_a_row():
    routes = set(page_routes())
    missing = sorted(routes - set(PAGES))
    assert not missing, f"Pages without a row: {missing}. " + HOW.format(
        file=MATRIX_FILE, actors=", ".join(ACTORS)
    )
    assert sorted(set(PAGES) - routes) == [], f"Rows of routes that are gone: edit {MATRIX_FILE}"


def test_every_api_operation_has_a_row():
    operations = set(api_operations(api_document()))
    missing = sorted(operations - set(API))
    assert not missing, f"API operations without a row: {missing}. " + HOW.format(
        file=MATRIX_FILE, actors=", ".join(ACTORS)
    )
    assert sorted(set(API) - operations) == [], f"Rows of operations that are gone: {MATRIX_FILE}"


def _mismatches(expected: dict, found: dict) -> list[str]:
    return [
        f"{key}: expected {expected[key]!r}, got {found[key]!r}"
        for key in found
        if found[key] != expected[key]
    ]


PAGE_GROUPS = sorted({_group(name) for name in PAGES})
API_GROUPS = sorted({_api_group(key) for key in API})


@pytest.mark.django_db
@pytest.mark.parametrize("group", PAGE_GROUPS)
def test_pages_answer_each_caller_as_the_matrix_says(group):
    names = [name for name in PAGES if _group(name) == group and name in page_routes()]
    found = sweep_pages(names, build_world())
    assert _mismatches(PAGES, found) == [], f"Columns: {ACTORS}"


@pytest.mark.django_db
@pytest.mark.parametrize("group", API_GROUPS)
def test_api_answers_each_caller_as_the_matrix_says(group):
    document = api_document()
    operations = api_operations(document)
    keys = [key for key in API if _api_group(key) == group and key in operations]
    found = sweep_api(keys, build_world(), document)
    assert _mismatches(API, found) == [], f"Columns: {ACTORS}"
