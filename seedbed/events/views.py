from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from seedbed.communities import services as community_services
from seedbed.core.feedback import flash_errors
from seedbed.events import services
from seedbed.events.forms import CapacityForm, EventForm
from seedbed.events.models import EventKind, RSVPStatus


def upcoming(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    community = community_services.get_community(request.user, slug).community if slug else None
    kind = request.GET.get("kind", "")
    events = services.upcoming(request.user, community=community, kind=kind)
    page = Paginator(events, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "events/upcoming.html",
        {
            "page": page,
            "community": community,
            "kind": kind,
            "kinds": EventKind.choices,
            "query": f"kind={kind}" if kind else "",
        },
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    community_slug = request.GET.get("community") or request.POST.get("community") or None
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(
                request.user,
                community=community_slug,
                repeat=form.cleaned_data.get("repeat") or "",
                occurrences=form.cleaned_data.get("occurrences") or 1,
                **form.changes(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The event is published."))
            return redirect("events:detail", event.pk)
    elif request.method == "GET":
        services.check_can_create(request.user, community_slug)
    return render(
        request, "events/event_form.html", {"form": form, "community_slug": community_slug or ""}
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    view = services.get_event(request.user, pk)
    return render(
        request,
        "events/event.html",
        {
            "view": view,
            "event": view.event,
            "counts": services.counts(view.event),
        },
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    view = services.require_organiser(request.user, pk)
    form = EventForm(request.POST or None, initial=EventForm.initial_for(view.event), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(
                request.user, pk, scope=request.POST.get("scope", "one"), **form.changes()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("events:detail", pk)
    return render(request, "events/event_form.html", {"form": form, "event": view.event})


@login_required
@require_POST
def cancel_event(request: HttpRequest, pk: int) -> HttpResponse:
    services.cancel_event(request.user, pk)
    messages.info(request, _("The event is cancelled."))
    return redirect("events:detail", pk)


@login_required
@require_POST
def rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        result = services.rsvp(request.user, pk)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request,
            {
                RSVPStatus.CONFIRMED: _("You are going. See you there!"),
                RSVPStatus.WAITLISTED: _("The event is full: you are on the waitlist."),
                RSVPStatus.PENDING: _("The organisers will confirm your place."),
            }.get(result.status, _("Saved.")),
        )
    return redirect("events:detail", pk)


@login_required
@require_POST
def cancel_rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    services.cancel_rsvp(request.user, pk)
    messages.info(request, _("You are no longer going."))
    return redirect("events:detail", pk)


@login_required
def attendees(request: HttpRequest, pk: int) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = services.attendees(request.user, pk, status)
    view = services.get_event(request.user, pk)
    counts = services.counts(view.event)
    capacity = view.event.capacity
    overbooked = max(0, counts["confirmed"] - capacity) if capacity is not None else 0
    return render(
        request,
        "events/attendees.html",
        {
            "view": view,
            "event": view.event,
            "rows": rows[:500],
            "status": status,
            "counts": counts,
            "overbooked": overbooked,
            "statuses": RSVPStatus.choices,
            "capacity_form": CapacityForm(initial={"capacity": capacity}),
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, rsvp_id: int, decision: str) -> HttpResponse:
    try:
        services.decide_rsvp(request.user, pk, rsvp_id, approve=decision == "approve")
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("events:attendees", pk)


@login_required
@require_POST
def capacity(request: HttpRequest, pk: int) -> HttpResponse:
    form = CapacityForm(request.POST)
    if form.is_valid():
        result = services.set_capacity(request.user, pk, form.cleaned_data["capacity"])
        if result["overbooked_by"]:
            messages.warning(
                request,
                ngettext(
                    "%(n)d person more is confirmed than the new capacity. Nobody was cancelled.",
                    "%(n)d people more are confirmed than the new capacity. Nobody was cancelled.",
                    result["overbooked_by"],
                )
                % {"n": result["overbooked_by"]},
            )
        else:
            messages.success(request, _("Capacity saved."))
    else:
        services.require_organiser(request.user, pk)
        messages.error(request, _("Capacity must be a whole number, 0 or more."))
    return redirect("events:attendees", pk)
