"""Pages of the matching area: the member's hub, projects, offers and their matches.

Each view parses, calls the services and renders; who may see or change what is decided in
``services`` (404 for what the member may not see, 403 for what they may see but not do)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seedbed.accounts.models import Stage
from seedbed.core.feedback import flash_errors
from seedbed.matching import services
from seedbed.matching.forms import (
    OfferForm,
    ProjectForm,
    TeamMemberForm,
    add_service_errors,
    sector_choices,
)
from seedbed.matching.models import Intro, IntroStatus, OfferKind, ProjectStatus, ServiceType

PAGE_SIZE = 20
MATCHES_SHOWN = 50
OPEN_INTRO = (IntroStatus.REQUESTED, IntroStatus.ACCEPTED)


def _needs() -> list[tuple[str, str]]:
    return [
        ("funding", _("Funding")),
        ("talent", _("Talent")),
        ("mentoring", _("Mentoring")),
        ("services", _("Services")),
    ]


def _latest_intro_by(intros, key: str) -> dict[int, Intro]:
    """The newest intro per project or offer id (``intros`` come newest first)."""
    latest: dict[int, Intro] = {}
    for intro in intros:
        latest.setdefault(getattr(intro, key), intro)
    return latest


def _with_intros(items, intros: dict[int, Intro], key) -> list[dict]:
    """Rows for an "Ask for an intro" list: the item, its latest intro, and whether asking
    makes sense (no pending or accepted intro; the service has the last word)."""
    rows = []
    for item in items:
        intro = intros.get(key(item))
        rows.append(
            {
                "item": item,
                "intro": intro,
                "askable": intro is None or intro.status not in OPEN_INTRO,
            }
        )
    return rows


def _query(**params: str) -> str:
    return urlencode({k: v for k, v in params.items() if v})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "matching/home.html",
        {
            "projects": services.my_projects(user).prefetch_related(None),
            "offers": services.my_offers(user).prefetch_related(None),
            "awaiting": services.awaiting_answer(user)[:50],
            "kinds": OfferKind.choices,
        },
    )


# Projects ---------------------------------------------------------------------------------------


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    filters = {name: request.GET.get(name, "").strip() for name in ("q", "sector", "stage", "need")}
    found = services.project_directory(request.user, **filters)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/projects.html",
        {
            "page": page,
            "filters": filters,
            "query": _query(**filters),
            "sectors": sector_choices(),
            "stages": Stage.choices,
            "needs": _needs(),
        },
    )


@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The project is listed."))
            return redirect("matching:project", project.slug)
    return render(request, "matching/project_form.html", {"form": form})


@login_required
def project(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    project = services.get_project(user, slug)
    on_team = services.is_team(user, project)
    own_offers = (
        [] if on_team else list(services.my_offers(user).filter(active=True).prefetch_related(None))
    )
    intros = _latest_intro_by(
        services.intros_for(user).filter(project=project, offer__owner=user), "offer_id"
    )
    return render(
        request,
        "matching/project.html",
        {
            "project": project,
            "team": [m for m in project.team.all() if m.is_active],
            "on_team": on_team,
            "deal": project.pk in services.deal_access(user, [project]),
            "sees_matches": on_team or services.is_operator(user),
            "services_sought": _service_labels(project.services_sought),
            "ask_offers": _with_intros(own_offers, intros, lambda offer: offer.pk),
            "can_ask": project.status == ProjectStatus.ACTIVE,
            "team_form": TeamMemberForm(),
        },
    )


def _service_labels(values: list[str]) -> list[str]:
    return [str(ServiceType(v).label) for v in values if v in ServiceType.values]


@login_required
def project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    project = services.project_for_editing(request.user, slug)
    form = ProjectForm(request.POST or None, initial=ProjectForm.initial_for(project), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.update_project(request.user, slug, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("matching:project", project.slug)
    return render(request, "matching/project_form.html", {"form": form, "project": project})


@login_required
@require_POST
def project_team_add(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        member = services.add_team_member(request.user, slug, request.POST.get("handle", ""))
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("%(name)s joined the team.") % {"name": member.display_name})
    return redirect("matching:project", slug)


@login_required
@require_POST
def project_team_remove(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    try:
        services.remove_team_member(request.user, slug, member_id)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.info(request, _("Removed from the team."))
    return redirect("matching:project", slug)


@login_required
def project_matches(request: HttpRequest, slug: str) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in OfferKind.values else ""
    project, matches = services.matches_for_project(request.user, slug, kind=kind)
    rows = list(matches[:MATCHES_SHOWN])
    on_team = services.is_team(request.user, project)
    intros = _latest_intro_by(
        Intro.objects.filter(project=project, offer_id__in=[m.offer_id for m in rows]),
        "offer_id",
    )
    return render(
        request,
        "matching/project_matches.html",
        {
            "project": project,
            "rows": _with_intros(rows, intros, lambda match: match.offer_id),
            "kind": kind,
            "kinds": OfferKind.choices,
            "can_ask": on_team and project.status == ProjectStatus.ACTIVE,
        },
    )


# Offers -----------------------------------------------------------------------------------------


@login_required
def offers(request: HttpRequest) -> HttpResponse:
    filters = {name: request.GET.get(name, "").strip() for name in ("kind", "q", "sector")}
    if filters["kind"] not in OfferKind.values:
        filters["kind"] = ""
    found = services.offer_directory(request.user, **filters)
    page = Paginator(found.prefetch_related(None), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/offers.html",
        {
            "page": page,
            "filters": filters,
            "query": _query(**filters),
            "tab_query": _query(q=filters["q"], sector=filters["sector"]),
            "kinds": OfferKind.choices,
            "sectors": sector_choices(),
        },
    )


@login_required
def offer_new(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in OfferKind.values:
        return render(request, "matching/offer_kind.html", {"kinds": OfferKind.choices})
    form = OfferForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.create_offer(request.user, kind, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The offer is listed."))
            return redirect("matching:offer", offer.pk)
    return render(
        request,
        "matching/offer_form.html",
        {"form": form, "kind": kind, "kind_label": OfferKind(kind).label},
    )


@login_required
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    offer = services.get_offer(user, pk)
    owns = offer.owner_id == user.pk
    own_projects = (
        []
        if owns
        else list(
            services.my_projects(user).filter(status=ProjectStatus.ACTIVE).prefetch_related(None)
        )
    )
    intros = _latest_intro_by(
        services.intros_for(user).filter(offer=offer, project__in=[p.pk for p in own_projects]),
        "project_id",
    )
    return render(
        request,
        "matching/offer.html",
        {
            "offer": offer,
            "owns": owns,
            "sees_matches": owns or services.is_operator(user),
            "ask_projects": _with_intros(own_projects, intros, lambda project: project.pk),
        },
    )


@login_required
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = services.offer_for_editing(request.user, pk)
    form = OfferForm(
        request.POST or None, initial=OfferForm.initial_for(offer), kind=offer.kind, editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_offer(request.user, pk, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("matching:offer", pk)
    return render(
        request,
        "matching/offer_form.html",
        {"form": form, "offer": offer, "kind": offer.kind, "kind_label": offer.get_kind_display()},
    )


@login_required
def offer_matches(request: HttpRequest, pk: int) -> HttpResponse:
    offer, matches = services.matches_for_offer(request.user, pk)
    rows = list(matches[:MATCHES_SHOWN])
    intros = _latest_intro_by(
        Intro.objects.filter(offer=offer, project_id__in=[m.project_id for m in rows]),
        "project_id",
    )
    return render(
        request,
        "matching/offer_matches.html",
        {
            "offer": offer,
            "rows": _with_intros(rows, intros, lambda match: match.project_id),
            "can_ask": offer.owner_id == request.user.pk and offer.active,
        },
    )
