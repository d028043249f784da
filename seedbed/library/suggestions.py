"""Resources suggested to a member, each with its reason: content-based (their interests and
skills, their projects' sectors and needs) plus co-usage (what members who found the same
resources useful also found useful: done, or rated 4 stars or more). Counting in a few bounded
queries, so the page can ask on the request path without running a model; only resources the
member may see are ever candidates."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from seedbed.accounts.models import User
from seedbed.communities.access import Someone, member
from seedbed.library.access import visible_resources
from seedbed.library.models import LibraryEntry, Rating, Resource, ResourceKind
from seedbed.matching.models import Project

MAX_SUGGESTIONS = 20
MAX_NEIGHBOURS = 200
MAX_CANDIDATES = 300
WEIGHT_INTEREST = 1.0
WEIGHT_PROJECT = 1.2
WEIGHT_SIMILAR = 0.8

#: The topics (either language) that serve a project's open needs.
NEED_TOPICS = {
    "needs_funding": ("fundraising", "融资", "venture capital", "风险投资"),
    "needs_talent": ("hiring", "招聘", "team building", "团队管理"),
    "needs_mentoring": ("product management", "产品管理", "business model", "商业模式"),
}
FUNDING_KINDS = (ResourceKind.TEMPLATE,)


@dataclass(frozen=True)
class Suggestion:
    resource: Resource
    reason: str
    score: float


def _useful_to(members: Q) -> Q:
    return Q(done_at__isnull=False) & members


def _used_by(user: User) -> set[int]:
    done = LibraryEntry.objects.filter(user=user).values_list("resource_id", flat=True)
    rated = Rating.objects.filter(user=user).values_list("resource_id", flat=True)
    return set(done) | set(rated)


def _liked_by(user: User) -> set[int]:
    done = LibraryEntry.objects.filter(user=user, done_at__isnull=False).values_list(
        "resource_id", flat=True
    )
    rated = Rating.objects.filter(user=user, stars__gte=4).values_list("resource_id", flat=True)
    return set(done) | set(rated)


def _co_usage(user: User, liked: set[int]) -> Counter[int]:
    """For each resource, how many members who liked one of ``liked`` liked it too."""
    if not liked:
        return Counter()
    neighbours = set(
        LibraryEntry.objects.filter(resource__in=liked, done_at__isnull=False)
        .exclude(user=user)
        .values_list("user_id", flat=True)[:MAX_NEIGHBOURS]
    ) | set(
        Rating.objects.filter(resource__in=liked, stars__gte=4)
        .exclude(user=user)
        .values_list("user_id", flat=True)[:MAX_NEIGHBOURS]
    )
    pairs = set(
        LibraryEntry.objects.filter(user__in=neighbours, done_at__isnull=False).values_list(
            "user_id", "resource_id"
        )
    ) | set(
        Rating.objects.filter(user__in=neighbours, stars__gte=4).values_list(
            "user_id", "resource_id"
        )
    )
    return Counter(resource for _user, resource in pairs)


def suggestions_for(user: Someone, limit: int = 10) -> list[Suggestion]:
    """Up to ``limit`` resources for this member, best first, each with the strongest of its
    reasons. Visitors get none (nothing is known about them)."""
    found = member(user)
    if found is None:
        return []
    limit = max(1, min(int(limit), MAX_SUGGESTIONS))
    interests = {t.name for t in found.interests.all()} | {t.name for t in found.skills.all()}
    projects = list(Project.objects.filter(team=found).prefetch_related("sectors", "topics_sought"))
    project_sectors: dict[int, Project] = {}
    need_topics: dict[str, Project] = {}
    for project in projects:
        for sector in project.sectors.all():
            project_sectors.setdefault(sector.pk, project)
        for topic in project.topics_sought.all():
            need_topics.setdefault(topic.name, project)
        for need, names in NEED_TOPICS.items():
            if getattr(project, need):
                for name in names:
                    need_topics.setdefault(name, project)
    used = _used_by(found)
    co = _co_usage(found, _liked_by(found))

    relevant = (
        Q(topics__name__in=interests | set(need_topics))
        | Q(sectors__in=list(project_sectors))
        | Q(pk__in=[pk for pk, _n in co.most_common(MAX_CANDIDATES)])
    )
    candidates = (
        visible_resources(found)
        .filter(relevant)
        .exclude(pk__in=used)
        .exclude(author=found)
        .distinct()
        .prefetch_related("topics", "sectors")
        .select_related("community")
        .order_by("-rating_count", "-id")[:MAX_CANDIDATES]
    )
    scored: list[Suggestion] = []
    for resource in candidates:
        reasons: dict[str, float] = defaultdict(float)
        topics = [t.name for t in resource.topics.all()]
        for name in topics:
            if name in interests:
                reasons[_("Matches your interest in %(term)s.") % {"term": name}] += WEIGHT_INTEREST
            if name in need_topics:
                project = need_topics[name]
                reasons[
                    _("Useful for %(project)s, which needs %(term)s.")
                    % {"project": project.name, "term": name}
                ] += WEIGHT_PROJECT
        for sector in resource.sectors.all():
            if sector.pk in project_sectors:
                project = project_sectors[sector.pk]
                reasons[
                    _("About %(term)s, the sector of %(project)s.")
                    % {"term": sector.label, "project": project.name}
                ] += WEIGHT_PROJECT
        if co[resource.pk]:
            reasons[
                ngettext(
                    "%(count)d member who found the same resources useful found this useful too.",
                    "%(count)d members who found the same resources useful found this useful too.",
                    co[resource.pk],
                )
                % {"count": co[resource.pk]}
            ] += WEIGHT_SIMILAR * co[resource.pk]
        if not reasons:
            continue
        best = max(reasons.items(), key=lambda kv: kv[1])
        rating = (resource.average_rating or 0) / 10
        scored.append(Suggestion(resource, best[0], sum(reasons.values()) + rating))
    scored.sort(key=lambda s: (-s.score, -s.resource.pk))
    return scored[:limit]
