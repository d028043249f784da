from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seedbed.accounts import services
from seedbed.accounts.auth import MemberRequest
from seedbed.accounts.forms import ApiTokenForm, DirectoryFilterForm, ProfileForm
from seedbed.accounts.models import ApiToken, User
from seedbed.core.pages import Outcome, attempt, render_form
from seedbed.core.requests import HtmxRequest
from seedbed.discovery.services import record_profile_view

DIRECTORY_PAGE_SIZE = 24


def directory(request: HtmxRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = services.DirectoryFilters(**form.cleaned_data) if form.is_valid() else None
    members = services.search_directory(request.user, filters or services.DirectoryFilters())
    page = Paginator(members, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "accounts/directory.html#results" if request.htmx else "accounts/directory.html"
    return render(request, template, context)


def profile(request: HtmxRequest, pk: int) -> HttpResponse:
    try:
        member = services.get_visible_member(request.user, pk)
    except User.DoesNotExist:
        raise Http404 from None
    record_profile_view(request.user, member)
    return render(request, "accounts/profile.html", {"member": member})


@login_required
def edit_profile(request: MemberRequest) -> HttpResponse:
    user = services.member_list_queryset().get(pk=request.user.pk)
    if request.method == "POST":
        form = ProfileForm(request.POST, user=user)
        if form.is_valid():
            outcome = attempt(
                request, lambda: services.update_profile(user, **form.changes()), form=form
            )
            if outcome.ok:
                messages.success(request, _("Your profile is saved."))
                return redirect("accounts:profile", pk=user.pk)
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(user), user=user)
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
def api_tokens(request: MemberRequest) -> HttpResponse:
    new_secret = None
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    outcome: Outcome = Outcome(True)
    if form.is_valid():
        name, expires_at = form.cleaned_data["name"], form.expires_at()
        outcome = attempt(
            request,
            lambda: services.create_api_token(request.user, name, expires_at=expires_at),
            form=form,
        )
        if outcome.ok and outcome.value:
            new_secret = outcome.value[1]
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    context = {"form": form, "tokens": tokens, "new_secret": new_secret}
    return render_form(request, "accounts/api_tokens.html", context, outcome)


@login_required
@require_POST
def revoke_api_token(request: MemberRequest, pk: int) -> HttpResponse:
    try:
        token = services.revoke_api_token(request.user, pk)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")
