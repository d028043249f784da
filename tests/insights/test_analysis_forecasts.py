"""Forecasts in plain words, on the Insights page and on the Models page: a flat series says "no
clear trend" with the level to expect, a growing one says by how much, a fit that explains little
is never called a trend (even when its slope is "significant"), and the Models page says each
verdict once."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from html import unescape

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from scipy import stats

from seedbed.communities import services
from seedbed.insights import analysis_forecasts
from seedbed.matching import predictive
from seedbed.matching.tasks import refit_models
from tests.factories import MemberFactory
from tests.insights.test_analysis_fixtures import client_for, join, world_fixture  # noqa: F401
from tests.matching.models_data import create_members

pytestmark = pytest.mark.django_db

MONDAY = date(2025, 3, 3)
FLAT = [2, 3, 1, 2, 2, 3, 1, 2, 2, 3, 1, 2]
GROWING = [2 + i + (i % 3 - 1) for i in range(20)]
# A year of weeks with a real but small slope buried in noise: p < 0.05, R² about 0.21.
WEAK = [10 + 0.1 * i + ((7 * i) % 11 - 5) for i in range(52)]


def weeks(counts) -> list[tuple[date, int]]:
    return [(MONDAY + timedelta(weeks=i), round(n)) for i, n in enumerate(counts)]


def text_of(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def section(text: str, key: str) -> str:
    found = re.search(rf'id="(?:forecast|growth)-{key}"(.*?)</section>', text)
    assert found, f"no section for {key}"
    return found.group(1)


# The verdicts ----------------------------------------------------------------------------------


def test_a_flat_series_has_no_clear_trend_and_expects_its_average():
    growth = predictive.fit_growth("members", weeks(FLAT))
    assert growth.headline == "No clear trend: expect about 2 new members a week."
    assert not growth.has_trend
    assert {round(row["mean"], 6) for row in growth.forecast} == {2.0}


def test_a_growing_series_says_how_much_more_than_eight_weeks_ago():
    growth = predictive.fit_growth("members", weeks(GROWING))
    slope = stats.linregress(np.arange(len(GROWING)), GROWING).slope
    assert round(8 * slope) == 8
    assert growth.headline == "Growing: about 8 more new members a week than 8 weeks ago."
    assert growth.forecast[0]["mean"] == pytest.approx(22.005, abs=0.01)


def test_a_shrinking_activity_series_says_so():
    growth = predictive.fit_growth("activity", weeks([40 - 2 * i for i in range(12)]))
    assert growth.headline == "Shrinking: about 16 fewer posts and replies a week than 8 weeks ago."


def test_a_significant_slope_that_explains_little_is_not_called_a_trend():
    reference = stats.linregress(np.arange(len(WEAK)), WEAK)
    assert reference.pvalue < 0.05 and reference.rvalue**2 < predictive.MIN_TREND_R2
    growth = predictive.fit_growth("members", weeks(WEAK))
    assert growth.trustworthy
    assert growth.headline == "No clear trend: expect about 13 new members a week."
    mean = np.mean([n for _w, n in weeks(WEAK)])
    assert all(row["mean"] == pytest.approx(mean) for row in growth.forecast)


def test_the_verdicts_read_in_chinese():
    with translation.override("zh-hans"):
        flat = predictive.fit_growth("members", weeks(FLAT)).headline
        growing = predictive.fit_growth("activity", weeks(GROWING)).headline
    assert flat == "没有明显趋势：预计每周约有 2 位新成员。"
    assert growing == "在增长：每周帖子和回复比 8 周前多约 8 条。"


def test_small_levels_keep_one_decimal_and_whole_ones_lose_it():
    growth = predictive.fit_growth("members", weeks([0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0]))
    assert growth.headline == "No clear trend: expect about 0.5 new members a week."


# The Insights page -----------------------------------------------------------------------------


def joined_weeks_ago(community, counts: list[int]) -> None:
    """``counts[i]`` members join the community in week i of the last complete weeks."""
    this_week = predictive.week_start(timezone.now())
    for i, n in enumerate(counts):
        day = this_week - timedelta(weeks=len(counts) - i) + timedelta(days=2)
        moment = timezone.make_aware(datetime.combine(day, datetime.min.time()))
        for _ in range(n):
            join(community, MemberFactory(), joined_at=moment)


def forecasts_page(world) -> str:
    url = reverse("insights:community:forecasts", args=[world["public"].slug])
    return text_of(client_for(world["owner"]).get(url))


def test_the_page_says_no_clear_trend_for_steady_joins_with_the_statistics_one_click_away(world):
    joined_weeks_ago(world["public"], FLAT)
    analysis_forecasts.refresh_all()
    members = section(forecasts_page(world), "members")
    assert '<p class="verdict headline">No clear trend: expect about 2 new members a week.</p>' in (
        members
    )
    statistics = members[members.index('<details class="statistics">') :]
    assert 'class="r2"' in statistics and "to be called a trend" in statistics


def test_the_page_says_growing_for_growing_joins(world):
    joined_weeks_ago(world["public"], GROWING)
    analysis_forecasts.refresh_all()
    members = section(forecasts_page(world), "members")
    assert "Growing: about 8 more new members a week than 8 weeks ago." in members
    assert "to be called a trend" not in members


def test_the_page_says_when_there_is_too_little_history(world):
    joined_weeks_ago(world["public"], [3, 5])
    analysis_forecasts.refresh_all()
    members = section(forecasts_page(world), "members")
    assert "Too little history to say yet" in members
    assert 'class="statistics"' not in members and "Growing" not in members


def test_the_page_says_when_nothing_was_computed_yet(world):
    assert "not ready yet" in forecasts_page(world)


def test_the_forecast_counts_only_this_communitys_posts_and_replies(world):
    this_week = predictive.week_start(timezone.now())
    series = analysis_forecasts.series_of(world["public"], this_week)
    assert series["activity"] == []
    join(world["private"], world["owner"])
    services.create_post(world["owner"], world["private"].slug, title="Elsewhere", body="x")
    assert analysis_forecasts.series_of(world["public"], this_week)["activity"] == []


# The Models page -------------------------------------------------------------------------------


def models_page(operator) -> str:
    refit_models.enqueue()
    return text_of(client_for(operator).get(reverse("matching:models")))


def test_the_models_page_says_enough_data_at_most_once_per_chart(world):
    create_members(GROWING)
    members = section(models_page(world["operator"]), "members")
    assert members.count("Enough data to fit this model") == 1
    assert "Growing: about 8 more new members a week than 8 weeks ago." in members


def test_the_models_page_calls_a_weak_fit_no_clear_trend_and_forecasts_the_average(world):
    create_members([round(n) for n in WEAK])
    members = section(models_page(world["operator"]), "members")
    assert "No clear trend: expect about 13 new members a week." in members
    assert "Growing" not in members
    r2 = float(re.search(r'class="r2">([\d.]+)<', members).group(1))
    assert r2 < predictive.MIN_TREND_R2
    forecast = re.findall(r'<td class="num">([\d.]+)</td><td class="num">[\d.]+</td>', members)
    assert len(set(forecast)) == 1
