"""Who is calling: in the API a bearer token or the browser session (with CSRF on writes);
on a page behind a login, a member."""

from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from seedbed.accounts.models import User
from seedbed.accounts.services import live_token
from seedbed.core.requests import ApiRequest, HtmxRequest


class MemberRequest(HtmxRequest):
    """A page request behind ``login_required``: its user is a member, never a visitor."""

    user: User


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = live_token(token)
        if found is None:
            return None
        request.user = found.user
        cast(ApiRequest, request).api_token_id = found.pk
        return found.user


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)

#: Endpoints that need a member.
MEMBER = [token_auth, session_auth]


def optional_member(request: HttpRequest) -> User | AnonymousUser:
    """Endpoints open to visitors: a bad token is still an error (401) rather than silently
    reading as anonymous, so integrators learn their token is dead."""
    if request.headers.get("Authorization"):
        user = token_auth(request)
        if not user:
            raise AuthenticationError(message=_("Invalid or revoked token."))
        return user
    if request.user.is_authenticated:
        return request.user
    return AnonymousUser()


#: Endpoints open to visitors.
VISITOR = [optional_member]
