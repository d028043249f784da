"""``seedbed engine sentiment``, ``communities`` and ``activity``: community insight on plain files.

* ``sentiment --in posts.csv [--text-column text] --out scored.csv``: every input column plus
  ``language`` (zh or en), ``sentiment`` (a score in [-1, 1]) and ``sentiment_label``.
* ``communities --edges edges.csv --out nodes.csv``: ``source,target[,weight]`` with a header,
  or a bare edge list with ``--no-header`` (``--sep space`` splits on any run of blanks, as in
  SNAP's email-Eu-core); writes ``node,community,pagerank,betweenness`` (betweenness blank when
  the graph is too large for it) and prints the modularity.
* ``activity --events actions.csv --out members.csv``: ``member,action,timestamp[,target]``,
  the timestamp ISO 8601 (UTC unless it says otherwise) or seconds since the epoch; writes
  ``member,score,level,rule,churn_risk,reasons``. Churn risk is for members active in the last
  30 days, from a model fitted 30 days earlier; ``reasons`` are ``code=value`` pairs, ``;``-
  separated (codes and units in ``seedbed.engine.churn.REASON_UNITS``).

A file that cannot be used stops the command with exit status 2 and one line on stderr. Progress
goes to stderr, and only when stderr is a terminal.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from .cli import InputError, read_text

SEPARATORS = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "space": None}


def _separator(text: str) -> str | None:
    if text in SEPARATORS:
        return SEPARATORS[text]
    if len(text) != 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not one character (or tab, space)")
    return None if text == " " else text


def _say(message: str) -> None:
    if sys.stderr.isatty():
        print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Table:
    """A read file: its header (lower-cased names) and its rows with their line numbers."""

    path: str
    header: list[str]
    rows: list[tuple[int, list[str]]]

    def column(self, name: str) -> int:
        return self.header.index(name)


def _records(lines: Iterable[str], sep: str | None) -> Iterable[tuple[int, list[str]]]:
    if sep is None:
        for number, line in enumerate(lines, 1):
            yield number, line.split()
        return
    reader = csv.reader(lines, delimiter=sep, strict=True)
    for record in reader:
        yield reader.line_num, record


def read_table(
    path: str,
    required: Sequence[str],
    sep: str | None = ",",
    header: bool = True,
    optional: Sequence[str] = (),
) -> Table:
    """The rows of ``path``. Without a header, columns are named ``required`` then ``optional``
    in order. Refuses a missing file or column, a malformed or ragged row, and a file without
    rows."""
    text = read_text(path)
    names: list[str] | None = None if header else [*required, *optional]
    rows: list[tuple[int, list[str]]] = []
    try:
        for line, record in _records(text.splitlines(keepends=sep is not None), sep):
            if not any(cell.strip() for cell in record):
                continue
            if names is None:
                names = [cell.strip().lower() for cell in record]
                missing = [c for c in required if c not in names]
                if missing:
                    hint = " (is --sep right?)" if len(names) == 1 else ""
                    raise InputError(path, f"missing column {missing[0]!r}{hint}", line)
                continue
            width = len(names) if header else len(required)
            if len(record) < width:
                raise InputError(path, f"{len(record)} cells, expected {width}", line)
            rows.append((line, [cell.strip() for cell in record]))
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV ({exc})") from None
    if names is None:
        raise InputError(path, f"file is empty (expected a header: {','.join(required)})")
    if not rows:
        raise InputError(path, "no rows (only a header)" if header else "no rows")
    return Table(path, names, rows)


def _write(path: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
    except OSError as exc:
        raise InputError(path, f"cannot write: {exc.strerror or exc}") from None


def _number(path: str, line: int, column: str, raw: str, minimum: float | None = None) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise InputError(path, f"{column} {raw!r} is not a number", line) from None
    if not math.isfinite(value) or (minimum is not None and value < minimum):
        bound = f" >= {minimum:g}" if minimum is not None else ""
        raise InputError(path, f"{column} {raw!r} must be a finite number{bound}", line)
    return value


def parse_time(path: str, line: int, raw: str) -> float:
    """Seconds since the epoch from epoch seconds or ISO 8601 (naive times are UTC)."""
    try:
        return _number(path, line, "timestamp", raw)
    except InputError:
        pass
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise InputError(
            path, f"timestamp {raw!r} is neither ISO 8601 nor seconds since the epoch", line
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


# --- sentiment ------------------------------------------------------------------------------

ADDED = ("language", "sentiment", "sentiment_label")


def sentiment_command(args: argparse.Namespace) -> int:
    from .sentiment import load_model

    column = args.text_column.strip().lower()
    table = read_table(args.input, [column], args.sep)
    where = table.column(column)
    texts = [record[where] if where < len(record) else "" for _, record in table.rows]
    model = load_model()
    results = []
    for start in range(0, len(texts), 1000):
        results += model.analyse(texts[start : start + 1000])
        _say(f"sentiment: {min(start + 1000, len(texts)):,} of {len(texts):,} posts")
    keep = [i for i, name in enumerate(table.header) if name not in ADDED]
    header = [table.header[i] for i in keep] + list(ADDED)
    _write(
        args.out,
        header,
        (
            [record[i] if i < len(record) else "" for i in keep]
            + [r.language, f"{r.score:.4f}", r.label]
            for (_, record), r in zip(table.rows, results, strict=True)
        ),
    )
    counts = {label: sum(r.label == label for r in results) for label in ("positive", "neutral")}
    negative = len(results) - counts["positive"] - counts["neutral"]
    print(
        f"{len(results):,} posts: {counts['positive']:,} positive, {counts['neutral']:,} "
        f"neutral, {negative:,} negative; wrote {args.out}"
    )
    return 0


# --- communities ----------------------------------------------------------------------------


def communities_command(args: argparse.Namespace) -> int:
    from .graph import StructureAnalysis

    table = read_table(
        args.edges, ["source", "target"], args.sep, header=not args.no_header, optional=["weight"]
    )
    has_weight = "weight" in table.header
    w_at = table.column("weight") if has_weight else -1
    ids: dict[str, int] = {}
    sources, targets, weights = [], [], []
    for line, record in table.rows:
        source, target = record[table.column("source")], record[table.column("target")]
        if not source or not target:
            raise InputError(args.edges, "source or target is empty", line)
        sources.append(ids.setdefault(source, len(ids)))
        targets.append(ids.setdefault(target, len(ids)))
        raw = record[w_at] if 0 <= w_at < len(record) else ""
        weights.append(_number(args.edges, line, "weight", raw, 0.0) if raw else 1.0)
    _say(f"communities: {len(ids):,} nodes, {len(sources):,} ties; fitting")
    model = StructureAnalysis(seed=args.seed).fit(sources, targets, weights, n_nodes=len(ids))
    names = list(ids)
    _write(
        args.out,
        ["node", "community", "pagerank", "betweenness"],
        (
            [
                names[i],
                int(model.community_[i]),
                f"{model.pagerank_[i]:.6g}",
                "" if math.isnan(model.betweenness_[i]) else f"{model.betweenness_[i]:.6g}",
            ]
            for i in range(len(names))
        ),
    )
    found = int(model.community_.max()) + 1 if len(names) else 0
    print(
        f"modularity {model.modularity_:.4f}: {found:,} communities among {len(names):,} nodes "
        f"and {model.graph_.number_of_edges():,} ties; wrote {args.out}"
    )
    return 0


# --- activity -------------------------------------------------------------------------------


def _weights(text: str) -> tuple[str, float]:
    kind, _, raw = text.partition("=")
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not KIND=NUMBER") from None
    if not kind.strip() or not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not KIND=NUMBER (a number >= 0)")
    return kind.strip(), value


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number")
    return value


def activity_command(args: argparse.Namespace) -> int:
    from .activity import ActivityModel
    from .churn import Log, risks_at

    table = read_table(args.events, ["member", "action", "timestamp"], args.sep)
    target_at = table.column("target") if "target" in table.header else -1
    ids: dict[str, int] = {}
    members, kinds, times, targets = [], [], [], []
    for line, record in table.rows:
        member = record[table.column("member")]
        action = record[table.column("action")].lower()
        if not member or not action:
            raise InputError(args.events, "member or action is empty", line)
        members.append(ids.setdefault(member, len(ids)))
        kinds.append(action)
        times.append(parse_time(args.events, line, record[table.column("timestamp")]))
        target = record[target_at] if 0 <= target_at < len(record) else ""
        targets.append(ids.setdefault(target, len(ids)) if target else -1)
    at = max(times)
    model = ActivityModel(weights=dict(args.weight), half_life_days=args.half_life).fit(
        members, kinds, times, n_members=len(ids)
    )
    levels = model.levels(at)
    risk = np.full(len(ids), np.nan)
    reasons: list[str] = [""] * len(ids)
    try:
        found = risks_at(Log.of(members, kinds, times, targets, n_members=len(ids)), at)
    except ValueError as exc:
        print(f"churn risk left blank: {exc}", file=sys.stderr)
    else:
        risk[found.members] = found.risk
        for member, why in zip(found.members, found.reasons, strict=True):
            reasons[member] = ";".join(f"{r.code}={r.value:g}" for r in why)
    names = list(ids)
    _write(
        args.out,
        ["member", "score", "level", "rule", "churn_risk", "reasons"],
        (
            [
                names[i],
                f"{levels.score[i]:.4f}",
                levels.level[i],
                levels.rule[i],
                "" if math.isnan(risk[i]) else f"{risk[i]:.4f}",
                reasons[i],
            ]
            for i in range(len(names))
        ),
    )
    counts = {level: int((levels.level == level).sum()) for level in dict.fromkeys(levels.level)}
    summary = ", ".join(f"{n:,} {level}" for level, n in sorted(counts.items()))
    print(f"{len(names):,} members as of {datetime.fromtimestamp(at, UTC):%Y-%m-%d %H:%M} UTC:")
    print(f"{summary}; wrote {args.out}")
    return 0


def add_commands(sub: Any) -> None:
    """Registers ``sentiment``, ``communities`` and ``activity`` on the engine CLI."""
    sep_help = "separator: one character, tab or space (any run of blanks); default ','"
    sen = sub.add_parser(
        "sentiment",
        help="score the sentiment of every post in a file",
        description="Add language, sentiment (a score in [-1, 1]) and sentiment_label "
        "(negative, neutral, positive) to every row of a CSV of posts.",
    )
    sen.add_argument("--in", dest="input", required=True, help="CSV with a header")
    sen.add_argument("--text-column", default="text", help="column holding the text (text)")
    sen.add_argument("--out", required=True, help="CSV to write the scored rows to")
    sen.add_argument("--sep", type=_separator, default=",", help=sep_help)
    sen.set_defaults(handler=sentiment_command)

    com = sub.add_parser(
        "communities",
        help="find communities, PageRank and betweenness in an edge list",
        description="Louvain communities, weighted PageRank and betweenness of an undirected "
        "graph; prints the modularity.",
    )
    com.add_argument("--edges", required=True, help="source,target[,weight] with a header")
    com.add_argument(
        "--out", required=True, help="CSV to write node,community,pagerank,betweenness to"
    )
    com.add_argument("--sep", type=_separator, default=",", help=sep_help)
    com.add_argument("--no-header", action="store_true", help="the first line is an edge")
    com.add_argument("--seed", type=int, default=0, help="Louvain's random seed (0)")
    com.set_defaults(handler=communities_command)

    act = sub.add_parser(
        "activity",
        help="activity scores, engagement levels and churn risk per member",
        description="Decayed activity scores and engagement levels as of the latest action, "
        "and churn risk with top reasons for members active in the last 30 days.",
    )
    act.add_argument("--events", required=True, help="CSV: member,action,timestamp[,target]")
    act.add_argument(
        "--out", required=True, help="CSV to write member,score,level,rule,churn_risk,reasons to"
    )
    act.add_argument("--sep", type=_separator, default=",", help=sep_help)
    act.add_argument(
        "--weight",
        type=_weights,
        action="append",
        default=[],
        metavar="KIND=W",
        help="weight of an action kind (repeatable; defaults post=3 reply=2 event=4 intro=3 "
        "reaction=0.5, others 1)",
    )
    act.add_argument(
        "--half-life", type=_positive, default=30.0, help="days for an action to count half (30)"
    )
    act.set_defaults(handler=activity_command)
