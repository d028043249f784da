from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

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
        {"ticket": found, "event": found.view.event, "rsvp": found.rsvp},
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
        {"desk": desk, "event": desk.view.event, "page": page},
    )


@login_required
def check_in_ticket(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """GET shows whose ticket was scanned; POST checks them in."""
    if request.method == "POST":
        try:
            result = attendance.check_in(request.user, pk, code)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("events:check_in_ticket", pk, code)
        event = result.rsvp.event
        name = result.rsvp.user.display_name
        if result.already:
            arrived = timezone.localtime(result.rsvp.checked_in_at, event.tz)
            messages.info(
                request,
                _("%(name)s is already checked in at %(time)s.")
                % {"name": name, "time": arrived.strftime("%H:%M")},
            )
        else:
            messages.success(request, _("%(name)s is checked in.") % {"name": name})
        return redirect("events:check_in", pk)
    view, rsvp = attendance.ticket_for_check_in(request.user, pk, code)
    return render(request, "events/attendance/scanned.html", {"event": view.event, "rsvp": rsvp})


# Feedback and messages -------------------------------------------------------------------------


@login_required
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            attendance.leave_feedback(request.user, pk, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect("events:detail", pk)
    state = attendance.feedback_state(request.user, pk)
    if request.method != "POST" and state.mine:
        form = FeedbackForm(initial={"rating": state.mine.rating, "comment": state.mine.comment})
    return render(
        request,
        "events/attendance/feedback.html",
        {"state": state, "event": state.view.event, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def feedback_results(request: HttpRequest, pk: int) -> HttpResponse:
    summary = attendance.feedback_summary(request.user, pk)
    page = Paginator(summary.comments, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/attendance/feedback_results.html",
        {"summary": summary, "event": summary.view.event, "page": page},
    )


@login_required
def message_attendees(request: HttpRequest, pk: int) -> HttpResponse:
    view = attendance.require_organiser(request.user, pk)
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                sent = attendance.message_attendees(request.user, pk, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Your message went to %(n)d person.",
                        "Your message went to %(n)d people.",
                        sent,
                    )
                    % {"n": sent},
                )
                return redirect("events:detail", pk)
        status = 400
    return render(
        request,
        "events/attendance/message.html",
        {"event": view.event, "form": form},
        status=status,
    )
