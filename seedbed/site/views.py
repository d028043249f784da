from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from seedbed.accounts.services import active_member_count, member_statistics


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html", {"member_count": active_member_count()})


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
