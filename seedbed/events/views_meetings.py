"""Roadshow 1:1 meeting pages: parse, call one service in `meetings.py`, render. Bad input
comes back as the page with the messages and a 400, never a 500."""

from collections.abc import Callable
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seedbed.core.pages import Outcome, act, attempt, render_form
from seedbed.events import meetings
from seedbed.events.calendars import calendar_response


def _whole(value: str, name: str) -> int:
    try:
        return int((value or "").strip())
    except ValueError:
        raise ValidationError({name: [_("Enter a whole number.")]}) from None


def _int(value: str, name: str, *, blank: bool = False) -> int | None:
    return None if blank and not (value or "").strip() else _whole(value, name)


def _moment(value: str, name: str) -> datetime | None:
    value = (value or "").strip()
    try:
        moment = parse_datetime(value) if value else None
    except ValueError:
        moment = None
    if value and moment is None:
        raise ValidationError({name: [_("Enter a date and time.")]})
    return moment


def _on_home(
    request: HttpRequest, pk: int, call: Callable[[], object], success: str
) -> HttpResponse:
    """Run a participant's change; refused, the meetings page again with the reasons, 400."""
    outcome = attempt(request, call)
    if not outcome.ok:
        page = meetings.meetings_page(request.user, pk)
        context = {"page": page, "event": page.access.event}
        return render_form(request, "events/meetings/home.html", context, outcome, status=400)
    messages.success(request, success)
    return redirect("events:meetings:home", pk)


def _organise_again(request: HttpRequest, pk: int, outcome: Outcome) -> HttpResponse:
    """The organiser page again after a refusal, with the reasons, 400."""
    page = meetings.organiser_page(request.user, pk)
    context = {"page": page, "event": page.access.event}
    return render_form(request, "events/meetings/organise.html", context, outcome, status=400)


def _on_organise(
    request: HttpRequest, pk: int, call: Callable[[], object], success: str
) -> HttpResponse:
    outcome = attempt(request, call)
    if not outcome.ok:
        return _organise_again(request, pk, outcome)
    messages.success(request, success)
    return redirect("events:meetings:organise", pk)


# Members -----------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest, pk: int) -> HttpResponse:
    page = meetings.meetings_page(request.user, pk)
    return render(request, "events/meetings/home.html", {"page": page, "event": page.access.event})


@login_required
@require_POST
def join(request: HttpRequest, pk: int) -> HttpResponse:
    role = request.POST.get("role", "")
    return _on_home(
        request,
        pk,
        lambda: meetings.join(request.user, pk, role),
        _("You take part in the 1:1 meetings."),
    )


@login_required
@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    return act(
        request,
        lambda: meetings.leave(request.user, pk),
        fallback=reverse("events:meetings:home", args=[pk]),
        success=_("You no longer take part in the 1:1 meetings."),
    )


@login_required
@require_POST
def availability(request: HttpRequest, pk: int) -> HttpResponse:
    def call() -> object:
        limit = _int(request.POST.get("max_meetings", ""), "max_meetings", blank=True)
        slot_ids = [_whole(v, "slots") for v in request.POST.getlist("slots")]
        return meetings.set_availability(request.user, pk, max_meetings=limit, slot_ids=slot_ids)

    return _on_home(request, pk, call, _("Your availability is saved."))


@login_required
@require_POST
def preferences(request: HttpRequest, pk: int) -> HttpResponse:
    def call() -> object:
        choices = [
            (_whole(key.removeprefix("pref_"), "preferences"), request.POST.get(key) or "")
            for key in request.POST
            if key.startswith("pref_")
        ]
        return meetings.set_preferences(request.user, pk, choices)

    return _on_home(request, pk, call, _("Your preferences are saved."))


@login_required
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    found = meetings.agenda(request.user, pk)
    return render(
        request, "events/meetings/agenda.html", {"agenda": found, "event": found.access.event}
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
    event = found.access.event
    name = _("1:1 meetings: %(title)s") % {"title": event.title}
    return calendar_response(name, meetings.agenda_vevents(found), filename=f"meetings-{event.pk}")


# Organisers --------------------------------------------------------------------------------------


@login_required
def organise(request: HttpRequest, pk: int) -> HttpResponse:
    page = meetings.organiser_page(request.user, pk)
    return render(
        request, "events/meetings/organise.html", {"page": page, "event": page.access.event}
    )


@login_required
@require_POST
def add_slot(request: HttpRequest, pk: int) -> HttpResponse:
    def call() -> object:
        return meetings.create_slot(
            request.user,
            pk,
            starts_at=_moment(request.POST.get("starts_at", ""), "starts_at"),
            ends_at=_moment(request.POST.get("ends_at", ""), "ends_at"),
            tables=_whole(request.POST.get("tables", ""), "tables"),
        )

    return _on_organise(request, pk, call, _("The slot is added."))


@login_required
@require_POST
def delete_slot(request: HttpRequest, pk: int, slot_id: int) -> HttpResponse:
    return act(
        request,
        lambda: meetings.delete_slot(request.user, pk, slot_id),
        fallback=reverse("events:meetings:organise", args=[pk]),
        success=_("The slot is deleted."),
    )


@login_required
@require_POST
def add_participant(request: HttpRequest, pk: int) -> HttpResponse:
    handle, role = request.POST.get("handle", "")[:40], request.POST.get("role", "")
    return _on_organise(
        request,
        pk,
        lambda: meetings.add_participant(request.user, pk, handle, role),
        _("The participant is added."),
    )


@login_required
@require_POST
def remove_participant(request: HttpRequest, pk: int, participant_id: int) -> HttpResponse:
    return _on_organise(
        request,
        pk,
        lambda: meetings.remove_participant(request.user, pk, participant_id),
        _("The participant is removed."),
    )


@login_required
@require_POST
def build(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = attempt(request, lambda: meetings.build_schedule(request.user, pk))
    result = outcome.value
    if result is None:
        return _organise_again(request, pk, outcome)
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
        request, "events/meetings/schedule.html", {"schedule": found, "event": found.access.event}
    )
