"""A discrete Bayesian network with operator-editable tables and exact inference, its
validation, its cross-validation and the default success network."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike
from sklearn.model_selection import StratifiedKFold

from seedbed.engine.predict.common import (
    CodedValueError,
    Verdict,
    join_list,
    make_verdict,
    problem,
)
from seedbed.engine.predict.validation import CrossValidation


class NetworkValidationError(ValueError):
    """An invalid network or table; ``errors`` lists every problem, to fix all at once."""

    def __init__(self, errors: Sequence[str]):
        self.errors = list(errors)
        super().__init__("invalid Bayesian network: " + "; ".join(self.errors))


class ImpossibleEvidenceError(CodedValueError):
    """The evidence has probability zero under the network, so no posterior exists.

    Its code is ``"impossible_evidence"`` with ``{"evidence": {variable: state, ...}}``.
    """

    def __init__(self, evidence: Mapping[str, str] | None):
        shown = ", ".join(f"{v}={s}" for v, s in (evidence or {}).items())
        super().__init__(
            f"the evidence ({shown}) has probability zero under this network",
            "impossible_evidence",
            evidence=dict(evidence or {}),
        )


@dataclass
class _Factor:
    scope: tuple[str, ...]
    table: np.ndarray


def _aligned(f: _Factor, scope: tuple[str, ...]) -> np.ndarray:
    present = [v for v in scope if v in f.scope]
    t = np.transpose(f.table, [f.scope.index(v) for v in present])
    shape = [t.shape[present.index(v)] if v in f.scope else 1 for v in scope]
    return t.reshape(shape)


def _multiply(factors: Sequence[_Factor]) -> _Factor:
    scope: tuple[str, ...] = ()
    for f in factors:
        scope += tuple(v for v in f.scope if v not in scope)
    table = np.ones([1] * len(scope))
    for f in factors:
        table = table * _aligned(f, scope)
    return _Factor(scope, table)


def _sum_out(f: _Factor, var: str) -> _Factor:
    axis = f.scope.index(var)
    return _Factor(f.scope[:axis] + f.scope[axis + 1 :], f.table.sum(axis=axis))


_FORMAT = "seedbed.bayesian_network"


class BayesianNetwork:
    """A discrete Bayesian network with operator-editable tables and exact inference.

    Structure (variables, their states, their parents) is given up front; the conditional
    probability tables come from ``fit`` (counts with Dirichlet smoothing), from ``set_cpt``
    (an operator's edit) or from ``from_dict`` (what the database stores). Queries use variable
    elimination over the ancestors of the query and evidence only, so editing an unrelated
    table never changes, or slows, an answer.

    ``cpts_[v]`` has one axis per parent (in ``parents[v]`` order) and a last axis over ``v``'s
    states; every slice along the last axis sums to one.
    """

    def __init__(
        self,
        states: Mapping[str, Sequence[str]],
        parents: Mapping[str, Sequence[str]] | None = None,
        *,
        alpha: float = 1.0,
        tol: float = 1e-6,
    ):
        parents = parents or {}
        errors = _structure_errors(states, parents)
        if errors:
            raise NetworkValidationError(errors)
        if alpha < 0:
            raise ValueError(f"alpha must be non-negative, got {alpha}")
        self.states = {str(v): tuple(s) for v, s in states.items()}
        self.parents = {v: tuple(parents.get(v, ())) for v in self.states}
        self.alpha = alpha
        self.tol = tol
        self.cpts_: dict[str, np.ndarray] = {}
        self._order = _topological_order(self.parents)

    @property
    def variables(self) -> list[str]:
        return list(self.states)

    def _shape(self, var: str) -> tuple[int, ...]:
        return (*(len(self.states[p]) for p in self.parents[var]), len(self.states[var]))

    # -- tables ------------------------------------------------------------------------------

    def set_cpt(self, variable: str, table: Any) -> BayesianNetwork:
        """Replace one table after validating it; accepts rows (as in ``to_dict``) or an array.

        Rows are ``{"given": {parent: state}, "probabilities": {state: p}}``; for a variable
        without parents a bare ``{state: p}`` mapping is accepted too.
        """
        if variable not in self.states:
            raise NetworkValidationError([f"unknown variable {variable!r}"])
        array, errors = self._parse_cpt(variable, table)
        if errors:
            raise NetworkValidationError(errors)
        self.cpts_[variable] = array
        return self

    def cpt_rows(self, variable: str) -> list[dict[str, Any]]:
        """The table of ``variable`` as editable rows, one per combination of parent states."""
        self._require_cpt(variable)
        rows = []
        parent_states = [self.states[p] for p in self.parents[variable]]
        for combo in itertools.product(*[range(len(s)) for s in parent_states]):
            probs = self.cpts_[variable][combo]
            rows.append(
                {
                    "given": {
                        p: self.states[p][i]
                        for p, i in zip(self.parents[variable], combo, strict=True)
                    },
                    "probabilities": {
                        s: float(probs[i]) for i, s in enumerate(self.states[variable])
                    },
                }
            )
        return rows

    def _require_cpt(self, variable: str) -> None:
        if variable not in self.cpts_:
            raise ValueError(f"no probability table for {variable!r} yet; call fit or set_cpt")

    def _parse_cpt(self, var: str, table: Any) -> tuple[np.ndarray, list[str]]:
        shape = self._shape(var)
        errors: list[str] = []
        if isinstance(table, np.ndarray) or (
            isinstance(table, list | tuple) and table and not isinstance(table[0], Mapping)
        ):
            try:
                array = np.array(table, dtype=float)
            except (TypeError, ValueError):
                return np.zeros(shape), [f"{var}: the table is not numeric"]
            if array.shape != shape:
                return array, [
                    f"{var}: the table has shape {array.shape}, expected {shape} "
                    f"(parents {list(self.parents[var])} then {var})"
                ]
            for combo in itertools.product(*[range(k) for k in shape[:-1]]):
                label = self._row_label(var, combo)
                probs = dict(zip(self.states[var], array[combo].tolist(), strict=True))
                errors += self._row_errors(var, label, probs)
            if not errors:
                array = array / array.sum(axis=-1, keepdims=True)
            return array, errors

        if isinstance(table, Mapping) and not self.parents[var] and "probabilities" not in table:
            table = [{"given": {}, "probabilities": table}]
        if not isinstance(table, list | tuple):
            return np.zeros(shape), [f"{var}: the table must be a list of rows"]
        array = np.full(shape, np.nan)
        seen: set[tuple[int, ...]] = set()
        for r, row in enumerate(table, start=1):
            if not isinstance(row, Mapping) or "probabilities" not in row:
                errors.append(f"{var}: row {r} must have 'given' and 'probabilities'")
                continue
            given = row.get("given") or {}
            if not isinstance(given, Mapping):
                errors.append(f"{var}: row {r}: 'given' must map parent names to states")
                continue
            extra = [p for p in given if p not in self.parents[var]]
            missing = [p for p in self.parents[var] if p not in given]
            if extra:
                errors.append(
                    f"{var}: row {r} names {join_list(extra)}, which "
                    f"{'is not a parent' if len(extra) == 1 else 'are not parents'}"
                    f" of {var}"
                )
            if missing:
                errors.append(
                    f"{var}: row {r} does not give the state of parent {join_list(missing)}"
                )
            if extra or missing:
                continue
            indices: list[int] = []
            for p in self.parents[var]:
                if given[p] not in self.states[p]:
                    errors.append(
                        f"{var}: row {r}: {given[p]!r} is not a state of {p} "
                        f"(states: {', '.join(self.states[p])})"
                    )
                    break
                indices.append(self.states[p].index(given[p]))
            else:
                key = tuple(indices)
                label = self._row_label(var, key)
                if key in seen:
                    errors.append(f"{var}: the row for {label} appears more than once")
                    continue
                seen.add(key)
                probs = row["probabilities"]
                if not isinstance(probs, Mapping):
                    errors.append(
                        f"{var}: row for {label}: 'probabilities' must map states to numbers"
                    )
                    continue
                row_errors = self._row_errors(var, label, probs)
                errors += row_errors
                if not row_errors:
                    values = np.array([float(probs[s]) for s in self.states[var]])
                    array[key] = values / values.sum()
        for combo in itertools.product(*[range(k) for k in shape[:-1]]):
            if tuple(combo) not in seen:
                errors.append(f"{var}: no row for {self._row_label(var, tuple(combo))}")
        return array, errors

    def _row_label(self, var: str, combo: tuple[int, ...]) -> str:
        if not self.parents[var]:
            return "its prior"
        return ", ".join(
            f"{p}={self.states[p][i]}" for p, i in zip(self.parents[var], combo, strict=True)
        )

    def _row_errors(self, var: str, label: str, probs: Mapping[str, Any]) -> list[str]:
        errors = []
        extra = [s for s in probs if s not in self.states[var]]
        missing = [s for s in self.states[var] if s not in probs]
        if extra:
            errors.append(
                f"{var}: row for {label} has {join_list(extra)}, not "
                f"{'a state' if len(extra) == 1 else 'states'} of {var}"
            )
        if missing:
            errors.append(f"{var}: row for {label} has no probability for {join_list(missing)}")
        if extra or missing:
            return errors
        values = []
        for s in self.states[var]:
            value = probs[s]
            if isinstance(value, bool) or not isinstance(value, int | float | np.number):
                errors.append(
                    f"{var}: row for {label}: P({var}={s}) must be a number, got {value!r}"
                )
                continue
            value = float(value)
            if not math.isfinite(value) or not 0.0 <= value <= 1.0:
                errors.append(
                    f"{var}: row for {label}: P({var}={s}) = {value:g} is not between 0 and 1"
                )
            values.append(value)
        if not errors and abs(sum(values) - 1.0) > self.tol:
            errors.append(f"{var}: row for {label} sums to {sum(values):.6g}, not 1")
        return errors

    # -- description -------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly description (structure and every table row) for storage and editing."""
        return {
            "format": _FORMAT,
            "version": 1,
            "variables": [
                {
                    "name": v,
                    "states": list(self.states[v]),
                    "parents": list(self.parents[v]),
                    "cpt": self.cpt_rows(v) if v in self.cpts_ else [],
                }
                for v in self.states
            ],
        }

    @classmethod
    def from_dict(
        cls, description: Mapping[str, Any], *, tol: float = 1e-6, alpha: float = 1.0
    ) -> BayesianNetwork:
        """Rebuild a network from ``to_dict`` output, reporting every problem at once."""
        errors = validate_network_description(description, tol=tol)
        if errors:
            raise NetworkValidationError(errors)
        network = cls(*_structure_of(description), alpha=alpha, tol=tol)
        for spec in description["variables"]:
            network.set_cpt(spec["name"], spec["cpt"])
        return network

    # -- learning ----------------------------------------------------------------------------

    def fit(
        self,
        data: Iterable[Mapping[str, Any]] | ArrayLike,
        *,
        columns: Sequence[str] | None = None,
        prior: Literal["uniform", "tables"] = "uniform",
    ) -> BayesianNetwork:
        """Learn every table from observations: counts plus ``alpha`` pseudo-counts per cell.

        ``data`` is a list of records (missing keys or None mean "not observed") or a 2-D array
        of state labels whose columns are ``columns`` (default: ``variables``). Each table uses
        the rows where the variable and its parents are all observed. With ``prior="tables"``
        the pseudo-counts follow the current (e.g. operator-edited) tables instead of being
        uniform, so data refines expert judgement rather than replacing it.
        """
        if prior not in ("uniform", "tables"):
            raise ValueError(f"prior must be 'uniform' or 'tables', got {prior!r}")
        if prior == "tables":
            for v in self.states:
                self._require_cpt(v)
        index = self._encode(data, columns)
        cpts, counts = {}, {}
        for v in self.states:
            family = [*self.parents[v], v]
            shape = self._shape(v)
            observed = np.all([index[u] >= 0 for u in family], axis=0)
            count = np.zeros(shape)
            if observed.any():
                np.add.at(count, tuple(index[u][observed] for u in family), 1.0)
            k = shape[-1]
            pseudo = (
                self.alpha * k * self.cpts_[v] if prior == "tables" else np.full(shape, self.alpha)
            )
            total = count + pseudo
            denom = total.sum(axis=-1, keepdims=True)
            with np.errstate(invalid="ignore", divide="ignore"):
                cpt = np.where(denom > 0, total / np.where(denom > 0, denom, 1.0), 1.0 / k)
            cpts[v], counts[v] = cpt, count
        self.cpts_ = cpts
        self.counts_ = counts
        self.n_samples_ = len(next(iter(index.values()))) if index else 0
        return self

    def _encode(self, data: Any, columns: Sequence[str] | None) -> dict[str, np.ndarray]:
        lookup = {v: {s: i for i, s in enumerate(states)} for v, states in self.states.items()}

        def code(v: str, value: Any, r: int) -> int:
            if value is None or (isinstance(value, float) and math.isnan(value)):
                return -1
            found = lookup[v].get(value)
            if found is None:
                found = lookup[v].get(str(value))
            if found is None:
                raise ValueError(
                    f"record {r + 1}: {value!r} is not a state of {v} "
                    f"(states: {', '.join(self.states[v])})"
                )
            return found

        if isinstance(data, np.ndarray) or (
            isinstance(data, list | tuple) and data and not isinstance(data[0], Mapping)
        ):
            array = np.asarray(data, dtype=object)
            if array.ndim != 2:
                raise ValueError("data must be a list of records or a 2-D array of states")
            cols = list(columns) if columns is not None else self.variables
            if len(cols) != array.shape[1]:
                raise ValueError(f"data has {array.shape[1]} columns but {len(cols)} names")
            unknown = [c for c in cols if c not in self.states]
            if unknown:
                raise ValueError(f"unknown column(s) {join_list(unknown)}")
            records: list[Mapping[str, Any]] = [
                dict(zip(cols, row, strict=True)) for row in array.tolist()
            ]
        else:
            records = list(data)
        index = {v: np.full(len(records), -1, dtype=np.intp) for v in self.states}
        for r, record in enumerate(records):
            for v in self.states:
                index[v][r] = code(v, record.get(v), r)
        return index

    # -- inference ---------------------------------------------------------------------------

    def _check_evidence(self, evidence: Mapping[str, str] | None) -> dict[str, int]:
        checked = {}
        for v, s in (evidence or {}).items():
            if v not in self.states:
                raise ValueError(f"unknown evidence variable {v!r}")
            if s not in self.states[v]:
                raise ValueError(
                    f"{s!r} is not a state of {v} (states: {', '.join(self.states[v])})"
                )
            checked[v] = self.states[v].index(s)
        for v in self.states:
            self._require_cpt(v)
        return checked

    def _ancestral_set(self, nodes: Iterable[str]) -> set[str]:
        todo, seen = list(nodes), set()
        while todo:
            v = todo.pop()
            if v not in seen:
                seen.add(v)
                todo.extend(self.parents[v])
        return seen

    def _eliminate(self, keep: tuple[str, ...], evidence: dict[str, int]) -> _Factor:
        relevant = self._ancestral_set([*keep, *evidence])
        factors = []
        for v in self._order:
            if v not in relevant:
                continue
            scope = (*self.parents[v], v)
            table = self.cpts_[v]
            index = tuple(evidence.get(u, slice(None)) for u in scope)
            factors.append(_Factor(tuple(u for u in scope if u not in evidence), table[index]))
        hidden = [v for v in relevant if v not in evidence and v not in keep]
        while hidden:
            var = min(hidden, key=lambda h: self._elimination_cost(h, factors))
            hidden.remove(var)
            bucket = [f for f in factors if var in f.scope]
            factors = [f for f in factors if var not in f.scope]
            factors.append(_sum_out(_multiply(bucket), var))
        result = _multiply(factors)
        return _Factor(keep, _aligned(result, keep)) if keep else result

    def _elimination_cost(self, var: str, factors: Sequence[_Factor]) -> int:
        scope: set[str] = set()
        for f in factors:
            if var in f.scope:
                scope.update(f.scope)
        return math.prod(len(self.states[u]) for u in scope)

    def probability_of_evidence(self, evidence: Mapping[str, str] | None = None) -> float:
        """P(evidence), by the same elimination that answers queries."""
        checked = self._check_evidence(evidence)
        return float(self._eliminate((), checked).table.sum())

    def query(self, target: str, evidence: Mapping[str, str] | None = None) -> dict[str, float]:
        """Posterior distribution of ``target`` given ``evidence``, by exact variable elimination.

        Raises ``ImpossibleEvidenceError`` when the evidence has probability zero.
        """
        if target not in self.states:
            raise ValueError(f"unknown target variable {target!r}")
        checked = self._check_evidence(evidence)
        if target in checked:
            if self._eliminate((), checked).table.sum() <= 0:
                raise ImpossibleEvidenceError(evidence)
            return {s: float(i == checked[target]) for i, s in enumerate(self.states[target])}
        unnormalised = self._eliminate((target,), checked).table
        z = float(unnormalised.sum())
        if not z > 0:
            raise ImpossibleEvidenceError(evidence)
        return {s: float(p) for s, p in zip(self.states[target], unnormalised / z, strict=True)}

    def query_by_enumeration(
        self, target: str, evidence: Mapping[str, str] | None = None
    ) -> dict[str, float]:
        """The same posterior by summing the full joint: exponential, kept as a reference."""
        if target not in self.states:
            raise ValueError(f"unknown target variable {target!r}")
        checked = self._check_evidence(evidence)
        names = self.variables
        position = {v: i for i, v in enumerate(names)}
        families = [
            (self.cpts_[v], [position[p] for p in self.parents[v]], position[v]) for v in names
        ]
        totals = np.zeros(len(self.states[target]))
        t = position[target]
        for assignment in itertools.product(*[range(len(self.states[v])) for v in names]):
            if any(assignment[position[v]] != i for v, i in checked.items()):
                continue
            p = 1.0
            for table, parent_pos, own in families:
                p *= table[(*(assignment[j] for j in parent_pos), assignment[own])]
            totals[assignment[t]] += p
        z = totals.sum()
        if not z > 0:
            raise ImpossibleEvidenceError(evidence)
        return {s: float(p) for s, p in zip(self.states[target], totals / z, strict=True)}

    def predict_proba(self, data: Iterable[Mapping[str, Any]], target: str) -> np.ndarray:
        """P(target) for each record, using the record's other observed values as evidence."""
        probabilities = []
        cache: dict[tuple[tuple[str, Any], ...], list[float]] = {}
        for record in data:
            evidence = {
                v: s
                for v, s in record.items()
                if v != target and v in self.states and s is not None
            }
            key = tuple(sorted(evidence.items()))
            if key not in cache:
                cache[key] = list(self.query(target, evidence).values())
            probabilities.append(cache[key])
        return np.array(probabilities).reshape(-1, len(self.states[target]))


def _structure_errors(states: Any, parents: Any) -> list[str]:
    errors: list[str] = []
    if not isinstance(states, Mapping) or not states:
        return ["the network needs at least one variable"]
    for v, s in states.items():
        if not isinstance(v, str) or not v:
            errors.append(f"variable name {v!r} must be a non-empty string")
            continue
        if isinstance(s, str) or not isinstance(s, Sequence):
            errors.append(f"{v}: states must be a list of names")
            continue
        if len(s) < 2:
            errors.append(f"{v}: needs at least two states, got {len(s)}")
        if any(not isinstance(x, str) or not x for x in s):
            errors.append(f"{v}: state names must be non-empty strings")
        elif len(set(s)) != len(s):
            errors.append(f"{v}: state names must be unique")
    if not isinstance(parents, Mapping):
        return [*errors, "parents must map each variable to a list of parent names"]
    for v, ps in parents.items():
        if v not in states:
            errors.append(f"parents given for unknown variable {v!r}")
            continue
        if isinstance(ps, str) or not isinstance(ps, Sequence):
            errors.append(f"{v}: parents must be a list of variable names")
            continue
        for p in ps:
            if p == v:
                errors.append(f"{v}: a variable cannot be its own parent")
            elif p not in states:
                errors.append(f"{v}: parent {p!r} does not exist")
        if len(set(ps)) != len(ps):
            errors.append(f"{v}: a parent is listed twice")
    if errors:
        return errors
    cycle = _find_cycle({v: tuple(parents.get(v, ())) for v in states})
    if cycle:
        errors.append("the parents form a cycle: " + " → ".join(cycle))
    return errors


def _find_cycle(parents: Mapping[str, Sequence[str]]) -> list[str] | None:
    colour = dict.fromkeys(parents, 0)
    stack: list[str] = []

    def visit(v: str) -> list[str] | None:
        colour[v] = 1
        stack.append(v)
        for p in parents[v]:
            if colour[p] == 1:
                loop = [*stack[stack.index(p) :], p]
                return list(reversed(loop))
            if colour[p] == 0:
                found = visit(p)
                if found:
                    return found
        stack.pop()
        colour[v] = 2
        return None

    for v in parents:
        if colour[v] == 0:
            found = visit(v)
            if found:
                return found
    return None


def _topological_order(parents: Mapping[str, Sequence[str]]) -> list[str]:
    order: list[str] = []
    placed: set[str] = set()
    while len(order) < len(parents):
        for v, ps in parents.items():
            if v not in placed and all(p in placed for p in ps):
                order.append(v)
                placed.add(v)
    return order


def _structure_of(
    description: Mapping[str, Any],
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    states = {spec["name"]: list(spec["states"]) for spec in description["variables"]}
    parents = {spec["name"]: list(spec.get("parents", [])) for spec in description["variables"]}
    return states, parents


def validate_network_description(description: Any, *, tol: float = 1e-6) -> list[str]:
    """Every problem in a stored or operator-edited description; empty means it is valid."""
    if not isinstance(description, Mapping):
        return ["the description must be an object"]
    fmt = description.get("format", _FORMAT)
    if fmt != _FORMAT:
        return [f"unknown format {fmt!r}"]
    specs = description.get("variables")
    if not isinstance(specs, list) or not specs:
        return ["'variables' must be a non-empty list"]
    errors = []
    names = []
    for i, spec in enumerate(specs, start=1):
        if not isinstance(spec, Mapping) or "name" not in spec or "states" not in spec:
            errors.append(f"variable {i} must have 'name', 'states', 'parents' and 'cpt'")
            continue
        names.append(spec["name"])
    if errors:
        return errors
    duplicates = sorted({str(n) for n in names if names.count(n) > 1})
    if duplicates:
        return [f"variable {d!r} is defined more than once" for d in duplicates]
    states, parents = _structure_of(description)
    errors = _structure_errors(states, parents)
    if errors:
        return errors
    network = BayesianNetwork(states, parents, tol=tol)
    for spec in specs:
        if "cpt" not in spec:
            errors.append(f"{spec['name']}: no 'cpt' rows")
            continue
        errors += network._parse_cpt(spec["name"], spec["cpt"])[1]
    return errors


def assess_network_fit(network: BayesianNetwork, *, min_per_row: int = 5) -> Verdict:
    """Say which learned table rows rest on too few observations to mean much.

    A row backed by a handful of cases mostly reflects the smoothing prior, which the page
    should say rather than show as if it were learned.
    """
    if not hasattr(network, "counts_"):
        return Verdict(
            False,
            "The tables were not learned from data (call fit first).",
            ("not fitted",),
            (("not_fitted", {}),),
        )
    problems = []
    for v in network.variables:
        row_counts = network.counts_[v].sum(axis=-1)
        thin = [
            (combo, int(row_counts[combo]))
            for combo in np.ndindex(row_counts.shape)
            if row_counts[combo] < min_per_row
        ]
        if thin:
            combo, count = min(thin, key=lambda item: item[1])
            given = [
                (p, network.states[p][i]) for p, i in zip(network.parents[v], combo, strict=True)
            ]
            problems.append(
                problem(
                    f"{v}: {len(thin)} of {row_counts.size} "
                    f"row{'s' if row_counts.size != 1 else ''} have fewer than {min_per_row} "
                    f"observations (fewest: {network._row_label(v, combo)} with {count})",
                    "thin_rows",
                    variable=v,
                    thin=len(thin),
                    rows=int(row_counts.size),
                    min=min_per_row,
                    given=given,
                    count=count,
                )
            )
    n = network.n_samples_
    return make_verdict(problems, f"{n} observations", ("observations", {"n": n}))


def cross_validate_network(
    network: BayesianNetwork,
    data: Sequence[Mapping[str, Any]],
    target: str,
    *,
    n_splits: int = 5,
    random_state: int | None = 0,
) -> CrossValidation:
    """Learn the tables on each training fold and predict ``target`` on the held-out records.

    Reports accuracy, log loss and Brier score against the training fold's base rate, so the
    page can tell whether the network knows more than the overall frequency.
    """
    records = [r for r in data if r.get(target) is not None]
    states = network.states[target]
    unknown = sorted({str(r[target]) for r in records if str(r[target]) not in states})
    if unknown:
        raise CodedValueError(
            f"{join_list(unknown)} not states of {target} (states: {', '.join(states)})",
            "unknown_states",
            values=unknown,
            variable=target,
            states=list(states),
        )
    labels = np.array([states.index(str(r[target])) for r in records], dtype=np.intp)
    k = len(network.states[target])
    _, counts = np.unique(labels, return_counts=True)
    if len(counts) < 2 or counts.min() < 2:
        raise CodedValueError(
            f"need at least 2 records of at least two states of {target} to cross-validate",
            "too_few_outcomes",
            variable=target,
        )
    splits = min(n_splits, int(counts.min()))
    splitter = StratifiedKFold(splits, shuffle=random_state is not None, random_state=random_state)
    folds = []
    for train, test in splitter.split(np.zeros(len(labels)), labels):
        fold_net = BayesianNetwork(
            network.states, network.parents, alpha=network.alpha, tol=network.tol
        )
        fold_net.fit([records[i] for i in train])
        probs = fold_net.predict_proba([records[i] for i in test], target)
        truth = labels[test]
        base = np.bincount(labels[train], minlength=k) + network.alpha
        base = base / base.sum()
        onehot = np.eye(k)[truth]
        eps = 1e-12
        folds.append(
            {
                "accuracy": float(np.mean(probs.argmax(axis=1) == truth)),
                "log_loss": float(
                    -np.mean(np.log(np.clip(probs[np.arange(len(truth)), truth], eps, 1.0)))
                ),
                "brier": float(np.mean(((probs - onehot) ** 2).sum(axis=1))),
                "baseline_log_loss": float(-np.mean(np.log(np.clip(base[truth], eps, 1.0)))),
                "baseline_accuracy": float(np.mean(truth == base.argmax())),
                "n_train": float(len(train)),
                "n_test": float(len(test)),
            }
        )
    note, note_code = "", None
    if splits < n_splits:
        note, note_code = f"reduced to {splits} folds", ("fewer_folds", {"k": splits})
    method_code = ("stratified_k_fold", {"k": splits})
    return CrossValidation(folds, f"stratified {splits}-fold", note, method_code, note_code)


def default_startup_network() -> BayesianNetwork:
    """Funding, market and technology → success, with plausible tables an operator can edit.

    The numbers are a starting point, not evidence: technology and market matter more than
    funding alone, and no combination makes success certain.
    """
    yes_no = ("yes", "no")
    network = BayesianNetwork(
        {"funding": yes_no, "market": yes_no, "technology": yes_no, "success": yes_no},
        {"success": ("funding", "market", "technology")},
    )
    network.set_cpt("funding", {"yes": 0.3, "no": 0.7})
    network.set_cpt("market", {"yes": 0.5, "no": 0.5})
    network.set_cpt("technology", {"yes": 0.6, "no": 0.4})
    success = {
        ("yes", "yes", "yes"): 0.8,
        ("yes", "yes", "no"): 0.2,
        ("yes", "no", "yes"): 0.4,
        ("yes", "no", "no"): 0.1,
        ("no", "yes", "yes"): 0.5,
        ("no", "yes", "no"): 0.1,
        ("no", "no", "yes"): 0.2,
        ("no", "no", "no"): 0.05,
    }
    network.set_cpt(
        "success",
        [
            {
                "given": dict(zip(("funding", "market", "technology"), combo, strict=True)),
                "probabilities": {"yes": p, "no": round(1.0 - p, 10)},
            }
            for combo, p in success.items()
        ],
    )
    return network
