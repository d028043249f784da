"""Every route of the site and every operation of the API, with a concrete address in the
sweeps' world (see ``world.py``): the permission matrix and the canary crawl both walk these."""

import json
import re
from datetime import timedelta

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from seedbed.api import api
from tests.contract.world import MISSING

#: Not Seedbed's own pages: the admin and allauth have their own guards, and the API's URL
#: patterns are its operations, swept from the OpenAPI document.
FOREIGN = ("admin/", "accounts/", "i18n/", "api/")
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", route


def page_routes() -> dict[str, str]:
    """URL name (with its namespaces) → its route, e.g. ``events:detail`` → ``events/<int:pk>/``."""
    return {
        name: route
        for name, route in _walk(get_resolver().url_patterns)
        if not route.startswith(FOREIGN)
    }


def _page_value(route: str, parameter: str, world: dict):
    if parameter == "slug":
        return world["project"].slug if route.startswith("projects/") else world["community"].slug
    if parameter == "pk":
        for prefix, key in (
            ("events/", "event"),
            ("p/", "post"),
            ("r/", "reply"),
            ("offers/", "offer"),
            ("members/", "member"),
        ):
            if route.startswith(prefix):
                found = world["actors"]["member"] if key == "member" else world[key]
                return found.pk
        return MISSING
    fixed = {"user_id": world["actors"]["member"].pk, "member_id": world["actors"]["member"].pk}
    words = {"action": "remove", "decision": "approve", "step": 1}
    return fixed.get(parameter, words.get(parameter, MISSING if "id" in parameter else "nope"))


def page_url(route: str, world: dict) -> str:
    return "/" + PARAMETER.sub(lambda m: str(_page_value(route, m["name"], world)), route)


def api_document() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema()))


def api_operations(document: dict) -> dict[str, dict]:
    """``"METHOD /api/v1/path"`` → its operation in the OpenAPI document."""
    return {
        f"{method.upper()} {path}": operation
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    }


def _api_value(path: str, parameter: str, world: dict):
    member = world["actors"]["member"].pk
    values = {
        "slug": world["project"].slug if path.startswith("/api/v1/projects") else None,
        "event_id": world["event"].pk,
        "post_id": world["post"].pk,
        "reply_id": world["reply"].pk,
        "offer_id": world["offer"].pk,
        "member_id": member,
        "user_id": member,
        "decision": "approve",
        "token": "nope",
    }
    return values.get(parameter) or (world["community"].slug if parameter == "slug" else MISSING)


def api_url(key: str, world: dict) -> str:
    path = key.split(" ", 1)[1]
    return re.sub(r"{(\w+)}", lambda m: str(_api_value(path, m[1], world)), path)


def _example(schema: dict, document: dict):
    """The smallest value the schema accepts, so a write reaches its permission check instead
    of stopping at input validation."""
    if "$ref" in schema:
        return _example(
            document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]], document
        )
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _example(options[0], document)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: _example(properties[name], document) for name in schema.get("required", [])}
    if kind == "array":
        return [_example(schema["items"], document)] if schema.get("minItems") else []
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return True
    if schema.get("format") == "date-time":
        return (timezone.now() + timedelta(days=5)).isoformat()
    if schema.get("format") == "date":
        return (timezone.now() + timedelta(days=5)).date().isoformat()
    return "x" * max(schema.get("minLength", 1), 1)


def api_body(operation: dict, document: dict) -> str | None:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return json.dumps(_example(content["application/json"]["schema"], document))
