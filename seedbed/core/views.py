from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from seedbed.accounts.models import User
from seedbed.accounts.services import member_statistics


def home(request: HttpRequest) -> HttpResponse:
    members = User.objects.filter(is_active=True).count()
    return render(request, "core/home.html", {"member_count": members})


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: answers 200 only when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def operator_overview(request: HttpRequest) -> HttpResponse:
    """Operators (staff) only: visitors are sent to log in, other members get 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_staff:
        raise PermissionDenied
    return render(request, "core/operator.html", {"stats": member_statistics()})
