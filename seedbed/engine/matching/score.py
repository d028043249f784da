"""Match scoring between startup projects and offers, with explanations.

A score says how well an offer (an investor's thesis, a talent's skills, a mentor's expertise, a
service) fits a project's needs. It is built in three layers, because each answers a different
question and the operator has to be able to see why a pair was suggested:

1. **Hard filters** remove pairs that must never be suggested, whatever the rest says: an offer
   kind the project does not need, an investor's stage list without the project's stage, a funding
   ask range that does not overlap the investor's ticket range, a region outside the offer's
   regions, an exclusion by either side. Unknown values (blank stage, no ask) do not filter:
   missing data should lower confidence, not silently hide a match.
2. **Rules and text** give a score in [0, 1]: a kind-specific weighted sum of sector overlap,
   stage fit, skills overlap (talent), topic overlap (mentors, services), and the TF-IDF cosine
   between the project description and the offer's text. TF-IDF is used rather than embeddings
   because it needs no downloaded model, works on Chinese through jieba segmentation, and its
   shared terms are a readable explanation.
3. **A learned model**, once intro outcomes exist: a logistic regression on the same features
   (plus the offer kind) trained on accepted vs declined intros; its acceptance probability is
   blended with the rule score. Logistic regression, because the features are few and bounded,
   the data is small, and its coefficients remain inspectable.

Everything is computed on whole projects × offers matrices (sparse set incidence products, one
sparse TF-IDF product), so 2,000 × 2,000 pairs take about a second.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils import Tags
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from seedbed.engine.text import tokenize

__all__ = [
    "DEFAULT_WEIGHTS",
    "FEATURES",
    "OFFER_KINDS",
    "Explanation",
    "MatchScorer",
    "Offer",
    "OutcomeModel",
    "Project",
    "top_matches",
]

OFFER_KINDS: tuple[str, ...] = ("investor", "talent", "mentor", "service")
FEATURES: tuple[str, ...] = ("sector", "stage", "skills", "topics", "text")

DEFAULT_WEIGHTS: dict[str, dict[str, float]] = {
    "investor": {"sector": 0.35, "stage": 0.2, "text": 0.45},
    "talent": {"sector": 0.15, "skills": 0.5, "text": 0.35},
    "mentor": {"sector": 0.2, "stage": 0.1, "topics": 0.35, "text": 0.35},
    "service": {"sector": 0.2, "topics": 0.4, "text": 0.4},
}
"""Rule weights per offer kind; each row sums to 1 so scores stay in [0, 1]."""


@dataclass(frozen=True)
class Project:
    id: str
    description: str = ""
    sectors: frozenset[str] = frozenset()
    stage: str = ""
    ask_min: float | None = None
    ask_max: float | None = None
    region: str = ""
    needs: frozenset[str] = frozenset()
    """Offer kinds wanted; empty means all."""
    skills: frozenset[str] = frozenset()
    """Skills sought in talent."""
    topics: frozenset[str] = frozenset()
    """Topics the project wants mentoring or services on."""
    capacity: int = 3
    exclude: frozenset[str] = frozenset()
    """Offer ids never to match."""


@dataclass(frozen=True)
class Offer:
    id: str
    kind: str
    description: str = ""
    """Investor thesis, talent profile, mentor expertise or service description."""
    sectors: frozenset[str] = frozenset()
    stages: frozenset[str] = frozenset()
    ticket_min: float | None = None
    ticket_max: float | None = None
    regions: frozenset[str] = frozenset()
    """Empty means anywhere."""
    skills: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    capacity: int = 5
    exclude: frozenset[str] = frozenset()
    """Project ids never to match."""

    def __post_init__(self) -> None:
        if self.kind not in OFFER_KINDS:
            raise ValueError(f"unknown offer kind {self.kind!r}; expected one of {OFFER_KINDS}")


@dataclass(frozen=True)
class Explanation:
    project: str
    offer: str
    score: float
    """NaN when a hard filter removed the pair."""
    allowed: bool
    reasons: tuple[str, ...] = ()
    """Criteria that matched, or for a filtered pair the filters that failed."""
    shared_terms: tuple[str, ...] = field(default=())
    """Terms of the two texts that contribute most to their similarity."""
    criteria: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
    """The reasons as data, ``(criterion, values)``, for callers that word them themselves
    (another language, or without the amounts): criteria ``sectors``, ``stage``, ``ticket``,
    ``region``, ``skills``, ``topics``, ``text`` (the similarity), ``learned``; for a filtered
    pair ``need``, ``stage``, ``ticket``, ``region``, ``excluded_by_project``,
    ``excluded_by_offer``."""


class OutcomeModel(ClassifierMixin, BaseEstimator):
    """Probability that an intro is accepted, from match features (logistic regression).

    ``class_weight="balanced"`` because declined intros usually outnumber accepted ones."""

    def __init__(self, C: float = 1.0, class_weight: str | None = "balanced") -> None:
        self.C = C
        self.class_weight = class_weight

    def fit(self, X: NDArray[np.float64], y: NDArray[np.int_]) -> OutcomeModel:
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        n_classes = np.unique(y).size
        if n_classes < 2:
            raise ValueError("outcomes need both accepted and declined intros, not one class")
        if n_classes > 2:
            raise ValueError(f"Only binary classification is supported; y has {n_classes} classes")
        model = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=1000)
        model.fit(X, y)
        self.model_ = model
        self.classes_ = model.classes_
        self.coef_ = model.coef_[0].copy()
        self.intercept_ = float(model.intercept_[0])
        return self

    def predict_proba(self, X: NDArray[np.float64]) -> NDArray[np.float64]:
        check_is_fitted(self)
        return self.model_.predict_proba(validate_data(self, X, reset=False, dtype=np.float64))

    def predict(self, X: NDArray[np.float64]) -> NDArray:
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags


def _incidence(items: Sequence[Iterable[str]], vocab: Mapping[str, int]) -> sparse.csr_matrix:
    indptr = [0]
    indices: list[int] = []
    for row in items:
        cols = sorted({vocab[x] for x in row if x in vocab})
        indices.extend(cols)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(items), len(vocab)))


def _overlap(
    left: Sequence[frozenset[str]], right: Sequence[frozenset[str]]
) -> tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.float32]]:
    """Intersection sizes (P × O) and both sides' set sizes."""
    vocab = {x: k for k, x in enumerate(sorted(set().union(*left, *right)))}
    a, b = _incidence(left, vocab), _incidence(right, vocab)
    inter = (a @ b.T).toarray() if vocab else np.zeros((len(left), len(right)), np.float32)
    return inter, np.asarray(a.sum(axis=1)).ravel(), np.asarray(b.sum(axis=1)).ravel()


def _ratio(num: NDArray, den: NDArray) -> NDArray[np.float32]:
    out = np.zeros(np.broadcast_shapes(num.shape, den.shape), dtype=np.float32)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _money(x: float) -> str:
    for unit, size in (("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if abs(x) >= size:
            return f"{x / size:g}{unit}"
    return f"{x:g}"


def _span(lo: float | None, hi: float | None) -> str:
    return f"{_money(lo) if lo is not None else '0'}–{_money(hi) if hi is not None else '∞'}"


class MatchScorer:
    """Score projects × offers; hard filters, rules, TF-IDF text similarity, learned outcomes.

    Parameters
    ----------
    weights
        per offer kind, weight of each of :data:`FEATURES` (default :data:`DEFAULT_WEIGHTS`).
    blend
        share of the learned acceptance probability in the score once a model is fitted.
    C
        inverse regularisation strength of the outcome model.
    min_outcomes
        fewer labelled intros than this (or only one class) and no model is fitted.
    top_terms
        shared terms reported per explanation.
    max_features
        TF-IDF vocabulary cap.
    """

    def __init__(
        self,
        weights: Mapping[str, Mapping[str, float]] | None = None,
        blend: float = 0.5,
        C: float = 1.0,
        min_outcomes: int = 10,
        top_terms: int = 5,
        max_features: int = 50_000,
    ) -> None:
        self.weights = weights
        self.blend = blend
        self.C = C
        self.min_outcomes = min_outcomes
        self.top_terms = top_terms
        self.max_features = max_features

    # --- fitting -------------------------------------------------------------------------

    def fit(
        self,
        projects: Sequence[Project],
        offers: Sequence[Offer],
        outcomes: Iterable[tuple[str, str, bool]] = (),
    ) -> MatchScorer:
        """Learn the TF-IDF vocabulary from all texts and, given enough past intros
        ``(project_id, offer_id, accepted)``, the outcome model."""
        weights = self.weights if self.weights is not None else DEFAULT_WEIGHTS
        self.weight_matrix_ = np.array(
            [[float(weights.get(kind, {}).get(f, 0.0)) for f in FEATURES] for kind in OFFER_KINDS]
        )
        texts = [p.description for p in projects] + [o.description for o in offers]
        vectorizer = TfidfVectorizer(
            analyzer=tokenize, sublinear_tf=True, max_features=self.max_features, dtype=np.float32
        )
        try:
            vectorizer.fit(texts)
            self.vectorizer_: TfidfVectorizer | None = vectorizer
            self.terms_ = vectorizer.get_feature_names_out()
        except ValueError:
            self.vectorizer_ = None
            self.terms_ = np.array([], dtype=object)
        self.outcome_model_: OutcomeModel | None = None
        labelled = list(outcomes)
        if len(labelled) >= self.min_outcomes and len({bool(a) for *_, a in labelled}) == 2:
            p_index = {p.id: k for k, p in enumerate(projects)}
            o_index = {o.id: k for k, o in enumerate(offers)}
            known = [
                (p_index[p], o_index[o], a) for p, o, a in labelled if p in p_index and o in o_index
            ]
            if len(known) >= self.min_outcomes and len({bool(a) for *_, a in known}) == 2:
                rows = np.array([r for r, _, _ in known])
                cols = np.array([c for _, c, _ in known])
                feats, _, kinds = self._features(projects, offers)
                X = self._model_input(feats[:, rows, cols].T, kinds[cols])
                y = np.array([bool(a) for *_, a in known], dtype=int)
                self.outcome_model_ = OutcomeModel(C=self.C).fit(X, y)
        return self

    @staticmethod
    def _model_input(feats: NDArray, kinds: NDArray[np.int64]) -> NDArray[np.float64]:
        onehot = np.zeros((kinds.shape[0], len(OFFER_KINDS)))
        onehot[np.arange(kinds.shape[0]), kinds] = 1.0
        return np.hstack([feats, onehot])

    # --- features ------------------------------------------------------------------------

    def _text_vectors(self, projects, offers):
        if self.vectorizer_ is None:
            return (
                sparse.csr_matrix((len(projects), 0), dtype=np.float32),
                sparse.csr_matrix((len(offers), 0), dtype=np.float32),
            )
        xp = self.vectorizer_.transform([p.description for p in projects]).tocsr()
        xo = self.vectorizer_.transform([o.description for o in offers]).tocsr()
        return xp, xo

    def _features(self, projects, offers):
        """Features (F × P × O), the allowed mask (P × O) and each offer's kind index."""
        n_p, n_o = len(projects), len(offers)
        kinds = np.array([OFFER_KINDS.index(o.kind) for o in offers], dtype=np.int64)
        investor = kinds == OFFER_KINDS.index("investor")

        inter, n_ps, n_os = _overlap([p.sectors for p in projects], [o.sectors for o in offers])
        sector = _ratio(inter, np.minimum(n_ps[:, None], n_os[None, :]))

        stage_in, _, n_ostages = _overlap(
            [frozenset([p.stage]) if p.stage else frozenset() for p in projects],
            [o.stages for o in offers],
        )
        stage_known = (
            np.array([bool(p.stage) for p in projects])[:, None] & (n_ostages > 0)[None, :]
        )
        stage = np.where(stage_known, (stage_in > 0).astype(np.float32), np.float32(0.5))

        inter, n_pskills, _ = _overlap([p.skills for p in projects], [o.skills for o in offers])
        skills = _ratio(inter, n_pskills[:, None]) * (kinds == OFFER_KINDS.index("talent"))[None, :]

        inter, n_ptopics, _ = _overlap([p.topics for p in projects], [o.topics for o in offers])
        topical = (kinds == OFFER_KINDS.index("mentor")) | (kinds == OFFER_KINDS.index("service"))
        topics = _ratio(inter, n_ptopics[:, None]) * topical[None, :]

        xp, xo = self._text_vectors(projects, offers)
        text = (xp @ xo.T).toarray() if xp.shape[1] else np.zeros((n_p, n_o), np.float32)
        np.clip(text, 0.0, 1.0, out=text)

        allowed = self._filters(projects, offers, kinds, investor, stage_known, stage_in)
        feats = np.stack([sector, stage, skills, topics, text.astype(np.float32)])
        return feats, allowed, kinds

    @staticmethod
    def _filters(projects, offers, kinds, investor, stage_known, stage_in):
        n_p, _n_o = len(projects), len(offers)
        needs = np.zeros((n_p, len(OFFER_KINDS)), dtype=bool)
        for k, p in enumerate(projects):
            if not p.needs:
                needs[k] = True
            for need in p.needs:
                if need in OFFER_KINDS:
                    needs[k, OFFER_KINDS.index(need)] = True
        allowed = needs[:, kinds]

        allowed &= ~(investor[None, :] & stage_known & (stage_in == 0))

        ask_lo = np.array([p.ask_min if p.ask_min is not None else 0.0 for p in projects])
        ask_hi = np.array([p.ask_max if p.ask_max is not None else math.inf for p in projects])
        has_ask = np.array([p.ask_min is not None or p.ask_max is not None for p in projects])
        t_lo = np.array([o.ticket_min if o.ticket_min is not None else 0.0 for o in offers])
        t_hi = np.array([o.ticket_max if o.ticket_max is not None else math.inf for o in offers])
        overlap = (ask_lo[:, None] <= t_hi[None, :]) & (t_lo[None, :] <= ask_hi[:, None])
        allowed &= ~(investor[None, :] & has_ask[:, None]) | overlap

        region_in, _, n_regions = _overlap(
            [frozenset([p.region]) if p.region else frozenset() for p in projects],
            [o.regions for o in offers],
        )
        region_known = np.array([bool(p.region) for p in projects])[:, None] & (n_regions > 0)
        allowed &= ~region_known | (region_in > 0)

        o_index = {o.id: k for k, o in enumerate(offers)}
        p_index = {p.id: k for k, p in enumerate(projects)}
        for k, p in enumerate(projects):
            for oid in p.exclude:
                if oid in o_index:
                    allowed[k, o_index[oid]] = False
        for k, o in enumerate(offers):
            for pid in o.exclude:
                if pid in p_index:
                    allowed[p_index[pid], k] = False
        return allowed

    # --- scoring -------------------------------------------------------------------------

    def score(self, projects: Sequence[Project], offers: Sequence[Offer]) -> NDArray[np.float64]:
        """projects × offers scores in [0, 1]; NaN where a hard filter removes the pair."""
        if not hasattr(self, "weight_matrix_"):
            raise NotFittedError("MatchScorer is not fitted yet; call fit() first")
        if not projects or not offers:
            return np.zeros((len(projects), len(offers)))
        feats, allowed, kinds = self._features(projects, offers)
        w = self.weight_matrix_[kinds].T.astype(np.float32)
        rule = np.einsum("fpo,fo->po", feats, w, dtype=np.float32, optimize=True)
        if self.outcome_model_ is not None:
            model = self.outcome_model_
            logit = np.einsum("fpo,f->po", feats, model.coef_[: len(FEATURES)].astype(np.float32))
            logit += (model.coef_[len(FEATURES) :][kinds] + model.intercept_)[None, :]
            proba = 1.0 / (1.0 + np.exp(-logit))
            score = (1.0 - self.blend) * rule + self.blend * proba
        else:
            score = rule
        return np.ascontiguousarray(np.where(allowed, score, np.nan), dtype=np.float64)

    def explain(
        self,
        projects: Sequence[Project],
        offers: Sequence[Offer],
        pairs: Sequence[tuple[int, int]],
        scores: NDArray[np.float64] | None = None,
    ) -> list[Explanation]:
        """Why each (project index, offer index) pair scores as it does.

        Pass the matrix from :meth:`score` as ``scores`` to avoid scoring twice."""
        if not pairs:
            return []
        if scores is None:
            scores = self.score(projects, offers)
        rows = np.array([p for p, _ in pairs], dtype=np.int64)
        cols = np.array([o for _, o in pairs], dtype=np.int64)
        xp, xo = self._text_vectors([projects[r] for r in rows], [offers[c] for c in cols])
        products = xp.multiply(xo).tocsr() if xp.shape[1] else None
        out = []
        for k, (r, c) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
            p, o = projects[r], offers[c]
            terms: tuple[str, ...] = ()
            similarity = 0.0
            if products is not None:
                start, end = products.indptr[k], products.indptr[k + 1]
                values = products.data[start:end]
                similarity = float(values.sum())
                top = np.argsort(-values, kind="stable")[: self.top_terms]
                terms = tuple(str(self.terms_[products.indices[start + t]]) for t in top)
            failed = _failed_filters(p, o)
            value = float(scores[r, c])
            if failed:
                reasons, criteria = zip(*failed, strict=True)
                out.append(Explanation(p.id, o.id, math.nan, False, reasons, terms, criteria))
                continue
            matched = _matched_criteria(p, o, similarity)
            if self.outcome_model_ is not None:
                matched.append(("learned from past intro outcomes", ("learned", ())))
            reasons, criteria = zip(*matched, strict=True) if matched else ((), ())
            out.append(Explanation(p.id, o.id, value, True, reasons, terms, criteria))
        return out


Reason = tuple[str, tuple[str, tuple[str, ...]]]
"""An English sentence and the same reason as data."""


def _failed_filters(p: Project, o: Offer) -> list[Reason]:
    failed: list[Reason] = []
    if p.needs and o.kind not in p.needs:
        failed.append((f"project does not need a {o.kind}", ("need", (o.kind,))))
    if o.kind == "investor":
        if p.stage and o.stages and p.stage not in o.stages:
            stages = sorted(o.stages)
            failed.append((f"stage {p.stage} not in {', '.join(stages)}", ("stage", (p.stage,))))
        if p.ask_min is not None or p.ask_max is not None:
            lo = p.ask_min if p.ask_min is not None else 0.0
            hi = p.ask_max if p.ask_max is not None else math.inf
            t_lo = o.ticket_min if o.ticket_min is not None else 0.0
            t_hi = o.ticket_max if o.ticket_max is not None else math.inf
            if lo > t_hi or t_lo > hi:
                text = (
                    f"ask {_span(p.ask_min, p.ask_max)} outside ticket "
                    f"{_span(o.ticket_min, o.ticket_max)}"
                )
                failed.append((text, ("ticket", ())))
    if p.region and o.regions and p.region not in o.regions:
        text = f"region {p.region} not in {', '.join(sorted(o.regions))}"
        failed.append((text, ("region", (p.region,))))
    if o.id in p.exclude:
        failed.append(("excluded by the project", ("excluded_by_project", ())))
    if p.id in o.exclude:
        failed.append(("excluded by the offer", ("excluded_by_offer", ())))
    return failed


def _matched_criteria(p: Project, o: Offer, similarity: float) -> list[Reason]:
    reasons: list[Reason] = []
    if shared := tuple(sorted(p.sectors & o.sectors)):
        reasons.append((f"sectors: {', '.join(shared)}", ("sectors", shared)))
    if p.stage and p.stage in o.stages:
        reasons.append((f"stage: {p.stage}", ("stage", (p.stage,))))
    has_ask = p.ask_min is not None or p.ask_max is not None
    has_ticket = o.ticket_min is not None or o.ticket_max is not None
    if o.kind == "investor" and has_ask and has_ticket:
        ask, ticket = _span(p.ask_min, p.ask_max), _span(o.ticket_min, o.ticket_max)
        text = f"ask {ask} within ticket {ticket}"
        reasons.append((text, ("ticket", ())))
    if p.region and p.region in o.regions:
        reasons.append((f"region: {p.region}", ("region", (p.region,))))
    if o.kind == "talent" and (shared := tuple(sorted(p.skills & o.skills))):
        reasons.append((f"skills: {', '.join(shared)}", ("skills", shared)))
    if o.kind in ("mentor", "service") and (shared := tuple(sorted(p.topics & o.topics))):
        reasons.append((f"topics: {', '.join(shared)}", ("topics", shared)))
    if similarity > 0:
        reasons.append((f"text similarity {similarity:.2f}", ("text", (f"{similarity:.2f}",))))
    return reasons


def top_matches(scores: NDArray[np.float64], k: int, axis: int = 1) -> NDArray[np.int64]:
    """Indices of the ``k`` best entries per row (``axis=1``: offers for each project) or per
    column (``axis=0``: projects for each offer), best first; -1 pads where fewer are allowed.
    Recommendations go both ways, so both directions come from the same matrix."""
    s = np.asarray(scores, dtype=float)
    if axis == 0:
        s = s.T
    n = s.shape[1]
    k = min(k, n)
    if k <= 0:
        return np.zeros((s.shape[0], 0), dtype=np.int64)
    filled = np.where(np.isfinite(s), s, -np.inf)
    idx = np.argsort(-filled, axis=1, kind="stable")[:, :k]
    valid = np.isfinite(np.take_along_axis(filled, idx, axis=1))
    return np.where(valid, idx, -1).astype(np.int64)
