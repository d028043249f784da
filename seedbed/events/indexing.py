"""Keeps the search index in step with events. An event is seen by whoever may read its
community (a platform event by everyone); a cancelled one stays findable, marked and ranked
low, as its page stays up. The services call these after their transaction commits."""

from collections.abc import Iterable, Iterator

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from seedbed.communities.models import Visibility
from seedbed.core.markdown import plain_text
from seedbed.events.models import Event, EventKind, RSVPStatus
from seedbed.search import services as search
from seedbed.search.services import Document, engagement_boost
from seedbed.search.text import both_languages

CANCELLED = "cancelled"
CANCELLED_BOOST = -0.6


def _events(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("community").annotate(
        going=Count("rsvps", filter=Q(rsvps__status=RSVPStatus.CONFIRMED))
    )


def _documents(events: Iterable[Event]) -> Iterator[Document]:
    for event in events:
        community = event.community
        if community is not None and community.archived_at is not None:
            continue
        cancelled = event.cancelled_at is not None
        place = " ".join(p for p in (event.venue, event.address) if p)
        kind = both_languages([EventKind(event.kind).label]) if event.kind else ""
        yield Document(
            "event",
            event.pk,
            event.title,
            " ".join(p for p in (plain_text(event.description), place, kind) if p),
            reverse("events:detail", args=[event.pk]),
            event.created_at,
            community_id=event.community_id,
            is_public=community is None or community.visibility == Visibility.PUBLIC,
            starts_at=event.starts_at,
            flag=CANCELLED if cancelled else "",
            boost=CANCELLED_BOOST if cancelled else engagement_boost(event.going),  # type: ignore[attr-defined]
        )


def index_events(event_ids: Iterable[int]) -> None:
    """Index these events as they are now (an archived community's events leave search)."""
    ids = list(event_ids)
    docs = list(_documents(_events(Event.objects.filter(pk__in=ids))))
    search.index_documents(docs)
    search.remove_documents("event", set(ids) - {doc.object_id for doc in docs})


def index_event(event: Event, *, with_series: bool = False) -> None:
    """Index ``event`` (and, ``with_series``, every event of its series)."""
    if with_series and event.series_id is not None:
        index_events(Event.objects.filter(series=event.series_id).values_list("pk", flat=True))
    else:
        index_events([event.pk])


def rebuild() -> int:
    return search.replace_kind(["event"], _documents(_events(Event.objects.order_by("pk"))))
