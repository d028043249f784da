"""Reading the stored match scores. Pages never score on the request path: the background task
(``refresh_matches``) stores each side's best matches with their reasons."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from seedbed.accounts.models import User
from seedbed.matching import adapter
from seedbed.matching.access import sees_offer_matches, sees_project_matches
from seedbed.matching.models import Intro, Match, Offer, Project, ProjectStatus
from seedbed.matching.services.projects import get_offer, get_project


def matches_for_project(
    user: User | AnonymousUser, slug: str, *, kind: str = ""
) -> tuple[Project, QuerySet[Match]]:
    """The offers matched to a project, best first: for its team and operators."""
    project = get_project(user, slug)
    if not sees_project_matches(user, project):
        raise PermissionDenied(_("Only the project's team sees its matches."))
    matches = (
        Match.objects.filter(project=project, offer__active=True, offer__owner__is_active=True)
        .select_related("offer__owner")
        .order_by("-score", "id")
    )
    if kind:
        matches = matches.filter(offer__kind=kind)
    return project, matches


def matches_for_offer(user: User | AnonymousUser, offer_id: int) -> tuple[Offer, QuerySet[Match]]:
    """The projects matched to an offer (an investor's thesis, a mentor's expertise...)."""
    offer = get_offer(user, offer_id)
    if not sees_offer_matches(user, offer):
        raise PermissionDenied(_("Only the offer's owner sees its matches."))
    matches = (
        Match.objects.filter(offer=offer, project__status=ProjectStatus.ACTIVE)
        .select_related("project")
        .order_by("-score", "id")
    )
    return offer, matches


def intro_match(intro: Intro) -> Match | None:
    """The stored match of the intro's pair, for its reasons (the intro keeps only the score)."""
    return (
        Match.objects.filter(project_id=intro.project_id, offer_id=intro.offer_id)
        .only("reasons", "shared_terms", "score")
        .first()
    )


def refresh_matches() -> int:
    return adapter.refresh_matches()
