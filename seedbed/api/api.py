"""The JSON API at /api/v1: one NinjaAPI that collects each app's router.

Every error is JSON of one shape: {"detail": message, "errors": [{"field", "message"}]}.
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from seedbed.accounts.api import auth_router, me_router, members_router
from seedbed.communities.api import router as communities_router
from seedbed.core.ratelimit import RateLimited
from seedbed.events.api import router as events_router
from seedbed.matching.api import router as matching_router

api = NinjaAPI(
    title="Seedbed API",
    version="1",
    description="Communities, events and resource matching for startup communities.",
    urls_namespace="api",
    docs_url="/docs",
)


def _field_of(location: list) -> str:
    """The field a pydantic location names, without its leading source ("body", "query"...),
    so that a field itself called ``body`` is still reported by name."""
    parts = [str(p) for p in location]
    if parts[:1] and parts[0] in ("body", "query", "path", "form", "header", "cookie"):
        parts = parts[1:]
    if parts[:1] == ["payload"]:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def _error_response(request: HttpRequest, status: int, detail: str, errors=None) -> HttpResponse:
    body = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field_of(list(e.get("loc", []))), "message": e.get("msg", "Invalid value.")}
        for e in exc.errors
    ]
    return _error_response(request, 422, "The request is invalid.", errors)


@api.exception_handler(DjangoValidationError)
def rule_broken(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "__all__", "message": m} for m in exc.messages]
    return _error_response(request, 400, errors[0]["message"], errors)


@api.exception_handler(ObjectDoesNotExist)
@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error_response(request, 404, "Not found.")


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error_response(request, 403, str(exc) or "You may not do this.")


@api.exception_handler(RateLimited)
def too_fast(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _error_response(request, 429, "Too many requests; try again later.")
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = exc.message if exc.message != "Unauthorized" else "Authentication required."
    return _error_response(request, 401, message)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = _error_response(request, 429, "Too many requests; try again later.")
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait))
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error_response(request, exc.status_code, str(exc))


api.add_router("/auth", auth_router)
api.add_router("/me", me_router)
api.add_router("/members", members_router)
api.add_router("", communities_router)
api.add_router("", events_router)
api.add_router("", matching_router)
