"""The crawl engine: walks a web source's pages, keeps each one as evidence before parsing it, and moves the
source's cursor only when the walk reached where the previous run stopped.

This is Scrapy's split. A source (scraper/sources) says which URLs to start from and how to parse a page;
the engine walks (the queue of pages, detail pages, conditional requests, pausing); a `CrawlSink` that the
caller provides stores (snapshots, posts, problems, progress, the cursor). The engine never touches a
database, so the store's rules live in the service and the walking rules live here, once.

Why the cursor rule matters: a run killed or failing halfway is simply redone next time (the sink's upserts
make the redo idempotent); a cursor moved past pages never fetched would make every later run skip them.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from scraper.errors import FetchError, PageParseError, SourcePaused
from scraper.fetcher import Fetcher, Validators
from scraper.records import EvidenceSink, JobPost, RawPage
from scraper.sources.base import ParseResult, Source, WebSource

log = logging.getLogger("lokerwatch.scraper.engine")

Role = Literal["walk", "detail"]
MESSAGES_PER_PAGE = 5


@dataclass(frozen=True)
class StoredPosts:
    """How a sink's upserts went for one page's posts."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class RunSummary:
    """What one run did, for the CLI line, the scheduler log and the sink's run record.

    `frontier` holds the walk pages still queued when a run stopped early (paused, or a listing page
    failed): the run's resumable position, reported so a caller can see exactly what was not fetched.
    """

    source_name: str
    status: str = "running"
    pages: int = 0
    not_modified: int = 0
    new_ads: int = 0
    updated_ads: int = 0
    unchanged_ads: int = 0
    errors: int = 0
    messages: list[str] = field(default_factory=list)
    frontier: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = (f"{self.source_name}: {self.status}; {self.pages} pages, {self.new_ads} new ads, "
                f"{self.updated_ads} updated, {self.unchanged_ads} unchanged, {self.errors} errors")
        return text + (f" ({self.not_modified} not modified)" if self.not_modified else "")

    def count_stored(self, stored: StoredPosts) -> None:
        self.new_ads += stored.new
        self.updated_ads += stored.updated
        self.unchanged_ads += stored.unchanged

    def count_problems(self, snapshot_id: int, problems: Sequence[str]) -> None:
        self.errors += len(problems)
        self.messages.extend(f"snapshot {snapshot_id}: {p}" for p in problems[:MESSAGES_PER_PAGE])

    def finish(self) -> None:
        """A run that got to its end is ok, or partial when anything failed on the way."""
        if self.status == "running":
            self.status = "ok" if self.errors == 0 else "partial"


class CrawlSink(EvidenceSink, Protocol):
    """Where the engine's results go; the service implements it on the store.

    `save_snapshot` (from EvidenceSink) is called for every fetched page before anything parses it.
    """

    def record_problems(self, snapshot_id: int, parser: str, problems: Sequence[str]) -> None:
        """Keep why a stored page (or some of its posts) did not parse."""
        ...

    def store_posts(self, snapshot_id: int, posts: Sequence[JobPost]) -> StoredPosts:
        """Upsert one page's posts, each linked to the page's snapshot."""
        ...

    def page_done(self, summary: RunSummary) -> None:
        """Called after every page, so a run killed later still shows how far it got."""
        ...

    def save_cursor(self, cursor: dict[str, Any]) -> None:
        """The source's new position; only ever called after a complete walk."""
        ...


def parse_stored(source: Source, page: RawPage, snapshot_id: int) -> tuple[ParseResult | None, list[str]]:
    """Parse a page already kept as evidence: the result (None if it did not parse) and every problem met.

    A parser bug must not end a run or lose the page, so any exception becomes a problem like a bad page.
    """
    if not 200 <= page.status < 300:
        return None, [f"HTTP {page.status}: not parsed"]
    try:
        result = source.parse(page)
    except PageParseError as exc:
        return None, [str(exc)]
    except Exception as exc:
        log.exception("parser crashed on snapshot %s", snapshot_id)
        return None, [f"parser crashed: {type(exc).__name__}: {exc}"]
    return result, list(result.problems)


def keep_parsed(sink: CrawlSink, summary: RunSummary, source: Source, snapshot_id: int,
                result: ParseResult | None, problems: Sequence[str]) -> None:
    """Record a stored page's problems and upsert its posts, counting both in the summary."""
    if problems:
        sink.record_problems(snapshot_id, source.name, problems)
        summary.count_problems(snapshot_id, problems)
    if result is not None and result.posts:
        summary.count_stored(sink.store_posts(snapshot_id, result.posts))


@dataclass(frozen=True)
class _Visit:
    url: str
    role: Role


class Crawl:
    """One walk of one web source. `run()` fills `summary`; the sink receives everything it stores."""

    def __init__(self, source: WebSource, cursor: Mapping[str, Any], fetcher: Fetcher, sink: CrawlSink,
                 summary: RunSummary, on_page: Callable[[int], None] | None = None) -> None:
        self.source = source
        self.cursor = dict(cursor)
        self.fetcher = fetcher
        self.sink = sink
        self.summary = summary
        self.on_page = on_page
        self.start_urls = source.start_urls()
        # ETag / Last-Modified of the start pages, sent back so an unchanged listing costs the site nothing.
        self.validators: dict[str, dict[str, str | None]] = dict(self.cursor.get("validators") or {})
        self.queue: deque[_Visit] = deque(_Visit(url, "walk") for url in self.start_urls)
        self.queued = set(self.start_urls)
        self.seen_posts: list[JobPost] = []
        self.lost_walk: list[str] = []  # listing pages that failed: the walk is incomplete from there on

    async def run(self) -> RunSummary:
        try:
            await self._walk()
            self.summary.finish()
            self.summary.frontier = self.lost_walk + [visit.url for visit in self.queue if visit.role == "walk"]
            if not self.summary.frontier and self.summary.status != "paused":
                self.sink.save_cursor({**self.source.next_cursor(self.cursor, self.seen_posts),
                                       "validators": self.validators})
            else:
                self.summary.messages.append("cursor kept: this run did not reach the previous run's position")
        except BaseException:
            self.summary.status = "failed"
            raise
        return self.summary

    async def _walk(self) -> None:
        while self.queue:
            visit = self.queue.popleft()
            known = self.validators.get(visit.url)
            try:
                page = await self.fetcher.fetch(visit.url, Validators(**known) if known else None)
            except SourcePaused as exc:
                self.queue.appendleft(visit)  # still to do: part of the frontier
                self.summary.status = "paused"
                self.summary.errors += 1
                self.summary.messages.append(f"paused: {exc}")
                return
            except FetchError as exc:
                self.summary.errors += 1
                self.summary.messages.append(str(exc))
                self._lost(visit)
                continue
            if page.status == 304:
                self.summary.not_modified += 1
                continue
            self._keep(visit, page)
            self.sink.page_done(self.summary)
            if self.on_page:
                self.on_page(1)

    def _keep(self, visit: _Visit, page: RawPage) -> None:
        self.summary.pages += 1
        snapshot_id = self.sink.save_snapshot(page)  # evidence first, always
        result, problems = parse_stored(self.source, page, snapshot_id)
        keep_parsed(self.sink, self.summary, self.source, snapshot_id, result, problems)
        if result is None:
            self._lost(visit)
            return
        self.seen_posts.extend(result.posts)
        follow = [_Visit(u, "walk") for u in result.next_urls] + [_Visit(u, "detail") for u in result.detail_urls]
        for nxt in follow:
            if nxt.url not in self.queued:
                self.queued.add(nxt.url)
                self.queue.append(nxt)
        if visit.url in self.start_urls:
            fresh = Validators.from_headers(page.headers)
            if fresh.etag or fresh.last_modified:
                self.validators[visit.url] = {"etag": fresh.etag, "last_modified": fresh.last_modified}

    def _lost(self, visit: _Visit) -> None:
        """A listing page that gave nothing leaves the walk incomplete; a detail page only adds detail."""
        if visit.role == "walk":
            self.lost_walk.append(visit.url)


async def crawl(source: WebSource, cursor: Mapping[str, Any], fetcher: Fetcher, sink: CrawlSink, summary: RunSummary,
                on_page: Callable[[int], None] | None = None) -> RunSummary:
    """Walk `source` once from its start pages, back to the position its `cursor` records."""
    return await Crawl(source, cursor, fetcher, sink, summary, on_page).run()
