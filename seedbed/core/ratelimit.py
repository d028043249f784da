"""Fixed-window rate limits kept in the cache (Redis in production, so all processes agree)."""

import time

from django.core.cache import cache


class RateLimited(Exception):
    def __init__(self, retry_after: float):
        self.retry_after = max(1, int(retry_after))
        super().__init__(f"rate limited; retry after {self.retry_after} s")


def hit(key: str, limits: list[tuple[int, int]]) -> None:
    """Count one action against every (limit, window-seconds) pair for `key`; raise
    RateLimited with the wait of the tightest window that is full."""
    now = time.time()
    waits = []
    for limit, window in limits:
        bucket = f"rl:{key}:{window}:{int(now // window)}"
        if cache.add(bucket, 1, timeout=window + 1):
            count = 1
        else:
            try:
                count = cache.incr(bucket)
            except ValueError:
                cache.set(bucket, 1, timeout=window + 1)
                count = 1
        if count > limit:
            waits.append(window - now % window)
    if waits:
        raise RateLimited(max(waits))
