"""``seedbed engine``: the matching engine on CSV files.

All files are UTF-8 CSV with a header row (a byte-order mark is accepted); column order is free,
extra columns are ignored, blank lines are skipped. Lists inside a cell are separated by ``;``
(or the full-width ``；``). A quoted cell may span lines, but a quote that is never closed is an
error, not a cell that swallows the rest of the file.

``seedbed engine schedule --requests requests.csv --slots slots.csv [--people people.csv]
--out schedule.csv``

* ``requests.csv``: ``founder,investor,founder_pref,investor_pref``, one row per pair; each
  preference is ``must`` (weight 3), ``like`` (1), ``no`` (veto) or blank (0). A pair's weight is
  the sum of both sides; pairs with weight 0 or a veto are never scheduled.
* ``slots.csv``: ``slot,tables``, one row per time slot in time order; ``tables`` is a whole
  number >= 0.
* ``people.csv`` (optional): ``id,role,max_meetings,available``; ``role`` is ``founder`` or
  ``investor``, ``max_meetings`` a whole number (blank: no limit), ``available`` the slots the
  person can attend (blank: all). With this file, every person in ``requests.csv`` must be listed.
* output ``schedule.csv``: ``slot,table,founder,investor,weight``, sorted by slot then table.

``seedbed engine match --projects projects.csv --offers offers.csv [--outcomes outcomes.csv]
--out matches.csv``

* ``projects.csv``: ``id,description`` required; optional ``sectors``, ``stage``, ``ask_min``,
  ``ask_max``, ``region``, ``needs`` (offer kinds wanted: investor, talent, mentor, service;
  blank: all), ``skills`` (talent needed), ``topics`` (mentoring wanted), ``capacity`` (most
  matches, default 3), ``exclude`` (offer ids never to match).
* ``offers.csv``: ``id,kind,description`` required (``kind`` one of investor, talent, mentor,
  service; description is the thesis or expertise); optional ``sectors``, ``stages``,
  ``ticket_min``, ``ticket_max``, ``regions`` (blank: anywhere), ``skills``, ``topics``,
  ``capacity`` (default 5), ``exclude`` (project ids).
* ``outcomes.csv`` (optional, ``--outcomes``): ``project,offer,outcome`` for past intros, outcome
  ``accepted``, ``met`` or ``declined``. With at least 10 intros of both kinds a logistic
  regression learns acceptance and is blended half-and-half into the score.
* output ``matches.csv``: ``project,offer,kind,score,reasons,shared_terms`` for the allocated
  matches, best first per project; ``reasons`` and ``shared_terms`` are ``;``-separated.

Every project gets at least one match where the filters and capacities allow it
(``--no-fairness`` turns that off); pairs scoring at or below ``--min-score`` (default 0) are
never matched.

A file that cannot be used stops the command with exit status 2 and one line on stderr naming the
file, the line and the problem.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import numpy as np

PROG = "seedbed engine"


class InputError(Exception):
    """A problem with an input file, reported as one line."""

    def __init__(self, path: str | Path, message: str, line: int | None = None) -> None:
        where = f"{path}, line {line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


def read_text(path: str | Path) -> str:
    """A UTF-8 file's text (a byte-order mark dropped), or an InputError saying why not."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a file") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from None


def read_csv(path: str | Path, required: Sequence[str]) -> list[Row]:
    """Rows of a headed CSV file, with the line number each row starts on."""
    text = read_text(path)
    lines = text.splitlines(keepends=True)
    reader = csv.reader(lines, strict=True)
    header: list[str] | None = None
    rows: list[Row] = []
    start = 1
    try:
        for record in reader:
            line = start
            start = reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in record]
                missing = [c for c in required if c not in header]
                if missing:
                    raise InputError(path, f"missing column {missing[0]!r}", line)
                continue
            while len(record) > len(header) and not record[-1].strip():
                record.pop()
            if len(record) > len(header):
                raise InputError(
                    path, f"{len(record)} cells but the header has {len(header)} columns", line
                )
            rows.append(Row(line, dict(zip(header, record, strict=False))))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise InputError(
                path, 'a quote (") opened on this line is never closed', start
            ) from None
        raise InputError(path, f"malformed CSV ({exc})", reader.line_num) from None
    if header is None:
        raise InputError(path, f"file is empty (expected a header: {','.join(required)})")
    return rows


MAX_COUNT = 1_000_000_000
"""Largest table count, capacity or meeting limit: far beyond any event, well inside 64 bits."""


def parse_int(path: str | Path, row: Row, column: str, default: int | None = None) -> int | None:
    raw = row.get(column)
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InputError(path, f"{column} {raw!r} is not a whole number", row.line) from None
    if value < 0:
        raise InputError(path, f"{column} {raw!r} must not be negative", row.line)
    if value > MAX_COUNT:
        raise InputError(path, f"{column} {raw!r} is too large (at most {MAX_COUNT:,})", row.line)
    return value


def parse_float(path: str | Path, row: Row, column: str) -> float | None:
    raw = row.get(column)
    if raw == "":
        return None
    try:
        value = float(raw.replace(",", "").replace("_", ""))
    except ValueError:
        raise InputError(path, f"{column} {raw!r} is not a number", row.line) from None
    if not math.isfinite(value) or value < 0:
        raise InputError(path, f"{column} {raw!r} must be a finite number >= 0", row.line)
    return value


def split_list(value: str) -> list[str]:
    """Items of a list cell; a Chinese keyboard types the full-width ``；``, so it separates too."""
    return [item.strip() for item in value.replace("；", ";").split(";") if item.strip()]


def _need(path: str | Path, row: Row, column: str) -> str:
    value = row.get(column)
    if value == "":
        raise InputError(path, f"{column} is empty", row.line)
    return value


# --- schedule -------------------------------------------------------------------------------


def _read_slots(path: str) -> tuple[list[str], list[int]]:
    names: list[str] = []
    tables: list[int] = []
    first: dict[str, int] = {}
    for row in read_csv(path, ["slot", "tables"]):
        name = _need(path, row, "slot")
        if name in first:
            raise InputError(
                path, f"slot {name!r} repeated (first on line {first[name]})", row.line
            )
        first[name] = row.line
        count = parse_int(path, row, "tables")
        if count is None:
            raise InputError(path, "tables is empty", row.line)
        names.append(name)
        tables.append(count)
    if not names:
        raise InputError(path, "no slots (the file has a header but no rows)")
    return names, tables


@dataclass
class _Person:
    role: str
    limit: int | None
    available: set[int] | None


def _read_people(path: str, slot_index: dict[str, int]) -> dict[str, _Person]:
    people: dict[str, _Person] = {}
    for row in read_csv(path, ["id", "role"]):
        pid = _need(path, row, "id")
        role = row.get("role").lower()
        if role not in ("founder", "investor"):
            raise InputError(
                path, f"role {row.get('role')!r} is not 'founder' or 'investor'", row.line
            )
        if pid in people:
            raise InputError(path, f"person {pid!r} listed twice", row.line)
        available: set[int] | None = None
        if row.get("available"):
            available = set()
            for slot in split_list(row.get("available")):
                if slot not in slot_index:
                    raise InputError(path, f"unknown slot {slot!r} in available", row.line)
                available.add(slot_index[slot])
        people[pid] = _Person(role, parse_int(path, row, "max_meetings"), available)
    return people


def _schedule(args: argparse.Namespace) -> int:
    from seedbed.engine.matching.schedule import pair_weights, preference_weight, schedule_meetings

    slot_names, tables = _read_slots(args.slots)
    slot_index = {name: k for k, name in enumerate(slot_names)}
    people = _read_people(args.people, slot_index) if args.people else None
    rows = read_csv(args.requests, ["founder", "investor", "founder_pref", "investor_pref"])
    if not rows:
        raise InputError(args.requests, "no requests (the file has a header but no rows)")
    founders: dict[str, int] = {}
    investors: dict[str, int] = {}
    pairs: dict[tuple[int, int], tuple[float, float, int]] = {}
    for row in rows:
        ids = []
        for role, table in (("founder", founders), ("investor", investors)):
            pid = _need(args.requests, row, role)
            if people is not None:
                person = people.get(pid)
                if person is None:
                    raise InputError(
                        args.requests, f"unknown {role} {pid!r} (not in {args.people})", row.line
                    )
                if person.role != role:
                    raise InputError(
                        args.requests,
                        f"{pid!r} is in the {role} column but is a {person.role} in {args.people}",
                        row.line,
                    )
            ids.append(table.setdefault(pid, len(table)))
        prefs = []
        for column in ("founder_pref", "investor_pref"):
            try:
                prefs.append(preference_weight(row.get(column)))
            except ValueError:
                raise InputError(
                    args.requests,
                    f"{column} {row.get(column)!r} is not must, like, no or blank",
                    row.line,
                ) from None
        key = (ids[0], ids[1])
        if key in pairs:
            raise InputError(
                args.requests,
                f"pair ({row.get('founder')}, {row.get('investor')}) repeated "
                f"(first on line {pairs[key][2]})",
                row.line,
            )
        pairs[key] = (prefs[0], prefs[1], row.line)

    n_f, n_i, n_s = len(founders), len(investors), len(slot_names)
    side_f = np.zeros((n_f, n_i))
    side_i = np.zeros((n_f, n_i))
    for (f, i), (wf, wi, _) in pairs.items():
        side_f[f, i], side_i[f, i] = wf, wi
    weights = pair_weights(side_f, side_i)

    def availability(table: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        avail = np.ones((len(table), n_s), dtype=bool)
        limit = np.full(len(table), n_s, dtype=np.int64)
        for pid, k in table.items():
            person = people.get(pid) if people is not None else None
            if person is not None:
                if person.available is not None:
                    avail[k] = False
                    avail[k, sorted(person.available)] = True
                if person.limit is not None:
                    limit[k] = min(person.limit, n_s)
        return avail, limit

    fa, f_limit = availability(founders)
    ia, i_limit = availability(investors)
    result = schedule_meetings(
        weights, fa, ia, tables, f_limit, i_limit, time_limit=args.time_limit
    )
    founder_names = list(founders)
    investor_names = list(investors)
    try:
        with open(args.out, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["slot", "table", "founder", "investor", "weight"])
            for m in result.meetings:
                writer.writerow(
                    [
                        slot_names[m.slot],
                        m.table,
                        founder_names[m.founder],
                        investor_names[m.investor],
                        _number(m.weight),
                    ]
                )
    except OSError as exc:
        raise InputError(args.out, f"cannot write ({exc.strerror or exc})") from None
    print(
        f"scheduled {len(result.meetings)} meetings, total weight {_number(result.total_weight)}"
        f" (upper bound {_number(result.upper_bound)}, gap {result.gap:.2%}, {result.status})"
        f" -> {args.out}"
    )
    return 0


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.4g}"


# --- match ----------------------------------------------------------------------------------


def _match(args: argparse.Namespace) -> int:
    from seedbed.engine.matching.allocate import allocate
    from seedbed.engine.matching.score import OFFER_KINDS, MatchScorer, Offer, Project

    project_rows = read_csv(args.projects, ["id", "description"])
    offer_rows = read_csv(args.offers, ["id", "kind", "description"])
    projects: list[Project] = []
    seen: dict[str, int] = {}
    for row in project_rows:
        pid = _need(args.projects, row, "id")
        if pid in seen:
            raise InputError(
                args.projects, f"id {pid!r} repeated (first on line {seen[pid]})", row.line
            )
        seen[pid] = row.line
        needs = [n.lower() for n in split_list(row.get("needs"))]
        for need in needs:
            if need not in OFFER_KINDS:
                raise InputError(
                    args.projects,
                    f"needs {need!r} is not one of {', '.join(OFFER_KINDS)}",
                    row.line,
                )
        ask_min = parse_float(args.projects, row, "ask_min")
        ask_max = parse_float(args.projects, row, "ask_max")
        if ask_min is not None and ask_max is not None and ask_min > ask_max:
            raise InputError(args.projects, "ask_min is larger than ask_max", row.line)
        projects.append(
            Project(
                id=pid,
                description=row.get("description"),
                sectors=frozenset(s.lower() for s in split_list(row.get("sectors"))),
                stage=row.get("stage").lower(),
                ask_min=ask_min,
                ask_max=ask_max,
                region=row.get("region").lower(),
                needs=frozenset(needs),
                skills=frozenset(s.lower() for s in split_list(row.get("skills"))),
                topics=frozenset(s.lower() for s in split_list(row.get("topics"))),
                capacity=parse_int(args.projects, row, "capacity", 3) or 0,
                exclude=frozenset(split_list(row.get("exclude"))),
            )
        )
    offers: list[Offer] = []
    seen = {}
    for row in offer_rows:
        oid = _need(args.offers, row, "id")
        if oid in seen:
            raise InputError(
                args.offers, f"id {oid!r} repeated (first on line {seen[oid]})", row.line
            )
        seen[oid] = row.line
        kind = row.get("kind").lower()
        if kind not in OFFER_KINDS:
            raise InputError(
                args.offers,
                f"kind {row.get('kind')!r} is not one of {', '.join(OFFER_KINDS)}",
                row.line,
            )
        t_min = parse_float(args.offers, row, "ticket_min")
        t_max = parse_float(args.offers, row, "ticket_max")
        if t_min is not None and t_max is not None and t_min > t_max:
            raise InputError(args.offers, "ticket_min is larger than ticket_max", row.line)
        offers.append(
            Offer(
                id=oid,
                kind=kind,
                description=row.get("description"),
                sectors=frozenset(s.lower() for s in split_list(row.get("sectors"))),
                stages=frozenset(s.lower() for s in split_list(row.get("stages"))),
                ticket_min=t_min,
                ticket_max=t_max,
                regions=frozenset(s.lower() for s in split_list(row.get("regions"))),
                skills=frozenset(s.lower() for s in split_list(row.get("skills"))),
                topics=frozenset(s.lower() for s in split_list(row.get("topics"))),
                capacity=parse_int(args.offers, row, "capacity", 5) or 0,
                exclude=frozenset(split_list(row.get("exclude"))),
            )
        )
    if not projects:
        raise InputError(args.projects, "no projects (the file has a header but no rows)")
    if not offers:
        raise InputError(args.offers, "no offers (the file has a header but no rows)")
    _check_exclusions(args.projects, project_rows, projects, offers, "offer")
    _check_exclusions(args.offers, offer_rows, offers, projects, "project")

    outcomes = _read_outcomes(args.outcomes, projects, offers) if args.outcomes else []
    scorer = MatchScorer().fit(projects, offers, outcomes)
    scores = scorer.score(projects, offers)
    allocation = allocate(
        scores,
        [p.capacity for p in projects],
        [o.capacity for o in offers],
        min_score=args.min_score,
        fair=not args.no_fairness,
    )
    pairs = list(zip(allocation.rows.tolist(), allocation.cols.tolist(), strict=True))
    explanations = scorer.explain(projects, offers, pairs, scores=scores)
    order = sorted(range(len(pairs)), key=lambda k: (pairs[k][0], -scores[pairs[k]]))
    try:
        with open(args.out, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["project", "offer", "kind", "score", "reasons", "shared_terms"])
            for k in order:
                p, o = pairs[k]
                e = explanations[k]
                writer.writerow(
                    [
                        projects[p].id,
                        offers[o].id,
                        offers[o].kind,
                        f"{scores[p, o]:.4f}",
                        "; ".join(e.reasons),
                        "; ".join(e.shared_terms),
                    ]
                )
    except OSError as exc:
        raise InputError(args.out, f"cannot write ({exc.strerror or exc})") from None
    matched = len({p for p, _ in pairs})
    print(
        f"allocated {len(pairs)} matches covering {matched} of {len(projects)} projects, "
        f"total score {allocation.total_score:.3f} -> {args.out}"
    )
    return 0


def _check_exclusions(path: str, rows: list[Row], items, others, other: str) -> None:
    """An exclusion that names nothing would silently let the pair through, so it is an error;
    a near miss in letter case or spacing is suggested."""
    known = {o.id for o in others}
    folded = {"".join(i.split()).casefold(): i for i in known}
    for row, item in zip(rows, items, strict=True):
        unknown = sorted(item.exclude - known)
        if not unknown:
            continue
        hints = [folded.get("".join(u.split()).casefold()) for u in unknown]
        names = ", ".join(
            f"{u!r} (did you mean {h!r}?)" if h else repr(u)
            for u, h in zip(unknown, hints, strict=True)
        )
        raise InputError(path, f"exclude names no {other}: {names}", row.line)


_OUTCOMES = {"accepted": True, "met": True, "declined": False}


def _read_outcomes(path: str, projects, offers) -> list[tuple[str, str, bool]]:
    project_ids = {p.id for p in projects}
    offer_ids = {o.id for o in offers}
    outcomes = []
    for row in read_csv(path, ["project", "offer", "outcome"]):
        pid, oid = _need(path, row, "project"), _need(path, row, "offer")
        if pid not in project_ids:
            raise InputError(path, f"unknown project {pid!r}", row.line)
        if oid not in offer_ids:
            raise InputError(path, f"unknown offer {oid!r}", row.line)
        outcome = row.get("outcome").lower()
        if outcome not in _OUTCOMES:
            raise InputError(
                path, f"outcome {row.get('outcome')!r} is not accepted, met or declined", row.line
            )
        outcomes.append((pid, oid, _OUTCOMES[outcome]))
    return outcomes


def _finite_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _positive_float(text: str) -> float:
    value = _finite_float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number")
    return value


class _Parser(argparse.ArgumentParser):
    """Argument errors on one line, like input errors; ``--help`` still shows the usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{PROG}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Run the Seedbed matching engine on CSV files.",
        epilog="CSV formats: see the module documentation (python -m pydoc seedbed.engine.cli).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sch = sub.add_parser(
        "schedule",
        help="fit roadshow 1:1 meetings into slots and tables",
        description="Fit roadshow 1:1 meetings into slots and tables, maximising the total "
        "preference weight (must=3, like=1, no=veto; both sides add up).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="requests.csv: founder,investor,founder_pref,investor_pref (must|like|no|blank)\n"
        "slots.csv:    slot,tables\n"
        "people.csv:   id,role(founder|investor),max_meetings,available (slots, ';'-separated)\n"
        "schedule.csv: slot,table,founder,investor,weight",
    )
    sch.add_argument("--requests", required=True, help="CSV of wished meetings")
    sch.add_argument("--slots", required=True, help="CSV of slots and tables")
    sch.add_argument("--people", help="CSV of roles, meeting limits and availability")
    sch.add_argument("--out", required=True, help="CSV to write the schedule to")
    sch.add_argument(
        "--time-limit",
        type=_positive_float,
        default=30.0,
        help="time limit for the whole solve, seconds (default 30); the result says how far "
        "from optimal it can be",
    )
    sch.set_defaults(handler=_schedule)

    mat = sub.add_parser(
        "match",
        help="score projects against offers and allocate matches within capacities",
        description="Score every project against every offer (hard filters, rules, text "
        "similarity) and allocate matches maximising the total score within capacities.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="projects.csv: id,description[,sectors,stage,ask_min,ask_max,region,needs,skills,"
        "topics,capacity,exclude]\n"
        "offers.csv:   id,kind,description[,sectors,stages,ticket_min,ticket_max,regions,"
        "skills,topics,capacity,exclude]\n"
        "outcomes.csv: project,offer,outcome (accepted|met|declined)\n"
        "matches.csv:  project,offer,kind,score,reasons,shared_terms\n"
        "lists inside a cell are ';'-separated",
    )
    mat.add_argument("--projects", required=True, help="CSV of projects and their needs")
    mat.add_argument("--offers", required=True, help="CSV of offers")
    mat.add_argument("--out", required=True, help="CSV to write the matches to")
    mat.add_argument(
        "--outcomes",
        help="CSV of past intros (project,offer,outcome) to learn acceptance from",
    )
    mat.add_argument(
        "--min-score", type=_finite_float, default=0.0, help="ignore pairs scoring at or below this"
    )
    mat.add_argument(
        "--no-fairness",
        action="store_true",
        help="do not insist on at least one match per project where possible",
    )
    mat.set_defaults(handler=_match)

    from .recommend.cli import add_commands

    add_commands(sub)
    from .insights_cli import add_commands as add_insights

    add_insights(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 2 bad arguments or input)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else 2
    try:
        return args.handler(args)
    except InputError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
