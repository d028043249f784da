"""Sentiment quality and speed of seedbed.engine.sentiment on real labelled text.

* Chinese: ChnSentiCorp hotel reviews (Tan Songbo), the 70 % development split, 5-fold stratified
  cross-validation repeated with ``REPEATS`` seeds; beside it, in the same folds, a plain TF-IDF
  (jieba words) logistic regression.
* English: UCI Sentiment Labelled Sentences (Kotzias et al., KDD 2015), trained on Amazon and
  tested on Yelp and the other way round; beside it VADER alone (compound >= 0.05 is positive).
* Community posts: the two hand-written sets in tests/engine/data (one used while tuning the
  features and training posts, one written afterwards and run once), sign accuracy.
* Speed: short posts a second on one core (``analyse`` on batches of 1,000 mixed posts: UCI
  sentences and the first 40 characters of reviews), and the shipped model's load time.

Reads ``$SEEDBED_SHARED_DATA`` (default ``/work/shared/data``); writes bench/results/sentiment.md.
"""

import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
SHARED = Path(os.environ.get("SEEDBED_SHARED_DATA", "/work/shared/data"))
REPEATS = int(os.environ.get("BENCH_SENTIMENT_REPEATS", "2"))

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

from seedbed.engine import sentiment  # noqa: E402
from seedbed.engine.sentiment import SentimentModel, load_model  # noqa: E402
from seedbed.engine.sentiment_train import read_chnsenticorp, read_uci  # noqa: E402
from seedbed.engine.text import tokenize  # noqa: E402


def spread(values):
    return (
        f"median {statistics.median(values):.4f}, min {min(values):.4f}, max {max(values):.4f}"
        f" (n={len(values)})"
    )


def chinese():
    texts, labels = read_chnsenticorp(SHARED)
    texts, labels = np.asarray(texts, dtype=object), np.asarray(labels)
    ours, plain = [], []
    for seed in range(REPEATS):
        folds = StratifiedKFold(5, shuffle=True, random_state=seed)
        for train, test in folds.split(texts, labels):
            model = SentimentModel().fit(list(texts[train]), labels[train], ["zh"] * len(train))
            predicted = model.predict_proba(list(texts[test])) >= 0.5
            ours.append(float((predicted == labels[test]).mean()))
            baseline = make_pipeline(
                TfidfVectorizer(tokenizer=tokenize, token_pattern=None, lowercase=False),
                LogisticRegression(max_iter=2000),
            ).fit(list(texts[train]), labels[train])
            plain.append(float((baseline.predict(list(texts[test])) == labels[test]).mean()))
            print(f"zh fold: ours {ours[-1]:.4f}, plain {plain[-1]:.4f}", flush=True)
    return len(texts), ours, plain


def english():
    sources = {
        name: read_uci(SHARED / "uci-sentences" / f"{name}_labelled.txt")
        for name in ("amazon_cells", "yelp")
    }
    vader = sentiment._vader()
    rows = []
    for train, test in (("amazon_cells", "yelp"), ("yelp", "amazon_cells")):
        model = SentimentModel().fit(*sources[train], ["en"] * len(sources[train][0]))
        texts, labels = sources[test]
        ours = float(((model.predict_proba(texts) >= 0.5) == np.asarray(labels)).mean())
        compound = np.array([vader.polarity_scores(t)["compound"] for t in texts])
        alone = float(((compound >= 0.05) == np.asarray(labels)).mean())
        rows.append((train, test, ours, alone))
        print(f"en {train} -> {test}: ours {ours:.4f}, VADER {alone:.4f}", flush=True)
    return rows


def community():
    import csv

    out = []
    for name in ("community_posts.csv", "community_posts_unseen.csv"):
        with (ROOT / "tests" / "engine" / "data" / name).open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        scores = load_model().polarity([r["text"] for r in rows])
        right = sum(
            (x > 0) == (r["label"] == "positive") for x, r in zip(scores, rows, strict=True)
        )
        out.append((name, right, len(rows)))
    return out


def speed():
    started = time.perf_counter()
    model = load_model()
    load = time.perf_counter() - started
    zh, _ = read_chnsenticorp(SHARED)
    en, _ = read_uci(SHARED / "uci-sentences" / "yelp_labelled.txt")
    posts = [t[:40] for t in zh[:1000]] + en[:1000]
    np.random.default_rng(0).shuffle(posts)
    model.analyse(posts[:50])
    rates, cpu_rates = [], []
    for _ in range(REPEATS):
        for start in range(0, len(posts), 1000):
            batch = posts[start : start + 1000]
            started, cpu = time.perf_counter(), time.process_time()
            model.analyse(batch)
            rates.append(len(batch) / (time.perf_counter() - started))
            cpu_rates.append(len(batch) / (time.process_time() - cpu))
    single = posts[:300]
    started = time.perf_counter()
    for post in single:
        model.analyse([post])
    one_by_one = len(single) / (time.perf_counter() - started)
    return load, rates, cpu_rates, one_by_one


def main():
    n_zh, ours, plain = chinese()
    en_rows = english()
    load, rates, cpu_rates, one_by_one = speed()
    posts = community()
    size = sentiment.MODEL_PATH.stat().st_size / 1e6
    lines = [
        "# Sentiment: quality on real labelled text, and speed",
        "",
        f"Machine: {platform.machine()}, {platform.system()}, Python {platform.python_version()},"
        f" scikit-learn {sklearn.__version__}; {os.cpu_count()} cores shared with other work,"
        " BLAS threads 1. Run: `.venv/bin/python bench/bench_sentiment.py`.",
        "",
        "## Chinese: ChnSentiCorp dev split (Tan Songbo's hotel reviews)",
        "",
        f"{n_zh} reviews; stratified 5-fold cross-validation x {REPEATS} seeds, the same folds"
        " for both models. Accuracy of the sign (P(positive) >= 0.5).",
        "",
        "| model | accuracy |",
        "|---|---|",
        "| ours: char 1-4 gram TF-IDF of slang-normalised text + opinion-word counts with"
        f" negation, logistic regression (C=30) | {spread(ours)} |",
        f"| plain TF-IDF of jieba words, logistic regression (C=1) | {spread(plain)} |",
        "",
        "Target from issue 11: at least 0.90, aiming at 0.92.",
        "",
        "## English: UCI Sentiment Labelled Sentences (Kotzias et al., KDD 2015)",
        "",
        "Trained on one source (1,000 sentences), tested on the other (1,000).",
        "",
        "| train -> test | ours: idioms rewritten, word 1-2 grams with negation marks + char_wb"
        " 2-5 grams + VADER scores (with community slang), logistic regression (C=3) |"
        " VADER alone (compound >= 0.05) |",
        "|---|---|---|",
    ]
    for train, test, mine, alone in en_rows:
        lines.append(f"| {train} -> {test} | {mine:.4f} | {alone:.4f} |")
    lines += [
        f"| mean | {statistics.mean(r[2] for r in en_rows):.4f}"
        f" | {statistics.mean(r[3] for r in en_rows):.4f} |",
        "",
        "Target from issue 11: at least 0.82, aiming at 0.85.",
        "",
        "## Hand-written community posts (the shipped model)",
        "",
        "Negation, idioms that look negated (不错, 没问题, not bad, can't recommend it enough)"
        " and slang (牛, 绝了, 坑, yyds, 拉胯, sucks, killer feature) in both languages. Sign"
        " accuracy:",
        "",
        *[
            f"- `tests/engine/data/{name}`: {right} of {n} ({right / n:.0%})"
            for name, right, n in posts
        ],
        "",
        "The first set was in view while the features and training posts were tuned; the second"
        " was written after that and run once, so it is the figure to expect on new posts.",
        "",
        "## Speed (the shipped model)",
        "",
        f"- model file {size:.1f} MB; `load_model()` {load:.2f} s after the imports",
        f"- `analyse` on batches of 1,000 short mixed posts (40 characters of a review or a Yelp"
        f" sentence): median {statistics.median(rates):,.0f}, min {min(rates):,.0f},"
        f" max {max(rates):,.0f} posts/s (n={len(rates)}) by the wall clock; by this process's"
        f" CPU time (what one free core would do): median {statistics.median(cpu_rates):,.0f},"
        f" min {min(cpu_rates):,.0f}, max {max(cpu_rates):,.0f} posts/s; load average"
        f" {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores during the run",
        f"- one post per call (`analyse([post])`, scikit-learn's per-call overhead):"
        f" {one_by_one:,.0f} posts/s",
        "",
        "Target from issue 11: at least 1,000 short posts a second on one core.",
        "",
    ]
    out = ROOT / "bench" / "results" / "sentiment.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
