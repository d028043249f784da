"""Search at scale: indexing throughput and query latency of seedbed.search.services.

Documents are real Chinese hotel reviews (ChnSentiCorp) and English product/restaurant
sentences (UCI Sentiment Labelled Sentences) read from ../shared/data/ when present, padded
with mixed zh/en startup posts generated from word lists. A fifth of them sit in private
communities. The reference in the same run is the naive search the service replaces: a
case-insensitive substring scan over title and body with the same visibility filter, newest
first, counted and paged the same way.

Runs on a fresh SQLite file in a temporary folder, or, when DATABASE_URL is set, on a fresh
test database created beside it on that server (and dropped afterwards).
"""

import csv
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = tempfile.mkdtemp(prefix="seedbed-bench-")
os.environ["SEEDBED_DATA_DIR"] = DATA
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seedbed.settings")
SHARED = Path(os.environ.get("SEEDBED_SHARED_DATA", "/work/shared/data"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

DOCUMENTS = int(os.environ.get("BENCH_SEARCH_DOCUMENTS", "20000"))
REPEATS = 15
COMMUNITIES = 50
MEMBER_OF = [1, 2, 3, 4, 5]

QUERIES = [
    ("zh word", "融资"),
    ("zh word", "投资"),
    ("zh word", "酒店"),
    ("zh word", "早餐"),
    ("zh word", "服务"),
    ("zh two words", "房间 干净"),
    ("en word", "battery"),
    ("en word", "service"),
    ("en word", "founders"),
    ("en two words", "great food"),
    ("en prefix", "recomm"),
    ("en prefix", "disappoint"),
    ("en prefix", "invest"),
    ("en prefix", "found"),
    ("single zh char", "融"),
    ("single zh char", "房"),
    ("single zh char", "好"),
    ("mixed", "AI 医疗"),
    ("no match → fallback", "blockchainz"),
    ("typo", "restaurnt"),
]

_ZH = (
    "我们 正在 寻找 天使轮 融资 投资人 创始人 团队 产品 市场 用户 增长 医疗 教育 金融 科技 "
    "人工智能 数据 平台 合作 路演 孵化器 加速器 导师 招聘 工程师 技术 合伙人 估值 股权 "
    "社区 活动 分享 经验 客户 销售 渠道 供应链 新能源 芯片 机器人 电商 出海"
)
_EN = (
    "we are looking for seed funding founders investors team product market users growth "
    "health education fintech ai data platform partnership demo day incubator accelerator "
    "mentor hiring engineer technology cofounder valuation equity community event sharing "
    "customers sales channel supply chain energy chips robotics ecommerce saas b2b"
)
ZH_WORDS, EN_WORDS = _ZH.split(), _EN.split()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.platform()}; "
        f"Python {platform.python_version()}"
    )


def real_sentences() -> tuple[list[str], list[str], list[str]]:
    """Chinese reviews and English sentences from ../shared/data, and the sources used."""
    zh, en, sources = [], [], []
    chn = SHARED / "chnsenticorp" / "dev.csv"
    if chn.exists():
        with chn.open(encoding="utf-8", newline="") as f:
            zh = [row["review"].strip() for row in csv.DictReader(f) if row["review"].strip()]
        sources.append(f"ChnSentiCorp dev ({len(zh):,} reviews)")
    uci = SHARED / "uci-sentences"
    for name in ("amazon_cells_labelled.txt", "yelp_labelled.txt"):
        path = uci / name
        if path.exists():
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            en.extend(line.rsplit("\t", 1)[0].strip() for line in lines if "\t" in line)
    if en:
        sources.append(f"UCI sentiment sentences ({len(en):,})")
    return zh, en, sources


def generated(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.5:
        title = "".join(rng.sample(ZH_WORDS, 3))
        body = "，".join("".join(rng.sample(ZH_WORDS, rng.randint(3, 7))) for _ in range(4)) + "。"
        if rng.random() < 0.3:
            body += " " + " ".join(rng.sample(EN_WORDS, 4))
    else:
        title = " ".join(rng.sample(EN_WORDS, 3)).capitalize()
        body = ". ".join(" ".join(rng.sample(EN_WORDS, rng.randint(5, 10))) for _ in range(4))
        if rng.random() < 0.3:
            body += " " + "".join(rng.sample(ZH_WORDS, 3))
    return title, body


def documents(n: int) -> tuple[list[dict], list[str]]:
    rng = random.Random(20261129)
    zh, en, sources = real_sentences()
    real = [("zh", s) for s in zh] + [("en", s) for s in en]
    rng.shuffle(real)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    docs = []
    for i in range(n):
        if i < len(real) and i % 2 == 0:
            lang, body = real[i]
            title = body[:12] if lang == "zh" else " ".join(body.split()[:5])
        else:
            title, body = generated(rng)
        community = rng.randint(1, COMMUNITIES)
        docs.append(
            {
                "kind": rng.choice(("post", "post", "reply")),
                "object_id": i + 1,
                "community_id": community,
                "is_public": rng.random() >= 0.2,
                "title": title,
                "body": body,
                "url": f"/p/{i + 1}/",
                "created_at": start + timedelta(minutes=i),
            }
        )
    if len(real) // 2 < n:
        sources.append("generated zh/en startup posts from word lists")
    return docs, sources


def timed(fn, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def fmt(times: list[float]) -> str:
    return (
        f"{statistics.median(times) * 1000:.2f} ms "
        f"({min(times) * 1000:.2f}–{max(times) * 1000:.2f})"
    )


def run() -> str:
    from seedbed.search import text
    from seedbed.search.models import SearchDocument
    from seedbed.search.services import CANDIDATES, index_document, search

    load_before = os.getloadavg()[0]
    docs, sources = documents(DOCUMENTS)

    sample = [d["body"] for d in docs[:2000]]
    text.index_text("预热")  # loads jieba's dictionary outside the timings
    started = time.perf_counter()
    for body in sample:
        text.index_text(body)
    segment_per_doc = (time.perf_counter() - started) / len(sample)

    started = time.perf_counter()
    for chunk in range(0, len(docs), 500):
        with transaction.atomic():
            for d in docs[chunk : chunk + 500]:
                index_document(
                    d["kind"],
                    d["object_id"],
                    community_id=d["community_id"],
                    is_public=d["is_public"],
                    title=d["title"],
                    body=d["body"],
                    url=d["url"],
                    created_at=d["created_at"],
                )
    index_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum (or PRAGMA optimize) does in production

    def naive(q: str):
        visible = Q(is_public=True) | Q(community_id__in=MEMBER_OF)
        qs = SearchDocument.objects.filter(visible)
        for term in q.split():
            qs = qs.filter(Q(title__icontains=term) | Q(body__icontains=term))
        return qs.count(), list(qs.order_by("-created_at", "-id")[:20])

    rows = []
    ratios = []
    all_fast = []  # each query's median, as in the table
    for label, q in QUERIES:
        with CaptureQueriesContext(connection) as queries:
            page = search(q, member_community_ids=MEMBER_OF)
        naive_total = naive(q)[0]
        shown = f"{CANDIDATES:,}+" if page.capped else f"{page.total:,}"
        fast = timed(lambda q=q: search(q, member_community_ids=MEMBER_OF), REPEATS)
        slow = timed(lambda q=q: naive(q), REPEATS)
        ratio = statistics.median(slow) / statistics.median(fast)
        ratios.append(ratio)
        all_fast.append(statistics.median(fast))
        rows.append(
            f"| {label} | `{q}` | {shown} | {naive_total:,} | {len(queries)} | "
            f"{fmt(fast)} | {fmt(slow)} | {ratio:.1f}× |"
        )

    vendor = connection.vendor
    version = (
        f"SQLite {connection.Database.sqlite_version}"
        if vendor == "sqlite"
        else "PostgreSQL {}.{}".format(
            *divmod(connection.cursor().connection.info.server_version, 10000)
        )
    )
    lines = [
        f"## Search on {vendor} (`bench/bench_search.py`)",
        "",
        f"Database: {vendor} ({version}), fresh, {DOCUMENTS:,} documents "
        f"({', '.join(sources)}); 20 % in private communities; the searcher belongs to "
        f"{len(MEMBER_OF)} of {COMMUNITIES} communities. Machine: {machine()}; load average "
        f"{load_before:.1f} before and {os.getloadavg()[0]:.1f} after the run (the machine is "
        "shared with other work).",
        "",
        f"- Indexing through `index_document` (one upsert per document, 500 per transaction): "
        f"{index_seconds:.1f} s, **{DOCUMENTS / index_seconds:,.0f} documents/s**; of which "
        f"jieba segmentation ≈ {segment_per_doc * 1e6:.0f} µs a document.",
        f"- Query latency, median over the 20 queries of each one's median: "
        f"**{statistics.median(all_fast) * 1000:.2f} ms** "
        f"(per-query medians {min(all_fast) * 1000:.2f}–{max(all_fast) * 1000:.2f} ms); "
        f"speed-up over the naive scan: median {statistics.median(ratios):.1f}× "
        f"({min(ratios):.1f}–{max(ratios):.1f}×).",
        "",
        f"Each query: `search(q, member_community_ids=…, limit=20)` including highlighting and "
        f"snippets, median of {REPEATS} runs (min–max). Reference: `icontains` over title and body "
        "with the same visibility filter, count + first 20 newest. The naive scan matches "
        "substrings, so its totals differ (it finds `found` inside `profound`, cannot rank, "
        "and misses a typo).",
        "",
        "| kind | query | hits | naive hits | queries | search | naive icontains | speed-up |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
    ]
    return "\n".join(lines)


def main() -> None:
    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)
        report = run()
    else:
        old_name = connection.settings_dict["NAME"]
        # Its own name, so it never clobbers a test database someone else is using.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = (
            f"seedbed_bench_search_{os.getpid()}"
        )
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            report = run()
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    # One section per database: a run replaces its own and keeps the other's.
    out = ROOT / "bench" / "results" / "search.md"
    out.parent.mkdir(exist_ok=True)
    heading = report.splitlines()[0]
    kept = []
    if out.exists():
        for section in out.read_text().split("\n## "):
            section = section if section.startswith("## ") else "## " + section
            if section.strip() and section.splitlines()[0] != heading:
                kept.append(section.strip())
    sections = sorted([*kept, report.strip()], key=lambda sec: "postgresql" in sec.splitlines()[0])
    out.write_text("\n\n".join(sections) + "\n")
    print(report)


if __name__ == "__main__":
    main()
