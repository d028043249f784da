from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
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
