from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seedbed.accounts.auth import MemberRequest
from seedbed.communities import services
from seedbed.communities.forms import (
    CommunityForm,
    InviteForm,
    JoinRequestForm,
    PostForm,
    ReplyForm,
    ReportForm,
)
from seedbed.communities.models import Community, JoinRequest, Post, ReactionKind, Reply, Role
from seedbed.core.pages import Outcome, act, attempt, render_form

POSTS_PER_PAGE = 20


# Communities -----------------------------------------------------------------------------------


def directory(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:80]
    communities = services.community_directory(
        request.user, q=q, sector=request.GET.get("sector", "")[:50]
    )
    page = Paginator(communities, 24).get_page(request.GET.get("page"))
    return render(request, "communities/directory.html", {"page": page, "q": q})


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """Creating too many communities answers 429 with Retry-After, keeping what was typed."""
    form = CommunityForm(request.POST or None)
    outcome: Outcome[Community] = Outcome(False)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request, lambda: services.create_community(request.user, **form.changes()), form=form
        )
        if outcome.value is not None:
            messages.success(request, _("Your community is ready."))
            return redirect("communities:detail", outcome.value.slug)
    context = {"form": form, "editing": False}
    return render_form(request, "communities/community_form.html", context, outcome)


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    access = services.get_community(request.user, slug)
    order = "hot" if request.GET.get("order") == "hot" else "new"
    tag = request.GET.get("tag", "")[:40]
    posts = services.community_posts(access, order=order, tag=tag)
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    pending = not access.is_member and services.has_pending_request(request.user, access.community)
    return render(
        request,
        "communities/community.html",
        {
            "access": access,
            "community": access.community,
            "page": page,
            "order": order,
            "tag": tag,
            "post_form": PostForm() if access.can_post else None,
            "pending": pending,
        },
    )


@login_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    community = services.community_for_editing(request.user, slug).community
    initial = {
        "name": community.name,
        "description": community.description,
        "visibility": community.visibility,
        "sector": community.sector.slug if community.sector else "",
        "colour": community.colour,
        "tags": ", ".join(t.name for t in community.tags.all()),
    }
    form = CommunityForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if attempt(
            request, lambda: services.update_community(request.user, slug, **changes), form=form
        ).ok:
            messages.success(request, _("Saved."))
            return redirect("communities:detail", slug)
    return render(
        request,
        "communities/community_form.html",
        {"form": form, "editing": True, "community": community},
    )


@login_required
@require_POST
def archive(request: HttpRequest, slug: str) -> HttpResponse:
    return act(
        request,
        lambda: services.archive_community(request.user, slug),
        fallback=reverse("communities:directory"),
        success=_("The community is archived."),
    )


@login_required
def join(request: HttpRequest, slug: str) -> HttpResponse:
    community = services.get_listed_community(request.user, slug)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.join_community(request.user, slug, form.cleaned_data["message"])
        if isinstance(result, JoinRequest):
            messages.info(request, _("Your request is with the moderators."))
            return redirect("communities:directory")
        messages.success(request, _("Welcome to %(name)s!") % {"name": community.name})
        return redirect("communities:detail", slug)
    return render(request, "communities/join.html", {"community": community, "form": form})


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    if attempt(request, lambda: services.leave_community(request.user, slug)).ok:
        messages.info(request, _("You left the community."))
        return redirect("communities:directory")
    return redirect("communities:detail", slug)


def members(request: HttpRequest, slug: str) -> HttpResponse:
    access = services.get_community(request.user, slug)
    page = Paginator(services.community_members(access), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "communities/members.html",
        {
            "access": access,
            "community": access.community,
            "page": page,
            "roles": Role.choices,
            "invite_form": InviteForm() if access.can_invite else None,
        },
    )


@login_required
@require_POST
def member_action(request: HttpRequest, slug: str, user_id: int, action: str) -> HttpResponse:
    calls = {
        "role": lambda: services.set_member_role(
            request.user, slug, user_id, request.POST.get("role", "")
        ),
        "remove": lambda: services.remove_member(
            request.user, slug, user_id, reason=request.POST.get("reason", "")
        ),
        "ban": lambda: services.remove_member(
            request.user, slug, user_id, ban=True, reason=request.POST.get("reason", "")
        ),
        "unban": lambda: services.unban_member(request.user, slug, user_id),
    }
    if action not in calls:
        raise Http404
    return act(
        request,
        calls[action],
        fallback=reverse("communities:members", args=[slug]),
        success=_("Done."),
    )


@login_required
def requests(request: HttpRequest, slug: str) -> HttpResponse:
    access, pending = services.pending_requests(request.user, slug)
    return render(
        request,
        "communities/requests.html",
        {"access": access, "community": access.community, "requests": pending},
    )


@login_required
@require_POST
def decide_request(request: HttpRequest, slug: str, request_id: int, decision: str) -> HttpResponse:
    return act(
        request,
        lambda: services.decide_join_request(request.user, slug, request_id, decision),
        fallback=reverse("communities:requests", args=[slug]),
    )


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    members_page = reverse("communities:members", args=[slug])
    if request.POST.get("kind") != "link":
        return act(
            request,
            lambda: services.invite_member(request.user, slug, request.POST.get("handle", "")),
            fallback=members_page,
            success=_("Invitation sent."),
        )
    outcome = attempt(request, lambda: services.create_invite_link(request.user, slug))
    if outcome.value is not None:
        url = request.build_absolute_uri(
            reverse("communities:invitation", args=[outcome.value.token])
        )
        messages.success(request, _("Share this link (valid 7 days): %(url)s") % {"url": url})
    return redirect(members_page)


@login_required
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = services.get_invitation(request.user, token)
    if request.method == "POST":
        services.accept_invitation(request.user, token)
        messages.success(request, _("Welcome to %(name)s!") % {"name": found.community.name})
        return redirect("communities:detail", found.community.slug)
    return render(request, "communities/invitation.html", {"invitation": found})


# Posts and replies -----------------------------------------------------------------------------


@login_required
@require_POST
def new_post(request: HttpRequest, slug: str) -> HttpResponse:
    """A refused post comes back with what was typed; posting too fast answers 429 with
    Retry-After."""
    access = services.get_community(request.user, slug)
    form = PostForm(request.POST)
    outcome: Outcome[Post] = Outcome(False)
    if form.is_valid():
        changes = form.changes()
        outcome = attempt(
            request, lambda: services.create_post(request.user, slug, **changes), form=form
        )
        if outcome.value is not None:
            return redirect("communities:post", outcome.value.pk)
    context = {"form": form, "community": access.community}
    return render_form(request, "communities/post_form.html", context, outcome, status=400)


def post(request: HttpRequest, pk: int) -> HttpResponse:
    post, access = services.get_post(request.user, pk)
    replies = list(services.post_replies(post, access))
    return render(
        request,
        "communities/post.html",
        {
            "post": post,
            "access": access,
            "community": access.community,
            "replies": replies,
            "reply_form": ReplyForm() if access.can_post else None,
            "counts": services.reaction_counts([post], replies),
            "mine": services.reactions_by(request.user, [post], replies),
            "kinds": ReactionKind.choices,
        },
    )


@login_required
def edit_post(request: HttpRequest, pk: int) -> HttpResponse:
    post, access = services.get_post(request.user, pk)
    if not access.can_edit(post):
        raise PermissionDenied
    initial = {
        "title": post.title,
        "body": post.body,
        "tags": ", ".join(t.name for t in post.tags.all()),
    }
    form = PostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if attempt(request, lambda: services.edit_post(request.user, pk, **changes), form=form).ok:
            return redirect("communities:post", pk)
    return render(
        request,
        "communities/post_form.html",
        {"form": form, "community": access.community, "post": post},
    )


@login_required
@require_POST
def delete_post(request: HttpRequest, pk: int) -> HttpResponse:
    post, _access = services.get_post(request.user, pk)
    return act(
        request,
        lambda: services.delete_post(request.user, pk),
        fallback=reverse("communities:detail", args=[post.community.slug]),
        success=_("The post is deleted."),
    )


@login_required
@require_POST
def pin_post(request: HttpRequest, pk: int) -> HttpResponse:
    return act(
        request,
        lambda: services.set_pinned(request.user, pk, request.POST.get("pinned") == "1"),
        fallback=reverse("communities:post", args=[pk]),
    )


@login_required
@require_POST
def new_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Like a new post: a refusal keeps what was typed, posting too fast answers 429."""
    post, _access = services.get_post(request.user, pk)
    form = ReplyForm(request.POST)
    outcome: Outcome[Reply] = Outcome(False)
    if form.is_valid():
        body = form.cleaned_data["body"]
        outcome = attempt(
            request, lambda: services.create_reply(request.user, pk, body=body), form=form
        )
        if outcome.value is not None:
            return redirect(reverse("communities:post", args=[pk]) + f"#reply-{outcome.value.pk}")
    return render_form(
        request, "communities/reply_form.html", {"form": form, "post": post}, outcome
    )


@login_required
def edit_reply(request: HttpRequest, pk: int) -> HttpResponse:
    reply, access = services.get_reply(request.user, pk)
    if not access.can_edit(reply):
        raise PermissionDenied
    form = ReplyForm(request.POST or None, initial={"body": reply.body})
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        if attempt(request, lambda: services.edit_reply(request.user, pk, body=body), form=form).ok:
            return redirect(reverse("communities:post", args=[reply.post_id]) + f"#reply-{pk}")
    return render(request, "communities/reply_form.html", {"form": form, "reply": reply})


@login_required
@require_POST
def delete_reply(request: HttpRequest, pk: int) -> HttpResponse:
    reply, _access = services.get_reply(request.user, pk)
    return act(
        request,
        lambda: services.delete_reply(request.user, pk),
        fallback=reverse("communities:post", args=[reply.post_id]),
    )


@login_required
@require_POST
def react(request: MemberRequest, target: str, pk: int) -> HttpResponse:
    kind = request.POST.get("kind", "")
    ids = {"post_id": pk} if target == "post" else {"reply_id": pk}
    try:
        services.toggle_reaction(request.user, kind=kind, **ids)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400)
    obj: Post | Reply
    posts: list[Post] = []
    replies: list[Reply] = []
    if target == "post":
        post = services.get_post(request.user, pk)[0]
        obj, posts, post_id = post, [post], pk
    else:
        reply = services.get_reply(request.user, pk)[0]
        obj, replies, post_id = reply, [reply], reply.post_id
    if not request.htmx:
        return redirect("communities:post", post_id)
    return render(
        request,
        "communities/_reactions.html",
        {
            "target": target,
            "obj": obj,
            "kinds": ReactionKind.choices,
            "counts": services.reaction_counts(posts, replies),
            "mine": services.reactions_by(request.user, posts, replies),
            "can_react": True,
        },
    )


@login_required
def report(request: HttpRequest, target: str, pk: int) -> HttpResponse:
    ids = {"post_id": pk} if target == "post" else {"reply_id": pk}
    obj, _access = services.get_reportable(request.user, **ids)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if attempt(
            request, lambda: services.report_content(request.user, reason=reason, **ids), form=form
        ).ok:
            messages.success(request, _("Thank you. The moderators will look at it."))
            post_id = obj.pk if isinstance(obj, Post) else obj.post_id
            return redirect("communities:post", post_id)
    return render(
        request, "communities/report_form.html", {"form": form, "obj": obj, "target": target}
    )


# Moderation ------------------------------------------------------------------------------------


@login_required
def moderation(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    reports = services.moderation_queue(request.user, slug)
    community = services.get_community(request.user, slug).community if slug else None
    return render(
        request, "communities/moderation.html", {"reports": reports[:200], "community": community}
    )


@login_required
@require_POST
def moderate(request: HttpRequest) -> HttpResponse:
    try:
        pk = int(request.POST.get("id", ""))
    except ValueError:
        raise Http404 from None
    action = request.POST.get("action", "")
    ids = {"post_id": pk} if request.POST.get("target") == "post" else {"reply_id": pk}
    if action == "dismiss":
        return act(
            request, lambda: services.dismiss_report(request.user, pk), fallback=reverse("home")
        )
    return act(
        request,
        lambda: services.moderate(request.user, action=action, **ids),
        fallback=reverse("home"),
    )


@login_required
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    entries = services.audit_log(request.user, slug)
    community = services.get_community(request.user, slug).community
    return render(
        request, "communities/audit_log.html", {"entries": entries[:200], "community": community}
    )


# Feed -------------------------------------------------------------------------------------------


@login_required
def feed(request: MemberRequest) -> HttpResponse:
    try:
        posts, next_cursor = services.home_feed(request.user, request.GET.get("cursor", ""))
    except ValidationError:
        raise Http404 from None
    template = "communities/feed.html#items" if request.htmx else "communities/feed.html"
    return render(request, template, {"posts": posts, "next_cursor": next_cursor})
