"""Typed requests: what middleware and the API add to Django's request, for the type checker."""

from typing import Any

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class ApiRequest(HttpRequest):
    """A request inside the JSON API: ``auth`` is what the authenticator returned."""

    auth: Any
    api_token_id: int | None
