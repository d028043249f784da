"""Benchmark seedbed.engine.predict against simple references.

1. Variable elimination vs brute-force enumeration of the joint on a random network of 15
   binary variables (same answers, time ratio).
2. OLSRegression vs sklearn.linear_model.LinearRegression on 100 000 × 10 (same coefficients
   to 1e-8, time ratio).
3. The operators' Models page on the demo data (200 members): fitting every model, which the
   ``refit_models`` background task does, against the page, which only reads the stored fit.
   On a fresh SQLite file in a temporary folder.

Run: .venv/bin/python bench/bench_predict.py   (writes bench/results/predict.md and prints it)
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import sklearn
from sklearn.linear_model import LinearRegression
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from seedbed.engine.predict import BayesianNetwork, OLSRegression  # noqa: E402

N_VARIABLES = 15
MAX_PARENTS = 3
BN_REPEATS_VE = 30
BN_REPEATS_ENUM = 7
OLS_ROWS, OLS_COLS = 100_000, 10
OLS_REPEATS = 31
PAGE_REPEATS = 30
FIT_REPEATS = 7


def timed(fn, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def interleaved(first, second, repeats: int) -> tuple[list[float], list[float]]:
    """Alternate the two so that background load on a shared machine hits both alike."""
    a_times, b_times = [], []
    for i in range(repeats):
        order = ((first, a_times), (second, b_times))
        for fn, times in order if i % 2 == 0 else reversed(order):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return a_times, b_times


def spread(times: list[float]) -> str:
    q1, _, q3 = statistics.quantiles(times, n=4) if len(times) >= 4 else (min(times), 0, max(times))
    return f"IQR {q1 * 1e3:.3f}–{q3 * 1e3:.3f} ms, min–max {min(times) * 1e3:.3f}–{max(times) * 1e3:.3f} ms"


def random_network(rng: np.random.Generator) -> BayesianNetwork:
    names = [f"v{i:02d}" for i in range(N_VARIABLES)]
    parents = {}
    for i, v in enumerate(names):
        k = int(rng.integers(0, min(i, MAX_PARENTS) + 1))
        parents[v] = [names[j] for j in sorted(rng.choice(i, size=k, replace=False))] if k else []
    network = BayesianNetwork({v: ("t", "f") for v in names}, parents)
    for v in names:
        shape = network._shape(v)
        table = rng.dirichlet([1.0, 1.0], size=shape[:-1]) if shape[:-1] else rng.dirichlet([1, 1])
        network.set_cpt(v, table)
    return network


def bench_bayesian_network() -> tuple[list[str], dict]:
    rng = np.random.default_rng(2024)
    network = random_network(rng)
    names = network.variables
    queries = []
    for _ in range(5):
        chosen = rng.choice(N_VARIABLES, size=4, replace=False)
        target = names[chosen[0]]
        evidence = {names[j]: ("t", "f")[int(rng.integers(2))] for j in chosen[1:]}
        queries.append((target, evidence))

    max_diff = 0.0
    for target, evidence in queries:
        ve = network.query(target, evidence)
        enum = network.query_by_enumeration(target, evidence)
        max_diff = max(max_diff, max(abs(ve[s] - enum[s]) for s in ve))

    def run_ve():
        for target, evidence in queries:
            network.query(target, evidence)

    def run_enum():
        for target, evidence in queries:
            network.query_by_enumeration(target, evidence)

    run_ve()
    per_query = len(queries)
    ve_times = [t / per_query for t in timed(run_ve, BN_REPEATS_VE)]
    enum_times = [t / per_query for t in timed(run_enum, BN_REPEATS_ENUM)]
    ve_times += [t / per_query for t in timed(run_ve, BN_REPEATS_VE)]
    ve_med, enum_med = statistics.median(ve_times), statistics.median(enum_times)
    n_edges = sum(len(p) for p in network.parents.values())
    lines = [
        "### Bayesian network: variable elimination vs enumeration of the joint",
        "",
        f"Random DAG, {N_VARIABLES} binary variables, {n_edges} edges (≤ {MAX_PARENTS} parents "
        f"each), Dirichlet(1, 1) tables, seed 2024; {per_query} queries, each with 3 evidence "
        "variables. Times are per query.",
        "",
        "| method | repeats | median | spread |",
        "|---|---|---|---|",
        f"| variable elimination | {len(ve_times)} | {ve_med * 1e3:.3f} ms | {spread(ve_times)} |",
        f"| enumeration (2^{N_VARIABLES} = {2**N_VARIABLES} assignments) | {BN_REPEATS_ENUM} | "
        f"{enum_med * 1e3:.1f} ms | {spread(enum_times)} |",
        "",
        f"Enumeration / elimination time ratio: **{enum_med / ve_med:,.0f}×**. "
        f"Largest difference between the two posteriors: {max_diff:.2e}.",
        "",
    ]
    return lines, {"ve_median": ve_med, "enum_median": enum_med, "max_diff": max_diff}


def bench_ols() -> tuple[list[str], dict]:
    rng = np.random.default_rng(7)
    X = rng.normal(size=(OLS_ROWS, OLS_COLS)) * rng.uniform(0.5, 20, size=OLS_COLS)
    beta = rng.normal(size=OLS_COLS)
    y = 3.0 + X @ beta + rng.normal(size=OLS_ROWS)

    ours = OLSRegression().fit(X, y)
    ref = LinearRegression().fit(X, y)
    coef_diff = float(np.max(np.abs(ours.coef_ - ref.coef_)))
    intercept_diff = abs(ours.intercept_ - float(ref.intercept_))
    same = coef_diff < 1e-8 and intercept_diff < 1e-8

    with threadpool_limits(limits=1):
        ours_times, ref_times = interleaved(
            lambda: OLSRegression().fit(X, y), lambda: LinearRegression().fit(X, y), OLS_REPEATS
        )
    ours_med, ref_med = statistics.median(ours_times), statistics.median(ref_times)
    paired = statistics.median(a / b for a, b in zip(ours_times, ref_times, strict=True))
    lines = [
        f"### OLS: OLSRegression vs scikit-learn {sklearn.__version__} LinearRegression",
        "",
        f"{OLS_ROWS:,} × {OLS_COLS} Gaussian design with column scales 0.5–20, intercept 3, "
        "unit noise, seed 7. OLSRegression also computes standard errors, t- and p-values and "
        "R²; LinearRegression only coefficients. BLAS limited to one thread (threadpoolctl) and "
        "the two fits alternate, because the machine is shared and multi-threaded BLAS timings "
        "swung by 10× between runs.",
        "",
        "| method | repeats | median | spread |",
        "|---|---|---|---|",
        f"| OLSRegression.fit | {OLS_REPEATS} | {ours_med * 1e3:.2f} ms | {spread(ours_times)} |",
        f"| LinearRegression.fit | {OLS_REPEATS} | {ref_med * 1e3:.2f} ms | {spread(ref_times)} |",
        "",
        f"Time ratio OLSRegression / LinearRegression: **{ours_med / ref_med:.2f}×** "
        f"(median of paired ratios {paired:.2f}×). "
        f"Max |Δ coefficient| = {coef_diff:.2e}, |Δ intercept| = {intercept_diff:.2e}: "
        f"{'same to 1e-8' if same else 'NOT the same to 1e-8'}.",
        "",
    ]
    return lines, {"ours": ours_med, "ref": ref_med, "coef_diff": coef_diff, "same": same}


def bench_models_page() -> list[str]:
    data = tempfile.mkdtemp(prefix="seedbed-bench-")
    os.environ["SEEDBED_DATA_DIR"] = data
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seedbed.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    Path(data, "static").mkdir(exist_ok=True)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from seedbed.accounts.models import User
    from seedbed.demo.accounts import DEMO_OPERATOR_EMAIL
    from seedbed.demo.loader import load_demo
    from seedbed.matching import predictive

    call_command("migrate", verbosity=0)
    load_demo(200, 7, echo=lambda _line: None)
    fit_times = timed(predictive.fit_models, FIT_REPEATS)
    predictive.refit_models()
    client = Client()
    client.force_login(User.objects.get(email=DEMO_OPERATOR_EMAIL))
    static = "django.contrib.staticfiles.storage.StaticFilesStorage"
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": static},
    }
    with override_settings(STORAGES=storages, SECURE_SSL_REDIRECT=False):
        url = "/operator/models/"
        assert client.get(url).status_code == 200
        page_times = timed(lambda: client.get(url, {"market": "yes"}), PAGE_REPEATS)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, {"market": "yes"})
    return [
        "### The Models page on the demo data",
        "",
        "`seedbed demo` data (200 members, seed 7) on SQLite. Fitting every model (the growth "
        "trends, the success network with its cross-validation, the SVM with its "
        "cross-validation) is the `refit_models` background task's work; the page reads the "
        "stored fit and answers the network question.",
        "",
        "| what | repeats | median | spread |",
        "|---|---|---|---|",
        f"| fitting every model (`predictive.fit_models`) | {FIT_REPEATS} | "
        f"{statistics.median(fit_times) * 1e3:.0f} ms | {spread(fit_times)} |",
        f"| `GET /operator/models/?market=yes` with a stored fit ({len(queries)} queries) | "
        f"{PAGE_REPEATS} | {statistics.median(page_times) * 1e3:.1f} ms | {spread(page_times)} |",
        "",
    ]


def main() -> None:
    bn_lines, _ = bench_bayesian_network()
    ols_lines, ols = bench_ols()
    page_lines = bench_models_page()
    machine = (
        f"Machine: {platform.platform()}, {platform.machine()}, os.cpu_count() = {os.cpu_count()}, "
        f"Python {platform.python_version()}, numpy {np.__version__}."
    )
    text = "\n".join(
        [
            "## Predictive models (`seedbed.engine.predict`)",
            "",
            machine,
            "",
            *bn_lines,
            *ols_lines,
            *page_lines,
        ]
    )
    out = ROOT / "bench" / "results" / "predict.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(text)
    if not ols["same"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
