"""What every page view does around a service call: show its refusal, answer a rate limit,
go back safely, build an absolute link. Views stay parse → one service call → render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext

from seedbed.core.ratelimit import RateLimited

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a service call gave: its value, or the refusal that is already on the page."""

    ok: bool
    value: T | None = None
    retry_after: int | None = None


def attempt(
    request: HttpRequest, call: Callable[[], T], *, form: BaseForm | None = None
) -> Outcome[T]:
    """Run one service call. A refusal goes onto ``form`` (each message on its field when the
    form has that field, else on the form) or, with no form, into the flash messages; a rate
    limit is worded the same way and its wait kept for the response's ``Retry-After``."""
    try:
        return Outcome(True, call())
    except ValidationError as exc:
        show_refusal(request, exc, form)
        return Outcome(False)
    except RateLimited as exc:
        message = too_fast_message(exc)
        if form is not None:
            form.add_error(None, message)
        else:
            messages.error(request, message)
        return Outcome(False, retry_after=exc.retry_after)


def show_refusal(request: HttpRequest, exc: ValidationError, form: BaseForm | None = None) -> None:
    if form is None:
        for message in exc.messages:
            messages.error(request, message)
        return
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def act(
    request: HttpRequest,
    call: Callable[[], Any],
    *,
    fallback: str,
    success: str | None = None,
) -> HttpResponse:
    """A button's whole answer: run the service, flash its success or refusal, go back."""
    outcome = attempt(request, call)
    if outcome.ok and success:
        messages.success(request, success)
    return back(request, fallback)


def render_form(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    outcome: Outcome[Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """The form page again after a refusal: 429 with ``Retry-After`` when it was a rate
    limit (what was typed is kept in the bound form), else ``status`` (200, or 400 where a
    page promises it) with the errors shown."""
    if outcome.retry_after is None:
        return render(request, template, context, status=status)
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(outcome.retry_after)
    return response


def too_fast_message(exc: RateLimited) -> str:
    return ngettext(
        "You are going very fast. Try again in %(n)d second.",
        "You are going very fast. Try again in %(n)d seconds.",
        exc.retry_after,
    ) % {"n": exc.retry_after}


def back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Return to the page the form came from (its ``next`` field) when that is one of ours;
    never to a ``Referer``, which another site controls."""
    target = request.POST.get("next", "") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def absolute_url(path: str) -> str:
    """A link for places without a request (mail, calendars, notifications): ``SITE_URL`` +
    the path."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}/{path.lstrip('/')}"
