from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from seedbed.accounts.auth import MemberRequest
from seedbed.core.pages import attempt, render_form
from seedbed.notifications import services
from seedbed.notifications.forms import NotificationSettingsForm


@login_required
def inbox(request: MemberRequest) -> HttpResponse:
    if request.method == "POST":
        services.mark_notifications_read(request.user)
        return redirect("notifications:inbox")
    return render(request, "notifications/inbox.html", {"items": services.inbox(request.user)})


@login_required
def notification_settings(request: MemberRequest) -> HttpResponse:
    current = services.notification_settings(request.user)
    form = NotificationSettingsForm(request.POST or None, initial={"digest": current.digest})
    if request.method != "POST" or not form.is_valid():
        return render(request, "notifications/settings.html", {"form": form})
    outcome = attempt(
        request,
        lambda: services.set_digest_frequency(request.user, form.cleaned_data["digest"]),
        form=form,
    )
    if not outcome.ok:
        return render_form(request, "notifications/settings.html", {"form": form}, outcome)
    messages.success(request, _("Saved."))
    return redirect("notifications:inbox")
