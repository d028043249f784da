"""``python -m seedbed.engine.sentiment_train [--data DIR] [--out PATH]``: train the shipped
sentiment model.

Reads ChnSentiCorp's development split (``chnsenticorp/dev.csv``, ``label,review``) and both UCI
sentence files (``uci-sentences/*_labelled.txt``, ``sentence<TAB>label``) from ``--data``
(default ``$SEEDBED_SHARED_DATA`` or ``/work/shared/data``), adds the few slang posts below, and
writes ``seedbed/engine/data/sentiment.joblib`` unless ``--out`` says otherwise. The data is not
in the repository; the model file is.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from seedbed.engine.sentiment import MODEL_PATH, SentimentModel

# Community slang the review corpora never use; one labelled post each is enough for the
# n-gram features to pick the word up.
SLANG: list[tuple[str, int]] = [
    ("这次路演yyds", 1),
    ("导师太给力了，绝绝子", 1),
    ("这个活动真的太赞了", 1),
    ("项目很牛，爱了爱了", 1),
    ("这次对接会拉胯", 0),
    ("踩雷了，完全是浪费时间", 0),
    ("投资人全程划水，无语", 0),
    ("这活动太坑了", 0),
    ("The demo day was lit, totally worth it", 1),
    ("Great vibes, this meetup slaps", 1),
    ("Kudos to the mentors, super helpful", 1),
    ("The pitch night was meh", 0),
    ("Total waste of time, the panel was cringe", 0),
    ("This workshop sucks", 0),
]


def read_chnsenticorp(folder: Path) -> tuple[list[str], list[int]]:
    with (folder / "chnsenticorp" / "dev.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r["review"] for r in rows], [int(r["label"]) for r in rows]


def read_uci(path: Path) -> tuple[list[str], list[int]]:
    texts, labels = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            text, label = line.rsplit("\t", 1)
            texts.append(text.strip())
            labels.append(int(label))
    return texts, labels


def training_data(folder: Path) -> tuple[list[str], list[int]]:
    texts, labels = read_chnsenticorp(folder)
    for name in ("amazon_cells_labelled.txt", "yelp_labelled.txt"):
        more_texts, more_labels = read_uci(folder / "uci-sentences" / name)
        texts += more_texts
        labels += more_labels
    texts += [text for text, _ in SLANG]
    labels += [label for _, label in SLANG]
    return texts, labels


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seedbed.engine.sentiment_train")
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(os.environ.get("SEEDBED_SHARED_DATA", "/work/shared/data")),
    )
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    try:
        texts, labels = training_data(args.data)
    except (OSError, ValueError, KeyError) as error:
        print(f"{parser.prog}: cannot read the training data: {error}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    model = SentimentModel().fit(texts, labels)
    path = model.save(args.out)
    print(
        f"{len(texts)} texts, {time.perf_counter() - started:.1f} s; "
        f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
