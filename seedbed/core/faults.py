"""Faults the code cannot prevent, answered plainly instead of with a bare 500 or 400 page:
the database failing mid-request (503, after the service's transaction has rolled back) and a
request body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` sent to the API (413 in the envelope).
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import engines
from django.utils.translation import gettext as _

from seedbed.core.api import ErrorCode, error_body

logger = logging.getLogger(__name__)

#: Errors of the database being away or overloaded, not of the request: worth a retry.
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30

_PAGE = """{% extends "base.html" %}
{% block title %}{{ title }}{% endblock %}
{% block content %}<section class="card"><h1>{{ title }}</h1><p>{{ message }}</p></section>
{% endblock %}"""


def unavailable_json(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(
        error_body(
            ErrorCode.UNAVAILABLE, _("The service is temporarily unavailable; try again later.")
        ),
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def unavailable_page(request: HttpRequest) -> HttpResponse:
    """The site's layout, but the layout itself reads the database (the signed-in member, the
    unread count): when that fails too, the page is drawn as a visitor would see it."""
    template = engines["django"].from_string(_PAGE)
    context = {
        "title": _("Temporarily unavailable"),
        "message": _(
            "Seedbed could not reach its database. Nothing you sent was saved: "
            "please try again in a minute."
        ),
    }
    try:
        html = template.render(context, request)
    except Exception:
        html = template.render(context)
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def too_large_json(request: HttpRequest) -> JsonResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return JsonResponse(
        error_body(
            ErrorCode.TOO_LARGE,
            _("The request body is larger than %(limit)d bytes.") % {"limit": limit},
        ),
        status=413,
    )


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_large(request: HttpRequest) -> bool:
    """Django's own measure: the whole body, except that uploaded files do not count (their
    size is the receiving endpoint's rule), so a multipart body is parsed to find out."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return False
    if request.content_type != "multipart/form-data":
        return _declared_length(request) > limit
    try:
        request.POST  # noqa: B018
    except RequestDataTooBig:
        return True
    return False


class FaultsMiddleware:
    """Refuses an oversized API body before anything reads it, and turns a database outage
    raised by a view into a 503 (the API's own handler does the same for endpoints)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and _too_large(request):
            return too_large_json(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, UNAVAILABLE_ERRORS):
            return None
        logger.error("Database unavailable at %s", request.path, exc_info=exception)
        if request.path.startswith("/api/"):
            return unavailable_json(request)
        return unavailable_page(request)
