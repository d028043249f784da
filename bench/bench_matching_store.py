"""Resource matching at scale, the product side: storing match scores and reading them back.

1. ``adapter.refresh_matches()`` (read the active projects and offers, score them with the
   engine, explain, store the best 30 per side) at 500 × 500 and 2,000 × 2,000. Reference in
   the same run, interleaved: the engine alone on the same inputs (fit + score + best pairs +
   explain), so the difference is what the database read and the store add.
2. The "matches for my project" page and ``GET /api/v1/projects/<slug>/matches`` for a team
   member at 2,000 × 2,000, against the same page at 500 × 500.

Runs on a fresh SQLite file in a temporary folder, or on DATABASE_URL when set. Rows are
generated deterministically (one ``random.Random`` per row, so the 500 × 500 data is the first
quarter of the 2,000 × 2,000 data) and written with bulk inserts only.
"""

import gc
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = tempfile.mkdtemp(prefix="seedbed-bench-")
os.environ["SEEDBED_DATA_DIR"] = DATA
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seedbed.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()
Path(DATA, "static").mkdir(exist_ok=True)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

SEED = 11
SIZES = [(500, 5), (2000, 3)]
"""(projects = offers, repeats of the refresh and of the engine reference)."""
REQUESTS = 30
ROUNDS = 6
"""Requests are measured in rounds of REQUESTS / ROUNDS, alternating between the cases."""
BATCH = 1000

KINDS = ["investor"] * 25 + ["mentor"] * 25 + ["talent"] * 35 + ["service"] * 15
STAGES = ["idea", "pre_seed", "seed", "series_a", "growth"]
ASK = {
    "idea": (50_000, 300_000),
    "pre_seed": (200_000, 1_000_000),
    "seed": (800_000, 3_000_000),
    "series_a": (3_000_000, 12_000_000),
    "growth": (15_000_000, 60_000_000),
}
CITIES = {
    "en": ["Singapore", "Hong Kong", "Berlin", "London", "San Francisco", "Seoul", "Tokyo"],
    "zh": ["上海", "北京", "深圳", "杭州", "成都", "广州", "苏州"],
}
SKILLS = [
    "python",
    "react",
    "machine learning",
    "sales",
    "product design",
    "devops",
    "finance",
    "growth marketing",
    "go",
    "rust",
    "embedded",
    "data engineering",
    "ios",
    "android",
    "机器学习",
    "前端",
    "销售",
    "嵌入式",
]
TOPICS = [
    "fundraising",
    "pricing",
    "hiring",
    "go-to-market",
    "product strategy",
    "unit economics",
    "b2b sales",
    "regulation",
    "supply chain",
    "international expansion",
    "融资",
    "定价",
    "出海",
    "供应链",
]
SERVICES = ["legal", "accounting", "cloud", "design", "marketing", "recruiting", "office", "ip"]
WHAT = {
    "en": [
        "an AI assistant that drafts clinic paperwork",
        "invoice financing for small suppliers",
        "remote monitoring for heart patients",
        "adaptive maths practice for middle schools",
        "a marketplace for refurbished industrial parts",
        "battery analytics for electric bus fleets",
        "route planning for cold-chain delivery",
        "computer vision for production-line inspection",
        "a payroll tool for cross-border teams",
        "precision irrigation for greenhouse farms",
    ],
    "zh": [
        "面向诊所的 AI 病历助手",
        "为中小供应商提供应收账款融资",
        "心衰患者的远程监护平台",
        "初中数学自适应练习系统",
        "工业二手零部件交易平台",
        "电动公交车队的电池数据分析",
        "冷链配送的智能路径规划",
        "产线质检的机器视觉方案",
        "跨境团队的薪酬与合规工具",
        "温室大棚的精准灌溉系统",
    ],
}
WHO = {
    "en": ["hospitals", "small businesses", "schools", "factories", "logistics firms", "farms"],
    "zh": ["医院", "中小企业", "学校", "工厂", "物流公司", "农场"],
}


def timed(fn, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def fmt(times: list[float], unit: float = 1000.0, suffix: str = "ms", digits: int = 1) -> str:
    return (
        f"{statistics.median(times) * unit:.{digits}f} {suffix} "
        f"({min(times) * unit:.{digits}f}–{max(times) * unit:.{digits}f})"
    )


def secs(times: list[float]) -> str:
    return fmt(times, unit=1.0, suffix="s", digits=2)


def ratio(a: list[float], b: list[float]) -> str:
    return f"{statistics.median(a) / statistics.median(b):.2f}×"


def grow(lo: int, hi: int) -> None:
    """Add projects and offers ``lo`` to ``hi`` (and their owners) by bulk inserts."""
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

    from seedbed.accounts.models import User
    from seedbed.core.models import Sector
    from seedbed.core.services import tags_named
    from seedbed.matching.models import Offer, Project

    sectors = {s.slug: s.pk for s in Sector.objects.all()}
    slugs = sorted(sectors)
    tags = {t.name: t.pk for t in tags_named(SKILLS + TOPICS)}

    users, projects, offers = [], [], []
    teams, p_links, o_links = [], [], []
    for i in range(lo, hi):
        rng = random.Random(f"{SEED}:project:{i}")
        lang = "zh" if rng.random() < 0.4 else "en"
        city = rng.choice(CITIES[lang])
        team = [
            User(
                email=f"founder{i}-{k}@bench.example",
                handle=f"founder{i}-{k}",
                display_name=f"Founder {i}-{k}",
                password=UNUSABLE_PASSWORD_PREFIX,
                city=city,
                languages=[lang],
            )
            for k in range(rng.choice([1, 1, 2, 3]))
        ]
        users += team
        stage = rng.choice(STAGES)
        ask = ASK[stage]
        needs = {k: rng.random() < 0.5 for k in ("funding", "talent", "mentoring", "services")}
        if not any(needs.values()):
            needs[rng.choice(list(needs))] = True
        what, who = rng.choice(WHAT[lang]), rng.choice(WHO[lang])
        if lang == "zh":
            one_liner = f"{what}，服务{who}"
            description = f"我们在{city}为{who}提供{what}。团队已有早期客户，正在快速迭代产品。"
            roles = "后端工程师、销售负责人" if needs["talent"] else ""
        else:
            one_liner = f"{what} for {who}"
            description = (
                f"Based in {city}, we build {what} for {who}. "
                "We have early customers and ship every week."
            )
            roles = "backend engineer, head of sales" if needs["talent"] else ""
        project = Project(
            slug=f"project-{i}",
            name=f"Project {i}" if lang == "en" else f"项目{i}",
            one_liner=one_liner[:160],
            description=description,
            stage=stage,
            city=city,
            needs_funding=needs["funding"],
            funding_min=ask[0] if needs["funding"] else None,
            funding_max=ask[1] if needs["funding"] else None,
            funding_instrument="equity" if needs["funding"] else "",
            needs_talent=needs["talent"],
            roles_sought=roles,
            needs_mentoring=needs["mentoring"],
            needs_services=needs["services"],
            services_sought=rng.sample(SERVICES, 2) if needs["services"] else [],
            intro_limit=rng.randint(1, 5),
        )
        projects.append(project)
        teams.append(team)
        p_links.append(
            {
                "sectors": [sectors[s] for s in rng.sample(slugs, rng.randint(1, 2))],
                "skills_sought": [tags[t] for t in rng.sample(SKILLS, 3)]
                if needs["talent"]
                else [],
                "topics_sought": [tags[t] for t in rng.sample(TOPICS, 2)]
                if needs["mentoring"]
                else [],
            }
        )

    owners = []
    for j in range(lo, hi):
        rng = random.Random(f"{SEED}:offer:{j}")
        kind = rng.choice(KINDS)
        lang = "zh" if rng.random() < 0.4 else "en"
        city = rng.choice(CITIES[lang])
        owner = User(
            email=f"{kind}{j}@bench.example",
            handle=f"{kind}{j}",
            display_name=f"{kind.title()} {j}",
            password=UNUSABLE_PASSWORD_PREFIX,
            city=city,
            languages=[lang],
        )
        owners.append(owner)
        offer_sectors = rng.sample(slugs, rng.randint(1, 3))
        links = {
            "sectors": [sectors[s] for s in offer_sectors],
            "excluded_sectors": [],
            "skills": [],
            "topics": [],
        }
        fields: dict = {}
        what = rng.choice(WHAT[lang])
        if kind == "investor":
            backs = sorted(rng.sample(STAGES, 2), key=STAGES.index)
            fields = {
                "stages": backs,
                "ticket_min": ASK[backs[0]][0] // 2,
                "ticket_max": ASK[backs[-1]][1] // 2,
                "regions": rng.sample(CITIES[lang], 2),
                "capacity": rng.randint(2, 8),
            }
            if rng.random() < 0.3:
                rest = [s for s in slugs if s not in offer_sectors]
                links["excluded_sectors"] = [sectors[rng.choice(rest)]]
            title = f"{city} 早期基金" if lang == "zh" else f"{city} Seed Fund {j}"
            text = (
                f"我们投资{what}这类早期项目，单笔金额灵活。"
                if lang == "zh"
                else f"We back early teams building things like {what}; quick decisions."
            )
        elif kind == "mentor":
            topics = rng.sample(TOPICS, 3)
            links["topics"] = [tags[t] for t in topics]
            fields = {"regions": [city], "capacity": rng.randint(1, 4)}
            title = f"导师：{topics[0]}" if lang == "zh" else f"Office hours: {topics[0]}"
            text = (
                f"我做过{what}，可以帮助团队解决{topics[0]}和{topics[1]}的问题。"
                if lang == "zh"
                else f"Former founder of {what}; happy to help with {topics[0]} and {topics[1]}."
            )
        elif kind == "talent":
            skills = rng.sample(SKILLS, 3)
            links["skills"] = [tags[t] for t in skills]
            fields = {
                "role_sought": skills[0],
                "availability": rng.choice(["full_time", "part_time", "contract"]),
                "city": city,
                "remote": rng.random() < 0.4,
                "capacity": 1,
            }
            title = f"{skills[0]} 工程师" if lang == "zh" else f"{skills[0].title()} engineer"
            text = (
                f"五年经验，熟悉{skills[0]}、{skills[1]}和{skills[2]}，想加入早期团队。"
                if lang == "zh"
                else f"Five years of {skills[0]}, {skills[1]} and {skills[2]}; "
                "looking for an early-stage team."
            )
        else:
            service = rng.choice(SERVICES)
            fields = {
                "service_type": service,
                "price_band": rng.choice(["free", "discounted", "standard"]),
                "regions": rng.sample(CITIES[lang], 3),
                "capacity": rng.randint(3, 10),
            }
            title = f"{service} 服务" if lang == "zh" else f"{service.title()} for startups"
            text = (
                f"为初创公司提供{service}服务，会员优惠。"
                if lang == "zh"
                else f"{service.title()} services for startups, with a member discount."
            )
        offers.append(Offer(kind=kind, title=title, description=text, **fields))
        o_links.append(links)

    User.objects.bulk_create(users + owners, batch_size=BATCH)
    for offer, owner in zip(offers, owners, strict=True):
        offer.owner = owner
    for project, team in zip(projects, teams, strict=True):
        project.created_by = team[0]
    Project.objects.bulk_create(projects, batch_size=BATCH)
    Offer.objects.bulk_create(offers, batch_size=BATCH)
    Project.team.through.objects.bulk_create(
        [
            Project.team.through(project_id=p.pk, user_id=u.pk)
            for p, team in zip(projects, teams, strict=True)
            for u in team
        ],
        batch_size=BATCH,
    )
    for model, items, links, key, other in (
        (Project, projects, p_links, "project_id", {"sectors": "sector_id"}),
        (
            Offer,
            offers,
            o_links,
            "offer_id",
            {"sectors": "sector_id", "excluded_sectors": "sector_id"},
        ),
    ):
        for field in links[0]:
            through = getattr(model, field).through
            column = other.get(field, "tag_id")
            through.objects.bulk_create(
                [
                    through(**{key: item.pk, column: value})
                    for item, item_links in zip(items, links, strict=True)
                    for value in item_links[field]
                ],
                batch_size=BATCH,
            )


def use_database(name: str) -> None:
    """Point the default connection at another SQLite file (a copy of an earlier size)."""
    if connection.settings_dict["NAME"] != name:
        connection.close()
        connection.settings_dict["NAME"] = name


def measure_requests(cases, rounds: int, per_round: int) -> list[tuple]:
    """Time GET requests in rounds, alternating between the cases (each on its database),
    after one untimed request per case and round; count the queries of one request."""
    times: dict[int, list[float]] = {i: [] for i in range(len(cases))}
    queries: dict[int, int] = {}
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        SECURE_SSL_REDIRECT=False,
    ):
        for _ in range(rounds):
            for i, (_size, label, url, _n, shown, client, db) in enumerate(cases):
                use_database(db)
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                if label == "API":
                    assert len(response.json()["items"]) == shown, url
                if i not in queries:
                    with CaptureQueriesContext(connection) as captured:
                        client.get(url)
                    queries[i] = len(captured)
                times[i] += timed(lambda c=client, u=url: c.get(u), per_round)
    return [(*case[:5], times[i], queries[i]) for i, case in enumerate(cases)]


def counting(verbs: Counter):
    """An execute wrapper counting statements by their first word (cheaper than
    CaptureQueriesContext, which on SQLite re-quotes every parameter of every statement)."""

    def wrapper(execute, sql, params, many, context):
        verbs[sql.split(None, 1)[0].upper()] += 1
        return execute(sql, params, many, context)

    return wrapper


def kinds_of(verbs: Counter) -> str:
    return ", ".join(f"{n} {verb}" for verb, n in verbs.most_common())


def main() -> None:
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.db.models import Count

    from seedbed.engine.matching import MatchScorer
    from seedbed.engine.text import clear_cache
    from seedbed.matching import adapter
    from seedbed.matching.models import Match, Offer, Project
    from seedbed.matching.views import MATCHES_SHOWN

    # As in Django's test runner: keep one connection open across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)

    def engine_only(e_projects, e_offers, outcomes):
        scorer = MatchScorer().fit(e_projects, e_offers, outcomes)
        scores = scorer.score(e_projects, e_offers)
        chosen = adapter._best_pairs(scores, adapter.KEEP_PER_SIDE)
        scorer.explain(e_projects, e_offers, chosen, scores)
        return len(chosen)

    refresh_rows, page_rows, mixes, stored, cases = [], [], [], [], []
    sqlite = connection.vendor == "sqlite"
    built = 0
    setup_seconds = {}
    for size, repeats in SIZES:
        started = time.perf_counter()
        grow(built, size)
        built = size
        setup_seconds[size] = time.perf_counter() - started
        mixes.append(Counter(Offer.objects.values_list("kind", flat=True)))

        if built == SIZES[0][0]:
            # Untimed first run: loads jieba's dictionary and fills the table, so each timed
            # run replaces a full set of matches, as in production.
            clear_cache()
            with CaptureQueriesContext(connection) as queries:
                adapter.refresh_matches()
            captured = len(queries)

        projects = list(adapter.matchable_projects())
        offers = list(adapter.matchable_offers())
        e_projects, e_offers = adapter.engine_inputs(projects, offers)
        outcomes = adapter.past_outcomes()

        def read_inputs():
            ps, os_ = list(adapter.matchable_projects()), list(adapter.matchable_offers())
            adapter.engine_inputs(ps, os_)
            adapter.past_outcomes()

        product, engine, reads, statements = [], [], [], []
        for _ in range(repeats):  # interleaved, each from an empty token cache
            gc.collect()
            clear_cache()
            engine += timed(lambda a=e_projects, b=e_offers, c=outcomes: engine_only(a, b, c), 1)
            gc.collect()
            clear_cache()
            verbs: Counter = Counter()
            with connection.execute_wrapper(counting(verbs)):
                product += timed(lambda: stored.append(adapter.refresh_matches()), 1)
            statements.append(verbs)
            reads += timed(read_inputs, 1)
        if built == SIZES[0][0]:
            # CaptureQueriesContext also logs the COMMIT, which runs on the connection.
            assert captured == statements[0].total() + 1, (captured, statements[0])
        pairs = engine_only(e_projects, e_offers, outcomes)
        assert pairs == stored[-1] == Match.objects.count(), (pairs, stored)
        assert all(v == statements[0] for v in statements), statements
        print(f"{size}: refresh {product}, engine {engine}", file=sys.stderr)
        refresh_rows.append((size, repeats, product, engine, reads, stored[-1], statements[0]))
        stored.clear()

        # The team member's matches page (and at the largest size the API), for the project
        # with the most stored matches; measured at the end, interleaved across sizes.
        top = (
            Match.objects.values("project_id")
            .annotate(n=Count("id"))
            .order_by("-n", "project_id")
            .first()
        )
        project = Project.objects.get(pk=top["project_id"])
        client = Client()
        client.force_login(project.team.order_by("id").first())
        shown = min(MATCHES_SHOWN, top["n"])
        db = connection.settings_dict["NAME"]
        if size != SIZES[-1][0]:
            if sqlite:  # keep this size's database as it is now, to read it again later
                db = str(Path(DATA, f"matches-{size}.sqlite3"))
                target = sqlite3.connect(db)
                connection.connection.backup(target)
                target.close()
            cases.append([size, "page", f"/projects/{project.slug}/matches/", top["n"], shown])
            cases[-1] += [client, db]
            if not sqlite:  # no copy: measure now
                page_rows += measure_requests(cases[-1:], 1, REQUESTS)
                cases.pop()
        else:
            cases.append([size, "page", f"/projects/{project.slug}/matches/", top["n"], shown])
            cases[-1] += [client, db]
            cases.append([size, "API", f"/api/v1/projects/{project.slug}/matches", top["n"], 30])
            cases[-1] += [client, db]
    page_rows += measure_requests(cases, ROUNDS, REQUESTS // ROUNDS)
    page_rows.sort(key=lambda r: (r[0], r[1] != "page"))

    vendor = connection.vendor
    mix = mixes[-1]
    total = sum(mix.values())
    mix_text = ", ".join(
        f"{mix[k] / total:.0%} {k}" for k in ("investor", "mentor", "talent", "service")
    )
    lines = [
        "## Match storage and matches pages (`bench/bench_matching_store.py`)",
        "",
        "Command: `.venv/bin/python bench/bench_matching_store.py` (or `make bench`).",
        "",
        f"Database: {vendor}, fresh. Synthetic, deterministic data (seed {SEED}): projects × "
        f"offers with 1–3 founders a project and one owner an offer, all bulk-inserted; offers "
        f"{mix_text}; 40% of texts Chinese; 20 sectors, "
        f"{len(SKILLS)} skills, {len(TOPICS)} topics; no past intros (the learned part of the "
        "score is off). Setup: "
        + ", ".join(f"{s:,} × {s:,} in {t:.1f} s" for s, t in setup_seconds.items())
        + " (the larger set adds to the smaller one).",
        "",
        "### Refreshing the stored matches",
        "",
        "`adapter.refresh_matches()`: read the active projects and offers with their tags, "
        "build the engine inputs, fit + score, pick the best 30 per project and per offer, "
        "explain them, then in one transaction delete the old matches and insert the new "
        "ones (one `executemany`). Reference, interleaved with it in the same run: the engine alone on the "
        "same prebuilt inputs (fit + score + best pairs + explain). Every run starts with an "
        "empty token cache. An untimed first run at the smaller size loads jieba and fills the "
        "table, so every timed run replaces a full set of matches as in production (the "
        "first at the larger size replaces the smaller set). *DB read + inputs* is timed "
        "on its own after each run (the two querysets with their prefetches, "
        "`engine_inputs`, `past_outcomes`); *the rest* is by difference of the medians: "
        "adapting the rows, the DELETE and the INSERT. Statements are counted "
        "in every timed run with an execute wrapper (the same count each time; it is "
        "`CaptureQueriesContext`'s count less the COMMIT, checked on the untimed run, "
        "without its cost of re-quoting every parameter). Median (min–max).",
        "",
        "| projects × offers | runs | `refresh_matches()` | engine alone | product / engine "
        "| DB read + inputs | the rest (store) | stored matches | SQL statements a refresh |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    med = statistics.median
    for size, repeats, product, engine, reads, stored, verbs in refresh_rows:
        rest = med(product) - med(engine) - med(reads)
        lines.append(
            f"| {size:,} × {size:,} | {repeats} | {secs(product)} | {secs(engine)} | "
            f"**{ratio(product, engine)}** | {secs(reads)} | ≈ {rest:.2f} s | {stored:,} | "
            f"{verbs.total()} ({kinds_of(verbs)}) |"
        )
    small, large = refresh_rows[0], refresh_rows[-1]
    inserts = large[6]["INSERT"]
    fixed = large[6].total() - inserts
    lines += [
        "",
        f"From {small[0]:,}² to {large[0]:,}² pairs (×{(large[0] / small[0]) ** 2:.0f}) the "
        f"stored matches grow ×{large[5] / small[5]:.1f}; `refresh_matches()` takes "
        f"{ratio(large[2], small[2])} as long, the engine alone {ratio(large[3], small[3])}. "
        f"The statements are {fixed} fixed ones (reads, DELETE, transaction) at both sizes "
        f"plus {inserts} INSERT (an `executemany` of all {large[5]:,} rows): the count "
        "does not grow with the rows.",
        "",
        "### Matches for my project",
        "",
        "A team member (`Client.force_login`) reads the matches of the project with the "
        f"most stored matches: {REQUESTS} requests a case in {ROUNDS} rounds, alternating "
        f"between the cases within each round (the {SIZES[0][0]:,} × {SIZES[0][0]:,} database "
        "is a copy taken with "
        "SQLite's backup API before the data grew; on another database it is measured "
        "before growing), one untimed request per case and round; median (min–max). Django "
        "test client, so routing, templates and serialisation but no network. The page "
        "shows up to 50 matches, the API returns its first page of 30. Queries counted with "
        "`CaptureQueriesContext` on one request (session and user included).",
        "",
        "| projects × offers | request | stored matches of the project | rows shown "
        "| time | queries |",
        "|---|---|---|---|---|---|",
    ]
    for size, label, url, n, shown, times, queries in page_rows:
        lines.append(
            f"| {size:,} × {size:,} | {label} `GET {url}` | {n} | {shown} | {fmt(times)} "
            f"| {queries} |"
        )
    pages = [r for r in page_rows if r[1] == "page"]
    lines += [
        "",
        f"Page at {pages[-1][0]:,} × {pages[-1][0]:,} / page at {pages[0][0]:,} × "
        f"{pages[0][0]:,}: **{ratio(pages[-1][5], pages[0][5])}**, with "
        f"{(pages[-1][0] / pages[0][0]) ** 2:.0f}× the pairs and "
        f"{pages[-1][6]} vs {pages[0][6]} queries a request: the page reads one project's "
        "stored matches through the (project, −score) index.",
    ]
    report = "\n".join(lines)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "matching_store.md").write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    main()
