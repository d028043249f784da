"""Roadshow 1:1 meeting pages: parse, call one service in `meetings.py`, render. Bad input
comes back as the page with the messages and a 400, never a 500."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seedbed.events import meetings
from seedbed.events.calendars import calendar_response


def _int(value: str, name: str, *, blank: bool = False) -> int | None:
    value = (value or "").strip()
    if blank and not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValidationError({name: [_("Enter a whole number.")]}) from None


def _moment(value: str, name: str) -> datetime | None:
    value = (value or "").strip()
    try:
        moment = parse_datetime(value) if value else None
    except ValueError:
        moment = None
    if value and moment is None:
        raise ValidationError({name: [_("Enter a date and time.")]})
    return moment


def _home_with_errors(request: HttpRequest, pk: int, exc: ValidationError) -> HttpResponse:
    page = meetings.meetings_page(request.user, pk)
    context = {"page": page, "event": page.view.event, "errors": exc.messages}
    return render(request, "events/meetings/home.html", context, status=400)


def _organise_with_errors(request: HttpRequest, pk: int, exc: ValidationError) -> HttpResponse:
    page = meetings.organiser_page(request.user, pk)
    context = {"page": page, "event": page.view.event, "errors": exc.messages}
    return render(request, "events/meetings/organise.html", context, status=400)


# Members -----------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest, pk: int) -> HttpResponse:
    page = meetings.meetings_page(request.user, pk)
    return render(request, "events/meetings/home.html", {"page": page, "event": page.view.event})


@login_required
@require_POST
def join(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meetings.join(request.user, pk, request.POST.get("role", ""))
    except ValidationError as exc:
        return _home_with_errors(request, pk, exc)
    messages.success(request, _("You take part in the 1:1 meetings."))
    return redirect("events:meetings:home", pk)


@login_required
@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    meetings.leave(request.user, pk)
    messages.info(request, _("You no longer take part in the 1:1 meetings."))
    return redirect("events:meetings:home", pk)


@login_required
@require_POST
def availability(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        limit = _int(request.POST.get("max_meetings", ""), "max_meetings", blank=True)
        slot_ids = [_int(v, "slots") for v in request.POST.getlist("slots")]
        meetings.set_availability(request.user, pk, max_meetings=limit, slot_ids=slot_ids)
    except ValidationError as exc:
        return _home_with_errors(request, pk, exc)
    messages.success(request, _("Your availability is saved."))
    return redirect("events:meetings:home", pk)


@login_required
@require_POST
def preferences(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        choices = [
            (_int(key.removeprefix("pref_"), "preferences"), value)
            for key, value in request.POST.items()
            if key.startswith("pref_")
        ]
        meetings.set_preferences(request.user, pk, choices)
    except ValidationError as exc:
        return _home_with_errors(request, pk, exc)
    messages.success(request, _("Your preferences are saved."))
    return redirect("events:meetings:home", pk)


@login_required
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    found = meetings.agenda(request.user, pk)
    return render(
        request, "events/meetings/agenda.html", {"agenda": found, "event": found.view.event}
    )


def agenda_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """Session download, or the private URL carrying the member's calendar token."""
    token = request.GET.get("token", "")[:100]
    if token:
        found = meetings.agenda_for_token(token, pk)
    elif request.user.is_authenticated:
        found = meetings.agenda(request.user, pk)
    else:
        return redirect_to_login(request.get_full_path())
    event = found.view.event
    name = _("1:1 meetings: %(title)s") % {"title": event.title}
    return calendar_response(name, meetings.agenda_vevents(found), filename=f"meetings-{event.pk}")


# Organisers --------------------------------------------------------------------------------------


@login_required
def organise(request: HttpRequest, pk: int) -> HttpResponse:
    page = meetings.organiser_page(request.user, pk)
    return render(
        request, "events/meetings/organise.html", {"page": page, "event": page.view.event}
    )


@login_required
@require_POST
def add_slot(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meetings.create_slot(
            request.user,
            pk,
            starts_at=_moment(request.POST.get("starts_at", ""), "starts_at"),
            ends_at=_moment(request.POST.get("ends_at", ""), "ends_at"),
            tables=_int(request.POST.get("tables", ""), "tables"),
        )
    except ValidationError as exc:
        return _organise_with_errors(request, pk, exc)
    messages.success(request, _("The slot is added."))
    return redirect("events:meetings:organise", pk)


@login_required
@require_POST
def delete_slot(request: HttpRequest, pk: int, slot_id: int) -> HttpResponse:
    meetings.delete_slot(request.user, pk, slot_id)
    messages.info(request, _("The slot is deleted."))
    return redirect("events:meetings:organise", pk)


@login_required
@require_POST
def add_participant(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meetings.add_participant(
            request.user, pk, request.POST.get("handle", "")[:40], request.POST.get("role", "")
        )
    except ValidationError as exc:
        return _organise_with_errors(request, pk, exc)
    messages.success(request, _("The participant is added."))
    return redirect("events:meetings:organise", pk)


@login_required
@require_POST
def remove_participant(request: HttpRequest, pk: int, participant_id: int) -> HttpResponse:
    try:
        meetings.remove_participant(request.user, pk, participant_id)
    except ValidationError as exc:
        return _organise_with_errors(request, pk, exc)
    messages.info(request, _("The participant is removed."))
    return redirect("events:meetings:organise", pk)


@login_required
@require_POST
def build(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        result = meetings.build_schedule(request.user, pk)
    except ValidationError as exc:
        return _organise_with_errors(request, pk, exc)
    if result.queued:
        messages.info(
            request,
            _("This roadshow is large: the schedule is being built in the background."),
        )
    else:
        messages.success(
            request,
            _(
                "Schedule built: %(n)d meetings, total weight %(total)s; "
                "proven upper bound %(bound)s; gap %(gap)s%%."
            )
            % {
                "n": result.meetings,
                "total": f"{result.total_weight:g}",
                "bound": f"{result.upper_bound:g}",
                "gap": f"{100 * result.gap:.1f}",
            },
        )
    return redirect("events:meetings:schedule", pk)


@login_required
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    found = meetings.schedule(request.user, pk)
    return render(
        request, "events/meetings/schedule.html", {"schedule": found, "event": found.view.event}
    )
