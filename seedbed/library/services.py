"""Every rule and every write of the learning library. Views and API handlers parse, call one
function here, render.

Conventions as in the communities app: what the caller may not see raises Http404 (exactly like
a missing object); what they see but may not do raises PermissionDenied; bad input raises
ValidationError naming the field; adding too fast raises RateLimited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from seedbed.accounts.access import is_operator
from seedbed.accounts.models import User
from seedbed.communities.access import Someone, member, signed_in_member
from seedbed.communities.models import Community, Post
from seedbed.communities.services.reading import get_community, get_post
from seedbed.core import ratelimit
from seedbed.core.markdown import render_markdown
from seedbed.core.models import Sector
from seedbed.core.services import clean_text, tags_named
from seedbed.core.text import single_line
from seedbed.engagement import services as engagement
from seedbed.engagement.models import Action
from seedbed.events.models import Event
from seedbed.library import files, indexing
from seedbed.library.access import (
    ResourceAccess,
    can_curate,
    resource_access,
    visible_resources,
    visible_tracks,
)
from seedbed.library.models import (
    EventResource,
    Level,
    LibraryEntry,
    PostResource,
    Rating,
    Resource,
    ResourceDecision,
    ResourceKind,
    ResourceLanguage,
    ResourceReport,
    ResourceStatus,
    Track,
    TrackFollow,
    TrackItem,
)

MAX_TITLE = 200
MAX_DESCRIPTION = 10_000
MAX_REVIEW = 5000
MAX_TOPICS = 8
MAX_TRACK_ITEMS = 100
DECISIONS = {
    "approve": ResourceStatus.APPROVED,
    "hide": ResourceStatus.HIDDEN,
    "reject": ResourceStatus.REJECTED,
}

_https_only = URLValidator(schemes=["http", "https"])


def resources_with_details(resources: QuerySet[Resource]) -> QuerySet[Resource]:
    return resources.select_related("community", "author").prefetch_related("topics", "sectors")


# Reading ---------------------------------------------------------------------------------------


def get_resource(user: Someone, resource_id: int) -> ResourceAccess:
    """The resource and what this user may do with it, or Http404 when they may not see it."""
    resource = resources_with_details(Resource.objects.filter(pk=resource_id)).first()
    found = resource_access(user, resource) if resource is not None else None
    if found is None:
        raise Http404
    return found


def browse(
    user: Someone,
    *,
    kind: str = "",
    community: str = "",
    language: str = "",
    level: str = "",
    topic: str = "",
) -> QuerySet[Resource]:
    """Approved resources this user may see, newest first, filtered; an unknown filter value
    is a ValidationError naming it, an unreadable community a 404."""
    errors: dict[str, list[str]] = {}
    for name, value, choices in (
        ("kind", kind, ResourceKind.values),
        ("language", language, ResourceLanguage.values),
        ("level", level, Level.values),
    ):
        if value and value not in choices:
            errors[name] = [_("Choose one of: %(values)s.") % {"values": ", ".join(choices)}]
    if errors:
        raise ValidationError(errors)
    resources = visible_resources(user)
    if community:
        resources = resources.filter(community=get_community(user, community).community)
    if kind:
        resources = resources.filter(kind=kind)
    if language:
        resources = resources.filter(language__in=[language, ResourceLanguage.BOTH])
    if level:
        resources = resources.filter(level=level)
    if topic:
        resources = resources.filter(topics__name=topic.strip().casefold())
    return resources_with_details(resources).order_by("-created_at", "-id")


def reviews(found: ResourceAccess) -> QuerySet[Rating]:
    return Rating.objects.filter(resource=found.resource).select_related("user")


def entry_of(user: Someone, resource: Resource) -> LibraryEntry | None:
    found = member(user)
    if found is None:
        return None
    return LibraryEntry.objects.filter(user=found, resource=resource).first()


def rating_of(user: Someone, resource: Resource) -> Rating | None:
    found = member(user)
    if found is None:
        return None
    return Rating.objects.filter(user=found, resource=resource).first()


# Adding and editing ---------------------------------------------------------------------------


def _clean_choice(field: str, value: str, choices: Sequence[str], *, required: bool) -> str:
    value = str(value or "").strip()
    if (required or value) and value not in choices:
        raise ValidationError(
            {field: [_("Choose one of: %(values)s.") % {"values": ", ".join(choices)}]}
        )
    return value


def _clean_link(link: str) -> str:
    link = clean_text("link", link, required=False, limit=500)
    if link:
        try:
            _https_only(link)
        except ValidationError:
            raise ValidationError(
                {"link": [_("Enter a web address starting with https://.")]}
            ) from None
    return link


def _clean_topics(names: Iterable[str] | None) -> list[str]:
    cleaned = list(dict.fromkeys(n for n in (single_line(str(x)) for x in names or []) if n))
    if len(cleaned) > MAX_TOPICS:
        raise ValidationError({"topics": [_("At most %(n)d topics.") % {"n": MAX_TOPICS}]})
    if any(len(n) > 40 for n in cleaned):
        raise ValidationError(
            {"topics": [_("A topic can be at most %(n)d characters.") % {"n": 40}]}
        )
    return cleaned


def _clean_sectors(slugs: Iterable[str] | None) -> list[Sector]:
    wanted = list(dict.fromkeys(str(s).strip() for s in slugs or [] if str(s).strip()))
    found = list(Sector.objects.filter(slug__in=wanted))
    if len(found) != len(wanted):
        unknown = sorted(set(wanted) - {s.slug for s in found})
        raise ValidationError(
            {"sectors": [_("Unknown sectors: %(names)s.") % {"names": ", ".join(unknown)}]}
        )
    return found


def _store_file(resource: Resource, upload: UploadedFile, kind: str) -> None:
    resource.file_name = single_line(upload.name or "")[-200:] or f"file.{kind}"
    resource.file_type = kind
    resource.file_size = upload.size or 0
    resource.file.save(files.stored_name(kind), upload, save=False)


def _community_for_adding(user: User, slug: str | None) -> tuple[Community | None, bool]:
    """The community a resource goes into (None: the platform) and whether the author
    moderates there, so their addition needs no other moderator."""
    if not slug:
        return None, is_operator(user)
    found = get_community(user, slug)
    if not found.can_post:
        raise PermissionDenied(
            _("This community is archived.")
            if found.is_archived
            else _("Join the community to add resources to it.")
        )
    return found.community, found.can_moderate


def add_resource(
    user: Someone,
    *,
    kind: str,
    title: str,
    description: str = "",
    link: str = "",
    upload: UploadedFile | None = None,
    language: str = ResourceLanguage.EN,
    level: str = "",
    topics: Iterable[str] = (),
    sectors: Iterable[str] = (),
    community: str | None = None,
    token_id: int | None = None,
) -> Resource:
    """A member's addition waits for a moderator (the community's, or an operator for a
    platform-wide one); a moderator's or operator's own addition is published at once."""
    author = signed_in_member(user)
    home, moderator = _community_for_adding(author, community)
    kind = _clean_choice("kind", kind, ResourceKind.values, required=True)
    title = clean_text("title", single_line(str(title or "")), required=True, limit=MAX_TITLE)
    description = clean_text("description", description, required=False, limit=MAX_DESCRIPTION)
    link = _clean_link(link)
    language = _clean_choice("language", language, ResourceLanguage.values, required=True)
    level = _clean_choice("level", level, Level.values, required=False)
    topic_names = _clean_topics(topics)
    sector_rows = _clean_sectors(sectors)
    file_kind = files.check_upload(upload) if upload is not None else ""
    if not link and upload is None:
        raise ValidationError({"link": [_("Give a link, upload a file, or both.")]})
    ratelimit.hit(f"library:user:{author.pk}", settings.POSTING_RATE_LIMITS)
    if token_id is not None:
        ratelimit.hit(f"library:token:{token_id}", settings.POSTING_RATE_LIMITS)
    now = timezone.now()
    resource = Resource(
        kind=kind,
        title=title,
        description=description,
        description_html=render_markdown(description),
        link=link,
        language=language,
        level=level,
        community=home,
        author=author,
        created_at=now,
        status=ResourceStatus.APPROVED if moderator else ResourceStatus.PENDING,
        decided_by=author if moderator else None,
        decided_at=now if moderator else None,
    )
    if upload is not None:
        _store_file(resource, upload, file_kind)
    with transaction.atomic():
        resource.save()
        resource.topics.set(tags_named(topic_names))
        resource.sectors.set(sector_rows)
        transaction.on_commit(lambda: indexing.index_resource(resource.pk))
    return resource


def edit_resource(user: Someone, resource_id: int, **changes: Any) -> Resource:
    """Change any of the fields ``add_resource`` takes (``upload`` replaces the file); its
    author or a moderator."""
    found = get_resource(user, resource_id)
    if not found.can_edit:
        raise PermissionDenied(_("Only the author or a moderator can do this."))
    resource = found.resource
    cleaners = {
        "kind": lambda v: _clean_choice("kind", v, ResourceKind.values, required=True),
        "title": lambda v: clean_text(
            "title", single_line(str(v or "")), required=True, limit=MAX_TITLE
        ),
        "description": lambda v: clean_text(
            "description", v, required=False, limit=MAX_DESCRIPTION
        ),
        "link": _clean_link,
        "language": lambda v: _clean_choice("language", v, ResourceLanguage.values, required=True),
        "level": lambda v: _clean_choice("level", v, Level.values, required=False),
    }
    unknown = set(changes) - set(cleaners) - {"topics", "sectors", "upload"}
    if unknown:
        raise ValidationError({sorted(unknown)[0]: [_("This cannot be changed.")]})
    for field, clean in cleaners.items():
        if field in changes and changes[field] is not None:
            setattr(resource, field, clean(changes[field]))
    topic_names = _clean_topics(changes["topics"]) if changes.get("topics") is not None else None
    sector_rows = _clean_sectors(changes["sectors"]) if changes.get("sectors") is not None else None
    upload = changes.get("upload")
    replaced = resource.file.name if upload is not None and resource.file else ""
    if upload is not None:
        _store_file(resource, upload, files.check_upload(upload))
    if not resource.link and not resource.file:
        raise ValidationError({"link": [_("Give a link, upload a file, or both.")]})
    resource.description_html = render_markdown(resource.description)
    with transaction.atomic():
        resource.save()
        if topic_names is not None:
            resource.topics.set(tags_named(topic_names))
        if sector_rows is not None:
            resource.sectors.set(sector_rows)
        transaction.on_commit(lambda: indexing.index_resource(resource.pk))
        if replaced:
            transaction.on_commit(lambda: resource.file.storage.delete(replaced))
    return resource


# Moderation -----------------------------------------------------------------------------------


def decide_resource(user: Someone, resource_id: int, decision: str, note: str = "") -> Resource:
    """approve, hide or reject a resource; resolves its open reports; logged. Unpublishing
    takes back the points its ratings earned (linked ledger entries); publishing again gives
    them back."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": [_("Choose approve, hide or reject.")]})
    found = get_resource(user, resource_id)
    if not found.can_moderate:
        raise PermissionDenied(_("Only moderators can do this."))
    moderator = signed_in_member(user)
    note = clean_text("note", note, required=False, limit=500)
    resource, now = found.resource, timezone.now()
    was_published = resource.is_approved
    with transaction.atomic():
        resource.status = DECISIONS[decision]
        resource.decided_by, resource.decided_at = moderator, now
        resource.save(update_fields=["status", "decided_by", "decided_at"])
        ResourceDecision.objects.create(
            resource=resource, actor=moderator, status=resource.status, note=note
        )
        ResourceReport.objects.filter(resource=resource, status=ResourceReport.Status.OPEN).update(
            status=ResourceReport.Status.RESOLVED, resolved_by=moderator, resolved_at=now
        )
        if was_published and not resource.is_approved:
            engagement.reverse_points_for_content(resource, moderator)
        elif resource.is_approved and not was_published:
            engagement.restore_points_for_content(resource, moderator)
        transaction.on_commit(lambda: indexing.index_resource(resource.pk))
    return resource


def report_resource(user: Someone, resource_id: int, reason: str) -> ResourceReport:
    reason = clean_text("reason", reason, required=True, limit=1000)
    found = get_resource(user, resource_id)
    if not found.can_report:
        raise PermissionDenied(_("You cannot report your own resource."))
    reporter = signed_in_member(user)
    existing = ResourceReport.objects.filter(
        resource=found.resource, reporter=reporter, status=ResourceReport.Status.OPEN
    ).first()
    return existing or ResourceReport.objects.create(
        resource=found.resource, reporter=reporter, reason=reason
    )


def moderation_queue(user: Someone, community: str = "") -> QuerySet[Resource]:
    """Resources waiting for a decision or reported: one community's for its moderators,
    every community's and the platform's for operators."""
    reported = ResourceReport.objects.filter(
        resource=OuterRef("pk"), status=ResourceReport.Status.OPEN
    )
    waiting = Resource.objects.filter(Q(status=ResourceStatus.PENDING) | Exists(reported))
    if community:
        found = get_community(user, community)
        if not found.can_moderate:
            raise PermissionDenied(_("Only moderators can do this."))
        waiting = waiting.filter(community=found.community)
    elif not is_operator(user):
        raise PermissionDenied(_("Only operators see every community's queue."))
    open_reports = ResourceReport.objects.filter(status=ResourceReport.Status.OPEN)
    return (
        resources_with_details(waiting)
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_reports"))
        .order_by("created_at", "id")
    )


# Ratings, reviews and the member's shelf ------------------------------------------------------


def _award_rating_points(resource: Resource, rater: User) -> None:
    """Points to the author of a resource someone else rated (once per rater; the engagement
    rules refuse one's own rating and accounts younger than a day)."""
    if resource.author_id is not None:
        engagement.award(
            resource.author_id,
            Action.RESOURCE_RATED,
            resource,
            counterpart=rater,
            community_id=resource.community_id,
        )


def rate_resource(user: Someone, resource_id: int, stars: int, review: str = "") -> Rating:
    """Rate (1–5) and optionally review; rating again replaces the earlier rating. The
    resource's cached average is recounted from the ratings under its row lock."""
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValidationError({"stars": [_("Give 1 to 5 stars.")]})
    review = clean_text("review", review, required=False, limit=MAX_REVIEW)
    found = get_resource(user, resource_id)
    if not found.can_rate:
        raise PermissionDenied(
            _("You cannot rate your own resource.")
            if found.is_author
            else _("This resource is not published.")
        )
    rater = signed_in_member(user)
    now = timezone.now()
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=resource_id)
        rating, created = Rating.objects.update_or_create(
            resource=resource,
            user=rater,
            defaults={"stars": stars, "review": review, "updated_at": now},
            create_defaults={
                "stars": stars,
                "review": review,
                "created_at": now,
                "updated_at": now,
            },
        )
        totals = Rating.objects.filter(resource=resource).aggregate(n=Count("id"), s=Sum("stars"))
        resource.rating_count, resource.rating_sum = totals["n"], totals["s"] or 0
        resource.save(update_fields=["rating_count", "rating_sum"])
        if created:
            _award_rating_points(resource, rater)
    return rating


def _shelve(user: Someone, resource_id: int, field: str, on: bool) -> LibraryEntry | None:
    found = get_resource(user, resource_id)
    if not found.can_shelve:
        raise PermissionDenied(_("This resource is not published."))
    owner = signed_in_member(user)
    with transaction.atomic():
        entry, _created = LibraryEntry.objects.select_for_update().get_or_create(
            user=owner, resource=found.resource
        )
        setattr(entry, field, timezone.now() if on else None)
        if entry.saved_at is None and entry.done_at is None:
            entry.delete()
            return None
        entry.save(update_fields=[field])
    return entry


def save_resource(user: Someone, resource_id: int, saved: bool = True) -> LibraryEntry | None:
    return _shelve(user, resource_id, "saved_at", saved)


def mark_done(user: Someone, resource_id: int, done: bool = True) -> LibraryEntry | None:
    return _shelve(user, resource_id, "done_at", done)


def my_library(user: Someone, shelf: str = "") -> QuerySet[Resource]:
    """The member's saved and done resources they may still see (leaving a private community
    takes its resources off the shelf); ``shelf`` narrows to "saved" or "done"."""
    owner = signed_in_member(user)
    if shelf not in ("", "saved", "done"):
        raise ValidationError({"shelf": [_("Choose saved or done.")]})
    entries = LibraryEntry.objects.filter(user=owner)
    if shelf:
        entries = entries.filter(**{f"{shelf}_at__isnull": False})
    return resources_with_details(visible_resources(owner).filter(entries__in=entries)).order_by(
        "-id"
    )


def my_resources(user: Someone) -> QuerySet[Resource]:
    """What the member added, in any state (they see their pending ones here)."""
    return resources_with_details(Resource.objects.filter(author=signed_in_member(user)))


# Tracks ---------------------------------------------------------------------------------------


@dataclass
class TrackView:
    track: Track
    resources: list[Resource]
    done_ids: set[int]
    following: bool
    can_curate: bool

    @property
    def done(self) -> int:
        return len(self.done_ids)

    @property
    def total(self) -> int:
        return len(self.resources)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def get_track(user: Someone, track_id: int) -> Track:
    track = visible_tracks(user).select_related("community").filter(pk=track_id).first()
    if track is None:
        raise Http404
    return track


def track_resources(user: Someone, track: Track) -> list[Resource]:
    """The track's resources this user may see, in the track's order."""
    items = TrackItem.objects.filter(track=track, resource__in=visible_resources(user))
    order = list(items.values_list("resource_id", flat=True))
    by_id = {r.pk: r for r in resources_with_details(Resource.objects.filter(pk__in=order))}
    return [by_id[pk] for pk in order if pk in by_id]


def view_track(user: Someone, track_id: int) -> TrackView:
    """The track with what this member has done of it (their progress)."""
    track = get_track(user, track_id)
    resources = track_resources(user, track)
    found = member(user)
    done_ids: set[int] = set()
    following = False
    if found is not None:
        done_ids = set(
            LibraryEntry.objects.filter(
                user=found, done_at__isnull=False, resource__in=[r.pk for r in resources]
            ).values_list("resource_id", flat=True)
        )
        following = TrackFollow.objects.filter(user=found, track=track).exists()
    return TrackView(track, resources, done_ids, following, can_curate(user, track.community))


def tracks(user: Someone, community: str = "") -> QuerySet[Track]:
    found = visible_tracks(user)
    if community:
        found = found.filter(community=get_community(user, community).community)
    published = Q(items__resource__status=ResourceStatus.APPROVED)
    return found.select_related("community").annotate(
        size=Count("items", filter=published, distinct=True)
    )


def followed_tracks(user: Someone) -> list[TrackView]:
    """The tracks the member follows with their progress: three queries for any number."""
    owner = signed_in_member(user)
    followed = list(visible_tracks(owner).filter(follows__user=owner).select_related("community"))
    visible = visible_resources(owner)
    items = TrackItem.objects.filter(track__in=followed, resource__in=visible).select_related(
        "resource"
    )
    done = set(
        LibraryEntry.objects.filter(user=owner, done_at__isnull=False).values_list(
            "resource_id", flat=True
        )
    )
    by_track: dict[int, list[Resource]] = {t.pk: [] for t in followed}
    for item in items:
        by_track[item.track_id].append(item.resource)
    return [
        TrackView(t, by_track[t.pk], {r.pk for r in by_track[t.pk]} & done, True, False)
        for t in followed
    ]


def create_track(
    user: Someone, *, title: str, description: str = "", community: str | None = None
) -> Track:
    curator = signed_in_member(user)
    home = get_community(curator, community).community if community else None
    if not can_curate(curator, home):
        raise PermissionDenied(_("Only operators and community owners curate tracks."))
    title = clean_text("title", single_line(str(title or "")), required=True, limit=MAX_TITLE)
    description = clean_text("description", description, required=False, limit=5000)
    return Track.objects.create(
        title=title,
        description=description,
        description_html=render_markdown(description),
        community=home,
        created_by=curator,
    )


def _curated(user: Someone, track_id: int) -> Track:
    track = get_track(user, track_id)
    if not can_curate(user, track.community):
        raise PermissionDenied(_("Only operators and community owners curate tracks."))
    return track


def edit_track(
    user: Someone, track_id: int, *, title: str | None = None, description: str | None = None
) -> Track:
    track = _curated(user, track_id)
    if title is not None:
        track.title = clean_text(
            "title", single_line(str(title or "")), required=True, limit=MAX_TITLE
        )
    if description is not None:
        track.description = clean_text("description", description, required=False, limit=5000)
        track.description_html = render_markdown(track.description)
    track.save()
    return track


def delete_track(user: Someone, track_id: int) -> None:
    _curated(user, track_id).delete()


def _same_scope(community_id: int | None) -> Q:
    """Resources that may appear beside content of this community (or of the platform) without
    telling its readers about a community they may not read."""
    if community_id is None:
        return Q(community__isnull=True)
    return Q(community__isnull=True) | Q(community_id=community_id)


def set_track_resources(user: Someone, track_id: int, resource_ids: Sequence[int]) -> Track:
    """Replace the track's resources with these, in this order. Each must be published and
    platform-wide or of the track's community, so a track never shows a private community's
    resource to outsiders."""
    track = _curated(user, track_id)
    wanted = list(dict.fromkeys(int(i) for i in resource_ids))
    if len(wanted) > MAX_TRACK_ITEMS:
        raise ValidationError(
            {"resources": [_("A track holds at most %(n)d resources.") % {"n": MAX_TRACK_ITEMS}]}
        )
    allowed = set(
        visible_resources(user)
        .filter(_same_scope(track.community_id), pk__in=wanted)
        .values_list("pk", flat=True)
    )
    refused = [pk for pk in wanted if pk not in allowed]
    if refused:
        raise ValidationError(
            {
                "resources": [
                    _("These cannot go in this track: %(ids)s.")
                    % {"ids": ", ".join(map(str, refused))}
                ]
            }
        )
    with transaction.atomic():
        TrackItem.objects.filter(track=track).delete()
        TrackItem.objects.bulk_create(
            [TrackItem(track=track, resource_id=pk, position=i) for i, pk in enumerate(wanted)]
        )
    return track


def _current_order(track: Track) -> list[int]:
    return list(TrackItem.objects.filter(track=track).values_list("resource_id", flat=True))


def add_to_track(user: Someone, track_id: int, resource_id: int) -> Track:
    order = _current_order(_curated(user, track_id))
    return set_track_resources(user, track_id, [*order, resource_id])


def remove_from_track(user: Someone, track_id: int, resource_id: int) -> Track:
    order = _current_order(_curated(user, track_id))
    return set_track_resources(user, track_id, [pk for pk in order if pk != resource_id])


def move_in_track(user: Someone, track_id: int, resource_id: int, step: int) -> Track:
    """Move one resource up (step -1) or down (+1) the track."""
    order = _current_order(_curated(user, track_id))
    if resource_id not in order:
        raise Http404
    i = order.index(resource_id)
    j = max(0, min(len(order) - 1, i + (1 if step > 0 else -1)))
    order[i], order[j] = order[j], order[i]
    return set_track_resources(user, track_id, order)


def curatable_resources(user: Someone, track: Track) -> QuerySet[Resource]:
    """What a curator may add to this track."""
    return (
        visible_resources(user)
        .filter(_same_scope(track.community_id))
        .exclude(pk__in=TrackItem.objects.filter(track=track).values("resource_id"))
        .order_by("title")
    )


def follow_track(user: Someone, track_id: int, follow: bool = True) -> bool:
    follower = signed_in_member(user)
    track = get_track(follower, track_id)
    if follow:
        TrackFollow.objects.get_or_create(track=track, user=follower)
    else:
        TrackFollow.objects.filter(track=track, user=follower).delete()
    return follow


# Resources of events and posts -----------------------------------------------------------------


def _attachable(user: Someone, resource_id: int, community_id: int | None) -> Resource:
    resource = visible_resources(user).filter(_same_scope(community_id), pk=resource_id).first()
    if resource is None:
        raise ValidationError(
            {
                "resource": [
                    _("Attach a published resource of the platform or of the same community.")
                ]
            }
        )
    return resource


def _organised_event(user: Someone, event_id: int) -> Event:
    from seedbed.events import services as events

    found = events.get_event(user or AnonymousUser(), event_id)
    if not found.is_organiser:
        raise PermissionDenied(_("Only the organisers can do this."))
    return found.event


def _editable_post(user: Someone, post_id: int) -> Post:
    post, found = get_post(user, post_id)
    if not found.can_edit(post):
        raise PermissionDenied(_("Only the author or a moderator can do this."))
    return post


def may_attach_to_event(user: Someone, event: Event) -> bool:
    from seedbed.events import services as events

    found = member(user)
    return found is not None and events.is_organiser(found, event)


def may_attach_to_post(user: Someone, post: Post) -> bool:
    from seedbed.communities.access import access_to

    return member(user) is not None and access_to(user, post.community).can_edit(post)


def attach_to_event(user: Someone, event_id: int, resource_id: int) -> EventResource:
    event = _organised_event(user, event_id)
    resource = _attachable(user, resource_id, event.community_id)
    link, _created = EventResource.objects.get_or_create(
        event=event, resource=resource, defaults={"added_by": member(user)}
    )
    return link


def detach_from_event(user: Someone, event_id: int, resource_id: int) -> None:
    event = _organised_event(user, event_id)
    EventResource.objects.filter(event=event, resource_id=resource_id).delete()


def attach_to_post(user: Someone, post_id: int, resource_id: int) -> PostResource:
    post = _editable_post(user, post_id)
    resource = _attachable(user, resource_id, post.community_id)
    link, _created = PostResource.objects.get_or_create(
        post=post, resource=resource, defaults={"added_by": member(user)}
    )
    return link


def detach_from_post(user: Someone, post_id: int, resource_id: int) -> None:
    post = _editable_post(user, post_id)
    PostResource.objects.filter(post=post, resource_id=resource_id).delete()


def resources_of_event(user: Someone, event_id: int) -> QuerySet[Resource]:
    """The resources attached to an event this user may see (404 for an event they may not)."""
    from seedbed.events import services as events

    event = events.get_event(user or AnonymousUser(), event_id).event
    return attached(user, event=event)


def resources_of_post(user: Someone, post_id: int) -> QuerySet[Resource]:
    post, _found = get_post(user, post_id)
    return attached(user, post=post)


def attached(
    user: Someone, *, event: Event | None = None, post: Post | None = None
) -> QuerySet[Resource]:
    """The visible resources attached to an event or a post the caller already may see."""
    if event is not None:
        linked = Q(event_links__event=event)
    elif post is not None:
        linked = Q(post_links__post=post)
    else:
        raise ValueError("attached() needs an event or a post")
    return (
        visible_resources(user)
        .filter(linked)
        .select_related("community", "author")
        .prefetch_related("topics", "sectors")
        .order_by("title", "id")
    )


def attachable_resources(user: Someone, community_id: int | None) -> QuerySet[Resource]:
    return visible_resources(user).filter(_same_scope(community_id)).order_by("title")
