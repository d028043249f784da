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


def lexicon_scores(texts: Sequence[str], weight: float = 1.0) -> sp.csr_matrix:
    """VADER's compound, positive and negative scores of each text, times ``weight``."""
    vader = _vader()
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
    ) -> None:
        self.zh_ngrams = zh_ngrams
        self.zh_c = zh_c
        self.en_c = en_c
        self.lexicon_weight = lexicon_weight
        self.neutral_band = neutral_band

    def _pipeline(self, language: str) -> Pipeline:
        if language == "zh":
            return make_pipeline(
                TfidfVectorizer(
                    analyzer="char", ngram_range=self.zh_ngrams, sublinear_tf=True, min_df=2
                ),
                LogisticRegression(C=self.zh_c, max_iter=3000),
            )
        features = make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, preprocessor=mark_negation),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            FunctionTransformer(lexicon_scores, kw_args={"weight": self.lexicon_weight}),
        )
        return make_pipeline(features, LogisticRegression(C=self.en_c, max_iter=3000))

    def fit(
        self, texts: Sequence[str], y: Iterable[int], languages: Sequence[str] | None = None
    ) -> SentimentModel:
        """Fit on ``texts`` labelled 1 (positive) or 0 (negative). ``languages`` defaults to the
        detected language of each text; a language needs both classes to get a model."""
        labels = np.asarray(list(y), dtype=int)
        langs = np.asarray(
            languages if languages is not None else [detect_language(t) for t in texts]
        )
        items = np.asarray(texts, dtype=object)
        self.models_: dict[str, Pipeline] = {}
        for language in ("en", "zh"):
            mask = langs == language
            if len(set(labels[mask].tolist())) < 2:
                continue
            pipeline = self._pipeline(language).fit(list(items[mask]), labels[mask])
            if language == "zh":
                # terms cut by min_df are kept only for inspection; they would triple the file
                pipeline.steps[0][1].stop_words_ = None
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
