"""Per-host pacing and the per-run retry budget, shared by every request one fetcher makes."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class HostLimiter:
    """At most `max_concurrency` requests per host, each starting at least `min_interval` after the last began
    and after the last ended.

    Counting from the end matters: a request reaches the server only after its connection is set up (DNS,
    TCP, TLS: easily half a second on a far-away host), so a gap counted from the moment a slot was taken
    can shrink to nothing on the wire. The server has always read a request by the time its response (or
    failure) is over, so a gap counted from there holds as the server sees it, for retries too.

    A host can ask for more room (Retry-After, robots.txt Crawl-delay); `push_back` and `set_interval`
    record that, so every later request to that host waits too, not just the one that was refused.
    """

    def __init__(self, min_interval: float = 2.0, max_concurrency: int = 1) -> None:
        self.min_interval = min_interval
        self.max_concurrency = max(1, max_concurrency)
        self._semaphores: dict[str, asyncio.Semaphore] = {}
        self._locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._next_start: dict[str, float] = {}
        self._intervals: dict[str, float] = {}

    def set_interval(self, host: str, seconds: float) -> None:
        """Widen the gap for one host (never below the configured minimum)."""
        self._intervals[host] = max(self.min_interval, seconds)

    def push_back(self, host: str, seconds: float) -> None:
        """No request to `host` starts within the next `seconds`."""
        self._next_start[host] = max(self._next_start.get(host, 0.0), time.monotonic() + seconds)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one of the host's request slots, starting no earlier than its pacing allows."""
        semaphore = self._semaphores.setdefault(host, asyncio.Semaphore(self.max_concurrency))
        async with semaphore:
            async with self._locks[host]:
                wait = self._next_start.get(host, 0.0) - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._next_start[host] = time.monotonic() + self._interval(host)
            try:
                yield
            finally:
                self.push_back(host, self._interval(host))

    def _interval(self, host: str) -> float:
        return self._intervals.get(host, self.min_interval)


class RetryBudget:
    """How many retries one run may spend in total, so a failing source cannot hold a run for hours."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.spent = 0

    @property
    def exhausted(self) -> bool:
        return self.spent >= self.total

    def take(self) -> bool:
        """Spend one retry; False when none is left."""
        if self.exhausted:
            return False
        self.spent += 1
        return True
