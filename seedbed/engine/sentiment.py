"""Sentiment of short posts in Chinese and English: a language, a score in [-1, 1] and a label.

Each text goes to the model of its language (``text.detect_language``), because the two need
different features. Chinese has no spaces and jieba's segmentation blurs short negations, so the
Chinese model reads character n-grams (1-4): "不好", "不错" and "不太满意" are features of their
own. English reads word n-grams with negation marking (the words after "not", "never", "n't" up to
the next punctuation or "but" become ``neg_good``), character n-grams for spelling variants, and
the VADER lexicon's scores as three extra features: trained on a thousand Amazon sentences, a
bag of words alone does not carry over to restaurant reviews, while a hand-built lexicon does.

Both are logistic regressions, so ``predict_proba`` is a probability and the score is
``2 * p - 1``. A score inside ``neutral_band`` of zero is labelled neutral: the training data has
only two classes, so "neutral" means the model is not confident either way. Text with no letters
at all scores 0.

The shipped model is ``data/sentiment.joblib``, made by ``python -m seedbed.engine.sentiment_train``
from the real data; ``load_model()`` reads it once per process.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union
from sklearn.preprocessing import FunctionTransformer

from seedbed.engine.text import detect_language

__all__ = [
    "LABELS",
    "MODEL_PATH",
    "Sentiment",
    "SentimentModel",
    "analyse",
    "load_model",
    "mark_negation",
]

LABELS = ("negative", "neutral", "positive")
MODEL_PATH = Path(__file__).resolve().parent / "data" / "sentiment.joblib"

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_EN_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[.,!?;:()]")
_NEGATOR = re.compile(
    r"(?:not|no|never|cannot|nothing|nobody|none|neither|nor|hardly|barely|without|\w+n't)"
)
_CLAUSE_END = re.compile(r"[.,!?;:()]|but")

# Community words the review corpora rarely use, scored on VADER's scale (-4..4) for English.
# "joke" is +1.2 in VADER (a funny one); in a community post it is almost always "a joke".
EN_SLANG = {
    "lit": 2.0,
    "slaps": 2.0,
    "nailed": 2.0,
    "dope": 2.0,
    "epic": 2.0,
    "legit": 1.5,
    "smooth": 1.5,
    "slick": 1.5,
    "sharp": 1.2,
    "productive": 1.8,
    "insightful": 2.0,
    "gamechanger": 2.5,
    "kudos": 2.3,
    "rocks": 1.5,
    "cringe": -2.0,
    "buggy": -2.0,
    "laggy": -1.8,
    "clunky": -1.5,
    "overhyped": -1.8,
    "underwhelming": -2.0,
    "crashing": -2.0,
    "crashes": -2.0,
    "crashed": -2.0,
    "rigged": -2.0,
    "meh": -1.0,
    "joke": -1.2,
    "mess": -2.0,
    "flop": -2.0,
    "scammy": -2.5,
    "shady": -2.0,
    "ghosted": -2.0,
}
# Idioms whose words mislead a bag of words or a lexicon, rewritten to plain words first.
_EN_IDIOMS = [
    (
        re.compile(r"\bkiller (feature|app|product|demo|idea|pitch|team|talk|deal|combo)"),
        r"excellent \1",
    ),
    (re.compile(r"\b(?:can ?not|can't|cant) recommend (.{0,60}?) enough"), r"highly recommend \1"),
    (
        re.compile(r"\bnever (had|seen|been to|attended|met|heard) (such|so|a better|a more)"),
        r"\1 \2",
    ),
    (re.compile(r"\bnot (?:too |that |so )?bad\b"), "pretty good"),
    (re.compile(r"\bno (?:problem|worries)\b"), "fine"),
]


def normalise_en(text: str) -> str:
    """Lower-cased English with the idioms above rewritten ("killer feature" is praise, "can't
    recommend it enough" is not a refusal)."""
    text = text.lower().replace("\u2019", "'")
    for pattern, plain in _EN_IDIOMS:
        text = pattern.sub(plain, text)
    return text


def _normalise_all(texts: Sequence[str]) -> list[str]:
    return [normalise_en(t) for t in texts]


# Chinese opinion words, including community slang, for counts with negation (a negator in the
# three characters before a word, within its clause, flips it). Phrases that look negated but
# are not ("不错", "没问题", "没毛病") are words of their own; longer matches win.
ZH_POSITIVE = """
好 棒 赞 点赞 优秀 满意 喜欢 爱了 推荐 值得 值了 专业 有用 实用 干货 收获 受益 给力 牛 牛逼 绝了
绝绝子 yyds 靠谱 成功 精彩 感谢 谢谢 开心 高兴 惊喜 顺利 积极 有戏 周到 热情 完美 舒服 方便 不错
没问题 没毛病 划算 清楚 中肯 到位 用心 认真 厉害 强 优质 高效 出色 难得 期待 支持 欣赏 佩服
漂亮 干净 温馨 亲切 及时 耐心 细致 很6 666 香 稳 接地气 有料 启发 满满 圆满 火爆 赞赏 感动
""".split()  # noqa: SIM905
ZH_NEGATIVE = """
差 烂 坑 拉胯 失望 浪费 无语 水 离谱 糟糕 垃圾 混乱 乱 吵 挤 贵 慢 没戏 后悔 不满 投诉 骗 忽悠
敷衍 划水 踩雷 翻车 尴尬 无聊 脏 累 坑爹 鸡肋 呵呵 吐槽 难受 麻烦 问题 缺点 遗憾 可惜 郁闷 生气
气人 恶心 坑人 失败 难用 卡顿 崩溃 闪退 拖延 迟到 冷场 走过场 形式主义 画饼 割韭菜 智商税 辣鸡
low 避雷 劝退 心累 别扭 落后 粗糙 不靠谱 不行 不太行 白跑 白来 冷淡 傲慢 吓人 折腾 一般 太水
""".split()  # noqa: SIM905
_ZH_NEGATORS = (
    "一点都不",
    "一点也不",
    "并不",
    "不太",
    "不怎么",
    "没有",
    "毫无",
    "不",
    "没",
    "无",
    "别",
    "未",
)
# Not negations, and not opinions: "不过" (but), "好几" (several), "说好" (agreed on).
_ZH_NOT_OPINION = (
    "不过",
    "不仅",
    "不但",
    "不管",
    "不断",
    "不得不",
    "不少",
    "没想到",
    "不用说",
    "无论",
    "说好",
    "好几",
    "好多",
    "好像",
    "只好",
    "正好",
    "刚好",
    "好久",
    "好在",
    "好些",
    "问答",
)
_ZH_CLAUSE = re.compile(r"[，。！？；、,.!?;\s]")
_ZH_LEXICON = {w: 1 for w in ZH_POSITIVE} | {w: -1 for w in ZH_NEGATIVE}
_ZH_LONGEST = max(len(w) for w in _ZH_LEXICON)


# Community slang rewritten to the plain words the review corpus taught the character model
# (hotel reviews know "很差", not "拉胯"; and their "行" is mostly 步行 and 银行, a good sign).
_ZH_PLAIN = {
    "不太行": "不好",
    "不行": "不好",
    "还行": "还好",
    "拉胯": "很差",
    "yyds": "太好了",
    "绝绝子": "太好了",
    "牛逼": "很棒",
    "离谱": "太差",
    "无语": "很失望",
    "划水": "不认真",
    "踩雷": "上当",
    "避雷": "别去",
    "真香": "很好",
    "辣鸡": "垃圾",
}
_ZH_PLAIN_RE = re.compile("|".join(sorted(map(re.escape, _ZH_PLAIN), key=len, reverse=True)))


def normalise_zh(text: str) -> str:
    """Lower-cased text with community slang rewritten to plain opinion words."""
    return _ZH_PLAIN_RE.sub(lambda m: _ZH_PLAIN[m.group()], text.lower())


def zh_opinion_counts(text: str) -> tuple[int, int, int, int]:
    """Positive words, negative words, negated positives and negated negatives in ``text``."""
    text = text.lower()
    for phrase in _ZH_NOT_OPINION:
        text = text.replace(phrase, "，")
    counts = [0, 0, 0, 0]
    i = 0
    while i < len(text):
        for size in range(min(_ZH_LONGEST, len(text) - i), 0, -1):
            polarity = _ZH_LEXICON.get(text[i : i + size])
            if polarity:
                break
        else:
            i += 1
            continue
        window = _ZH_CLAUSE.split(text[max(0, i - 4) : i])[-1]
        negated = any(window.endswith(n) or n in window[-3:] for n in _ZH_NEGATORS)
        counts[(0 if polarity > 0 else 1) + (2 if negated else 0)] += 1
        i += size
    return counts[0], counts[1], counts[2], counts[3]


def zh_lexicon_scores(texts: Sequence[str], weight: float = 1.0) -> sp.csr_matrix:
    """Whether each text has a positive word, a negative word, a negated positive and a negated
    negative (``zh_opinion_counts`` capped at 1), times ``weight``. Presence, not counts: a long
    hotel review names many opinion words whatever its verdict, and counts cost accuracy there."""
    rows = np.array([zh_opinion_counts(t) for t in texts], dtype=float).reshape(-1, 4)
    return sp.csr_matrix(np.minimum(rows, 1.0) * weight)


@dataclass(frozen=True)
class Sentiment:
    language: str
    score: float
    label: str


def mark_negation(text: str) -> str:
    """Lower-cased English words with ``neg_`` before each word in the scope of a negation, so
    that "not good" and "good" are different features."""
    out: list[str] = []
    negated = False
    for token in _EN_TOKEN.findall(text.lower().replace("\u2019", "'")):
        if _CLAUSE_END.fullmatch(token):
            negated = False
        elif _NEGATOR.fullmatch(token):
            negated = True
            out.append(token)
        else:
            out.append("neg_" + token if negated else token)
    return " ".join(out)


@lru_cache(maxsize=1)
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1)
def _community_vader() -> Any:
    """VADER with ``EN_SLANG`` added (a separate analyser: ``_vader`` stays the plain baseline)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    vader.lexicon = {**vader.lexicon, **EN_SLANG}
    return vader


def lexicon_scores(texts: Sequence[str], weight: float = 1.0) -> sp.csr_matrix:
    """VADER's (with ``EN_SLANG``) compound, positive and negative scores of each text, times
    ``weight``."""
    vader = _community_vader()
    rows = []
    for text in texts:
        scores = vader.polarity_scores(text)
        rows.append((scores["compound"], scores["pos"], scores["neg"]))
    return sp.csr_matrix(np.asarray(rows, dtype=float).reshape(-1, 3) * weight)


class SentimentModel:
    """One logistic regression per language; ``fit`` routes each text to its language's model.

    Learned state: ``models_`` (language -> fitted pipeline)."""

    def __init__(
        self,
        zh_ngrams: tuple[int, int] = (1, 4),
        zh_c: float = 30.0,
        en_c: float = 3.0,
        lexicon_weight: float = 1.0,
        neutral_band: float = 0.5,
        zh_lexicon_weight: float = 1.0,
    ) -> None:
        self.zh_ngrams = zh_ngrams
        self.zh_c = zh_c
        self.en_c = en_c
        self.lexicon_weight = lexicon_weight
        self.neutral_band = neutral_band
        self.zh_lexicon_weight = zh_lexicon_weight

    def _pipeline(self, language: str) -> Pipeline:
        if language == "zh":
            features = make_union(
                TfidfVectorizer(
                    analyzer="char",
                    ngram_range=self.zh_ngrams,
                    sublinear_tf=True,
                    min_df=2,
                    preprocessor=normalise_zh,
                ),
                FunctionTransformer(zh_lexicon_scores, kw_args={"weight": self.zh_lexicon_weight}),
            )
            return make_pipeline(features, LogisticRegression(C=self.zh_c, max_iter=3000))
        features = make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, preprocessor=mark_negation),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            FunctionTransformer(lexicon_scores, kw_args={"weight": self.lexicon_weight}),
        )
        return make_pipeline(
            FunctionTransformer(_normalise_all),
            features,
            LogisticRegression(C=self.en_c, max_iter=3000),
        )

    def fit(
        self,
        texts: Sequence[str],
        y: Iterable[int],
        languages: Sequence[str] | None = None,
        sample_weight: Sequence[float] | None = None,
    ) -> SentimentModel:
        """Fit on ``texts`` labelled 1 (positive) or 0 (negative). ``languages`` defaults to the
        detected language of each text; a language needs both classes to get a model.
        ``sample_weight`` lets a few in-domain posts count for more than a long review."""
        labels = np.asarray(list(y), dtype=int)
        weights = np.ones(len(labels)) if sample_weight is None else np.asarray(sample_weight)
        langs = np.asarray(
            languages if languages is not None else [detect_language(t) for t in texts]
        )
        items = np.asarray(texts, dtype=object)
        self.models_: dict[str, Pipeline] = {}
        for language in ("en", "zh"):
            mask = langs == language
            if len(set(labels[mask].tolist())) < 2:
                continue
            pipeline = self._pipeline(language).fit(
                list(items[mask]),
                labels[mask],
                logisticregression__sample_weight=weights[mask],
            )
            if language == "zh":
                # terms cut by min_df are kept only for inspection; they would triple the file
                pipeline.steps[0][1].transformer_list[0][1].stop_words_ = None
            self.models_[language] = pipeline
        if not self.models_:
            raise ValueError("training data needs positive and negative examples")
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability that each text is positive; 0.5 for text without letters."""
        texts = list(texts)
        languages = [detect_language(t) for t in texts]
        return self._proba(texts, languages)

    def _proba(self, texts: list[str], languages: list[str]) -> np.ndarray:
        out = np.full(len(texts), 0.5)
        for language in set(languages):
            model = self.models_.get(language) or next(iter(self.models_.values()))
            index = [
                i
                for i, (text, lang) in enumerate(zip(texts, languages, strict=True))
                if lang == language and _LETTER.search(text)
            ]
            if index:
                out[index] = model.predict_proba([texts[i] for i in index])[:, 1]
        return out

    def polarity(self, texts: Sequence[str]) -> np.ndarray:
        """Scores in [-1, 1]: ``2 * P(positive) - 1``."""
        return 2.0 * self.predict_proba(texts) - 1.0

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """Labels: negative, neutral or positive."""
        return self._labels(self.polarity(texts))

    def _labels(self, scores: np.ndarray) -> np.ndarray:
        index = np.where(
            scores <= -self.neutral_band, 0, np.where(scores >= self.neutral_band, 2, 1)
        )
        return np.asarray(LABELS, dtype=object)[index]

    def analyse(self, texts: Sequence[str]) -> list[Sentiment]:
        """Language, score and label of each text, in one pass per language."""
        texts = [t or "" for t in texts]
        languages = [detect_language(t) for t in texts]
        scores = 2.0 * self._proba(texts, languages) - 1.0
        labels = self._labels(scores)
        return [
            Sentiment(language, round(float(score), 4), str(label))
            for language, score, label in zip(languages, scores, labels, strict=True)
        ]

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, path, compress=3)
        return path


@lru_cache(maxsize=4)
def load_model(path: str | Path = MODEL_PATH) -> SentimentModel:
    """The trained model from ``path`` (the shipped file by default), read once per process.
    Loading needs no network: the VADER lexicon ships inside the vaderSentiment package."""
    model = joblib.load(Path(path))
    if not isinstance(model, SentimentModel):
        raise ValueError(f"{path}: not a sentiment model")
    return model


def analyse(texts: Sequence[str]) -> list[Sentiment]:
    """Sentiment of each text with the shipped model."""
    return load_model().analyse(texts)
