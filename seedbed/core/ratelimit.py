"""Fixed-window rate limits that every process agrees on, and the one client address they use.

The counts live in Redis when ``REDIS_URL`` is set, otherwise in the database (one atomic
statement per action): never in one process's memory, which several workers would multiply.
allauth's own limits use the same ``ratelimit`` cache (see ``AccountsConfig.ready``).
"""

import ipaddress
import time
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.http import HttpRequest

CACHE_ALIAS = "ratelimit"
#: Created by a migration of the accounts app (core has no tables of its own for this).
COUNTER_TABLE = "seedbed_ratelimit_counter"


class RateLimited(Exception):
    def __init__(self, retry_after: float):
        self.retry_after = max(1, int(retry_after))
        super().__init__(f"rate limited; retry after {self.retry_after} s")


def hit(key: str, limits: list[tuple[int, int]]) -> None:
    """Count one action against every (limit, window-seconds) pair for `key`; raise
    RateLimited with the wait of the tightest window that is full."""
    now = time.time()
    bucket_of = {window: f"rl:{key}:{window}:{int(now // window)}" for _limit, window in limits}
    if isinstance(caches[CACHE_ALIAS], DatabaseCache):
        counts = _count_in_database(bucket_of, now)
    else:
        counts = {bucket: _count_in_cache(bucket, window) for window, bucket in bucket_of.items()}
    waits = [window - now % window for limit, window in limits if counts[bucket_of[window]] > limit]
    if waits:
        raise RateLimited(max(waits))


def _count_in_cache(bucket: str, window: int) -> int:
    cache = caches[CACHE_ALIAS]
    if cache.add(bucket, 1, timeout=window + 1):
        return 1
    try:
        return cache.incr(bucket)
    except ValueError:
        cache.set(bucket, 1, timeout=window + 1)
        return 1


def _count_in_database(bucket_of: dict[int, str], now: float) -> dict[str, int]:
    """One upsert for every window: atomic in SQLite and PostgreSQL alike, so concurrent
    workers never lose a count. The first count of a new window also sweeps expired ones."""
    table = connection.ops.quote_name(COUNTER_TABLE)

    def moment(seconds: float) -> Any:
        return connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(seconds, UTC))

    params = [p for window, bucket in bucket_of.items() for p in (bucket, moment(now + window + 1))]
    values = ", ".join(["(%s, 1, %s)"] * len(bucket_of))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bucket, hits, expires_at) VALUES {values} "  # noqa: S608
            f"ON CONFLICT (bucket) DO UPDATE SET hits = {table}.hits + 1 RETURNING bucket, hits",
            params,
        )
        counts = dict(cursor.fetchall())
        if 1 in counts.values():
            cursor.execute(
                f"DELETE FROM {table} WHERE expires_at < %s",  # noqa: S608
                [moment(now)],
            )
    return counts


def client_ip(request: HttpRequest) -> str:
    """The caller's address for per-address limits. Behind ``ALLAUTH_TRUSTED_PROXY_COUNT``
    proxies (set from ``BEHIND_PROXY``) it is the entry that many hops from the right of
    X-Forwarded-For, the last one a proxy of ours wrote; anything to its left is the client's
    own claim and never trusted. Without proxies, or with a header too short or malformed to
    hold that entry, it is the socket's address."""
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104
    hops = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops <= 0 or not forwarded:
        return remote
    entries = [entry.strip() for entry in forwarded.split(",")]
    if len(entries) < hops:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-hops]))
    except ValueError:
        return remote
