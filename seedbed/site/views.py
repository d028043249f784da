from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seedbed.accounts import onboarding
from seedbed.accounts.models import User
from seedbed.accounts.services import member_statistics
from seedbed.discovery.services import KINDS, Suggestion, suggestions_for
from seedbed.site import services


@dataclass(frozen=True)
class ForYou:
    kind: str
    label: str
    suggestions: list[Suggestion]


FOR_YOU_LABELS = {
    "communities": _("Communities to join"),
    "events": _("Upcoming events"),
    "people": _("People to meet"),
    "posts": _("Posts to read"),
}
FOR_YOU_EACH = 3


def home(request: HttpRequest) -> HttpResponse:
    """Visitors see what is alive on the public side; members see what waits for them and
    their stored suggestions. Nothing here is cached per member."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return render(request, "site/home.html", {"home": services.visitor_home()})
    now = timezone.now()
    since = services.last_visit(request.session, now)
    for_you = [
        ForYou(kind, str(FOR_YOU_LABELS[kind]), suggestions_for(user, kind, limit=FOR_YOU_EACH))
        for kind in KINDS
    ]
    context = {
        "home": services.member_home(user, since, now),
        "for_you": for_you,
        "onboarding_steps": onboarding.STEPS,
    }
    return render(request, "site/home_member.html", context)


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: answers 200 only when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def operator_overview(request: HttpRequest) -> HttpResponse:
    """Visitors are sent to log in; members who are not operators get 403 from the service."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "site/operator.html", {"stats": member_statistics(request.user)})
