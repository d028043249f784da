"""The activity side of Insights: what its pages read (each an indexed read of the stored
results, a fixed number of queries), the "reach out" action, the pseudonymised export and the
weekly operator report. Who may see a scope is decided once, by ``access.insights_scope``; the
functions here take the scope it returned."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from seedbed.accounts.access import is_operator
from seedbed.accounts.models import MemberRole, User
from seedbed.communities.models import Community
from seedbed.core.pages import absolute_url
from seedbed.core.ratelimit import hit
from seedbed.insights.adapter import WEIGHTS
from seedbed.insights.models import (
    ContentSentiment,
    DailyStats,
    Level,
    MemberEngagement,
    ReachOut,
    ReportSent,
    SentimentLabel,
)
from seedbed.insights.notifications import REACH_OUT, REACH_OUT_PLATFORM
from seedbed.notifications.services import language_of, notify

Scope = Community | None

#: Members with at least this churn risk are on the at-risk list.
RISK_THRESHOLD = 0.5
#: One reach-out per member and scope in this many days; and per sender, (count, seconds).
REACH_OUT_EVERY_DAYS = 7
REACH_OUT_LIMITS = [(10, 60), (50, 86_400)]
#: Export: a cohort (community and month joined) smaller than this is not named.
MIN_COHORT = 5
RANK = {"dormant": 0, "at_risk": 1, "casual": 2, "new": 2, "active": 3, "core": 4}
#: The engine's level thresholds (ActivityModel's defaults), for "what would move it".
ACTIVE_SCORE, CORE_SCORE = 5.0, 20.0


def in_scope(scope: Scope) -> Q:
    return Q(community=scope) if scope is not None else Q(community__isnull=True)


# The date range ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Inclusive days ``start``..``end`` and the period of the same length just before."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> Period:
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


# Overview --------------------------------------------------------------------------------------


@dataclass
class Totals:
    """A period's figures from its daily rows."""

    days: list[DailyStats]

    def sum(self, name: str) -> int:
        return sum(getattr(d, name) for d in self.days)

    def last(self, name: str) -> int:
        return getattr(self.days[-1], name) if self.days else 0

    def mean(self, name: str) -> float | None:
        return sum(getattr(d, name) for d in self.days) / len(self.days) if self.days else None

    @property
    def response_hours(self) -> float | None:
        answered = self.sum("answered_posts")
        return sum(d.response_hours for d in self.days) / answered if answered else None

    @property
    def attendance_rate(self) -> float | None:
        confirmed = self.sum("confirmed")
        return self.sum("attended") / confirmed if confirmed else None

    def figures(self) -> dict[str, float | None]:
        return {
            "members": self.last("members"),
            "new_members": self.sum("new_members"),
            "daily_active": self.mean("active_members"),
            "weekly_active": self.last("active_7d"),
            "monthly_active": self.last("active_30d"),
            "posts": self.sum("posts"),
            "replies": self.sum("replies"),
            "response_hours": self.response_hours,
            "events": self.sum("events"),
            "rsvps": self.sum("rsvps"),
            "attendance_rate": self.attendance_rate,
        }


@dataclass
class Figure:
    name: str
    label: str
    value: float | None
    before: float | None
    kind: str = "count"  # count, mean, hours or rate

    @property
    def change(self) -> float | None:
        """Relative change; for a rate, the difference in percentage points (a share of a
        share would mislead)."""
        if self.value is None or self.before is None:
            return None
        if self.kind == "rate":
            return self.value - self.before
        return (self.value - self.before) / self.before if self.before else None


@dataclass
class Overview:
    period: Period
    days: list[DailyStats]
    figures: list[Figure]
    levels: list[tuple[str, str, int]]
    funnel: list[tuple[str, int]]
    computed_at: datetime | None
    moved_up: int = 0
    slipped: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


FIGURE_LABELS = {
    "members": lambda: _("Members"),
    "new_members": lambda: _("New members"),
    "daily_active": lambda: _("Active members a day (mean)"),
    "weekly_active": lambda: _("Active in the last 7 days"),
    "monthly_active": lambda: _("Active in the last 30 days"),
    "posts": lambda: _("Posts"),
    "replies": lambda: _("Replies"),
    "response_hours": lambda: _("Hours to a first reply (mean)"),
    "events": lambda: _("Events"),
    "rsvps": lambda: _("RSVPs"),
    "attendance_rate": lambda: _("Attendance (checked in of confirmed)"),
}
FIGURE_KINDS = {"daily_active": "mean", "response_hours": "hours", "attendance_rate": "rate"}


def overview(scope: Scope, period: Period) -> Overview:
    """Three queries: the daily rows of the period and the one before, the level counts with
    the movers, the funnel."""
    rows = list(
        DailyStats.objects.filter(
            in_scope(scope), day__gte=period.previous.start, day__lte=period.end
        ).order_by("day")
    )
    now = [d for d in rows if d.day in period]
    before = [d for d in rows if d.day in period.previous]
    current, earlier = Totals(now).figures(), Totals(before).figures()
    figures = [
        Figure(
            name,
            FIGURE_LABELS[name](),
            current[name],
            earlier[name] if before else None,
            FIGURE_KINDS.get(name, "count"),
        )
        for name in current
    ]
    engagement = MemberEngagement.objects.filter(in_scope(scope))
    counts = {
        (row["level"], row["previous_level"]): row["n"]
        for row in engagement.values("level", "previous_level").annotate(n=Count("id"))
    }
    by_level: Counter[str] = Counter()
    moved_up = slipped = 0
    for (level, previous), n in counts.items():
        by_level[level] += n
        moved_up += n if RANK[level] > RANK[previous] else 0
        slipped += n if RANK[level] < RANK[previous] else 0
    funnel = engagement.aggregate(
        joined=Count("id"),
        posted=Count("id", filter=Q(posts__gt=0)),
        replied=Count("id", filter=Q(posts__gt=0, replies__gt=0)),
        attended=Count("id", filter=Q(posts__gt=0, replies__gt=0, events_attended__gt=0)),
        computed_at=Max("computed_at"),
    )
    return Overview(
        period=period,
        days=now,
        figures=figures,
        levels=[(value, str(label), by_level[value]) for value, label in Level.choices],
        funnel=[
            (_("Joined"), funnel["joined"]),
            (_("Posted"), funnel["posted"]),
            (_("Also replied"), funnel["replied"]),
            (_("Also attended an event"), funnel["attended"]),
        ],
        computed_at=funnel["computed_at"],
        moved_up=moved_up,
        slipped=slipped,
    )


# Members by engagement level --------------------------------------------------------------------


def engagement_rows(
    scope: Scope,
    *,
    level: str = "",
    community: Community | None = None,
    role: str = "",
    at_risk: bool = False,
) -> QuerySet[MemberEngagement]:
    """The stored engagement of a scope's members, filtered; the platform-wide scope may look
    at one community's rows instead. Ordered for the page (score, or risk on the risk list)."""
    rows = MemberEngagement.objects.filter(
        in_scope(community if scope is None and community is not None else scope)
    )
    if level:
        rows = rows.filter(level=level)
    if role:
        rows = rows.filter(Exists(MemberRole.objects.filter(user=OuterRef("member"), role=role)))
    if at_risk:
        last = ReachOut.objects.filter(
            member=OuterRef("member"), community=OuterRef("community")
        ).order_by("-sent_at")
        rows = (
            rows.filter(churn_risk__gte=RISK_THRESHOLD)
            .annotate(reached_at=Subquery(last.values("sent_at")[:1]))
            .order_by("-churn_risk", "member_id")
        )
    else:
        rows = rows.order_by("-score", "member_id")
    return rows.select_related("member", "community")


def reasons_in_words(reasons: Iterable[dict[str, Any]]) -> list[str]:
    """A member's stored churn reasons (feature codes with their values) as sentences in the
    active language."""
    out = []
    for reason in reasons:
        n = int(reason.get("value", 0))
        code = reason.get("code")
        if code == "days_since_last_action":
            text = ngettext("No action for %(n)d day.", "No action for %(n)d days.", n)
        elif code == "actions_last_30_days":
            text = ngettext(
                "Only %(n)d action in the last 30 days.",
                "Only %(n)d actions in the last 30 days.",
                n,
            )
        elif code == "actions_last_90_days":
            text = ngettext(
                "Only %(n)d action in the last 90 days.",
                "Only %(n)d actions in the last 90 days.",
                n,
            )
        elif code == "trend":
            out.append(
                _("Fewer actions this month (%(now)d) than the month before (%(before)d).")
                % {"now": n, "before": int(reason.get("before", 0))}
            )
            continue
        elif code == "replies_received_90_days":
            text = ngettext(
                "Few replies to what they write: %(n)d in 90 days.",
                "Few replies to what they write: %(n)d in 90 days.",
                n,
            )
        elif code == "events_attended_90_days":
            text = ngettext(
                "Few events attended: %(n)d in 90 days.",
                "Few events attended: %(n)d in 90 days.",
                n,
            )
        elif code == "partners_90_days":
            text = ngettext(
                "Few people they interact with: %(n)d in 90 days.",
                "Few people they interact with: %(n)d in 90 days.",
                n,
            )
        else:
            continue
        out.append(text % {"n": n})
    return out


# Reach out ---------------------------------------------------------------------------------------


def reach_out(sender: User, scope: Scope, member_id: int, now: datetime | None = None) -> ReachOut:
    """Send one member of the scope the "we miss you" message: an in-app notification and an
    e-mail in the member's language, recorded in the reach-out log. Refused (ValidationError)
    when the member heard from this scope in the last week; rate-limited per sender; a member
    who is not in the scope answers 404."""
    now = now or timezone.now()
    row = (
        MemberEngagement.objects.filter(
            in_scope(scope), member_id=member_id, member__is_active=True
        )
        .select_related("member")
        .first()
    )
    if row is None:
        raise Http404
    member = row.member
    recent = ReachOut.objects.filter(
        in_scope(scope), member=member, sent_at__gt=now - timedelta(days=REACH_OUT_EVERY_DAYS)
    )
    if recent.exists():
        raise ValidationError(
            _("%(name)s heard from you in the last %(days)d days: give them time to answer.")
            % {"name": member.display_name, "days": REACH_OUT_EVERY_DAYS}
        )
    hit(f"insights-reach-out:{sender.pk}", REACH_OUT_LIMITS)
    language = language_of(member)
    kind = REACH_OUT if scope is not None else REACH_OUT_PLATFORM
    with translation.override(language):
        subject, body = reach_out_mail(sender, member, scope)
    with transaction.atomic():
        record = ReachOut.objects.create(
            sender=sender, member=member, community=scope, language=language, sent_at=now
        )
        notify([member], kind, actor=sender, community=scope)
        transaction.on_commit(lambda: send_mail(subject, body, None, [member.email]))
    return record


def reach_out_mail(sender: User, member: User, scope: Scope) -> tuple[str, str]:
    """The e-mail, in the active language."""
    if scope is not None:
        subject = _("%(community)s misses you") % {"community": scope.name}
        link = absolute_url(reverse("communities:detail", args=[scope.slug]))
    else:
        subject = _("Seedbed misses you")
        link = absolute_url(reverse("communities:feed"))
    body = render_to_string(
        "insights/email/reach_out.txt",
        {"sender": sender, "member": member, "community": scope, "link": link},
    )
    return subject, body


# My activity ------------------------------------------------------------------------------------


@dataclass
class MyActivity:
    platform: MemberEngagement | None
    communities: list[MemberEngagement]
    next_level: str | None
    points_to_next: float | None
    weights: list[tuple[str, float]]


def my_activity(user: User) -> MyActivity:
    """The member's own stored engagement, platform-wide and per community, and how far the
    next level is. Reads only the member's own rows."""
    rows = list(
        MemberEngagement.objects.filter(member=user)
        .select_related("community")
        .order_by("community__name")
    )
    platform = next((r for r in rows if r.community_id is None), None)
    next_level, points = None, None
    if platform is not None:
        if platform.score < ACTIVE_SCORE:
            next_level, points = str(Level.ACTIVE.label), ACTIVE_SCORE - platform.score
        elif platform.score < CORE_SCORE:
            next_level, points = str(Level.CORE.label), CORE_SCORE - platform.score
    names = {
        "post": _("a post"),
        "reply": _("a reply"),
        "attend": _("checking in at an event"),
        "intro": _("asking for an intro"),
        "rsvp": _("an RSVP"),
        "join": _("joining a community"),
        "reaction": _("a reaction"),
    }
    weights = sorted(((names[k], w) for k, w in WEIGHTS.items()), key=lambda kw: -kw[1])
    return MyActivity(
        platform, [r for r in rows if r.community_id is not None], next_level, points, weights
    )


# Export -----------------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def pseudonym(user_id: int) -> str:
    """A stable id for a member in exports, keyed with SECRET_KEY: the same member has the same
    id in every export, and without the key nobody can tell whose it is."""
    key = hashlib.sha256(f"seedbed-insights-export:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()[:16]


def safe_cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


EXPORT_HEADER = [
    "member",
    "community",
    "cohort",
    "level",
    "previous_level",
    "score",
    "churn_risk",
    "reasons",
    "actions_30d",
    "posts",
    "replies",
    "events_attended",
]


def export_csv(scope: Scope) -> str:
    """The scope's engagement rows as CSV: members by pseudonym only (no names, no addresses,
    no profile fields), the month they joined as a cohort unless fewer than ``MIN_COHORT``
    members share it (then ``suppressed``). One query."""
    rows = list(
        MemberEngagement.objects.filter(in_scope(scope))
        .select_related("community")
        .order_by("member_id")
        .only(*EXPORT_FIELDS, "community__name")
    )
    cohorts = Counter(_cohort(r) for r in rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADER)
    for r in rows:
        cohort = _cohort(r)
        writer.writerow(
            [
                safe_cell(cell)
                for cell in (
                    pseudonym(r.member_id),
                    r.community.name if r.community is not None else "",
                    cohort if cohort and cohorts[cohort] >= MIN_COHORT else "suppressed",
                    r.level,
                    r.previous_level,
                    r.score,
                    "" if r.churn_risk is None else r.churn_risk,
                    " ".join(str(reason.get("code", "")) for reason in r.reasons),
                    r.actions_30d,
                    r.posts,
                    r.replies,
                    r.events_attended,
                )
            ]
        )
    return out.getvalue()


EXPORT_FIELDS = (
    "member_id",
    "community_id",
    "joined_at",
    "level",
    "previous_level",
    "score",
    "churn_risk",
    "reasons",
    "actions_30d",
    "posts",
    "replies",
    "events_attended",
)


def _cohort(row: MemberEngagement) -> str:
    return row.joined_at.strftime("%Y-%m") if row.joined_at else ""


# The weekly operator report -----------------------------------------------------------------------

REPORT_MOVERS = 10


def week_of(moment: datetime) -> date:
    """The Monday of the moment's week (in the site's time zone)."""
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


def weekly_report(now: datetime) -> dict[str, Any]:
    """What every operator's report says this week, platform-wide: movers up and down, the
    members most at risk, and the mood of the week's posts and replies beside the week before.
    Names are in it: it goes to operators only."""
    rows = MemberEngagement.objects.filter(community__isnull=True).select_related("member")
    changed = list(rows.exclude(level=F("previous_level")))
    up = [r for r in changed if RANK[r.level] > RANK[r.previous_level]]
    down = [r for r in changed if RANK[r.level] < RANK[r.previous_level]]
    up.sort(key=lambda r: -r.score)
    down.sort(key=lambda r: r.score)
    riskiest = rows.filter(churn_risk__gte=RISK_THRESHOLD).order_by("-churn_risk")
    week = Q(written_at__gt=now - timedelta(days=7))
    negative = Q(label=SentimentLabel.NEGATIVE)
    mood = ContentSentiment.objects.filter(
        written_at__gt=now - timedelta(days=14), written_at__lte=now
    ).aggregate(
        n=Count("id", filter=week),
        mean=Avg("score", filter=week),
        negative=Count("id", filter=week & negative),
        n_before=Count("id", filter=~week),
        mean_before=Avg("score", filter=~week),
        negative_before=Count("id", filter=~week & negative),
    )
    return {
        "moved_up": up[:REPORT_MOVERS],
        "slipped": down[:REPORT_MOVERS],
        "moved_up_count": len(up),
        "slipped_count": len(down),
        "at_risk": list(riskiest[:REPORT_MOVERS]),
        "mood": mood,
    }


def operators() -> QuerySet[User]:
    return User.objects.filter(is_active=True, is_staff=True).order_by("pk")


def send_weekly_report(operator: User, report: dict[str, Any], now: datetime) -> bool:
    """Claim this operator's week, then queue the mail on commit; False when the week was
    already claimed (a second run, a second worker), so each operator gets one a week."""
    if not is_operator(operator):
        return False
    week = week_of(now)
    with translation.override(language_of(operator)):
        subject = _("Seedbed Insights: the week of %(week)s") % {"week": week.isoformat()}
        context = {
            **report,
            "operator": operator,
            "week": week,
            "insights_url": absolute_url(reverse("insights:platform:overview")),
            "at_risk_url": absolute_url(reverse("insights:platform:at_risk")),
            "at_risk_reasons": [(r, reasons_in_words(r.reasons)) for r in report["at_risk"]],
        }
        body = render_to_string("insights/email/weekly_report.txt", context)
    try:
        with transaction.atomic():
            ReportSent.objects.create(operator=operator, week=week, sent_at=now)
            transaction.on_commit(lambda: send_mail(subject, body, None, [operator.email]))
    except IntegrityError:
        return False
    return True


#: Daily rows a chart shows one by one; longer ranges are shown a week a point.
CHART_DAYS = 92
_LAST = ("members", "active_7d", "active_30d")
_MEAN = ("active_members", "returning_members")


def chart_points(days: list[DailyStats]) -> list[dict[str, Any]]:
    """The daily rows as chart points: one per day up to ``CHART_DAYS`` days, else one per
    week (counts summed, daily active members averaged, weekly and monthly ones as of the
    week's last day), so a year is 53 points, not 365."""
    size = 1 if len(days) <= CHART_DAYS else 7
    names = [
        f.name for f in DailyStats._meta.concrete_fields if f.name not in ("id", "community", "day")
    ]
    points = []
    for i in range(0, len(days), size):
        group = days[i : i + size]
        point: dict[str, Any] = {"day": group[0].day}
        for name in names:
            values = [getattr(d, name) for d in group]
            if name in _LAST:
                point[name] = values[-1]
            elif name in _MEAN:
                point[name] = round(sum(values) / len(values), 1)
            else:
                point[name] = sum(values)
        points.append(point)
    return points
