"""Sentiment of community posts in Chinese and English, with the shipped model."""

import csv
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from seedbed.engine.sentiment import (
    MODEL_PATH,
    Sentiment,
    SentimentModel,
    analyse,
    load_model,
    mark_negation,
)

POSITIVE = [
    "不错",
    "很好",
    "这次路演很成功，收获很大",
    "导师非常专业，建议很有用",
    "场地很干净，服务也很周到，下次还来",
    "活动组织得很好，认识了不少投资人",
    "非常满意，推荐给大家",
    "这次路演yyds",
    "Great event, I met two investors I want to follow up with",
    "The mentors were really helpful and friendly",
    "I love this community",
    "Excellent talk, highly recommend it",
    "Thanks everyone, the workshop was amazing",
    "The demo day was lit, totally worth it",
]
NEGATIVE = [
    "不好",
    "服务不好",
    "太差了，再也不来了",
    "完全是浪费时间，很失望",
    "组织混乱，等了一个小时也没人管",
    "投资人全程不认真听，体验很差",
    "这次对接会拉胯",
    "not good",
    "The food was not good at all",
    "Terrible pitch, I would never recommend it",
    "Waste of time, very disappointed",
    "The venue was dirty and the talk was boring",
    "This workshop sucks",
    "I don't like the new format, it doesn't work",
]
NEUTRAL = ["", "   ", "!!!", "2026-12-07 19:00", "🙂"]


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.mark.parametrize("text", POSITIVE)
def test_positive_posts_score_above_zero(model, text):
    [result] = model.analyse([text])
    assert 0 < result.score <= 1, result


@pytest.mark.parametrize("text", NEGATIVE)
def test_negative_posts_score_below_zero(model, text):
    [result] = model.analyse([text])
    assert -1 <= result.score < 0, result


def test_nearly_every_opinionated_post_gets_its_label_not_neutral(model):
    """One hard case is allowed in each language's share of the list (a complaint about a wait
    with no opinion word, "组织混乱，等了一个小时也没人管", scores only -0.19)."""
    labels = list(model.predict(POSITIVE)) + list(model.predict(NEGATIVE))
    expected = ["positive"] * len(POSITIVE) + ["negative"] * len(NEGATIVE)
    wrong = sum(got != want for got, want in zip(labels, expected, strict=True))
    assert wrong <= 2


@pytest.mark.parametrize("text", NEUTRAL)
def test_text_without_letters_is_neutral_with_score_zero(model, text):
    assert model.analyse([text]) == [Sentiment("en", 0.0, "neutral")]


def test_negation_turns_a_word_around_in_both_languages(model):
    good, not_good, hao, bu_hao = model.polarity(["good", "not good", "好", "不好"])
    assert good > 0 > not_good
    assert hao > 0 > bu_hao


def test_each_text_gets_its_own_language(model):
    results = model.analyse(["服务很好", "Service was great", "我们的 AI SaaS 产品很好用"])
    assert [r.language for r in results] == ["zh", "en", "zh"]


def test_a_factual_announcement_is_less_sure_than_an_opinion(model):
    fact, praise, complaint = model.polarity(
        ["The meetup is on Tuesday at 7pm.", "The meetup was fantastic!", "The meetup was awful."]
    )
    assert abs(fact) < min(abs(praise), abs(complaint))


def test_scores_labels_and_probabilities_agree(model):
    texts = POSITIVE + NEGATIVE + NEUTRAL
    proba = model.predict_proba(texts)
    scores = model.polarity(texts)
    labels = model.predict(texts)
    assert np.allclose(scores, 2 * proba - 1)
    assert ((scores >= -1) & (scores <= 1)).all()
    band = model.neutral_band
    assert all(
        (label == "positive") == (s >= band) for s, label in zip(scores, labels, strict=True)
    )
    assert all(
        (label == "negative") == (s <= -band) for s, label in zip(scores, labels, strict=True)
    )
    assert [r.label for r in analyse(texts)] == list(labels)


def test_negation_marking_stops_at_the_end_of_the_clause():
    assert mark_negation("Not good, but the coffee was great") == (
        "not neg_good the coffee was great"
    )
    assert mark_negation("I don't like it") == "i don't neg_like neg_it"


def test_a_model_trained_on_a_few_posts_learns_each_language_separately():
    texts = ["很好 很棒", "很差 太烂", "great, love it", "awful, hate it"] * 3
    labels = [1, 0, 1, 0] * 3
    model = SentimentModel(zh_c=10, en_c=10).fit(texts, labels)
    assert set(model.models_) == {"en", "zh"}
    zh_good, zh_bad, en_good, en_bad = model.polarity(["很棒", "太烂", "love it", "hate it"])
    assert zh_good > 0 > zh_bad
    assert en_good > 0 > en_bad


def test_training_needs_both_classes():
    with pytest.raises(ValueError, match="positive and negative"):
        SentimentModel().fit(["good", "great"], [1, 1])


def test_the_shipped_model_is_small_and_loads_offline_quickly():
    """The bench measures the load at 0.4-0.6 s; the bound here leaves room for a busy CI box."""
    assert MODEL_PATH.stat().st_size < 20e6
    code = (
        "import time, socket\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        "import sklearn.pipeline, sklearn.linear_model, sklearn.feature_extraction.text\n"
        "from seedbed.engine import sentiment\n"
        "t = time.perf_counter(); m = sentiment.load_model(); m.analyse(['好'])\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert float(out.stdout) < 3.0


def test_a_thousand_short_posts_take_under_a_second(model):
    posts = (POSITIVE + NEGATIVE) * 36
    model.analyse(posts[:10])
    started = time.perf_counter()
    model.analyse(posts[:1000])
    assert time.perf_counter() - started < 1.0


def _community_posts():
    path = Path(__file__).parent / "data" / "community_posts.csv"
    with path.open(encoding="utf-8") as handle:
        return [(r["text"], r["label"], r["note"]) for r in csv.DictReader(handle)]


COMMUNITY_POSTS = _community_posts()


@pytest.mark.parametrize(("text", "label", "note"), COMMUNITY_POSTS)
def test_hand_written_community_posts_get_the_right_sign(model, text, label, note):
    """Posts written for this test, never trained on: negation, idioms that look negated and
    slang in both languages. The sign must be right and the label never the opposite one."""
    [result] = model.analyse([text])
    assert (result.score > 0) == (label == "positive"), (note, result)
    assert result.label in (label, "neutral"), (note, result)


def test_most_hand_written_community_posts_are_labelled_with_confidence(model):
    texts = [text for text, _, _ in COMMUNITY_POSTS]
    labels = [label for _, label, _ in COMMUNITY_POSTS]
    right = sum(got == want for got, want in zip(model.predict(texts), labels, strict=True))
    assert len({lang for lang in (r.language for r in model.analyse(texts))}) == 2
    assert right >= 0.75 * len(texts)


def test_posts_written_after_the_tuning_are_mostly_right_too(model):
    """A second hand-written set, written after the features and training posts were settled
    and run once: the honest figure for new community posts (23 of 28 signs right)."""
    path = Path(__file__).parent / "data" / "community_posts_unseen.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    scores = model.polarity([r["text"] for r in rows])
    right = sum((s > 0) == (r["label"] == "positive") for s, r in zip(scores, rows, strict=True))
    assert right >= 0.75 * len(rows)
