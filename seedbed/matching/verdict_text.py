"""The engine's verdicts, cross-validation methods and refusals, worded in the reader's language.

The engine never imports Django, so it says everything twice: an English sentence and a stable
code with parameters (``seedbed.engine.predict.Code``). This module turns codes into whole
translated sentences with named placeholders, at render time (the fitted models are stored
once for every language). A code it does not know falls back to the engine's English, never an
error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from seedbed.engine.predict import Code, Verdict

# Plain msgids (no msgctxt): the catalogue's tests read entries without contexts.
VARIABLES = {
    "funding": gettext_lazy("funding"),
    "market": gettext_lazy("market"),
    "technology": gettext_lazy("technology"),
    "success": gettext_lazy("success"),
}
STATES = {
    "yes": gettext_lazy("yes"),
    "no": gettext_lazy("no"),
}
ITS_PRIOR = gettext_lazy("its prior")


def variable_label(name: str) -> str:
    """A known network variable in the reader's language; any other name as it is."""
    return str(VARIABLES.get(name, name))


def state_label(state: str) -> str:
    return str(STATES.get(state, state))


def join(items: Iterable[str]) -> str:
    return _(", ").join(items)


def evidence_text(evidence: Iterable[tuple[str, str]] | Mapping[str, str]) -> str:
    """``funding=yes, market=no`` with both sides labelled."""
    pairs = evidence.items() if isinstance(evidence, Mapping) else evidence
    return join(
        _("%(variable)s=%(state)s") % {"variable": variable_label(v), "state": state_label(s)}
        for v, s in pairs
    )


def _thin_rows(p: dict[str, Any]) -> str:
    fewest = evidence_text(p["given"]) if p["given"] else str(ITS_PRIOR)
    return ngettext(
        "%(variable)s: %(thin)d of %(rows)d row have fewer than %(min)d observations "
        "(fewest: %(fewest)s with %(count)d)",
        "%(variable)s: %(thin)d of %(rows)d rows have fewer than %(min)d observations "
        "(fewest: %(fewest)s with %(count)d)",
        p["rows"],
    ) % (p | {"variable": variable_label(p["variable"]), "fewest": fewest})


def _label(p: dict[str, Any]) -> dict[str, Any]:
    return p | {"label": repr(p["label"])}


PROBLEMS: dict[str, Callable[[dict[str, Any]], str]] = {
    "too_few_samples": lambda p: (
        ngettext(
            "too few samples for %(features)d feature: have %(n)d, want at least %(needed)d",
            "too few samples for %(features)d features: have %(n)d, want at least %(needed)d",
            p["features"],
        )
        % p
    ),
    "missing_values": lambda p: _("some values are missing or infinite"),
    "missing_feature_values": lambda p: _("some feature values are missing or infinite"),
    "constant_target": lambda p: _("the target never changes, so there is nothing to explain"),
    "cannot_fit": lambda p: _("the model cannot be fitted: %(error)s") % p,
    "collinear": lambda p: (
        _(
            "features are nearly collinear (condition number %(condition)d), so individual "
            "coefficients are unreliable"
        )
        % p
    ),
    "rows_mismatch": lambda p: _("X has %(rows)d rows but y has %(targets)d") % p,
    "few_periods": lambda p: (
        ngettext(
            "only %(n)d period of history; want at least %(needed)d",
            "only %(n)d periods of history; want at least %(needed)d",
            p["n"],
        )
        % p
    ),
    "flat_series": lambda p: _("the series is flat, so the trend is trivially zero"),
    "one_class": lambda p: _("only one class present, so there is nothing to tell apart"),
    "small_class": lambda p: (
        ngettext(
            "class %(label)s has only %(n)d example; want at least %(needed)d",
            "class %(label)s has only %(n)d examples; want at least %(needed)d",
            p["n"],
        )
        % _label(p)
    ),
    "single_example_class": lambda p: (
        _(
            "class %(label)s has a single example; stratified cross-validation needs at least 2 "
            "per class"
        )
        % _label(p)
    ),
    "too_few_to_cross_validate": lambda p: _("too few samples to cross-validate: %(n)d") % p,
    "too_few_outcomes": lambda p: (
        _("need at least 2 records of at least two states of %(variable)s to cross-validate")
        % {"variable": variable_label(p["variable"])}
    ),
    "thin_rows": _thin_rows,
    "trend_needs_weeks": lambda p: (
        ngettext(
            "a trend needs at least %(needed)d complete week of history",
            "a trend needs at least %(needed)d complete weeks of history",
            p["needed"],
        )
        % p
    ),
    "cv_needs_projects": lambda p: (
        _("Cross-validation needs at least %(n)d finished projects; there are %(m)d.") % p
    ),
    "impossible_evidence": lambda p: (
        _("the evidence (%(evidence)s) has probability zero under this network")
        % {"evidence": evidence_text(p["evidence"])}
    ),
}

CONTEXTS: dict[str, Callable[[dict[str, Any]], str]] = {
    "samples_features": lambda p: (
        ngettext("%(n)d samples, %(p)d feature", "%(n)d samples, %(p)d features", p["p"]) % p
    ),
    "periods": lambda p: ngettext("%(n)d period", "%(n)d periods", p["n"]) % p,
    "observations": lambda p: ngettext("%(n)d observation", "%(n)d observations", p["n"]) % p,
}

METHODS: dict[str, Callable[[dict[str, Any]], str]] = {
    "stratified_k_fold": lambda p: _("stratified %(k)d-fold") % p,
    "k_fold": lambda p: _("%(k)d-fold") % p,
    "time_ordered_splits": lambda p: _("time-ordered %(k)d-split") % p,
    "fewer_folds": lambda p: _("reduced to %(k)d folds") % p,
    "fewer_folds_small_class": lambda p: (
        _("reduced to %(k)d folds because the smaller class has only %(smallest)d examples") % p
    ),
    "fewer_folds_few_samples": lambda p: (
        _("reduced to %(k)d folds because there are only %(n)d samples") % p
    ),
}


def _word(table: Mapping[str, Callable[[dict[str, Any]], str]], code: Code | None) -> str | None:
    """The code's sentence, or None when the code (or one of its parameters) is unknown."""
    if not code or code[0] not in table:
        return None
    try:
        return table[code[0]](dict(code[1]))
    except (KeyError, TypeError, ValueError):
        return None


def problem_text(code: Code | None, english: str) -> str:
    """One problem or refusal (e.g. a ``CodedValueError``'s code) in the reader's language."""
    return _word(PROBLEMS, code) or english


def method_text(code: Code | None, english: str) -> str:
    """A cross-validation method, its caveat, or why there is none."""
    return _word(METHODS, code) or _word(PROBLEMS, code) or english


def code_of(exc: Exception) -> Code:
    """The code an engine error carries; otherwise its English as a "cannot fit" detail."""
    code = getattr(exc, "code", None)
    if isinstance(code, str):
        return code, dict(getattr(exc, "params", {}))
    return "cannot_fit", {"error": str(exc)}


def verdict_sentence(verdict: Verdict) -> str:
    """The verdict as one sentence; its English ``message`` if any part has no wording here."""
    context = _word(CONTEXTS, verdict.context) if verdict.context else ""
    if context is None:
        return verdict.message
    if verdict.trustworthy:
        if not context:
            return verdict.message
        return _("Enough data to fit this model (%(context)s).") % {"context": context}
    problems = [_word(PROBLEMS, code) for code in verdict.reasons]
    if not problems or None in problems or len(problems) != len(verdict.problems):
        return verdict.message
    listed = _("; ").join(p for p in problems if p)
    if not context:
        return _("Not enough to trust yet: %(problems)s.") % {"problems": listed}
    return _("Not enough to trust yet (%(context)s): %(problems)s.") % {
        "context": context,
        "problems": listed,
    }


# Trends in plain words ---------------------------------------------------------------------------


def amount(value: float) -> str:
    """A weekly count as people say it: whole numbers from 3 up, one decimal below."""
    if value >= 3:
        return str(round(value))
    shown = f"{value:.1f}"
    return shown[:-2] if shown.endswith(".0") else shown


def _count(shown: str) -> int:
    """The number ngettext picks the plural by: "1" is singular, "0.5" and "1.5" are not."""
    return 1 if shown == "1" else 2 if "." in shown else int(shown)


# One whole sentence per series and direction, so translators see each as it is said.
TRENDS: dict[tuple[str, str], Callable[[int], str]] = {
    ("members", "none"): lambda n: ngettext(
        "No clear trend: expect about %(n)s new member a week.",
        "No clear trend: expect about %(n)s new members a week.",
        n,
    ),
    ("members", "up"): lambda n: ngettext(
        "Growing: about %(n)s more new member a week than %(weeks)d weeks ago.",
        "Growing: about %(n)s more new members a week than %(weeks)d weeks ago.",
        n,
    ),
    ("members", "down"): lambda n: ngettext(
        "Slowing: about %(n)s fewer new member a week than %(weeks)d weeks ago.",
        "Slowing: about %(n)s fewer new members a week than %(weeks)d weeks ago.",
        n,
    ),
    ("activity", "none"): lambda n: ngettext(
        "No clear trend: expect about %(n)s post or reply a week.",
        "No clear trend: expect about %(n)s posts and replies a week.",
        n,
    ),
    ("activity", "up"): lambda n: ngettext(
        "Growing: about %(n)s more post or reply a week than %(weeks)d weeks ago.",
        "Growing: about %(n)s more posts and replies a week than %(weeks)d weeks ago.",
        n,
    ),
    ("activity", "down"): lambda n: ngettext(
        "Shrinking: about %(n)s fewer post or reply a week than %(weeks)d weeks ago.",
        "Shrinking: about %(n)s fewer posts and replies a week than %(weeks)d weeks ago.",
        n,
    ),
    ("intros", "none"): lambda n: ngettext(
        "No clear trend: expect about %(n)s intro request a week.",
        "No clear trend: expect about %(n)s intro requests a week.",
        n,
    ),
    ("intros", "up"): lambda n: ngettext(
        "Growing: about %(n)s more intro request a week than %(weeks)d weeks ago.",
        "Growing: about %(n)s more intro requests a week than %(weeks)d weeks ago.",
        n,
    ),
    ("intros", "down"): lambda n: ngettext(
        "Shrinking: about %(n)s fewer intro request a week than %(weeks)d weeks ago.",
        "Shrinking: about %(n)s fewer intro requests a week than %(weeks)d weeks ago.",
        n,
    ),
}


def trend_sentence(key: str, trend: Mapping[str, Any]) -> str:
    """The verdict a non-statistician reads first: no clear trend and the level to expect, or
    the direction and how much the weekly count changed over the comparison window."""
    direction = trend["direction"]
    shown = amount(trend["level"] if direction == "none" else trend["change"])
    wording = TRENDS.get((key, direction))
    if wording is None:
        return ""
    return wording(_count(shown)) % {"n": shown, "weeks": trend.get("weeks", 8)}
