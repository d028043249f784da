from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from seedbed.accounts.onboarding import start_onboarding
from seedbed.core.ratelimit import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's per-address limits count the same client as ours (and a header shorter
        than the proxy count falls back to the socket's address instead of raising)."""
        return client_ip(request)

    def save_user(self, request, user, form, commit=True):
        """The display name is part of the account row, so it must be set before the first
        save rather than in the signup form's after-save hook; so is the onboarding marker."""
        user.display_name = form.cleaned_data.get("display_name", "").strip()
        start_onboarding(user)
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """A member who has not finished onboarding resumes it (a ``next`` link still wins:
        allauth asks here only when there is none)."""
        if getattr(request.user, "onboarding_step", 0):
            return reverse("onboarding")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        if getattr(request.user, "onboarding_step", 0):
            return reverse("onboarding")
        return super().get_signup_redirect_url(request)
