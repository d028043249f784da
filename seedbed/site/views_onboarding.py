"""The three onboarding pages after sign-up. Each step saves through one service and may be
skipped; the sign-up and login redirects (``accounts.adapter``) bring a new member here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from seedbed.accounts import onboarding
from seedbed.accounts.auth import MemberRequest
from seedbed.accounts.forms import ProfileForm
from seedbed.accounts.services import member_list_queryset
from seedbed.core.pages import attempt, render_form
from seedbed.site.forms import InterestsForm, ProfileDetailsForm

STEP_URLS = {1: "onboarding_interests", 2: "onboarding_communities", 3: "onboarding_profile"}


def _to_step(step: int) -> HttpResponse:
    return redirect(STEP_URLS.get(step, "home"))


def _context(step: int, **more: object) -> dict[str, object]:
    return {"step": step, "steps": onboarding.STEPS, **more}


@login_required
def start(request: MemberRequest) -> HttpResponse:
    """Where the redirects point: the step the member stopped at, or the first one."""
    return _to_step(request.user.onboarding_step or onboarding.FIRST_STEP)


@login_required
def interests(request: MemberRequest) -> HttpResponse:
    user = member_list_queryset().get(pk=request.user.pk)
    template = "accounts/onboarding_interests.html"
    if request.method != "POST":
        form = InterestsForm(initial=ProfileForm.initial_for(user), user=user)
        return render(request, template, _context(1, form=form))
    form = InterestsForm(request.POST, user=user)
    if form.is_valid():
        outcome = attempt(
            request, lambda: onboarding.save_interests(user, **form.changes()), form=form
        )
        if outcome.ok:
            return _to_step(2)
        return render_form(request, template, _context(1, form=form), outcome, status=400)
    return render(request, template, _context(1, form=form), status=400)


@login_required
def communities(request: MemberRequest) -> HttpResponse:
    picks = onboarding.suggested_communities(request.user)
    return render(request, "accounts/onboarding_communities.html", _context(2, picks=picks))


@login_required
@require_POST
def join(request: MemberRequest, slug: str) -> HttpResponse:
    """One click per community; with htmx only the card changes."""
    outcome = attempt(request, lambda: onboarding.join_suggested_community(request.user, slug))
    if request.htmx:
        if outcome.value is None:
            return HttpResponseClientRedirect(reverse(STEP_URLS[2]))
        return render(request, "accounts/onboarding_communities.html#pick", {"pick": outcome.value})
    if outcome.value is not None:
        pick = outcome.value
        if pick.requested:
            messages.info(request, pick.reason)
        else:
            messages.success(request, _("Welcome to %(name)s!") % {"name": pick.community.name})
    return _to_step(2)


@login_required
def profile(request: MemberRequest) -> HttpResponse:
    user = member_list_queryset().get(pk=request.user.pk)
    template = "accounts/onboarding_profile.html"
    if request.method != "POST":
        form = ProfileDetailsForm(initial=ProfileForm.initial_for(user), user=user)
        return render(request, template, _context(3, form=form))
    form = ProfileDetailsForm(request.POST, user=user)
    if form.is_valid():
        changes = form.changes()
        outcome = attempt(
            request, lambda: onboarding.save_profile_details(user, **changes), form=form
        )
        if outcome.ok:
            messages.success(request, _("You are all set. Here is what is happening for you."))
            return redirect("home")
        return render_form(request, template, _context(3, form=form), outcome, status=400)
    return render(request, template, _context(3, form=form), status=400)


@login_required
@require_POST
def skip(request: MemberRequest, step: int) -> HttpResponse:
    if step not in STEP_URLS:
        raise Http404
    return _to_step(onboarding.skip_step(request.user, step))
