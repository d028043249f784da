"""What the activity Insights pages show: the period beside the one before, charts that are
also tables and load nothing from elsewhere, the members filters, and a clear 400 for bad
input."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from seedbed.accounts.models import MemberRole
from seedbed.communities.models import Role
from seedbed.insights.models import DailyStats, MemberEngagement
from seedbed.insights.tasks import refresh_insights
from tests.factories import MemberFactory
from tests.insights.test_activity_refresh import busy_community, community, join


@pytest.fixture
def operator(db) -> Client:
    client = Client()
    client.force_login(MemberFactory(is_staff=True))
    return client


def daily(place, days_ago: int, **figures) -> DailyStats:
    return DailyStats.objects.create(
        community=place, day=timezone.localdate() - timedelta(days=days_ago), **figures
    )


def test_the_overview_sets_the_period_beside_the_one_before(operator):
    place = community("Counted")
    for ago in range(7):
        daily(place, ago, posts=2, active_7d=10, answered_posts=1, response_hours=4.0)
    for ago in range(7, 14):
        daily(place, ago, posts=1, active_7d=5, answered_posts=1, response_hours=2.0)
    DailyStats.objects.filter(day=timezone.localdate()).update(confirmed=10, attended=8)
    DailyStats.objects.filter(day=timezone.localdate() - timedelta(days=8)).update(
        confirmed=10, attended=5
    )
    daily(place, 20, posts=100)  # outside both periods
    url = reverse("insights:community:overview", args=[place.slug]) + "?range=7"
    text = operator.get(url).content.decode()
    row = re.search(r"<th scope=\"row\">Posts</th>(.*?)</tr>", text, re.S).group(1)
    assert re.findall(r">([^<]+)</td>", row) == ["14", "7", "+100%"]
    row = re.search(r"<th scope=\"row\">Active in the last 7 days</th>(.*?)</tr>", text, re.S)
    assert re.findall(r">([^<]+)</td>", row.group(1)) == ["10", "5", "+100%"]
    row = re.search(r"<th scope=\"row\">Hours to a first reply \(mean\)</th>(.*?)</tr>", text, re.S)
    assert re.findall(r">([^<]+)</td>", row.group(1)) == ["4.0", "2.0", "+100%"]
    row = re.search(
        r"<th scope=\"row\">Attendance \(checked in of confirmed\)</th>(.*?)</tr>", text, re.S
    )
    assert re.findall(r">([^<]+)</td>", row.group(1)) == ["80%", "50%", "+30 percentage points"]


def test_a_custom_range_is_compared_with_as_many_days_before_it(operator):
    place = community("Ranged")
    daily(place, 3, new_members=4)
    daily(place, 5, new_members=1)
    start = (timezone.localdate() - timedelta(days=3)).isoformat()
    end = (timezone.localdate() - timedelta(days=2)).isoformat()
    url = reverse("insights:community:overview", args=[place.slug])
    text = operator.get(url, {"range": "custom", "start": start, "end": end}).content.decode()
    row = re.search(r"<th scope=\"row\">New members</th>(.*?)</tr>", text, re.S).group(1)
    assert re.findall(r">([^<]+)</td>", row) == ["4", "1", "+300%"]


def test_every_chart_is_an_image_with_a_title_and_a_table_and_fetches_nothing(operator):
    place = busy_community(4, now=timezone.now(), name="Charted")
    refresh_insights.call()
    text = operator.get(reverse("insights:community:overview", args=[place.slug])).content.decode()
    images = re.findall(
        r'<img src="data:image/svg\+xml;base64,([^"]+)"[^>]*alt="Chart: ([^"]+)', text
    )
    assert len(images) == 7
    assert text.count("<summary>Show as a table</summary>") == 7
    for encoded, _title in images:
        svg = base64.b64decode(encoded).decode()
        assert "<script" not in svg
        assert not re.search(r'(href|src)="https?://', svg)
    assert "From joining to taking part" in text


def test_an_overview_before_any_refresh_says_so(operator):
    place = community("Fresh")
    text = operator.get(reverse("insights:community:overview", args=[place.slug])).content.decode()
    assert "Nothing has been computed yet" in text


@pytest.mark.parametrize(
    "query",
    [
        {"range": "custom", "start": "2026-13-01"},
        {"range": "custom", "start": "2026-05-10", "end": "2026-05-01"},
        {"range": "custom"},
        {"range": "custom", "start": "2020-01-01", "end": "2026-01-01"},
        {"range": "999"},
    ],
)
def test_a_bad_range_is_a_400_with_the_reason(operator, query):
    place = community("Picky")
    response = operator.get(reverse("insights:community:overview", args=[place.slug]), query)
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()


@pytest.mark.parametrize(
    "query", [{"level": "heroic"}, {"role": "wizard"}, {"community": "nowhere"}, {"page": "x"}]
)
def test_bad_member_filters_are_a_400(operator, query):
    response = operator.get(reverse("insights:platform:members"), query)
    assert response.status_code == 400


@pytest.fixture
def ranked(db):
    place = community("Ranked")
    owner = join(place, role=Role.OWNER)
    people = [join(place) for _ in range(30)]
    MemberRole.objects.create(user=people[0], role="investor")
    refresh_insights.call()
    for i, person in enumerate(people):
        MemberEngagement.objects.filter(member=person, community=place).update(
            score=100 - i, level="core" if i < 3 else "casual"
        )
    client = Client()
    client.force_login(owner)
    return place, client, people


def test_members_are_filtered_by_level_and_role_and_paginated(ranked):
    place, client, people = ranked
    url = reverse("insights:community:members", args=[place.slug])
    core = client.get(url, {"level": "core"}).content.decode()
    assert all(p.display_name in core for p in people[:3])
    assert people[3].display_name not in core
    investors = client.get(url, {"role": "investor"}).content.decode()
    assert people[0].display_name in investors and people[1].display_name not in investors
    first, second = client.get(url).content.decode(), client.get(url, {"page": 2}).content.decode()
    assert people[0].display_name in first and people[0].display_name not in second
    assert "Page 1 of 2" in first
    assert "community" not in re.findall(r'name="(\w+)"', first)  # one community: no choice


def test_the_platform_members_page_can_look_at_one_community(operator, ranked):
    place, _client, people = ranked
    elsewhere = community("Elsewhere")
    stranger = join(elsewhere)
    refresh_insights.call()
    text = operator.get(reverse("insights:platform:members"), {"community": place.slug})
    assert people[0].display_name in text.content.decode()
    assert stranger.display_name not in text.content.decode()


def test_the_admin_lists_the_stored_results_read_only(db):
    place = busy_community(2, now=timezone.now(), name="Admined")
    refresh_insights.call()
    admin_user = MemberFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin_user)
    for model in ("memberengagement", "dailystats", "reachout", "reportsent"):
        assert client.get(f"/admin/insights/{model}/").status_code == 200
    row = MemberEngagement.objects.filter(community=place).first()
    assert client.post(f"/admin/insights/memberengagement/{row.pk}/delete/").status_code == 403


def test_a_long_axis_names_at_most_seven_dates_and_the_table_keeps_every_one():
    from seedbed.insights.templatetags.insights_charts import _sparse_labels, line_chart

    days = [f"2026-11-{d:02d}" for d in range(1, 31)]
    shown = [label for label in _sparse_labels(days) if label]
    assert len(shown) <= 7 and shown[0] == days[0]
    chart = line_chart("Active", days, {"members": list(range(30))})
    assert [row[0] for row in chart.rows] == days
