from datetime import datetime

from allauth.core import ratelimit
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import Throttled
from ninja.pagination import paginate

from seedbed.accounts import services
from seedbed.accounts.auth import MEMBER, VISITOR
from seedbed.accounts.models import ApiToken, Role, Stage, User, Visibility
from seedbed.core.api import Input, Pages
from seedbed.core.requests import ApiRequest

auth_router = Router(tags=["auth"])
me_router = Router(tags=["me"], auth=MEMBER)
members_router = Router(tags=["members"], auth=VISITOR)

THROTTLE_WAIT_SECONDS = 60


class MemberProfileOut(Schema):
    id: int
    display_name: str
    handle: str
    headline: str
    bio: str
    city: str
    languages: list[str]
    stage: str
    roles: list[str]
    sectors: list[str]
    skills: list[str]
    interests: list[str]

    @staticmethod
    def resolve_sectors(obj: User) -> list[str]:
        return [s.slug for s in obj.sectors.all()]

    @staticmethod
    def resolve_skills(obj: User) -> list[str]:
        return [t.name for t in obj.skills.all()]

    @staticmethod
    def resolve_interests(obj: User) -> list[str]:
        return [t.name for t in obj.interests.all()]


class MeOut(MemberProfileOut):
    email: str
    visibility: str
    is_operator: bool


class MePatch(Input):
    display_name: str | None = Field(None, min_length=1, max_length=80)
    handle: str | None = Field(None, min_length=2, max_length=30)
    headline: str | None = Field(None, max_length=140)
    bio: str | None = Field(None, max_length=4000)
    city: str | None = Field(None, max_length=80)
    languages: list[str] | None = None
    stage: Stage | None = None
    roles: list[Role] | None = None
    sectors: list[str] | None = None
    skills: list[str] | None = None
    interests: list[str] | None = None
    visibility: Visibility | None = None


class RegisterIn(Input):
    email: str = Field(..., min_length=3, max_length=254)
    password: str = Field(..., min_length=1, max_length=256)
    display_name: str = Field(..., min_length=1, max_length=80)


class RegisteredOut(Schema):
    email: str
    detail: str


class LoginIn(Input):
    email: str = Field(..., min_length=3, max_length=254)
    password: str = Field(..., min_length=1, max_length=256)
    token_name: str = Field("API login", min_length=1, max_length=80)


class TokenOut(Schema):
    id: int
    name: str
    hint: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    expires_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(..., description="The secret. It is shown only this once.")


class TokenIn(Input):
    name: str = Field(..., min_length=1, max_length=80)
    expires_at: datetime | None = Field(
        None, description="When the token stops working (in the future); none: until revoked."
    )


class LoginOut(Schema):
    token: str
    token_id: int
    member: MeOut


class DirectoryQuery(Schema):
    role: Role | None = None
    sector: str = ""
    skill: str = ""
    city: str = ""
    q: str = ""


def _me(user: User) -> User:
    return services.member_list_queryset().get(pk=user.pk)


def _created_token(token: ApiToken, raw: str) -> dict:
    return {**TokenOut.from_orm(token).dict(), "token": raw}


@auth_router.post("/register", response={201: RegisteredOut}, auth=None)
def register(request: HttpRequest, payload: RegisterIn):
    """Sign up. A verification e-mail is sent; log in once it is confirmed. The answer is the
    same whether or not the address was already registered (its owner is told by e-mail)."""
    if not ratelimit.consume(request, action="signup"):
        raise Throttled(THROTTLE_WAIT_SECONDS)
    email = payload.email.strip().lower()
    services.register_member(
        request, email=email, password=payload.password, display_name=payload.display_name
    )
    detail = _("We have sent an e-mail to %(email)s. Follow its link to finish signing up.")
    return Status(201, {"email": email, "detail": detail % {"email": email}})


@auth_router.post("/login", response=LoginOut, auth=None)
def login(request: HttpRequest, payload: LoginIn):
    """Exchange e-mail and password for a new API token. Failed attempts are throttled per IP
    address and per account."""
    try:
        user = services.authenticate_for_token(
            request, email=payload.email, password=payload.password
        )
    except ValidationError as exc:
        if exc.code == "too_many_login_attempts":
            raise Throttled(THROTTLE_WAIT_SECONDS) from None
        raise
    token, raw = services.create_api_token(user, payload.token_name)
    return {"token": raw, "token_id": token.id, "member": _me(user)}


@me_router.get("", response=MeOut)
def get_me(request: ApiRequest):
    return _me(request.auth)


@me_router.patch("", response=MeOut)
def patch_me(request: ApiRequest, payload: MePatch):
    changes = payload.dict(exclude_unset=True)
    services.update_profile(_me(request.auth), **changes)
    return _me(request.auth)


@me_router.get("/tokens", response=list[TokenOut])
def list_tokens(request: ApiRequest):
    return ApiToken.objects.filter(user=request.auth)


@me_router.post("/tokens", response={201: TokenCreated})
def create_token(request: ApiRequest, payload: TokenIn):
    token, raw = services.create_api_token(
        request.auth, payload.name, expires_at=payload.expires_at
    )
    return Status(201, _created_token(token, raw))


@me_router.delete("/tokens/{token_id}", response={204: None})
def revoke_token(request: ApiRequest, token_id: int):
    services.revoke_api_token(request.auth, token_id)
    return Status(204, None)


@members_router.get("", response=list[MemberProfileOut])
@paginate(Pages)
def list_members(request: HttpRequest, filters: Query[DirectoryQuery]):
    """The member directory. Visitors see public profiles only."""
    return services.search_directory(
        request.user,
        services.DirectoryFilters(
            role=filters.role or "",
            sector=filters.sector,
            skill=filters.skill,
            city=filters.city,
            q=filters.q,
        ),
    )


@members_router.get("/{member_id}", response=MemberProfileOut)
def get_member(request: HttpRequest, member_id: int):
    return services.get_visible_member(request.user, member_id)
