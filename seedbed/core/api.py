"""The shared API kit: the one paginator, the base of request bodies and the error envelope.

Every error is JSON of one shape, ``{"detail": message, "code": code, "errors": [{"field",
"message"}]}``: ``detail`` is worded in the request's language for people, ``code`` never
changes for programs, and ``errors`` (when there are some) names each field that was refused.
"""

import logging
from enum import StrEnum
from types import UnionType
from typing import Any, Union, get_args, get_origin

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as InputError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.pagination import PageNumberPagination
from pydantic import ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from seedbed.core.ratelimit import RateLimited

logger = logging.getLogger(__name__)

#: Far beyond any real list, yet small enough that page × page size stays an offset the
#: database accepts.
MAX_PAGE = 100_000


class ErrorCode(StrEnum):
    """What went wrong, for programs: stable across languages and releases."""

    INVALID_INPUT = "invalid_input"
    RULE_BROKEN = "rule_broken"
    BAD_REQUEST = "bad_request"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    RATE_LIMITED = "rate_limited"
    HTTP_ERROR = "http_error"
    TOO_LARGE = "too_large"
    UNAVAILABLE = "unavailable"


class Pages(PageNumberPagination):
    """The paginator of every API list. Its size comes from the settings, not from each
    endpoint: ``API_PAGE_SIZE`` by default, ``page_size`` up to ``API_MAX_PAGE_SIZE``. A page
    size above the cap or a huge page number is a 422 naming the parameter, never a clamp or
    a 500."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=settings.API_MAX_PAGE_SIZE)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            page_size=settings.API_PAGE_SIZE, max_page_size=settings.API_MAX_PAGE_SIZE, **kwargs
        )


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def _mistyped(annotation: Any, value: Any) -> bool:
    """A number given for a yes/no field or a yes/no for a number, which pydantic's lax mode
    would quietly convert, even inside a list."""
    if get_origin(annotation) in (Union, UnionType):
        kinds = [kind for kind in get_args(annotation) if kind is not type(None)]
        annotation = kinds[0] if len(kinds) == 1 else None
    if get_origin(annotation) is list and isinstance(value, list):
        return any(_mistyped(get_args(annotation)[0], item) for item in value)
    if annotation is bool:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if annotation in (int, float):
        return isinstance(value, bool)
    return False


class Input(Schema):
    """Base of every request body, held to what the OpenAPI document says: NUL characters are
    refused with a 422 naming the field (PostgreSQL cannot store them, and no real text
    contains them), and so are a body that is not an object and a number given for a yes/no
    field or the reverse (pydantic would otherwise read ``[]`` as an empty object, ``0`` as
    false and ``false`` as 0)."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        given = getattr(data, "_obj", data)  # ninja hands the body over wrapped
        if isinstance(given, list | str | int | float | bool) or given is None:
            raise PydanticCustomError("model_type", _("The body must be a JSON object."))
        return data

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul_characters(cls, value: Any, info: ValidationInfo) -> Any:
        if _has_nul(value):
            raise PydanticCustomError("nul_character", _("This contains a NUL character."))
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and _mistyped(field.annotation, value):
            raise PydanticCustomError("type_mismatch", _("This is not of the documented type."))
        return value


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """The envelope of every error answer, as documented for each operation."""

    detail: str
    code: ErrorCode
    errors: list[FieldError] = Field(
        default_factory=list, description="Each refused field, when the input was refused."
    )


#: Why each error status can answer, for the OpenAPI document.
ERROR_STATUSES = {
    400: "The request breaks a rule (the message says which), or contains a NUL character.",
    401: "Authentication is required, or the token is invalid or revoked.",
    403: "The caller may not do this (or the CSRF check of a session failed).",
    404: "Not found, or private to others: both answer the same.",
    413: "The request body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE.",
    422: "The input is invalid: ``errors`` names each refused field.",
    429: "Too many requests; ``Retry-After`` says when to try again.",
    503: "The database is unavailable; ``Retry-After`` says when to try again.",
}


def error_statuses(operation: Operation) -> list[int]:
    """The errors an operation can answer, read from what it declares: its inputs, its
    authentication, whether it writes. Handlers never pick their own codes, so this holds."""
    sources = {getattr(m, "__ninja_param_source__", "") for m in operation.models}
    writes = bool(set(operation.methods) - {"GET", "HEAD", "OPTIONS"})
    codes = {429, 503}  # any read may be rate-limited too (exports, searches)
    if sources or writes:
        codes |= {400, 404, 422}
    if operation.auth_callbacks:
        codes |= {401, 403}
    if writes or sources & {"body", "form", "file"}:
        codes.add(413)
    return sorted(codes)


class _DocumentedErrors(OpenAPISchema):
    def responses(self, operation: Operation) -> dict[int, dict[str, Any]]:
        result = super().responses(operation)
        schema = self._create_ref_schema(ErrorOut, mode="serialization")
        content = {self.api.renderer.media_type: {"schema": schema}}
        for status in error_statuses(operation):
            result.setdefault(status, {"description": ERROR_STATUSES[status], "content": content})
        return result


class EnvelopeAPI(NinjaAPI):
    """A NinjaAPI whose every refusal is answered in the envelope and documented as such in
    its OpenAPI document, so clients (and schemathesis) know each error's shape."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        add_error_envelope(self)

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return _DocumentedErrors(self, path_prefix)


def error_body(code: ErrorCode, detail: str, errors: list[dict[str, str]] | None = None) -> dict:
    body: dict[str, Any] = {"detail": detail, "code": code.value}
    if errors is not None:
        body["errors"] = errors
    return body


def _field_of(location: list[Any]) -> str:
    """The field a pydantic location names, without its leading source ("body", "query"...),
    so that a field itself called ``body`` is still reported by name."""
    parts = [str(p) for p in location]
    if parts[:1] and parts[0] in ("body", "query", "path", "form", "header", "cookie"):
        parts = parts[1:]
    if parts[:1] == ["payload"]:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def add_error_envelope(api: NinjaAPI) -> None:
    """Answer every refusal of ``api`` in the envelope, in the request's language."""
    from seedbed.core.faults import unavailable_json  # faults imports this module

    def respond(
        request: HttpRequest,
        status: int,
        code: ErrorCode,
        detail: str,
        errors: list[dict[str, str]] | None = None,
        retry_after: int | None = None,
    ) -> HttpResponse:
        response = api.create_response(request, error_body(code, detail, errors), status=status)
        if retry_after:
            response["Retry-After"] = str(retry_after)
        return response

    @api.exception_handler(InputError)
    def invalid_input(request: HttpRequest, exc: InputError) -> HttpResponse:
        errors = [
            {"field": _field_of(list(e.get("loc", []))), "message": e.get("msg", "")}
            for e in exc.errors
        ]
        return respond(request, 422, ErrorCode.INVALID_INPUT, _("The request is invalid."), errors)

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
        return respond(request, 400, ErrorCode.RULE_BROKEN, errors[0]["message"], errors)

    @api.exception_handler(ObjectDoesNotExist)
    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 404, ErrorCode.NOT_FOUND, _("Not found."))

    @api.exception_handler(PermissionDenied)
    @api.exception_handler(AuthorizationError)
    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = str(exc) if isinstance(exc, PermissionDenied) else ""
        return respond(request, 403, ErrorCode.FORBIDDEN, message or _("You may not do this."))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = exc.message if exc.message != "Unauthorized" else ""
        return respond(
            request, 401, ErrorCode.UNAUTHENTICATED, message or _("Authentication required.")
        )

    @api.exception_handler(RateLimited)
    @api.exception_handler(Throttled)
    def too_fast(request: HttpRequest, exc: RateLimited | Throttled) -> HttpResponse:
        wait = exc.retry_after if isinstance(exc, RateLimited) else exc.wait
        return respond(
            request,
            429,
            ErrorCode.RATE_LIMITED,
            _("Too many requests; try again later."),
            retry_after=int(wait or 0),
        )

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.error("Database unavailable at %s", request.path, exc_info=exc)
        return unavailable_json(request)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, ErrorCode.HTTP_ERROR, str(exc))
