"""Who gets what, for every community route (pages and API), every kind of caller and both a
public and a private community. A route without an entry here fails the completeness tests.

Columns: anonymous, outsider, member, moderator, owner, owner of another community.
Page codes: "L" a redirect to the login page, "R" any other redirect (the action's success
page); numbers are HTTP status codes.
"""

import json

import pytest
from django.test import Client
from django.urls import get_resolver

from seedbed.api import api
from seedbed.communities import services
from seedbed.communities.models import Membership, Role, Visibility
from tests.factories import MemberFactory

ACTORS = ["anonymous", "outsider", "member", "moderator", "owner", "other_owner"]

OPEN = "200 200 200 200 200 200"
SIGNED_IN = "L 200 200 200 200 200"
READ = {"public": OPEN, "private": "404 404 200 200 200 404"}

PAGES = {
    # name: (method, path, data, {"public": codes, "private": codes})
    "directory": ("get", "/c/", None, {"public": OPEN, "private": OPEN}),
    "create": ("get", "/c/new/", None, {"public": SIGNED_IN, "private": SIGNED_IN}),
    "detail": ("get", "/c/{slug}/", None, READ),
    "edit": (
        "get",
        "/c/{slug}/edit/",
        None,
        {"public": "L 403 403 403 200 403", "private": "L 404 403 403 200 404"},
    ),
    "archive": (
        "post",
        "/c/{slug}/archive/",
        {},
        {"public": "L 403 403 403 R 403", "private": "L 404 403 403 R 404"},
    ),
    "join": (
        "post",
        "/c/{slug}/join/",
        {"message": "hi"},
        {"public": "L R R R R R", "private": "L R R R R R"},
    ),
    "leave": (
        "post",
        "/c/{slug}/leave/",
        {},
        {"public": "L R R R R R", "private": "L 404 R R R 404"},
    ),
    "members": ("get", "/c/{slug}/members/", None, READ),
    "member_action": (
        "post",
        "/c/{slug}/members/{member_id}/remove/",
        {},
        {"public": "L 403 403 R R 403", "private": "L 404 403 R R 404"},
    ),
    "requests": (
        "get",
        "/c/{slug}/requests/",
        None,
        {"public": "L 403 403 200 200 403", "private": "L 404 403 200 200 404"},
    ),
    "decide_request": (
        "post",
        "/c/{slug}/requests/{request_id}/approve/",
        {},
        {"public": "L 403 403 R R 403", "private": "L 404 403 R R 404"},
    ),
    "invite": (
        "post",
        "/c/{slug}/invite/",
        {"kind": "link"},
        {"public": "L 403 403 R R 403", "private": "L 404 403 R R 404"},
    ),
    "new_post": (
        "post",
        "/c/{slug}/posts/",
        {"title": "t", "body": "b"},
        {"public": "L 403 R R R 403", "private": "L 404 R R R 404"},
    ),
    "moderation": (
        "get",
        "/c/{slug}/moderation/",
        None,
        {"public": "L 403 403 200 200 403", "private": "L 404 403 200 200 404"},
    ),
    "audit_log": (
        "get",
        "/c/{slug}/log/",
        None,
        {"public": "L 403 403 200 200 403", "private": "L 404 403 200 200 404"},
    ),
    "invitation": (
        "get",
        "/invitations/{token}/",
        None,
        {"public": SIGNED_IN, "private": SIGNED_IN},
    ),
    "post": ("get", "/p/{post}/", None, READ),
    "edit_post": (
        "get",
        "/p/{post}/edit/",
        None,
        {"public": "L 403 200 200 200 403", "private": "L 404 200 200 200 404"},
    ),
    "delete_post": (
        "post",
        "/p/{post}/delete/",
        {},
        {"public": "L 403 R R R 403", "private": "L 404 R R R 404"},
    ),
    "pin_post": (
        "post",
        "/p/{post}/pin/",
        {"pinned": "1"},
        {"public": "L 403 403 R R 403", "private": "L 404 403 R R 404"},
    ),
    "new_reply": (
        "post",
        "/p/{post}/replies/",
        {"body": "b"},
        {"public": "L 403 R R R 403", "private": "L 404 R R R 404"},
    ),
    "edit_reply": (
        "get",
        "/r/{reply}/edit/",
        None,
        {"public": "L 403 200 200 200 403", "private": "L 404 200 200 200 404"},
    ),
    "delete_reply": (
        "post",
        "/r/{reply}/delete/",
        {},
        {"public": "L 403 R R R 403", "private": "L 404 R R R 404"},
    ),
    "react_post": (
        "post",
        "/p/{post}/react/",
        {"kind": "like"},
        {"public": "L 403 R R R 403", "private": "L 404 R R R 404"},
    ),
    "react_reply": (
        "post",
        "/r/{reply}/react/",
        {"kind": "like"},
        {"public": "L 403 R R R 403", "private": "L 404 R R R 404"},
    ),
    # The member wrote the post and the reply: nobody reports their own writing.
    "report_post": (
        "get",
        "/p/{post}/report/",
        None,
        {"public": "L 200 403 200 200 200", "private": "L 404 403 200 200 404"},
    ),
    "report_reply": (
        "get",
        "/r/{reply}/report/",
        None,
        {"public": "L 200 403 200 200 200", "private": "L 404 403 200 200 404"},
    ),
    "moderation_all": (
        "get",
        "/moderation/",
        None,
        {"public": "L 403 403 403 403 403", "private": "L 403 403 403 403 403"},
    ),
    "moderate": (
        "post",
        "/moderation/act/",
        {"target": "post", "id": "{post}", "action": "hide"},
        {"public": "L 403 403 R R 403", "private": "L 404 403 R R 404"},
    ),
    "feed": ("get", "/feed/", None, {"public": SIGNED_IN, "private": SIGNED_IN}),
    "search": ("get", "/search/?q=climate", None, {"public": OPEN, "private": OPEN}),
}

A_OPEN = "200 200 200 200 200 200"
A_MEMBER = "401 200 200 200 200 200"
A_READ = {"public": A_OPEN, "private": "404 404 200 200 200 404"}


def _mod(ok: str) -> dict:
    return {"public": f"401 403 403 {ok} {ok} 403", "private": f"401 404 403 {ok} {ok} 404"}


def _poster(ok: str) -> dict:
    return {"public": f"401 403 {ok} {ok} {ok} 403", "private": f"401 404 {ok} {ok} {ok} 404"}


API = {
    # (method, path template as in the OpenAPI document): (concrete path, body, codes)
    ("get", "/api/v1/communities"): (
        "/api/v1/communities",
        None,
        {"public": A_OPEN, "private": A_OPEN},
    ),
    ("post", "/api/v1/communities"): (
        "/api/v1/communities",
        {"name": "New one"},
        {"public": "401 201 201 201 201 201", "private": "401 201 201 201 201 201"},
    ),
    ("get", "/api/v1/communities/{slug}"): ("/api/v1/communities/{slug}", None, A_READ),
    ("patch", "/api/v1/communities/{slug}"): (
        "/api/v1/communities/{slug}",
        {"name": "Renamed"},
        {"public": "401 403 403 403 200 403", "private": "401 404 403 403 200 404"},
    ),
    ("post", "/api/v1/communities/{slug}/archive"): (
        "/api/v1/communities/{slug}/archive",
        {},
        {"public": "401 403 403 403 204 403", "private": "401 404 403 403 204 404"},
    ),
    ("post", "/api/v1/communities/{slug}/join"): (
        "/api/v1/communities/{slug}/join",
        {},
        {"public": A_MEMBER, "private": A_MEMBER},
    ),
    ("post", "/api/v1/communities/{slug}/leave"): (
        "/api/v1/communities/{slug}/leave",
        {},
        {"public": "401 204 204 204 400 204", "private": "401 404 204 204 400 404"},
    ),
    ("get", "/api/v1/communities/{slug}/members"): (
        "/api/v1/communities/{slug}/members",
        None,
        A_READ,
    ),
    ("put", "/api/v1/communities/{slug}/members/{user_id}/role"): (
        "/api/v1/communities/{slug}/members/{member_id}/role",
        {"role": "moderator"},
        {"public": "401 403 403 403 200 403", "private": "401 404 403 403 200 404"},
    ),
    ("delete", "/api/v1/communities/{slug}/members/{user_id}"): (
        "/api/v1/communities/{slug}/members/{member_id}",
        None,
        _mod("204"),
    ),
    ("delete", "/api/v1/communities/{slug}/bans/{user_id}"): (
        "/api/v1/communities/{slug}/bans/{member_id}",
        None,
        _mod("404"),
    ),
    ("get", "/api/v1/communities/{slug}/requests"): (
        "/api/v1/communities/{slug}/requests",
        None,
        _mod("200"),
    ),
    ("post", "/api/v1/communities/{slug}/requests/{request_id}/{decision}"): (
        "/api/v1/communities/{slug}/requests/{request_id}/approve",
        {},
        _mod("204"),
    ),
    ("post", "/api/v1/communities/{slug}/invitations"): (
        "/api/v1/communities/{slug}/invitations",
        {"link_days": 3},
        _mod("201"),
    ),
    ("post", "/api/v1/invitations/{token}/accept"): (
        "/api/v1/invitations/{token}/accept",
        {},
        {"public": "401 204 204 204 204 204", "private": "401 204 204 204 204 204"},
    ),
    ("get", "/api/v1/communities/{slug}/posts"): ("/api/v1/communities/{slug}/posts", None, A_READ),
    ("post", "/api/v1/communities/{slug}/posts"): (
        "/api/v1/communities/{slug}/posts",
        {"title": "t", "body": "b"},
        _poster("201"),
    ),
    ("get", "/api/v1/posts/{post_id}"): ("/api/v1/posts/{post}", None, A_READ),
    ("patch", "/api/v1/posts/{post_id}"): ("/api/v1/posts/{post}", {"title": "x"}, _poster("200")),
    ("delete", "/api/v1/posts/{post_id}"): ("/api/v1/posts/{post}", None, _poster("204")),
    ("post", "/api/v1/posts/{post_id}/pin"): (
        "/api/v1/posts/{post}/pin",
        {"pinned": True},
        _mod("200"),
    ),
    ("get", "/api/v1/posts/{post_id}/replies"): ("/api/v1/posts/{post}/replies", None, A_READ),
    ("post", "/api/v1/posts/{post_id}/replies"): (
        "/api/v1/posts/{post}/replies",
        {"body": "b"},
        _poster("201"),
    ),
    ("patch", "/api/v1/replies/{reply_id}"): (
        "/api/v1/replies/{reply}",
        {"body": "x"},
        _poster("200"),
    ),
    ("delete", "/api/v1/replies/{reply_id}"): ("/api/v1/replies/{reply}", None, _poster("204")),
    ("post", "/api/v1/posts/{post_id}/reactions"): (
        "/api/v1/posts/{post}/reactions",
        {"kind": "like"},
        _poster("200"),
    ),
    ("post", "/api/v1/replies/{reply_id}/reactions"): (
        "/api/v1/replies/{reply}/reactions",
        {"kind": "like"},
        _poster("200"),
    ),
    ("post", "/api/v1/reports"): (
        "/api/v1/reports",
        {"post_id": "{post}", "reason": "spam"},
        {"public": "401 201 403 201 201 201", "private": "401 404 403 201 201 404"},
    ),
    ("get", "/api/v1/reports"): ("/api/v1/reports?community={slug}", None, _mod("200")),
    ("post", "/api/v1/reports/{report_id}/dismiss"): (
        "/api/v1/reports/{report}/dismiss",
        {},
        _mod("204"),
    ),
    ("post", "/api/v1/moderation"): (
        "/api/v1/moderation",
        {"action": "hide", "post_id": "{post}"},
        _mod("204"),
    ),
    ("get", "/api/v1/search"): (
        "/api/v1/search?q=climate",
        None,
        {"public": A_OPEN, "private": A_OPEN},
    ),
    ("get", "/api/v1/feed"): ("/api/v1/feed", None, {"public": A_MEMBER, "private": A_MEMBER}),
}

COMMUNITY_API_PREFIXES = (
    "/api/v1/communities",
    "/api/v1/posts",
    "/api/v1/replies",
    "/api/v1/reports",
    "/api/v1/moderation",
    "/api/v1/search",
    "/api/v1/feed",
    "/api/v1/invitations",
)


def _world(visibility: str) -> dict:
    owner = MemberFactory()
    community = services.create_community(owner, name="Matrix", visibility=visibility)
    member = MemberFactory()
    moderator = MemberFactory()
    Membership.objects.create(community=community, user=member)
    Membership.objects.create(community=community, user=moderator, role=Role.MODERATOR)
    other_owner = MemberFactory()
    services.create_community(other_owner, name="Elsewhere")
    post = services.create_post(member, community.slug, title="Matrix post", body="body")
    reply = services.create_reply(member, post.pk, body="a reply")
    requester = MemberFactory()
    if visibility == Visibility.PRIVATE:
        request = services.join_community(requester, community.slug)
    else:
        from seedbed.communities.models import JoinRequest

        request = JoinRequest.objects.create(community=community, user=requester)
    report = services.report_content(moderator, post_id=post.pk, reason="check")
    invitation = services.create_invite_link(owner, community.slug)
    actors = {
        "anonymous": None,
        "outsider": MemberFactory(),
        "member": member,
        "moderator": moderator,
        "owner": owner,
        "other_owner": other_owner,
    }
    ids = {
        "slug": community.slug,
        "post": post.pk,
        "reply": reply.pk,
        "member_id": member.pk,
        "request_id": request.pk,
        "report": report.pk,
        "token": invitation.token,
    }
    return {"actors": actors, "ids": ids}


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def _expected(codes: str, actor: str) -> str:
    return codes.split()[ACTORS.index(actor)]


def _page_outcome(response) -> str:
    if response.status_code == 302:
        return "L" if "/accounts/login/" in response["Location"] else "R"
    return str(response.status_code)


CASES = [(name, vis, actor) for name in PAGES for vis in ("public", "private") for actor in ACTORS]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "visibility", "actor"), CASES)
def test_page_permissions(name, visibility, actor):
    method, path, data, expectations = PAGES[name]
    world = _world(visibility)
    client = _client(world["actors"][actor])
    url = _fill(path, world["ids"])
    response = (
        getattr(client, method)(url, _fill(data, world["ids"]))
        if data is not None
        else getattr(client, method)(url)
    )
    assert _page_outcome(response) == _expected(expectations[visibility], actor), url


API_CASES = [(key, vis, actor) for key in API for vis in ("public", "private") for actor in ACTORS]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "visibility", "actor"),
    API_CASES,
    ids=[f"{k[0]} {k[1]}-{v}-{a}" for k, v, a in API_CASES],
)
def test_api_permissions(key, visibility, actor):
    path, body, expectations = API[key]
    world = _world(visibility)
    client = _client(world["actors"][actor])
    url = _fill(path, world["ids"])
    payload = _fill(body, world["ids"])
    if isinstance(payload, dict) and "post_id" in payload:
        payload["post_id"] = int(payload["post_id"])
    method = key[0]
    if payload is None:
        response = getattr(client, method)(url)
    else:
        response = getattr(client, method)(
            url, json.dumps(payload), content_type="application/json"
        )
    assert str(response.status_code) == _expected(expectations[visibility], actor), (
        url,
        response.content[:300],
    )


def test_every_community_page_route_has_an_entry_in_the_matrix():
    resolver = get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if getattr(pattern, "namespace", None) == "communities":
            names |= {p.name for p in pattern.url_patterns}
    names.add("search")
    assert names - set(PAGES) == set()
    assert set(PAGES) - names == set()


def test_every_community_api_route_has_an_entry_in_the_matrix():
    """The routes of the communities and search routers; other apps' routes under the same
    prefixes (engagement's helpful marks, the library's post resources) have their own."""
    schema = api.get_openapi_schema()
    routes = {
        (method, path)
        for path, operations in schema["paths"].items()
        if path.startswith(COMMUNITY_API_PREFIXES)
        for method, operation in operations.items()
        if {"communities", "search"} & set(operation.get("tags", []))
    }
    assert routes - set(API) == set()
    assert set(API) - routes == set()
