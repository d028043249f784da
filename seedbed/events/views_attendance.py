from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from seedbed.core.pages import Outcome, attempt, render_form
from seedbed.events import attendance, calendars

PAGE = 50


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("Rating"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=attendance.MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class MessageForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Send to"),
        choices=[
            ("confirmed", gettext_lazy("Confirmed attendees")),
            ("waitlisted", gettext_lazy("The waitlist")),
            ("checked_in", gettext_lazy("Checked-in attendees")),
        ],
    )
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=attendance.MAX_SUBJECT)
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=attendance.MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 10}),
    )


def _ics(file: attendance.CalendarFile) -> HttpResponse:
    return calendars.calendar_response(file.name, file.vevents, filename=file.filename)


# Calendars -------------------------------------------------------------------------------------


@require_GET
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    return _ics(attendance.event_calendar(request.user, pk))


@require_GET
def community_ics(request: HttpRequest, slug: str) -> HttpResponse:
    return _ics(attendance.community_calendar(request.user, slug))


@require_GET
def member_ics(request: HttpRequest, token: str) -> HttpResponse:
    return _ics(attendance.member_calendar(token))


@never_cache
@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    token = attendance.calendar_token(request.user)
    feed_url = request.build_absolute_uri(attendance.calendar_feed_path(token))
    return render(
        request, "events/attendance/my_calendar.html", {"token": token, "feed_url": feed_url}
    )


@login_required
@require_POST
def rotate_calendar(request: HttpRequest) -> HttpResponse:
    attendance.rotate_calendar_token(request.user)
    messages.success(request, _("Your old feed address no longer works. Here is a new one."))
    return redirect("events:my_calendar")


# Tickets and check-in --------------------------------------------------------------------------


@login_required
def ticket(request: HttpRequest, pk: int) -> HttpResponse:
    found = attendance.my_ticket(request.user, pk)
    return render(
        request,
        "events/attendance/ticket.html",
        {"ticket": found, "event": found.access.event, "rsvp": found.rsvp},
    )


@login_required
@require_GET
def ticket_qr(request: HttpRequest, pk: int) -> HttpResponse:
    response = HttpResponse(
        attendance.ticket_qr_svg(request.user, pk), content_type="image/svg+xml"
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def check_in_desk(request: HttpRequest, pk: int) -> HttpResponse:
    desk = attendance.check_in_desk(request.user, pk, request.GET.get("q", ""))
    page = Paginator(desk.attendees, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/attendance/check_in.html",
        {"desk": desk, "event": desk.access.event, "page": page},
    )


@login_required
def check_in_ticket(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """GET shows whose ticket was scanned; POST checks them in."""
    if request.method != "POST":
        access, rsvp = attendance.ticket_for_check_in(request.user, pk, code)
        context = {"event": access.event, "rsvp": rsvp}
        return render(request, "events/attendance/scanned.html", context)
    outcome = attempt(request, lambda: attendance.check_in(request.user, pk, code))
    if outcome.value is None:
        return redirect("events:check_in_ticket", pk, code)
    result = outcome.value
    name = result.rsvp.user.display_name
    if result.already:
        arrived = timezone.localtime(result.rsvp.checked_in_at, result.rsvp.event.tz)
        messages.info(
            request,
            _("%(name)s is already checked in at %(time)s.")
            % {"name": name, "time": arrived.strftime("%H:%M")},
        )
    else:
        messages.success(request, _("%(name)s is checked in.") % {"name": name})
    return redirect("events:check_in", pk)


# Feedback and messages -------------------------------------------------------------------------


@login_required
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    form = FeedbackForm(request.POST or None)
    outcome: Outcome = Outcome(False)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: attendance.leave_feedback(request.user, pk, **form.cleaned_data),
            form=form,
        )
        if outcome.ok:
            messages.success(request, _("Thank you for your feedback."))
            return redirect("events:detail", pk)
    state = attendance.feedback_state(request.user, pk)
    template = "events/attendance/feedback.html"
    if request.method != "POST":
        if state.mine:
            form = FeedbackForm(
                initial={"rating": state.mine.rating, "comment": state.mine.comment}
            )
        return render(
            request, template, {"state": state, "event": state.access.event, "form": form}
        )
    context = {"state": state, "event": state.access.event, "form": form}
    return render_form(request, template, context, outcome, status=400)


@login_required
def feedback_results(request: HttpRequest, pk: int) -> HttpResponse:
    summary = attendance.feedback_summary(request.user, pk)
    page = Paginator(summary.comments, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/attendance/feedback_results.html",
        {"summary": summary, "event": summary.access.event, "page": page},
    )


@login_required
def message_attendees(request: HttpRequest, pk: int) -> HttpResponse:
    event = attendance.require_organiser(request.user, pk).event
    form = MessageForm(request.POST or None)
    template = "events/attendance/message.html"
    context = {"event": event, "form": form}
    if request.method != "POST":
        return render(request, template, context)
    outcome: Outcome[int] = Outcome(False)
    if form.is_valid():
        outcome = attempt(
            request,
            lambda: attendance.message_attendees(request.user, pk, **form.cleaned_data),
            form=form,
        )
    if outcome.value is None:
        return render_form(request, template, context, outcome, status=400)
    sent = outcome.value
    messages.success(
        request,
        ngettext("Your message went to %(n)d person.", "Your message went to %(n)d people.", sent)
        % {"n": sent},
    )
    return redirect("events:detail", pk)
