from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seedbed.accounts.auth import MemberRequest
from seedbed.core.pages import back
from seedbed.discovery import services
from seedbed.discovery.forms import DigestPreferenceForm
from seedbed.discovery.models import Recommendation

FOR_YOU_LIMIT = 12


@login_required
def for_you(request: MemberRequest) -> HttpResponse:
    form = DigestPreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"in_digest": services.wants_digest(request.user)},
    )
    if request.method == "POST":
        if form.is_valid():
            services.set_digest_preference(request.user, form.cleaned_data["in_digest"])
            messages.success(request, _("Saved."))
            return redirect("discovery:for_you")
        return render(request, "discovery/for_you.html", _context(request, form), status=400)
    return render(request, "discovery/for_you.html", _context(request, form))


def _context(request: MemberRequest, form: DigestPreferenceForm) -> dict:
    return {"sections": services.sections_for(request.user, FOR_YOU_LIMIT), "form": form}


@require_POST
@login_required
def dismiss(request: MemberRequest, pk: int) -> HttpResponse:
    """The htmx button gets an empty answer (its card is swapped out); a plain form goes back
    to the page it came from."""
    try:
        services.dismiss_suggestion(request.user, pk)
    except Recommendation.DoesNotExist:
        raise Http404 from None
    if request.htmx:
        return HttpResponse("")
    messages.success(request, _("We will not suggest that again."))
    return back(request, "discovery:for_you")


def operator_page(request: HttpRequest) -> HttpResponse:
    """Visitors are sent to log in; members who are not operators get 403 from the service."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    report = services.operator_report(request.user)
    return render(request, "discovery/operator.html", {"report": report})
