"""Sentiment of posts and replies: scoring them into ``ContentSentiment`` (a background task),
the alert when a community's day turns negative, and what the sentiment page reads.

Scoring is incremental: a post or reply is scored when it has no row yet or was edited after
its row was written, so a run after a burst of posts costs one pass over the new ones only,
and a second run finds nothing to do."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from seedbed.accounts.models import User
from seedbed.communities.access import readable_communities
from seedbed.communities.models import Community, ContentStatus, Membership, Post, Reply, Role
from seedbed.engine import sentiment as engine
from seedbed.insights.alerts import NEGATIVE_SENTIMENT
from seedbed.insights.models import ContentKind, ContentSentiment, SentimentLabel, StoredAnalysis
from seedbed.notifications.services import notify

BATCH = 500
#: The alert: at least this share of a day's posts and replies negative ...
ALERT_SHARE = 0.4
#: ... out of at least this many that day (two sour posts out of three are not a mood).
ALERT_MIN_POSTS = 5
ALERT_KIND = "sentiment_alert"
TREND_WEEKS = 12
MOST_NEGATIVE = 10
RECENT = timedelta(days=30)


# Scoring ---------------------------------------------------------------------------------------


def _unscored(model: type[Post] | type[Reply], kind: str) -> QuerySet[Any]:
    rows = ContentSentiment.objects.filter(kind=kind, object_id=OuterRef("pk"))
    stale = rows.filter(scored_at__lt=OuterRef("edited_at"))
    return model.objects.filter(~Exists(rows) | Exists(stale)).order_by("pk")


def _score(kind: str, items: list[tuple[int, int, int | None, datetime, str]]) -> int:
    """Score (id, community, author, written, text) rows and upsert them, in one insert."""
    if not items:
        return 0
    started = timezone.now()
    results = engine.analyse([text for *_rest, text in items])
    rows = [
        ContentSentiment(
            kind=kind,
            object_id=pk,
            community_id=community,
            author_id=author,
            language=found.language,
            score=found.score,
            label=found.label,
            written_at=written,
        )
        for (pk, community, author, written, _text), found in zip(items, results, strict=True)
    ]
    with transaction.atomic():
        ContentSentiment.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=["community", "author", "language", "score", "label", "written_at"],
        )
        # The time the texts were read, not written: an edit saved meanwhile is scored next run.
        ContentSentiment.objects.filter(kind=kind, object_id__in=[r[0] for r in items]).update(
            scored_at=started
        )
    return len(rows)


def score_new_content(batch: int = BATCH) -> int:
    """Score every post and reply not scored yet or edited since, ``batch`` at a time; drop
    the rows of content deleted since. Returns how many were scored."""
    done = 0
    while True:
        posts = list(
            _unscored(Post, ContentKind.POST).values_list(
                "pk", "community_id", "author_id", "created_at", "title", "body"
            )[:batch]
        )
        done += _score(
            ContentKind.POST,
            [(p, c, a, w, f"{title}\n{body}") for p, c, a, w, title, body in posts],
        )
        if len(posts) < batch:
            break
    while True:
        replies = list(
            _unscored(Reply, ContentKind.REPLY).values_list(
                "pk", "post__community_id", "author_id", "created_at", "body"
            )[:batch]
        )
        done += _score(ContentKind.REPLY, replies)
        if len(replies) < batch:
            break
    ContentSentiment.objects.filter(
        kind=ContentKind.POST, object_id__in=_gone(Post, ContentKind.POST)
    ).delete()
    ContentSentiment.objects.filter(
        kind=ContentKind.REPLY, object_id__in=_gone(Reply, ContentKind.REPLY)
    ).delete()
    return done


def _gone(model: type[Post] | type[Reply], kind: str) -> QuerySet[Any]:
    exists = model.objects.filter(pk=OuterRef("object_id"))
    return ContentSentiment.objects.filter(kind=kind).filter(~Exists(exists)).values("object_id")


# The alert -------------------------------------------------------------------------------------


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return start, start + timedelta(days=1)


def alert_on_negative_days(now: datetime | None = None) -> list[int]:
    """Tell the moderators and owners of each community whose day so far passes the threshold
    (and the operators), once per community and day. Returns the communities alerted."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    start, end = _day_bounds(day)
    figures = (
        ContentSentiment.objects.filter(written_at__gte=start, written_at__lt=end)
        .values("community_id")
        .annotate(n=Count("pk"), negative=Count("pk", filter=Q(label=SentimentLabel.NEGATIVE)))
        .filter(n__gte=ALERT_MIN_POSTS)
        .order_by("community_id")
    )
    alerted = []
    for row in figures:
        share = row["negative"] / row["n"]
        if share >= ALERT_SHARE and _claim_alert(row["community_id"], day, share, row["n"]):
            alerted.append(row["community_id"])
    return alerted


def _claim_alert(community_id: int, day: date, share: float, n: int) -> bool:
    """Record today's alert for the community and notify, unless it was already sent today:
    the stored row is locked first, so two concurrent runs cannot both send it."""
    with transaction.atomic():
        stored, _created = StoredAnalysis.objects.get_or_create(
            kind=ALERT_KIND,
            community_id=community_id,
            defaults={"payload": {}, "computed_at": timezone.now()},
        )
        stored = StoredAnalysis.objects.select_for_update().get(pk=stored.pk)
        if stored.payload.get("day") == day.isoformat():
            return False
        stored.payload = {"day": day.isoformat(), "share": round(share, 3), "posts": n}
        stored.computed_at = timezone.now()
        stored.save(update_fields=["payload", "computed_at"])
        community = Community.objects.get(pk=community_id)
        moderators = Membership.objects.filter(
            community=community, role__in=[Role.OWNER, Role.MODERATOR], user__is_active=True
        ).values_list("user_id", flat=True)
        operators = User.objects.filter(is_staff=True, is_active=True).values_list("pk", flat=True)
        notify({*moderators, *operators}, NEGATIVE_SENTIMENT, community=community)
    return True


# What the page reads ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    week: date
    total: int
    negative: int
    positive: int

    @property
    def negative_share(self) -> float:
        return self.negative / self.total if self.total else 0.0

    @property
    def positive_share(self) -> float:
        return self.positive / self.total if self.total else 0.0


def _scoped(community: Community | None) -> QuerySet[ContentSentiment]:
    rows = ContentSentiment.objects.all()
    return rows if community is None else rows.filter(community=community)


def _this_week(now: datetime) -> date:
    today = timezone.localdate(now)
    return today - timedelta(days=today.weekday())


def weekly_trend(
    community: Community | None, now: datetime | None = None, weeks: int = TREND_WEEKS
) -> list[Week]:
    """The last ``weeks`` weeks (this one included), zero-filled, in one query."""
    this_week = _this_week(now or timezone.now())
    first = this_week - timedelta(weeks=weeks - 1)
    start, _end = _day_bounds(first)
    rows = (
        _scoped(community)
        .filter(written_at__gte=start)
        .annotate(week=TruncWeek("written_at"))
        .values("week")
        .annotate(
            n=Count("pk"),
            negative=Count("pk", filter=Q(label=SentimentLabel.NEGATIVE)),
            positive=Count("pk", filter=Q(label=SentimentLabel.POSITIVE)),
        )
        .order_by()
    )
    found: dict[date, Week] = {}
    for row in rows:
        week = row["week"]
        day = timezone.localtime(week).date() if isinstance(week, datetime) else week
        found[day] = Week(day, row["n"], row["negative"], row["positive"])
    return [
        found.get(first + timedelta(weeks=i), Week(first + timedelta(weeks=i), 0, 0, 0))
        for i in range(weeks)
    ]


@dataclass(frozen=True)
class CommunityMood:
    community: Community
    total: int
    negative: int

    @property
    def negative_share(self) -> float:
        return self.negative / self.total if self.total else 0.0


def moods_by_community(now: datetime | None = None, days: int = 28) -> list[CommunityMood]:
    """Platform-wide: each community's share of negative posts over the last ``days`` days,
    most negative first (one query)."""
    since = (now or timezone.now()) - timedelta(days=days)
    rows = (
        ContentSentiment.objects.filter(written_at__gte=since)
        .values("community_id")
        .annotate(n=Count("pk"), negative=Count("pk", filter=Q(label=SentimentLabel.NEGATIVE)))
        .order_by()
    )
    figures = {row["community_id"]: row for row in rows}
    communities = Community.objects.filter(pk__in=figures).only("pk", "name", "slug")
    moods = [CommunityMood(c, figures[c.pk]["n"], figures[c.pk]["negative"]) for c in communities]
    return sorted(moods, key=lambda m: (-m.negative_share, -m.total, m.community.name))


@dataclass(frozen=True)
class NegativeItem:
    kind: str
    score: float
    written_at: datetime
    post: Post
    reply: Reply | None
    community: Community
    author: User | None

    @property
    def excerpt(self) -> str:
        text = self.reply.body if self.reply is not None else self.post.body
        return text if len(text) <= 200 else text[:199] + "…"


def most_negative(
    community: Community | None,
    viewer: User,
    now: datetime | None = None,
    limit: int = MOST_NEGATIVE,
) -> list[NegativeItem]:
    """The most negative visible posts and replies of the last 30 days that ``viewer`` may
    read (private means private: an operator who is not a member of a private community sees
    its trend, never its text). Three queries whatever the data."""
    since = (now or timezone.now()) - RECENT
    visible = ContentStatus.VISIBLE
    post_ok = Exists(Post.objects.filter(pk=OuterRef("object_id"), status=visible))
    reply_ok = Exists(
        Reply.objects.filter(pk=OuterRef("object_id"), status=visible, post__status=visible)
    )
    rows = list(
        _scoped(community)
        .alias(post_ok=post_ok, reply_ok=reply_ok)
        .filter(
            Q(kind=ContentKind.POST, post_ok=True) | Q(kind=ContentKind.REPLY, reply_ok=True),
            label=SentimentLabel.NEGATIVE,
            written_at__gte=since,
            community__in=readable_communities(viewer),
        )
        .order_by("score", "-written_at", "pk")[:limit]
    )
    post_ids = [r.object_id for r in rows if r.kind == ContentKind.POST]
    reply_ids = [r.object_id for r in rows if r.kind == ContentKind.REPLY]
    replies = Reply.objects.select_related("post__community", "author").in_bulk(reply_ids)
    posts = Post.objects.select_related("community", "author").in_bulk(post_ids)
    items = []
    for row in rows:
        reply = replies.get(row.object_id) if row.kind == ContentKind.REPLY else None
        post = reply.post if reply is not None else posts.get(row.object_id)
        if post is None:
            continue
        author = reply.author if reply is not None else post.author
        items.append(
            NegativeItem(row.kind, row.score, row.written_at, post, reply, post.community, author)
        )
    return items


def last_alert(community: Community | None) -> dict[str, Any] | None:
    if community is None:
        return None
    stored = StoredAnalysis.objects.filter(kind=ALERT_KIND, community=community).first()
    return stored.payload if stored is not None and stored.payload else None


def share_by_week(weeks: list[Week]) -> dict[str, list[float]]:
    """Negative and positive shares in percent, for the chart."""
    shares: dict[str, list[float]] = defaultdict(list)
    for week in weeks:
        shares["negative"].append(round(100 * week.negative_share, 1))
        shares["positive"].append(round(100 * week.positive_share, 1))
    return dict(shares)
