"""Projects and offers: who finds which, and their editing. Any change that can move a match
queues one rescoring after the commit."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from seedbed.accounts.access import member_by_handle
from seedbed.accounts.models import User
from seedbed.core.tasks import enqueue_once_after_commit
from seedbed.matching import indexing
from seedbed.matching.access import is_team, owns_offer, require_member, signed_in
from seedbed.matching.models import Offer, OfferKind, Project, ProjectStatus
from seedbed.matching.predictive import request_models_refit
from seedbed.matching.services.fields import choice, clean_offer, clean_project

NEEDS = ("funding", "talent", "mentoring", "services")

# Reading ----------------------------------------------------------------------------------------


def project_queryset() -> QuerySet[Project]:
    return Project.objects.prefetch_related(
        "sectors", "skills_sought", "topics_sought", Prefetch("team", User.objects.order_by("id"))
    )


def offer_queryset() -> QuerySet[Offer]:
    return Offer.objects.select_related("owner").prefetch_related(
        "sectors", "skills", "topics", "excluded_sectors"
    )


def visible_projects(user: User | AnonymousUser) -> QuerySet[Project]:
    """Projects are for signed-in members; their deal data is narrower (see ``deal_access``)."""
    if not signed_in(user):
        return Project.objects.none()
    return project_queryset()


def visible_offers(user: User | AnonymousUser) -> QuerySet[Offer]:
    """Open offers, plus the member's own closed ones."""
    if not signed_in(user):
        return Offer.objects.none()
    return offer_queryset().filter(Q(active=True, owner__is_active=True) | Q(owner_id=user.pk))


def get_project(user: User | AnonymousUser, slug: str) -> Project:
    try:
        return visible_projects(user).get(slug=slug)
    except Project.DoesNotExist:
        raise Http404 from None


def get_offer(user: User | AnonymousUser, offer_id: int) -> Offer:
    try:
        return visible_offers(user).get(pk=offer_id)
    except Offer.DoesNotExist:
        raise Http404 from None


def deal_data(project: Project) -> dict[str, Any]:
    return {field: getattr(project, field) for field in Project.DEAL_FIELDS}


def my_projects(user: User | AnonymousUser) -> QuerySet[Project]:
    if not signed_in(user):
        return Project.objects.none()
    return project_queryset().filter(team=user.pk)


def my_offers(user: User | AnonymousUser) -> QuerySet[Offer]:
    if not signed_in(user):
        return Offer.objects.none()
    return offer_queryset().filter(owner_id=user.pk)


def project_directory(
    user: User | AnonymousUser, *, q: str = "", sector: str = "", stage: str = "", need: str = ""
) -> QuerySet[Project]:
    projects = visible_projects(user).filter(status=ProjectStatus.ACTIVE)
    if q:
        projects = projects.filter(Q(name__icontains=q) | Q(one_liner__icontains=q))
    if sector:
        projects = projects.filter(sectors__slug=sector)
    if stage:
        projects = projects.filter(stage=stage)
    if need in NEEDS:
        projects = projects.filter(**{f"needs_{need}": True})
    return projects.distinct()


def offer_directory(
    user: User | AnonymousUser, *, kind: str = "", q: str = "", sector: str = ""
) -> QuerySet[Offer]:
    offers = visible_offers(user).filter(active=True)
    if kind:
        offers = offers.filter(kind=kind)
    if q:
        offers = offers.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if sector:
        offers = offers.filter(sectors__slug=sector)
    return offers.distinct()


# Writing ----------------------------------------------------------------------------------------


RESERVED_SLUGS = {"new"}
"""Project addresses that are pages of their own (``projects/new/``)."""


def _free_slug(name: str) -> str:
    stem = slugify(name)[:60] or "project"
    slug, n = stem, 2
    while slug in RESERVED_SLUGS or Project.objects.filter(slug=slug).exists():
        slug, n = f"{stem}-{n}", n + 1
    return slug


def _matches_changed() -> None:
    from seedbed.matching.tasks import refresh_match_scores

    enqueue_once_after_commit(refresh_match_scores)
    request_models_refit()


def create_project(user: User | AnonymousUser, **fields: Any) -> Project:
    """A new project with ``user`` on its team."""
    member = require_member(user)
    values, related = clean_project(fields)
    with transaction.atomic():
        project = Project.objects.create(
            slug=_free_slug(values["name"]), created_by=member, **values
        )
        for name, items in related.items():
            getattr(project, name).set(items)
        project.team.add(member)
        transaction.on_commit(lambda: indexing.index_project(project))
        _matches_changed()
    return project


def project_for_editing(user: User | AnonymousUser, slug: str) -> Project:
    project = get_project(user, slug)
    if not is_team(user, project):
        raise PermissionDenied(_("Only the project's team can edit it."))
    return project


def update_project(user: User | AnonymousUser, slug: str, **fields: Any) -> Project:
    """Only the team edits a project (not operators: it is the founders' own record)."""
    with transaction.atomic():
        project = project_for_editing(user, slug)
        values, related = clean_project(fields, current=project)
        for name, value in values.items():
            setattr(project, name, value)
        project.updated_at = timezone.now()
        project.save()
        for name, items in related.items():
            getattr(project, name).set(items)
        transaction.on_commit(lambda: indexing.index_project(project))
        _matches_changed()
    return project


def add_team_member(user: User | AnonymousUser, slug: str, handle: str) -> User:
    project = project_for_editing(user, slug)
    member = member_by_handle(handle)
    if member is None:
        name = str(handle or "").strip().lstrip("@").lower()
        raise ValidationError({"handle": [_("No member has the handle @%(h)s.") % {"h": name}]})
    project.team.add(member)
    _matches_changed()
    return member


def remove_team_member(user: User | AnonymousUser, slug: str, member_id: int) -> None:
    project = project_for_editing(user, slug)
    if project.team.count() <= 1:
        raise ValidationError(_("A project keeps at least one team member."))
    project.team.remove(member_id)
    _matches_changed()


def create_offer(user: User | AnonymousUser, kind: str, **fields: Any) -> Offer:
    member = require_member(user)
    kind = choice({"kind": kind}, "kind", OfferKind, required=True)
    values, related = clean_offer(kind, fields)
    with transaction.atomic():
        offer = Offer.objects.create(kind=kind, owner=member, **values)
        for name, items in related.items():
            getattr(offer, name).set(items)
        transaction.on_commit(lambda: indexing.index_offer(offer))
        _matches_changed()
    return offer


def offer_for_editing(user: User | AnonymousUser, offer_id: int) -> Offer:
    offer = get_offer(user, offer_id)
    if not owns_offer(user, offer):
        raise PermissionDenied(_("Only the offer's owner can edit it."))
    return offer


def update_offer(user: User | AnonymousUser, offer_id: int, **fields: Any) -> Offer:
    with transaction.atomic():
        offer = offer_for_editing(user, offer_id)
        values, related = clean_offer(offer.kind, fields, current=offer)
        for name, value in values.items():
            setattr(offer, name, value)
        offer.updated_at = timezone.now()
        offer.save()
        for name, items in related.items():
            getattr(offer, name).set(items)
        transaction.on_commit(lambda: indexing.index_offer(offer))
        _matches_changed()
    return offer
