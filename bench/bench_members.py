"""Members at scale: loading the demo by bulk inserts, and the directory page and endpoint.

References in the same run: per-row ORM creation (what the bulk loader replaces) and the
directory rendered without prefetching (the N+1 pattern the query budget forbids).
Runs on a fresh SQLite file in a temporary folder, or on DATABASE_URL when set.
"""

import io
import os
import statistics
import sys
import tempfile
import time
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

MEMBERS = int(os.environ.get("BENCH_MEMBERS", "100000"))
REPEATS = 15


def timed(fn, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def fmt(times: list[float], unit: float = 1000.0, suffix: str = "ms") -> str:
    return (
        f"{statistics.median(times) * unit:.1f} {suffix} "
        f"({min(times) * unit:.1f}–{max(times) * unit:.1f})"
    )


def main() -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from seedbed.accounts.models import MemberRole, User
    from seedbed.accounts.services import update_profile

    # As in Django's test runner: keep one connection open across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo", members=str(MEMBERS), verbosity=0, stdout=io.StringIO())
    bulk_seconds = time.perf_counter() - started
    bulk_per_member = bulk_seconds / (MEMBERS + 2)

    password = make_password("x")
    naive_n = 300

    def per_row():
        base = User.objects.count()
        for i in range(naive_n):
            user = User.objects.create(
                email=f"naive{base + i}@bench.example",
                display_name=f"Naive {i}",
                password=password,
                city="Berlin",
            )
            EmailAddress.objects.create(user=user, email=user.email, verified=True)
            MemberRole.objects.create(user=user, role="founder")
            update_profile(user, sectors=["ai"], skills=["python", "rust"], interests=["x"])

    naive = timed(per_row, 3)
    naive_per_member = statistics.median(naive) / naive_n

    rows = []
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        SECURE_SSL_REDIRECT=False,
    ):
        visitor = Client()
        member = Client()
        member.force_login(User.objects.get(email="demo@demo.seedbed.org"))
        cases = [
            ("directory page, visitor", visitor, "/members/"),
            ("directory page, member", member, "/members/"),
            ("directory page, role + city filter", member, "/members/?role=investor&city=上海"),
            ("directory page, skill filter", member, "/members/?skill=python"),
            ("directory page 200 (deep)", member, "/members/?page=200"),
            ("API /members, 100 a page", member, "/api/v1/members?page_size=100"),
            ("API /members, sector filter", member, "/api/v1/members?sector=fintech"),
        ]
        for label, client, url in cases:
            assert client.get(url).status_code == 200
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            query_count = len(queries)
            times = timed(lambda c=client, u=url: c.get(u), REPEATS)
            rows.append((label, fmt(times), query_count))

        from seedbed.accounts.models import User as U

        def without_prefetch():
            page = list(U.objects.filter(is_active=True).order_by("display_name", "id")[:24])
            for m in page:
                _ = (m.roles, list(m.sectors.all()), list(m.skills.all()), list(m.interests.all()))

        def with_prefetch():
            from seedbed.accounts.services import member_list_queryset

            page = list(member_list_queryset().order_by("display_name", "id")[:24])
            for m in page:
                _ = (m.roles, list(m.sectors.all()), list(m.skills.all()), list(m.interests.all()))

        slow = timed(without_prefetch, REPEATS)
        fast = timed(with_prefetch, REPEATS)

    vendor = connection.vendor
    lines = [
        "## Members at scale (`bench/bench_members.py`)",
        "",
        f"Database: {vendor}, fresh, {MEMBERS + 2:,} demo members. Median of {REPEATS} runs "
        "(min–max); Django test client, so the figures include routing, templates and "
        "serialisation but no network.",
        "",
        "| what | time | reference | ratio |",
        "|---|---|---|---|",
        f"| `seedbed demo --members {MEMBERS}` (bulk inserts) | {bulk_seconds:.1f} s "
        f"({bulk_per_member * 1e6:.0f} µs a member) | per-row ORM creation, {naive_n} members × 3: "
        f"{naive_per_member * 1e6:.0f} µs a member | {naive_per_member / bulk_per_member:.0f}× faster |",
        f"| one directory page of members, prefetched (4 queries) | {fmt(fast)} | "
        f"without prefetching (N+1): {fmt(slow)} | "
        f"{statistics.median(slow) / statistics.median(fast):.1f}× faster |",
        "",
        "| request | median (min–max) | queries |",
        "|---|---|---|",
        *[f"| {label} | {t} | {q} |" for label, t, q in rows],
    ]
    report = "\n".join(lines)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "members.md").write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    main()
