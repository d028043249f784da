"""Keeps the search index in step with projects and offers, which are for signed-in members
only (``matching.access``). Deal data — ``Project.DEAL_FIELDS`` (amounts, instrument, funding
notes) and an offer's ticket range — is never indexed, so no search, count or snippet can
reveal it. Offers are found while open to intros and their owner's account is active; a
closed project stays findable, ranked lower, as its page stays up."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from seedbed.accounts.models import Stage
from seedbed.matching.models import Offer, OfferKind, Project, ProjectStatus, ServiceType
from seedbed.search import services as search
from seedbed.search.services import Document
from seedbed.search.text import both_languages

CLOSED_BOOST = -0.2


def _labels(choices: Any, values: Iterable[str]) -> str:
    return both_languages([choices(v).label for v in values if v in choices.values])


def _sectors(item: Project | Offer) -> str:
    return " ".join(f"{s.name_en} {s.name_zh}" for s in item.sectors.all())


def _tags(*managers: Any) -> str:
    return " ".join(t.name for manager in managers for t in manager.all())


def _projects(projects: QuerySet[Project]) -> QuerySet[Project]:
    return projects.prefetch_related("sectors", "skills_sought", "topics_sought")


def _project_documents(projects: Iterable[Project]) -> Iterator[Document]:
    for p in projects:
        words = [
            p.one_liner,
            p.description,
            p.traction,
            p.city,
            p.roles_sought,
            _labels(Stage, [p.stage]),
            _labels(ServiceType, p.services_sought or []),
            _sectors(p),
            _tags(p.skills_sought, p.topics_sought),
        ]
        active = p.status == ProjectStatus.ACTIVE
        yield Document(
            "project",
            p.pk,
            p.name,
            " ".join(w for w in words if w),
            reverse("matching:project", args=[p.slug]),
            p.created_at,
            is_public=False,
            members_only=True,
            flag="" if active else p.status,
            boost=0.0 if active else CLOSED_BOOST,
        )


def _offers(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    return offers.filter(active=True, owner__is_active=True).prefetch_related(
        "sectors", "skills", "topics"
    )


def _offer_documents(offers: Iterable[Offer]) -> Iterator[Document]:
    for o in offers:
        words = [
            o.description,
            o.role_sought,
            o.city,
            _labels(OfferKind, [o.kind]),
            _labels(Stage, o.stages or []),
            _labels(ServiceType, [o.service_type]),
            " ".join(o.regions or []),
            _sectors(o),
            _tags(o.skills, o.topics),
        ]
        yield Document(
            "offer",
            o.pk,
            o.title,
            " ".join(w for w in words if w),
            reverse("matching:offer", args=[o.pk]),
            o.created_at,
            is_public=False,
            members_only=True,
            owner_id=o.owner_id,
        )


def index_project(project: Project) -> None:
    search.index_documents(_project_documents(_projects(Project.objects.filter(pk=project.pk))))


def index_offer(offer: Offer) -> None:
    """Index this offer as it is now, or take it out once closed."""
    docs = list(_offer_documents(_offers(Offer.objects.filter(pk=offer.pk))))
    if docs:
        search.index_documents(docs)
    else:
        search.remove_document("offer", offer.pk)


def rebuild() -> int:
    done = search.replace_kind(
        ["project"], _project_documents(_projects(Project.objects.order_by("pk")))
    )
    return done + search.replace_kind(
        ["offer"], _offer_documents(_offers(Offer.objects.order_by("pk")))
    )
