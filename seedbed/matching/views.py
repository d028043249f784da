"""Pages of the matching area: the member's hub, projects, offers and their matches.

Each view parses, calls the services and renders; who may see or change what is decided in
``access`` and ``services`` (404 for what the member may not see, 403 for what they may see but
not do)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seedbed.accounts.models import Stage
from seedbed.core.pages import attempt, render_form
from seedbed.matching import access, services
from seedbed.matching.forms import OfferForm, ProjectForm, TeamMemberForm, sector_choices
from seedbed.matching.models import OfferKind, ProjectStatus, ServiceType

PAGE_SIZE = 20
MATCHES_SHOWN = 50


def _needs() -> list[tuple[str, str]]:
    return [
        ("funding", _("Funding")),
        ("talent", _("Talent")),
        ("mentoring", _("Mentoring")),
        ("services", _("Services")),
    ]


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
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        outcome = attempt(
            request, lambda: services.create_project(request.user, **fields), form=form
        )
        if outcome.ok and outcome.value is not None:
            messages.success(request, _("The project is listed."))
            return redirect("matching:project", outcome.value.slug)
        return render_form(request, "matching/project_form.html", context, outcome)
    return render(request, "matching/project_form.html", context)


@login_required
def project(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    project = services.get_project(user, slug)
    on_team = access.is_team(user, project)
    own_offers = (
        [] if on_team else list(services.my_offers(user).filter(active=True).prefetch_related(None))
    )
    return render(
        request,
        "matching/project.html",
        {
            "project": project,
            "team": [m for m in project.team.all() if m.is_active],
            "on_team": on_team,
            "deal": project.pk in access.deal_access(user, [project]),
            "sees_matches": access.sees_project_matches(user, project),
            "services_sought": _service_labels(project.services_sought),
            "ask_offers": services.ask_rows(user, own_offers, lambda offer: (project, offer)),
            "team_form": TeamMemberForm(),
        },
    )


def _service_labels(values: list[str]) -> list[str]:
    return [str(ServiceType(v).label) for v in values if v in ServiceType.values]


@login_required
def project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    project = services.project_for_editing(request.user, slug)
    form = ProjectForm(request.POST or None, initial=ProjectForm.initial_for(project), editing=True)
    context = {"form": form, "project": project}
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        outcome = attempt(
            request, lambda: services.update_project(request.user, slug, **fields), form=form
        )
        if outcome.ok:
            messages.success(request, _("Saved."))
            return redirect("matching:project", slug)
        return render_form(request, "matching/project_form.html", context, outcome)
    return render(request, "matching/project_form.html", context)


@login_required
@require_POST
def project_team_add(request: HttpRequest, slug: str) -> HttpResponse:
    handle = request.POST.get("handle", "")
    outcome = attempt(request, lambda: services.add_team_member(request.user, slug, handle))
    if outcome.ok and outcome.value is not None:
        name = outcome.value.display_name
        messages.success(request, _("%(name)s joined the team.") % {"name": name})
    return redirect("matching:project", slug)


@login_required
@require_POST
def project_team_remove(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    outcome = attempt(request, lambda: services.remove_team_member(request.user, slug, member_id))
    if outcome.ok:
        messages.info(request, _("Removed from the team."))
    return redirect("matching:project", slug)


@login_required
def project_matches(request: HttpRequest, slug: str) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in OfferKind.values else ""
    project, matches = services.matches_for_project(request.user, slug, kind=kind)
    rows = list(matches[:MATCHES_SHOWN])
    return render(
        request,
        "matching/project_matches.html",
        {
            "project": project,
            "rows": services.ask_rows(request.user, rows, lambda match: (project, match.offer)),
            "kind": kind,
            "kinds": OfferKind.choices,
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
    context = {"form": form, "kind": kind, "kind_label": OfferKind(kind).label}
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        outcome = attempt(
            request, lambda: services.create_offer(request.user, kind, **fields), form=form
        )
        if outcome.ok and outcome.value is not None:
            messages.success(request, _("The offer is listed."))
            return redirect("matching:offer", outcome.value.pk)
        return render_form(request, "matching/offer_form.html", context, outcome)
    return render(request, "matching/offer_form.html", context)


@login_required
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    offer = services.get_offer(user, pk)
    owns = access.owns_offer(user, offer)
    own_projects = (
        []
        if owns
        else list(
            services.my_projects(user).filter(status=ProjectStatus.ACTIVE).prefetch_related(None)
        )
    )
    return render(
        request,
        "matching/offer.html",
        {
            "offer": offer,
            "owns": owns,
            "sees_matches": access.sees_offer_matches(user, offer),
            "ask_projects": services.ask_rows(user, own_projects, lambda project: (project, offer)),
        },
    )


@login_required
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = services.offer_for_editing(request.user, pk)
    form = OfferForm(
        request.POST or None, initial=OfferForm.initial_for(offer), kind=offer.kind, editing=True
    )
    context = {
        "form": form,
        "offer": offer,
        "kind": offer.kind,
        "kind_label": offer.get_kind_display(),
    }
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        outcome = attempt(
            request, lambda: services.update_offer(request.user, pk, **fields), form=form
        )
        if outcome.ok:
            messages.success(request, _("Saved."))
            return redirect("matching:offer", pk)
        return render_form(request, "matching/offer_form.html", context, outcome)
    return render(request, "matching/offer_form.html", context)


@login_required
def offer_matches(request: HttpRequest, pk: int) -> HttpResponse:
    offer, matches = services.matches_for_offer(request.user, pk)
    rows = list(matches[:MATCHES_SHOWN])
    return render(
        request,
        "matching/offer_matches.html",
        {
            "offer": offer,
            "rows": services.ask_rows(request.user, rows, lambda match: (match.project, offer)),
        },
    )
