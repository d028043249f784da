"""``seedbed engine evaluate`` and ``seedbed engine recommend``: recommenders on a plain file.

The interactions file is CSV with a header holding ``user`` and ``item`` columns, optional
``weight`` and ``timestamp``; other columns are ignored. MovieLens (``userId,movieId,rating,
timestamp``) and Last.fm HetRec (``userID,artistID,weight``) headers are understood too. ``--sep``
takes another separator (``--sep tab`` for tab-separated files). Users and items are any strings.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..cli import InputError

COLUMNS = {
    "user": ("user", "userid", "user_id"),
    "item": ("item", "itemid", "item_id", "movieid", "artistid"),
    "weight": ("weight", "rating"),
    "timestamp": ("timestamp", "time"),
}


@dataclass(frozen=True)
class Interactions:
    """A user × item matrix with the original ids and, when the file had them, timestamps
    along the canonical CSR data."""

    matrix: sp.csr_matrix
    users: list[str]
    items: list[str]
    timestamps: np.ndarray | None


def _separator(text: str) -> str:
    named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "space": " "}
    sep = named.get(text, text)
    if len(sep) != 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not one character (or tab)")
    return sep


def _number(path: str, line: int, column: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise InputError(path, f"{column} {raw!r} is not a number", line) from None
    if not math.isfinite(value) or (column == "weight" and value < 0):
        raise InputError(path, f"{column} {raw!r} must be a finite number >= 0", line)
    return value


def read_interactions(path: str, sep: str = ",") -> Interactions:
    """Reads the file; a repeated (user, item) pair adds its weights and keeps its latest time."""
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from None
    users: dict[str, int] = {}
    items: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    weights: list[float] = []
    times: list[float] = []
    try:
        with handle:
            reader = csv.reader(handle, delimiter=sep)
            header = [cell.strip().lower() for cell in next(reader, [])]
            if not header:
                raise InputError(path, "file is empty (expected a header: user,item)")
            where: dict[str, int] = {}
            for name, aliases in COLUMNS.items():
                found = [i for i, cell in enumerate(header) if cell in aliases]
                if found:
                    where[name] = found[0]
                elif name in ("user", "item"):
                    hint = " (is --sep right?)" if len(header) == 1 else ""
                    raise InputError(path, f"missing column {name!r}{hint}", 1)
            for record in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in record):
                    continue
                if len(record) <= max(where.values()):
                    raise InputError(path, f"{len(record)} cells, too few", line)
                user, item = record[where["user"]].strip(), record[where["item"]].strip()
                if not user or not item:
                    raise InputError(path, "user or item is empty", line)
                rows.append(users.setdefault(user, len(users)))
                cols.append(items.setdefault(item, len(items)))
                if "weight" in where:
                    weights.append(_number(path, line, "weight", record[where["weight"]].strip()))
                if "timestamp" in where:
                    times.append(
                        _number(path, line, "timestamp", record[where["timestamp"]].strip())
                    )
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV ({exc})") from None
    if not rows:
        raise InputError(path, "no interactions (only a header)")
    shape = (len(users), len(items))
    data = np.asarray(weights, dtype=np.float64) if weights else np.ones(len(rows))
    matrix = sp.csr_matrix((data, (rows, cols)), shape=shape)
    matrix.sum_duplicates()
    stamps = None
    if times:
        stamps = _latest_times(rows, cols, times, matrix)
    if matrix.nnz and matrix.data.min() <= 0:
        matrix.data[matrix.data <= 0] = 1e-6  # a zero rating is still an interaction
    return Interactions(matrix, list(users), list(items), stamps)


def _latest_times(
    rows: list[int], cols: list[int], times: list[float], matrix: sp.csr_matrix
) -> np.ndarray:
    """The latest time of each stored (user, item), along ``matrix.data``."""
    keys = np.asarray(rows, dtype=np.int64) * matrix.shape[1] + np.asarray(cols, dtype=np.int64)
    order = np.lexsort((np.asarray(times), keys))
    keys, stamps = keys[order], np.asarray(times)[order]
    last = np.r_[keys[1:] != keys[:-1], True]
    keys, stamps = keys[last], stamps[last]
    stored = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr)) * matrix.shape[1]
    return stamps[np.searchsorted(keys, stored + matrix.indices)]


DEFAULT = "hybrid (default)"
REFERENCES = ("popularity", "implicit als", "implicit bpr", "implicit item-knn")


def reference_models(progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Every algorithm the evaluation reports, references (popularity, implicit's) included.

    Each one with hyperparameters gets a small grid, chosen on the same validation split the
    default recommender chooses on (carved from the training part, never the test part)."""
    from . import ALS, BPR, EASE, Hybrid, ImplicitItemKNN, ItemKNN, Popularity, RP3beta, UserKNN
    from .tuning import Tuned

    grids = {
        "implicit als": Tuned.grid(
            ALS,
            factors=[64, 128],
            regularization=[0.01, 0.1],
            alpha=[1.0, 5.0],
            iterations=[15, 30],
        ),
        "implicit bpr": Tuned.grid(BPR, factors=[64, 128], learning_rate=[0.01, 0.05]),
        "implicit item-knn": Tuned.grid(
            ImplicitItemKNN, k=[20, 100, 400], similarity=["cosine", "bm25"]
        ),
        "item-knn": Tuned.grid(ItemKNN, k=[20, 100, 400], similarity=["cosine", "bm25"]),
        "user-knn": Tuned.grid(UserKNN, k=[20, 50, 200], similarity=["cosine", "bm25"]),
        "ease": Tuned.grid(EASE, l2=[50.0, 200.0, 800.0]),
        "rp3beta": Tuned.grid(RP3beta, alpha=[0.5, 1.0], beta=[0.3, 0.6]),
    }
    for tuned in grids.values():
        tuned.progress = progress
    return {"popularity": Popularity(), **grids, DEFAULT: Hybrid()}


def describe(model: Any) -> dict[str, Any]:
    """The setting a model was measured with: the chosen grid point, or the hybrid's blend."""
    from . import Hybrid
    from .tuning import Tuned, setting

    if isinstance(model, Tuned):
        return model.chosen_setting
    if isinstance(model, Hybrid):
        return {
            "weights": {
                type(c.best_ if isinstance(c, Tuned) else c).__name__: round(float(w), 2)
                for c, w in zip(model.components_, model.weights_, strict=True)
            },
            "recency_half_life": model.recency_half_life_,
            **{
                type(c.best_).__name__: c.chosen_setting
                for c in model.components_
                if isinstance(c, Tuned)
            },
        }
    return setting(model)


def _fit(model: Any, train: sp.csr_matrix, times: Any) -> Any:
    from . import Hybrid
    from .tuning import Tuned

    if isinstance(model, Hybrid | Tuned):
        return model.fit(train, timestamps=times)
    return model.fit(train)


def _say(message: str) -> None:
    if sys.stderr.isatty():
        print(message, file=sys.stderr, flush=True)


def compare(
    data: Interactions,
    split: str = "temporal",
    test_fraction: float = 0.2,
    k: int = 10,
    progress: Callable[[str], None] | None = None,
    report: Callable[[dict[str, Any]], None] | None = None,
) -> list[dict[str, Any]]:
    """Splits each user's interactions, fits every algorithm on the training part (tuning it on
    a validation split of that part) and measures it on the rest: one row per algorithm."""
    from .evaluate import evaluate, random_split, temporal_split, times_of

    if split == "temporal":
        if data.timestamps is None:
            raise ValueError("--split temporal needs a timestamp column (or --split random)")
        train, test = temporal_split(data.matrix, data.timestamps, test_fraction)
        train.sum_duplicates()
        train_times = times_of(data.matrix, data.timestamps, train)
    else:
        train, test = random_split(data.matrix, test_fraction, random_state=0)
        train.sum_duplicates()
        train_times = None
    results = []
    for name, model in reference_models(progress).items():
        if progress:
            progress(f"fitting {name} ...")
        start = time.perf_counter()
        _fit(model, train, train_times)
        seconds = time.perf_counter() - start
        scores = evaluate(model, train, test, k=k)
        row = {"algorithm": name, **scores, "fit_seconds": seconds, "k": k}
        row["setting"] = describe(model)
        results.append(row)
        if report:
            report(row)
    return results


def ratio_to_references(results: list[dict[str, Any]]) -> tuple[float, str]:
    """The default's NDCG over the best reference's, and that reference's name."""
    ndcg = {row["algorithm"]: row["ndcg"] for row in results}
    best = max(REFERENCES, key=lambda name: ndcg[name])
    return (ndcg[DEFAULT] / ndcg[best] if ndcg[best] else math.inf), best


def evaluate_command(args: argparse.Namespace) -> int:
    data = read_interactions(args.interactions, args.sep)
    if args.split == "temporal" and data.timestamps is None:
        raise InputError(
            args.interactions, "--split temporal needs a timestamp column (or --split random)"
        )
    heads = ("P@k", "R@k", "NDCG@k", "MAP@k", "cover", "fit s")
    print(f"{'algorithm':<18}" + "".join(f" {head:>7}" for head in heads))

    def show(row: dict[str, Any]) -> None:
        print(
            f"{row['algorithm']:<18} {row['precision']:7.4f} {row['recall']:7.4f}"
            f" {row['ndcg']:7.4f} {row['map']:7.4f} {row['coverage']:7.4f}"
            f" {row['fit_seconds']:7.2f}",
            flush=True,
        )

    results = compare(data, args.split, args.test_fraction, args.k, _say, show)
    ratio, best = ratio_to_references(results)
    print(f"{DEFAULT} NDCG@{args.k} / best reference ({best}): {ratio:.3f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


def _read_users(path: str, known: dict[str, int]) -> list[str]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            fields = [f.strip().lower() for f in reader.fieldnames or []]
            if "user" not in fields:
                raise InputError(path, "missing column 'user'", 1)
            column = (reader.fieldnames or [])[fields.index("user")]
            users = [row[column].strip() for row in reader if (row.get(column) or "").strip()]
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text ({exc.reason})") from None
    return list(dict.fromkeys(users))


def recommend_command(args: argparse.Namespace) -> int:
    from . import Hybrid

    data = read_interactions(args.interactions, args.sep)
    index = {user: i for i, user in enumerate(data.users)}
    wanted = _read_users(args.users, index) if args.users else data.users
    _say("fitting the default recommender ...")
    model = Hybrid().fit(data.matrix, timestamps=data.timestamps)
    empty = sp.csr_matrix((1, data.matrix.shape[1]))
    with open(args.out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["user", "item", "rank", "score"])
        for start in range(0, len(wanted), 512):
            batch = wanted[start : start + 512]
            ids = np.array([index.get(u, len(data.users) + i) for i, u in enumerate(batch)])
            rows = sp.vstack([data.matrix[i] if i < len(data.users) else empty for i in ids])
            found, scores = model.recommend(ids, sp.csr_matrix(rows), n=args.top)
            for user, items, values in zip(batch, found, scores, strict=True):
                for rank, (item, score) in enumerate(zip(items, values, strict=True), 1):
                    if item >= 0:
                        writer.writerow([user, data.items[item], rank, f"{score:.6g}"])
    return 0


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be between 0 and 1")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


FILE_HELP = "CSV with user,item[,weight,timestamp] (MovieLens and Last.fm headers too)"


def add_commands(sub: Any) -> None:
    """Registers ``evaluate`` and ``recommend`` on the engine CLI's subparsers."""
    ev = sub.add_parser(
        "evaluate",
        help="compare recommenders on an interactions file",
        description="Split each user's interactions, fit every recommender on the training part "
        "and print P@k, R@k, NDCG@k, MAP@k and catalogue coverage on the rest, one row each.",
    )
    ev.add_argument("--interactions", required=True, help=FILE_HELP)
    ev.add_argument("--k", type=_positive_int, default=10, help="list length (default 10)")
    ev.add_argument("--test-fraction", type=_fraction, default=0.2, help="default 0.2")
    ev.add_argument("--split", choices=("temporal", "random"), default="temporal")
    ev.add_argument("--sep", type=_separator, default=",", help="separator (tab for TSV)")
    ev.add_argument("--json", help="also write the table as JSON to this file")
    ev.set_defaults(handler=evaluate_command)

    rec = sub.add_parser(
        "recommend",
        help="write the top items for every user",
        description="Fit the default recommender on the whole file and write user,item,rank,"
        "score for every user (or those in --users), never an item the user already has.",
    )
    rec.add_argument("--interactions", required=True, help=FILE_HELP)
    rec.add_argument("--top", type=_positive_int, default=10, help="items per user (default 10)")
    rec.add_argument("--users", help="CSV with a user column: only these users")
    rec.add_argument("--out", required=True, help="CSV to write user,item,rank,score to")
    rec.add_argument("--sep", type=_separator, default=",", help="separator (tab for TSV)")
    rec.set_defaults(handler=recommend_command)
