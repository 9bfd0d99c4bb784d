"""The one polite HTTP fetcher every web source uses: robots.txt, pacing, retries, limits, evidence.

Sources never talk HTTP themselves. Everything a careful crawler must do lives here once, so a new
source cannot forget it: obey robots.txt, pace each host, retry transient failures with backoff and
jitter (honouring a capped Retry-After, within a per-run budget), stop runaway bodies, trickles and
redirect loops, refuse bodies cut short, and ask conditionally so unchanged pages cost the site nothing.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from scraper.completeness import incomplete_reason
from scraper.errors import BodyTooLarge, FetchError, RobotsDisallowed, SourcePaused, TooManyRedirects
from scraper.politeness import HostLimiter, RetryBudget
from scraper.records import RawPage
from scraper.robots import RobotsRules

log = logging.getLogger("lokerwatch.scraper.fetcher")

FETCHER_VERSION = "lokerwatch-fetcher/1"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ROBOTS_MAX_BYTES = 500 * 1024


def user_agent(contact_url: str, version: str = "0.1") -> str:
    """A User-Agent that says who we are and where a site owner can reach us."""
    return f"lokerwatch/{version} (+{contact_url}; job-ad safety research)"


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and how patiently to fetch; the defaults are the production ones."""

    user_agent: str = user_agent("https://github.com/lokerwatch/lokerwatch")
    min_interval: float = 2.0
    max_concurrency: int = 1
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0
    max_retries: int = 4
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    retry_after_cap: float = 600.0
    retry_budget: int = 30
    max_body_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    obey_robots: bool = True
    trust_env: bool = False


@dataclass(frozen=True)
class Validators:
    """What a previous response said about its version, for a conditional re-request."""

    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def from_headers(cls, headers: dict[str, str]) -> Validators:
        lower = {k.lower(): v for k, v in headers.items()}
        return cls(lower.get("etag"), lower.get("last-modified"))

    def as_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass
class FetchStats:
    """Counters for the run summary and the benchmark."""

    requests: int = 0
    retries: int = 0
    not_modified: int = 0
    waited_seconds: float = 0.0
    failures: list[str] = field(default_factory=list)


class _Retryable(Exception):
    """A failure worth another try (timeout, connection error, a body cut short, 5xx, 429)."""

    def __init__(self, reason: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class _Redirect:
    location: str


class Fetcher:
    """Fetches URLs for one run. Use as `async with Fetcher(policy) as fetcher:`."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self.limiter = HostLimiter(self.policy.min_interval, self.policy.max_concurrency)
        self.budget = RetryBudget(self.policy.retry_budget)
        self.stats = FetchStats()
        self._robots: dict[str, RobotsRules] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> Fetcher:
        p = self.policy
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            timeout=httpx.Timeout(p.read_timeout, connect=p.connect_timeout),
            headers={"User-Agent": p.user_agent, "Accept-Language": "id,en;q=0.8"},
            trust_env=p.trust_env,
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def fetch(self, url: str, validators: Validators | None = None) -> RawPage:
        """Fetch one URL politely; a 304 comes back as a RawPage with status 304 and no body.

        Raises FetchError (this URL failed), SourcePaused (stop the run for this source).
        """
        attempt = 0
        while True:
            try:
                return await self._fetch_following_redirects(url, validators)
            except _Retryable as exc:
                if attempt >= self.policy.max_retries:
                    self.stats.failures.append(f"{url}: {exc.reason}")
                    if exc.status == 429:
                        raise SourcePaused(url, f"still refused after {attempt} retries ({exc.reason})") from exc
                    raise FetchError(url, f"gave up after {attempt} retries: {exc.reason}") from exc
                if not self.budget.take():
                    raise SourcePaused(url, f"run's retry budget of {self.budget.total} spent ({exc.reason})") from exc
                delay = self._retry_delay(attempt, exc.retry_after)
                log.info("retry url=%s attempt=%d reason=%r delay=%.2f", url, attempt + 1, exc.reason, delay)
                self.stats.retries += 1
                self.limiter.push_back(_host(url), delay)
                attempt += 1

    def _retry_delay(self, attempt: int, retry_after: float | None) -> float:
        """Retry-After when the server gave one (capped); otherwise exponential backoff with full jitter."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.policy.retry_after_cap)
        ceiling = min(self.policy.backoff_max, self.policy.backoff_base * (2**attempt))
        return random.uniform(ceiling / 2, ceiling)

    async def _fetch_following_redirects(self, url: str, validators: Validators | None) -> RawPage:
        visited = {url}
        current = url
        for hop in range(self.policy.max_redirects + 1):
            await self._check_robots(current)
            result = await self._request(current, validators if hop == 0 else None)
            if isinstance(result, RawPage):
                return RawPage(
                    url=url,
                    final_url=result.final_url,
                    status=result.status,
                    headers=result.headers,
                    body=result.body,
                    fetched_at=result.fetched_at,
                    fetcher_version=FETCHER_VERSION,
                )
            current = urljoin(current, result.location)
            if current in visited:
                raise TooManyRedirects(url, f"redirect loop back to {current}")
            visited.add(current)
        raise TooManyRedirects(url, f"more than {self.policy.max_redirects} redirects")

    async def _request(self, url: str, validators: Validators | None) -> RawPage | _Redirect:
        """One HTTP exchange under the host's pacing and the overall deadline."""
        assert self._client is not None, "use Fetcher as an async context manager"
        headers = validators.as_headers() if validators else {}
        async with self.limiter.slot(_host(url)):
            self.stats.requests += 1
            try:
                async with asyncio.timeout(self.policy.deadline):
                    return await self._exchange(url, headers)
            except TimeoutError as exc:
                raise _Retryable(f"no complete response within the {self.policy.deadline:g}s deadline") from exc
            except httpx.TimeoutException as exc:
                raise _Retryable(f"timeout ({type(exc).__name__})") from exc
            except httpx.DecodingError as exc:
                raise FetchError(url, f"undecodable body: {exc}") from exc
            except httpx.RemoteProtocolError as exc:
                if "complete message body" in str(exc):  # fewer bytes than Content-Length, or no last chunk
                    raise _Retryable(f"incomplete body: {exc}") from exc
                raise _Retryable(f"connection problem ({type(exc).__name__}: {exc})") from exc
            except httpx.TransportError as exc:
                raise _Retryable(f"connection problem ({type(exc).__name__}: {exc})") from exc

    async def _exchange(self, url: str, headers: dict[str, str]) -> RawPage | _Redirect:
        assert self._client is not None
        async with self._client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status in _REDIRECTS and "location" in response.headers:
                return _Redirect(response.headers["location"])
            if status == 429 or status >= 500:
                raise _Retryable(
                    f"HTTP {status}", status=status, retry_after=_retry_after(response.headers.get("retry-after"))
                )
            if status == 304:
                self.stats.not_modified += 1
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.policy.max_body_bytes:
                raise BodyTooLarge(url, f"Content-Length {declared} is over {self.policy.max_body_bytes} bytes")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body.extend(chunk)
                if len(body) > self.policy.max_body_bytes:
                    raise BodyTooLarge(url, f"body passed {self.policy.max_body_bytes} bytes; download aborted")
            if 200 <= status < 300:
                cut_short = incomplete_reason(dict(response.headers.items()), bytes(body))
                if cut_short:
                    raise _Retryable(f"incomplete body: {cut_short}")
            return RawPage(
                url=url,
                final_url=str(response.url),
                status=status,
                headers=dict(response.headers.items()),
                body=bytes(body),
                fetched_at=datetime.now(UTC),
                fetcher_version=FETCHER_VERSION,
            )

    async def _check_robots(self, url: str) -> None:
        if not self.policy.obey_robots:
            return
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        async with self._robots_locks.setdefault(origin, asyncio.Lock()):  # one robots.txt fetch per origin
            rules = self._robots.get(origin)
            if rules is None:
                rules = await self._load_robots(origin)
                self._robots[origin] = rules
                delay = rules.crawl_delay(self.policy.user_agent)
                if delay:
                    self.limiter.set_interval(parts.netloc, delay)
        if not rules.allows(url, self.policy.user_agent):
            raise RobotsDisallowed(url, "robots.txt disallows it for lokerwatch")

    async def _load_robots(self, origin: str) -> RobotsRules:
        assert self._client is not None
        robots_url = f"{origin}/robots.txt"
        async with self.limiter.slot(urlsplit(origin).netloc):
            self.stats.requests += 1
            try:
                async with asyncio.timeout(self.policy.deadline):
                    async with self._client.stream("GET", robots_url, follow_redirects=True) as response:
                        status, body = response.status_code, bytearray()
                        async for chunk in response.aiter_bytes():
                            body.extend(chunk)
                            if len(body) >= _ROBOTS_MAX_BYTES:  # Google reads the first 500 KiB too
                                break
            except (TimeoutError, httpx.TransportError) as exc:
                raise _Retryable(f"robots.txt unreachable ({type(exc).__name__})") from exc
        return RobotsRules.from_response(status, bytes(body[:_ROBOTS_MAX_BYTES]))


def _host(url: str) -> str:
    return urlsplit(url).netloc


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: either a number or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())

