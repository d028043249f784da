import json

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from seedbed.accounts.auth import MemberRequest
from seedbed.core.pages import attempt
from seedbed.privacy import erasure
from seedbed.privacy.export import export_member_data
from seedbed.privacy.forms import KEEP, DeleteAccountForm


@login_required
def export(request: MemberRequest) -> HttpResponse:
    """GET explains; POST downloads (a download is a deliberate act, not a link prefetch)."""
    if request.method == "POST":
        outcome = attempt(request, lambda: export_member_data(request.user))
        if outcome.ok:
            response = HttpResponse(
                json.dumps(outcome.value, ensure_ascii=False, indent=2),
                content_type="application/json; charset=utf-8",
            )
            name = f"seedbed-export-{timezone.now():%Y%m%d}.json"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        response = render(request, "privacy/export.html", status=429)
        response["Retry-After"] = str(outcome.retry_after or 1)
        return response
    return render(request, "privacy/export.html")


@login_required
def delete(request: MemberRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    blockers = erasure.last_owned_communities(request.user)
    if form.is_valid():
        password, keep = form.cleaned_data["password"], form.cleaned_data["content"] == KEEP
        user = request.user
        if attempt(
            request,
            lambda: erasure.delete_own_account(user, password=password, keep_content=keep),
            form=form,
        ).ok:
            logout(request)
            return render(request, "privacy/deleted.html")
    return render(request, "privacy/delete.html", {"form": form, "blockers": blockers})
