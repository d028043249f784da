from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from seedbed.accounts.models import User


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"member_count": User.objects.filter(is_active=True).count()})


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: answers 200 only when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
