"""Every reason is one whole sentence in the reader's language, worded at read time from its
stored code and parameters."""

import pytest
from django.utils import translation

from seedbed.discovery.reasons import SENTENCES, reason_text
from seedbed.discovery.services import suggestions_for
from tests.discovery.conftest import store

FINTECH = {"en": "Fintech", "zh": "金融科技"}
PARAMS = {
    "count": 3,
    "term": FINTECH,
    "community": "Fintech Founders",
    "event": "Demo day",
    "title": "Pricing",
    "city": "Shenzhen",
    "project": "Robo Arm",
}
CASES = [
    ("replied_members_in", "3 members you replied to are in it.", "你回复过的 3 位成员在其中。"),
    ("matches_interest", "Matches your interest in Fintech.", "符合你对金融科技的兴趣。"),
    (
        "co_joined",
        "Members who joined Fintech Founders also joined this.",
        "加入了Fintech Founders的成员也加入了这里。",
    ),
    (
        "mentor_for_need",
        "Mentor in Fintech, which your project needs.",
        "金融科技方面的导师，正是你的项目所需要的。",
    ),
    ("popular", "Popular: 3 members took part.", "热门：已有 3 位成员参与。"),
]


@pytest.mark.parametrize("code, english, chinese", CASES)
def test_a_reason_reads_whole_in_english_and_in_chinese(code, english, chinese):
    with translation.override("en"):
        assert reason_text(code, PARAMS) == english
    with translation.override("zh-hans"):
        assert reason_text(code, PARAMS) == chinese


@pytest.mark.parametrize("code", sorted(SENTENCES))
def test_every_code_has_an_english_and_a_chinese_sentence(code):
    with translation.override("en"):
        english = reason_text(code, PARAMS)
    with translation.override("zh-hans"):
        chinese = reason_text(code, PARAMS)
    assert english != chinese
    assert "%(" not in english + chinese
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese)


def test_one_is_singular_and_many_plural():
    assert reason_text("replied_members_in", {"count": 1}) == "1 member you replied to is in it."
    assert reason_text("contacts_going", {"count": 2}) == "2 members you know are going."


@pytest.mark.parametrize(
    "code, params",
    [
        ("no_such_code", {}),
        ("co_joined", {}),
        ("matches_interest", None),
        ("popular", {"count": "x"}),
    ],
)
def test_an_unknown_code_or_broken_parameters_give_the_generic_sentence(code, params):
    text = reason_text(code, params)
    assert text in ("Suggested for you from your activity.", "New and open to everyone.")


@pytest.mark.django_db
def test_the_same_stored_row_reads_in_each_readers_language(member, public_community):
    store(member, "community", public_community, code="matches_interest", params={"term": FINTECH})
    with translation.override("zh-hans"):
        assert suggestions_for(member, "communities")[0].reason == "符合你对金融科技的兴趣。"
    assert suggestions_for(member, "communities")[0].reason == "Matches your interest in Fintech."
