from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seedbed.core.pages import act, attempt, render_form
from seedbed.library import files, services, suggestions
from seedbed.library.forms import RatingForm, ResourceForm, TrackForm
from seedbed.library.models import Level, Resource, ResourceKind, ResourceLanguage


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise Http404 from None


def home(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "") for k in ("kind", "language", "level", "topic")}
    community = request.GET.get("community", "")
    outcome = attempt(
        request, lambda: services.browse(request.user, community=community, **filters)
    )
    resources = (
        outcome.value if outcome.ok and outcome.value is not None else Resource.objects.none()
    )
    page = Paginator(resources, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "library/home.html",
        {
            "page": page,
            "filters": filters,
            "community": community,
            "kind_choices": ResourceKind.choices,
            "language_choices": ResourceLanguage.choices,
            "level_choices": Level.choices,
            "tracks": services.tracks(request.user, community)[:12],
            "suggested": suggestions.suggestions_for(request.user, 5),
            "query": "&".join(f"{k}={v}" for k, v in filters.items() if v),
        },
    )


def resource(request: HttpRequest, pk: int) -> HttpResponse:
    found = services.get_resource(request.user, pk)
    my_rating = services.rating_of(request.user, found.resource)
    initial = {"stars": my_rating.stars, "review": my_rating.review} if my_rating else None
    return render(
        request,
        "library/resource.html",
        {
            "access": found,
            "resource": found.resource,
            "entry": services.entry_of(request.user, found.resource),
            "my_rating": my_rating,
            "rating_form": RatingForm(initial=initial),
            "reviews": services.reviews(found)[:50],
        },
    )


def file_response(request: HttpRequest, pk: int) -> FileResponse:
    """The uploaded file, for whoever may see the resource, as a download (never rendered
    inline by the browser) under its original name."""
    resource = services.get_resource(request.user, pk).resource
    if not resource.file:
        raise Http404
    response = FileResponse(
        resource.file.open("rb"),
        as_attachment=True,
        filename=resource.file_name or f"file.{resource.file_type}",
        content_type=files.CONTENT_TYPES.get(resource.file_type, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def download(request: HttpRequest, pk: int) -> FileResponse:
    return file_response(request, pk)


@login_required
def add(request: HttpRequest) -> HttpResponse:
    community = request.GET.get("community") or request.POST.get("community") or ""
    form = ResourceForm(request.POST or None, request.FILES or None)
    context = {"form": form, "community": community}
    if request.method != "POST" or not form.is_valid():
        return render(request, "library/resource_form.html", context)
    outcome = attempt(
        request,
        lambda: services.add_resource(request.user, community=community or None, **form.changes()),
        form=form,
    )
    if outcome.ok and outcome.value is not None:
        if outcome.value.is_approved:
            messages.success(request, _("The resource is published."))
        else:
            messages.success(request, _("Thank you: a moderator will review it shortly."))
        return redirect("library:resource", outcome.value.pk)
    return render_form(request, "library/resource_form.html", context, outcome)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = services.get_resource(request.user, pk)
    if not found.can_edit:
        raise Http404
    resource = found.resource
    initial = {
        "kind": resource.kind,
        "title": resource.title,
        "description": resource.description,
        "link": resource.link,
        "language": resource.language,
        "level": resource.level,
        "topics": ", ".join(t.name for t in resource.topics.all()),
        "sectors": [s.slug for s in resource.sectors.all()],
    }
    form = ResourceForm(request.POST or None, request.FILES or None, initial=initial)
    context = {"form": form, "resource": resource}
    if request.method != "POST" or not form.is_valid():
        return render(request, "library/resource_form.html", context)
    outcome = attempt(
        request, lambda: services.edit_resource(request.user, pk, **form.changes()), form=form
    )
    if outcome.ok:
        messages.success(request, _("Saved."))
        return redirect("library:resource", pk)
    return render_form(request, "library/resource_form.html", context, outcome)


def _resource_url(pk: int) -> str:
    return reverse("library:resource", args=[pk])


@login_required
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give 1 to 5 stars."))
        return redirect("library:resource", pk)
    return act(
        request,
        lambda: services.rate_resource(
            request.user, pk, form.cleaned_data["stars"], form.cleaned_data["review"]
        ),
        fallback=_resource_url(pk),
        success=_("Thank you for rating."),
    )


@login_required
@require_POST
def shelve(request: HttpRequest, pk: int, shelf: str) -> HttpResponse:
    if shelf not in ("saved", "done"):
        raise Http404
    on = request.POST.get("on") == "1"
    call = services.save_resource if shelf == "saved" else services.mark_done
    return act(request, lambda: call(request.user, pk, on), fallback=_resource_url(pk))


@login_required
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    return act(
        request,
        lambda: services.report_resource(request.user, pk, request.POST.get("reason", "")),
        fallback=_resource_url(pk),
        success=_("Thank you: the moderators will look at it."),
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    return act(
        request,
        lambda: services.decide_resource(
            request.user, pk, request.POST.get("decision", ""), request.POST.get("note", "")
        ),
        fallback=_resource_url(pk),
        success=_("Saved."),
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    community = request.GET.get("community", "")
    waiting = services.moderation_queue(request.user, community)
    page = Paginator(waiting, 30).get_page(request.GET.get("page"))
    return render(request, "library/queue.html", {"page": page, "community": community})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    shelf = request.GET.get("shelf", "")
    if shelf not in ("", "saved", "done"):
        shelf = ""
    return render(
        request,
        "library/mine.html",
        {
            "shelf": shelf,
            "resources": services.my_library(request.user, shelf)[:200],
            "added": services.my_resources(request.user)[:100],
            "tracks": services.followed_tracks(request.user),
        },
    )


# Tracks ----------------------------------------------------------------------------------------


def track(request: HttpRequest, pk: int) -> HttpResponse:
    view = services.view_track(request.user, pk)
    addable = services.curatable_resources(request.user, view.track) if view.can_curate else None
    return render(request, "library/track.html", {"view": view, "addable": addable})


@login_required
def create_track(request: HttpRequest) -> HttpResponse:
    community = request.GET.get("community") or request.POST.get("community") or ""
    form = TrackForm(request.POST or None)
    context = {"form": form, "community": community}
    if request.method != "POST" or not form.is_valid():
        return render(request, "library/track_form.html", context)
    outcome = attempt(
        request,
        lambda: services.create_track(
            request.user, community=community or None, **form.cleaned_data
        ),
        form=form,
    )
    if outcome.ok and outcome.value is not None:
        return redirect("library:track", outcome.value.pk)
    return render_form(request, "library/track_form.html", context, outcome)


def _track_url(pk: int) -> str:
    return reverse("library:track", args=[pk])


@login_required
@require_POST
def curate(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Add, remove, or move up or down one resource of a track."""
    resource_id = _int(request.POST.get("resource"))
    calls = {
        "add": lambda: services.add_to_track(request.user, pk, resource_id),
        "remove": lambda: services.remove_from_track(request.user, pk, resource_id),
        "up": lambda: services.move_in_track(request.user, pk, resource_id, -1),
        "down": lambda: services.move_in_track(request.user, pk, resource_id, 1),
    }
    if action not in calls:
        raise Http404
    return act(request, calls[action], fallback=_track_url(pk))


@login_required
@require_POST
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    on = request.POST.get("on") == "1"
    return act(
        request, lambda: services.follow_track(request.user, pk, on), fallback=_track_url(pk)
    )


# Events and posts ------------------------------------------------------------------------------


@login_required
@require_POST
def attach(request: HttpRequest, target: str, pk: int) -> HttpResponse:
    """Attach a resource to an event (its organisers) or a post (its author or moderators),
    or detach it (``detach=1``)."""
    resource_id = _int(request.POST.get("resource"))
    calls: dict[tuple[str, bool], Callable[..., object]] = {
        ("event", False): services.attach_to_event,
        ("event", True): services.detach_from_event,
        ("post", False): services.attach_to_post,
        ("post", True): services.detach_from_post,
    }
    call = calls.get((target, request.POST.get("detach") == "1"))
    if call is None:
        raise Http404
    fallback = reverse("events:detail" if target == "event" else "communities:post", args=[pk])
    return act(request, lambda: call(request.user, pk, resource_id), fallback=fallback)
