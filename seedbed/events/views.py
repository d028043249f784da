from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from seedbed.core.pages import act, attempt, render_form
from seedbed.events import services
from seedbed.events.forms import CapacityForm, EventForm
from seedbed.events.models import MAX_CAPACITY, EventKind, RSVPStatus


def upcoming(request: HttpRequest, slug: str = "") -> HttpResponse:
    kind = request.GET.get("kind", "")
    found = services.upcoming(request.user, community=slug, kind=kind)
    page = Paginator(found.events, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "events/upcoming.html",
        {
            "page": page,
            "community": found.community,
            "may_create": found.may_create,
            "kind": kind,
            "kinds": EventKind.choices,
            "query": f"kind={kind}" if kind else "",
        },
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    community_slug = request.GET.get("community") or request.POST.get("community") or None
    services.check_can_create(request.user, community_slug)
    form = EventForm(request.POST or None)
    context = {"form": form, "community_slug": community_slug or ""}
    if request.method != "POST" or not form.is_valid():
        return render(request, "events/event_form.html", context)
    outcome = attempt(
        request,
        lambda: services.create_event(
            request.user,
            community=community_slug,
            repeat=form.cleaned_data.get("repeat") or "",
            occurrences=form.cleaned_data.get("occurrences") or 1,
            **form.changes(),
        ),
        form=form,
    )
    if outcome.ok and outcome.value is not None:
        messages.success(request, _("The event is published."))
        return redirect("events:detail", outcome.value.pk)
    return render_form(request, "events/event_form.html", context, outcome)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = services.get_event(request.user, pk)
    return render(request, "events/event.html", {"access": access, "event": access.event})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = services.require_organiser(request.user, pk).event
    form = EventForm(request.POST or None, initial=EventForm.initial_for(event), editing=True)
    context = {"form": form, "event": event}
    if request.method != "POST" or not form.is_valid():
        return render(request, "events/event_form.html", context)
    scope = request.POST.get("scope", "one")
    outcome = attempt(
        request,
        lambda: services.update_event(request.user, pk, scope=scope, **form.changes()),
        form=form,
    )
    if outcome.ok:
        messages.success(request, _("Saved."))
        return redirect("events:detail", pk)
    return render_form(request, "events/event_form.html", context, outcome)


def _detail_url(pk: int) -> str:
    return reverse("events:detail", args=[pk])


@login_required
@require_POST
def cancel_event(request: HttpRequest, pk: int) -> HttpResponse:
    return act(
        request,
        lambda: services.cancel_event(request.user, pk),
        fallback=_detail_url(pk),
        success=_("The event is cancelled."),
    )


RSVP_SAID = {
    RSVPStatus.CONFIRMED: gettext_lazy("You are going. See you there!"),
    RSVPStatus.WAITLISTED: gettext_lazy("The event is full: you are on the waitlist."),
    RSVPStatus.PENDING: gettext_lazy("The organisers will confirm your place."),
}


@login_required
@require_POST
def rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = attempt(request, lambda: services.rsvp(request.user, pk))
    if outcome.ok and outcome.value is not None:
        said = RSVP_SAID.get(RSVPStatus(outcome.value.status))
        messages.success(request, str(said) if said else _("Saved."))
    return redirect("events:detail", pk)


@login_required
@require_POST
def cancel_rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    return act(
        request,
        lambda: services.cancel_rsvp(request.user, pk),
        fallback=_detail_url(pk),
        success=_("You are no longer going."),
    )


@login_required
def attendees(request: HttpRequest, pk: int) -> HttpResponse:
    found = services.attendees(request.user, pk, request.GET.get("status", ""))
    event = found.access.event
    return render(
        request,
        "events/attendees.html",
        {
            "access": found.access,
            "event": event,
            "rows": found.rows[:500],
            "status": found.status,
            "counts": found.access.counts,
            "overbooked": found.overbooked,
            "statuses": RSVPStatus.choices,
            "capacity_form": CapacityForm(initial={"capacity": event.capacity}),
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, rsvp_id: int, decision: str) -> HttpResponse:
    if decision not in ("approve", "decline"):
        raise Http404
    return act(
        request,
        lambda: services.decide_rsvp(request.user, pk, rsvp_id, approve=decision == "approve"),
        fallback=reverse("events:attendees", args=[pk]),
    )


@login_required
@require_POST
def capacity(request: HttpRequest, pk: int) -> HttpResponse:
    form = CapacityForm(request.POST)
    if not form.is_valid():
        services.require_organiser(request.user, pk)
        messages.error(
            request,
            _("Capacity must be a whole number from 0 to %(n)d.") % {"n": MAX_CAPACITY},
        )
        return redirect("events:attendees", pk)
    outcome = attempt(
        request, lambda: services.set_capacity(request.user, pk, form.cleaned_data["capacity"])
    )
    over = outcome.value["overbooked_by"] if outcome.value else 0
    if over:
        messages.warning(
            request,
            ngettext(
                "%(n)d person more is confirmed than the new capacity. Nobody was cancelled.",
                "%(n)d people more are confirmed than the new capacity. Nobody was cancelled.",
                over,
            )
            % {"n": over},
        )
    elif outcome.ok:
        messages.success(request, _("Capacity saved."))
    return redirect("events:attendees", pk)
