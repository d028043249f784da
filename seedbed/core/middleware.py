import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from seedbed.core.api import ErrorCode, error_body


class RejectNulCharactersMiddleware:
    """A NUL character in a path, query string or form field is never legitimate, and
    PostgreSQL refuses to store or compare it: answer 400 up front instead of failing deep
    inside (a path's NUL reached lookups by slug or token as a 500)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw_uri = request.META.get("RAW_URI") or request.META.get("REQUEST_URI") or ""
        if (
            "\x00" in request.path
            or "\x00" in request.META.get("PATH_INFO", "")
            or "%00" in raw_uri.partition("?")[0]
            or "\x00" in request.META.get("QUERY_STRING", "")
            or "%00" in request.META.get("QUERY_STRING", "")
            or any("\x00" in v for values in request.GET.lists() for v in values[1])
        ):
            return self._bad(request)
        if (
            request.method == "POST"
            and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
            and any("\x00" in v for _k, values in request.POST.lists() for v in values)
        ):
            return self._bad(request)
        return self.get_response(request)

    @staticmethod
    def _bad(request: HttpRequest) -> HttpResponse:
        message = _("The request contains a NUL character.")
        if request.path.startswith("/api/"):
            return JsonResponse(error_body(ErrorCode.BAD_REQUEST, message), status=400)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


class NoStoreForMembersMiddleware:
    """What a signed-in member sees, and every API answer, is theirs alone: no browser or
    proxy may store it (a shared computer's back button, a caching proxy). A visitor's public
    page keeps whatever caching it had."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
        return response


class OneLineRefusals(logging.Filter):
    """A refused request (4xx: forbidden, not found) is logged as one line: Django attaches the
    exception's traceback, which for an expected refusal is noise that buries real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 0) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
