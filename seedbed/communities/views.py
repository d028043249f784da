from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from seedbed.accounts.models import User
from seedbed.communities import services
from seedbed.communities.forms import (
    CommunityForm,
    InviteForm,
    JoinRequestForm,
    NotificationSettingsForm,
    PostForm,
    ReplyForm,
    ReportForm,
)
from seedbed.communities.models import JoinRequest, ReactionKind, Role
from seedbed.core.feedback import flash_errors
from seedbed.core.ratelimit import RateLimited

POSTS_PER_PAGE = 20


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def _too_many(request: HttpRequest, exc: RateLimited, template: str, context: dict):
    """Posting too fast: the form comes back with what was typed, a 429 and Retry-After."""
    context["form"].add_error(
        None,
        ngettext(
            "You are posting very fast. Try again in %(n)d second.",
            "You are posting very fast. Try again in %(n)d seconds.",
            exc.retry_after,
        )
        % {"n": exc.retry_after},
    )
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


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
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            community = services.create_community(request.user, **form.changes())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your community is ready."))
            return redirect("communities:detail", community.slug)
    return render(request, "communities/community_form.html", {"form": form, "editing": False})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    view = services.get_community(request.user, slug)
    order = "hot" if request.GET.get("order") == "hot" else "new"
    tag = request.GET.get("tag", "")[:40]
    posts = services.community_posts(view, order=order, tag=tag)
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    pending = not view.is_member and services.has_pending_request(request.user, view.community)
    return render(
        request,
        "communities/community.html",
        {
            "view": view,
            "community": view.community,
            "page": page,
            "order": order,
            "tag": tag,
            "post_form": PostForm() if view.is_member else None,
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
        try:
            services.update_community(request.user, slug, **form.changes())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
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
    services.archive_community(request.user, slug)
    messages.success(request, _("The community is archived."))
    return redirect("communities:directory")


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
    try:
        services.leave_community(request.user, slug)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("communities:detail", slug)
    messages.info(request, _("You left the community."))
    return redirect("communities:directory")


def members(request: HttpRequest, slug: str) -> HttpResponse:
    view = services.get_community(request.user, slug)
    page = Paginator(services.community_members(view), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "communities/members.html",
        {
            "view": view,
            "community": view.community,
            "page": page,
            "roles": Role.choices,
            "invite_form": InviteForm() if view.is_member else None,
        },
    )


@login_required
@require_POST
def member_action(request: HttpRequest, slug: str, user_id: int, action: str) -> HttpResponse:
    try:
        if action == "role":
            services.set_member_role(request.user, slug, user_id, request.POST.get("role", ""))
        elif action in ("remove", "ban"):
            services.remove_member(
                request.user,
                slug,
                user_id,
                ban=action == "ban",
                reason=request.POST.get("reason", ""),
            )
        elif action == "unban":
            services.unban_member(request.user, slug, user_id)
        else:
            raise Http404
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("communities:members", slug)


@login_required
def requests(request: HttpRequest, slug: str) -> HttpResponse:
    view, pending = services.pending_requests(request.user, slug)
    return render(
        request,
        "communities/requests.html",
        {"view": view, "community": view.community, "requests": pending},
    )


@login_required
@require_POST
def decide_request(request: HttpRequest, slug: str, request_id: int, decision: str) -> HttpResponse:
    try:
        services.decide_join_request(request.user, request_id, approve=decision == "approve")
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("communities:requests", slug)


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    if request.POST.get("kind") == "link":
        invitation = services.create_invite_link(request.user, slug)
        url = request.build_absolute_uri(reverse("communities:invitation", args=[invitation.token]))
        messages.success(request, _("Share this link (valid 7 days): %(url)s") % {"url": url})
        return redirect("communities:members", slug)
    form = InviteForm(request.POST)
    handle = form.data.get("handle", "").strip().lstrip("@").lower()
    invitee = User.objects.filter(handle=handle, is_active=True).only("pk").first()
    try:
        if invitee is None:
            raise ValidationError(_("No member has the handle @%(h)s.") % {"h": handle})
        services.invite_member(request.user, slug, invitee.pk)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Invitation sent."))
    return redirect("communities:members", slug)


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
    view = services.get_community(request.user, slug)
    form = PostForm(request.POST)
    if form.is_valid():
        try:
            post = services.create_post(request.user, slug, **form.changes())
        except ValidationError as exc:
            form.add_error(None, exc)
        except RateLimited as exc:
            return _too_many(
                request,
                exc,
                "communities/post_form.html",
                {"form": form, "community": view.community},
            )
        else:
            return redirect("communities:post", post.pk)
    return render(
        request,
        "communities/post_form.html",
        {"form": form, "community": view.community},
        status=400,
    )


def post(request: HttpRequest, pk: int) -> HttpResponse:
    post, view = services.get_post(request.user, pk)
    replies = list(services.post_replies(post, view))
    counts = services.reaction_counts([post], replies)
    mine = services.reactions_by(request.user, [post], replies)
    return render(
        request,
        "communities/post.html",
        {
            "post": post,
            "view": view,
            "community": view.community,
            "replies": replies,
            "reply_form": ReplyForm() if view.is_member else None,
            "counts": counts,
            "mine": mine,
            "kinds": ReactionKind.choices,
        },
    )


@login_required
def edit_post(request: HttpRequest, pk: int) -> HttpResponse:
    post, view = services.get_post(request.user, pk)
    initial = {
        "title": post.title,
        "body": post.body,
        "tags": ", ".join(t.name for t in post.tags.all()),
    }
    form = PostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(request.user, pk, **form.changes())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("communities:post", pk)
    elif request.method == "GET" and not (request.user.pk == post.author_id or view.can_moderate):
        raise PermissionDenied
    return render(
        request,
        "communities/post_form.html",
        {"form": form, "community": view.community, "post": post},
    )


@login_required
@require_POST
def delete_post(request: HttpRequest, pk: int) -> HttpResponse:
    post, _view = services.get_post(request.user, pk)
    slug = post.community.slug
    services.delete_post(request.user, pk)
    messages.info(request, _("The post is deleted."))
    return redirect("communities:detail", slug)


@login_required
@require_POST
def pin_post(request: HttpRequest, pk: int) -> HttpResponse:
    services.set_pinned(request.user, pk, request.POST.get("pinned") == "1")
    return redirect("communities:post", pk)


@login_required
@require_POST
def new_reply(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            reply = services.create_reply(request.user, pk, body=form.cleaned_data["body"])
        except ValidationError as exc:
            flash_errors(request, exc)
        except RateLimited as exc:
            return _too_many(request, exc, "communities/reply_form.html", {"form": form})
        else:
            return redirect(reverse("communities:post", args=[pk]) + f"#reply-{reply.pk}")
    else:
        services.get_post(request.user, pk)
        messages.error(request, _("Write something before you reply."))
    return redirect("communities:post", pk)


@login_required
def edit_reply(request: HttpRequest, pk: int) -> HttpResponse:
    reply, view = services.get_reply(request.user, pk)
    form = ReplyForm(request.POST or None, initial={"body": reply.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_reply(request.user, pk, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(reverse("communities:post", args=[reply.post_id]) + f"#reply-{pk}")
    elif request.method == "GET" and not (request.user.pk == reply.author_id or view.can_moderate):
        raise PermissionDenied
    return render(request, "communities/reply_form.html", {"form": form, "reply": reply})


@login_required
@require_POST
def delete_reply(request: HttpRequest, pk: int) -> HttpResponse:
    reply, _view = services.get_reply(request.user, pk)
    services.delete_reply(request.user, pk)
    return redirect("communities:post", reply.post_id)


@login_required
@require_POST
def react(request: HttpRequest, target: str, pk: int) -> HttpResponse:
    kind = request.POST.get("kind", "")
    ids = {"post_id": pk} if target == "post" else {"reply_id": pk}
    try:
        services.toggle_reaction(request.user, kind=kind, **ids)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400)
    if request.htmx:
        obj, _view = (services.get_post if target == "post" else services.get_reply)(
            request.user, pk
        )
        posts, replies = ([obj], []) if target == "post" else ([], [obj])
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
    post_id = pk if target == "post" else services.get_reply(request.user, pk)[0].post_id
    return redirect("communities:post", post_id)


@login_required
def report(request: HttpRequest, target: str, pk: int) -> HttpResponse:
    ids = {"post_id": pk} if target == "post" else {"reply_id": pk}
    obj, _view = (services.get_post if target == "post" else services.get_reply)(request.user, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_content(request.user, reason=form.cleaned_data["reason"], **ids)
        messages.success(request, _("Thank you. The moderators will look at it."))
        post_id = pk if target == "post" else obj.post_id
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
    target = request.POST.get("target")
    try:
        pk = int(request.POST.get("id", ""))
    except ValueError:
        raise Http404 from None
    ids = {"post_id": pk} if target == "post" else {"reply_id": pk}
    if request.POST.get("action") == "dismiss":
        services.dismiss_report(request.user, pk)
    else:
        try:
            services.moderate(request.user, action=request.POST.get("action", ""), **ids)
        except ValidationError as exc:
            flash_errors(request, exc)
    return _back(request, reverse("home"))


@login_required
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    entries = services.audit_log(request.user, slug)
    community = services.get_community(request.user, slug).community
    return render(
        request, "communities/audit_log.html", {"entries": entries[:200], "community": community}
    )


# Feed, notifications ---------------------------------------------------------------------------


@login_required
def feed(request: HttpRequest) -> HttpResponse:
    try:
        posts, next_cursor = services.home_feed(request.user, request.GET.get("cursor", ""))
    except ValidationError:
        raise Http404 from None
    template = "communities/feed.html#items" if request.htmx else "communities/feed.html"
    return render(request, template, {"posts": posts, "next_cursor": next_cursor})


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.mark_notifications_read(request.user)
        return redirect("communities:notifications")
    items = list(services.notifications_for(request.user)[:100])
    return render(request, "communities/notifications.html", {"items": items})


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    current = services.notification_settings(request.user)
    form = NotificationSettingsForm(request.POST or None, initial={"digest": current.digest})
    if request.method == "POST" and form.is_valid():
        services.set_digest_frequency(request.user, form.cleaned_data["digest"])
        messages.success(request, _("Saved."))
        return redirect("communities:notifications")
    return render(request, "communities/notification_settings.html", {"form": form})


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    try:
        page_number = int(request.GET.get("page", "1"))
    except ValueError:
        page_number = 1
    results = services.search_content(request.user, query, kind=kind, page=page_number)
    pages = -(-results.total // services.SEARCH_PAGE)
    return render(
        request,
        "communities/search.html",
        {
            "q": query,
            "kind": kind,
            "results": results,
            "page_number": page_number,
            "has_next": page_number < pages,
            "kinds": services.SEARCH_KINDS,
        },
    )
