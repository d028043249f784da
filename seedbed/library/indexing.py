"""Keeps the search index in step with the library. A published resource is seen by whoever
may read its community (a platform-wide one by everyone); a pending, hidden or rejected one
is not in the index. The services call these after their transaction commits."""

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.urls import reverse

from seedbed.communities.models import Visibility
from seedbed.core.markdown import plain_text
from seedbed.library.models import Resource, ResourceKind, ResourceStatus
from seedbed.search import services as search
from seedbed.search.services import Document, engagement_boost
from seedbed.search.text import both_languages

KIND = "resource"


def _resources(resources: QuerySet[Resource]) -> QuerySet[Resource]:
    return (
        resources.filter(status=ResourceStatus.APPROVED)
        .select_related("community")
        .prefetch_related("topics", "sectors")
    )


def _documents(resources: Iterable[Resource]) -> Iterator[Document]:
    for resource in resources:
        community = resource.community
        if community is not None and community.archived_at is not None:
            continue
        words = [t.name for t in resource.topics.all()]
        words += [f"{s.name_en} {s.name_zh}" for s in resource.sectors.all()]
        kind = both_languages([ResourceKind(resource.kind).label])
        yield Document(
            KIND,
            resource.pk,
            resource.title,
            " ".join(p for p in (plain_text(resource.description), " ".join(words), kind) if p),
            reverse("library:resource", args=[resource.pk]),
            resource.created_at,
            community_id=resource.community_id,
            is_public=community is None or community.visibility == Visibility.PUBLIC,
            boost=engagement_boost(resource.rating_count),
            flag=resource.kind,
        )


def index_resources(resource_ids: Iterable[int]) -> None:
    """Index these resources as they are now; unpublished ones leave search."""
    ids = list(resource_ids)
    docs = list(_documents(_resources(Resource.objects.filter(pk__in=ids))))
    search.index_documents(docs)
    search.remove_documents(KIND, set(ids) - {doc.object_id for doc in docs})


def index_resource(resource_id: int) -> None:
    index_resources([resource_id])


def rebuild() -> int:
    return search.replace_kind([KIND], _documents(_resources(Resource.objects.order_by("pk"))))
