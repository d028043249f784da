"""The Models page in Simplified Chinese: the engine's verdicts, cross-validation methods and
caveats, refusals and the network's variables and states are all worded in the page's language,
on a young platform and on one with a fitted history."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from seedbed.engine.predict import Verdict
from seedbed.matching.verdict_text import verdict_sentence
from tests.matching.conftest import client_for
from tests.matching.models_data import create_history, create_members, weekly_joins
from tests.matching.test_models_page import first, fit, valid_tables

pytestmark = pytest.mark.django_db

ENGLISH = [
    "Not enough to trust",
    "Enough data to fit",
    "stratified",
    "fold",
    "samples",
    "feature",
    "observations",
    "periods",
    "want at least",
    "have fewer than",
    "its prior",
    "probability zero",
    "funding",
    "technology",
    ">yes<",
    ">no<",
]


@pytest.fixture(autouse=True)
def language_restored():
    """The test client leaves the last request's language active; later tests expect theirs."""
    language = translation.get_language()
    yield
    translation.activate(language)


def chinese_page(user, query=None) -> str:
    response = client_for(user).get(
        reverse("matching:models"), query or {}, headers={"Accept-Language": "zh-hans"}
    )
    assert response.status_code == 200
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def visible(page: str) -> str:
    """The page's text and values shown, without tag attributes (names, ids, form values)."""
    body = first(r"<main[^>]*>(.*)</main>", page)
    return re.sub(r"<(\w+)[^>]*>", r"<\1>", body)


def assert_no_english_from_the_engine(page: str) -> None:
    shown = visible(page)
    assert [word for word in ENGLISH if word in shown] == []


def test_a_young_platform_gets_its_verdicts_in_chinese(operator):
    create_members([3, 5, 4, 6])
    fit()
    page = chinese_page(operator)
    assert_no_english_from_the_engine(page)
    assert "数据尚不足以信任（4 期）：历史只有 4 期；至少需要 8 期。" in page
    assert "对 1 个特征而言样本太少：现有 4 个，至少需要 10 个" in page
    assert (
        "数据尚不足以信任（0 个观测）：融资：1 行中有 1 行的观测少于 5 个（最少的是先验，只有 0 个）；"
        in page
    )
    assert (
        "；成功：8 行中有 8 行的观测少于 5 个（最少的是融资=是、市场=是、技术=是，只有 0 个）。"
        in page
    )
    assert "数据尚不足以信任（0 个样本，7 个特征）" in page
    assert "交叉验证至少需要 20 个已结束的项目；目前有 0 个。" in page
    assert "拟合趋势至少需要 3 个完整周的历史" in page  # no intros yet


def test_a_fitted_history_gets_its_verdicts_and_methods_in_chinese(
    operator, investor_offer, founder
):
    create_members(weekly_joins())
    create_history(investor_offer, founder)
    fit()
    page = chinese_page(operator, {"funding": "yes", "market": "no"})
    assert_no_english_from_the_engine(page)
    assert "数据足以拟合此模型（20 期）。" in first(r'id="growth-members"(.*?)</section>', page)
    raise_model = first(r'id="raise-model"(.*?)</section>', page)
    assert "数据足以拟合此模型（60 个样本，7 个特征）。" in raise_model
    assert "留出验证（分层 5 折）：准确率 1.000" in raise_model
    network_fit = first(r'id="network-fit"(.*?)</section>', page)
    assert "留出验证（分层 5 折）" in network_fit
    assert "数据尚不足以信任（60 个观测）" in network_fit
    assert "<caption>P(成功 | 融资、市场、技术)</caption>" in network_fit
    assert "<tr><td>是</td><td>是</td><td>是</td>" in network_fit
    query = first(r'id="network-query"(.*?)</section>', page)
    assert '<label>融资 <select name="funding">' in query
    assert '<option value="yes" selected>是</option>' in query
    assert "P(成功=是 | 融资=是、市场=否) =" in query
    weights = first(r'class="table weights">(.*?)</table>', page)
    assert "有付费客户" in weights and "paying customers" not in weights


def test_models_not_computed_yet_are_announced_in_chinese(operator):
    page = chinese_page(operator)
    assert "模型正在后台根据本平台的数据计算" in page
    assert "being computed" not in page


def test_impossible_evidence_and_an_unknown_state_are_explained_in_chinese(operator):
    client = client_for(operator)
    client.post(
        reverse("matching:models_network"),
        valid_tables() | {"funding-0-yes": "0", "funding-0-no": "1"},
    )
    page = chinese_page(operator, {"funding": "yes"})
    assert "无法回答：在此网络下，证据（融资=是）的概率为零。请修改概率表或证据。" in page
    page = chinese_page(operator, {"funding": "maybe"})
    assert "“maybe”不是融资的取值；请使用以下之一：是、否。" in page


def test_an_unknown_code_falls_back_to_the_engines_english():
    unknown = Verdict(False, "Not enough to trust yet (x): odd.", ("odd",), (("odd", {}),))
    missing_parameter = Verdict(
        False, "Not enough to trust yet (x): y.", ("y",), (("few_periods", {}),), ("periods", {})
    )
    with translation.override("zh-hans"):
        assert verdict_sentence(unknown) == "Not enough to trust yet (x): odd."
        assert verdict_sentence(missing_parameter) == "Not enough to trust yet (x): y."
        assert verdict_sentence(Verdict(True, "Enough.", context=("periods", {"n": 2}))) == (
            "数据足以拟合此模型（2 期）。"
        )
