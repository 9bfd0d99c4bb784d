"""The crawl engine: walks a web source's pages, keeps each one as evidence before parsing it, and keeps
every listing page a run did not finish, so the next run goes on from there: no ad is lost for good.

This is Scrapy's split. A source (scraper/sources) says which URLs to start from and how to parse a page;
the engine walks (the queue of pages, detail pages, conditional requests, the page limit, pausing, where
the next run resumes); a `CrawlSink` that the caller provides stores (snapshots, posts, problems,
progress, the cursor). The engine never touches a database, so the store's rules live in the service and
the walking rules live here, once. With a `PosterPolicy`, the images attached to a page's posts (Telegram
photos) are fetched, kept as snapshots and read with OCR before the posts are stored (scraper.posters).

The cursor. A source's own keys (`last_id`, `newest_created_at`) are its *position*: a walk down from the
start pages stops there. After a run the position moves to the newest post the run saw, and every listing
page the run did not finish (not fetched at the page limit, failed, cut short, paused) is kept in
`cursor["resume"]` as a *gap*: those pages plus the position their walk must still reach (its floor).
The next run walks from the start pages down to the new position *and* from each gap's pages down to its
floor, so a run stopped early costs time, never ads, and no page is walked twice. A gap whose walk ends
is dropped; `resume` is absent when nothing is left. A run killed halfway saves nothing and is redone
from the previous cursor (the sink's upserts make the redo idempotent).
"""

from __future__ import annotations

import json
import logging
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from scraper.errors import FetchError, PageParseError, SourcePaused
from scraper.fetcher import Fetcher, Validators
from scraper.posters import PosterPolicy, PosterReader, PosterSink
from scraper.records import JobPost, RawPage
from scraper.sources.base import DEFAULT_MAX_PAGES, ParseResult, Source, WebSource

log = logging.getLogger("lokerwatch.scraper.engine")

Role = Literal["walk", "detail"]
MESSAGES_PER_PAGE = 5
ENGINE_KEYS = ("validators", "resume")  # cursor keys the engine owns; the rest is the source's position
SourceBuilder = Callable[[Mapping[str, Any]], WebSource]  # a source built for a position (the walk's floor)


@dataclass(frozen=True)
class StoredPosts:
    """How a sink's upserts went for one page's posts."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class RunSummary:
    """What one run did, for the CLI line, the scheduler log and the sink's run record.

    `frontier` holds the listing pages the run did not finish (the page limit, a failed or cut-short
    page, a pause): the pages the next run resumes from (`cursor["resume"]`), so a caller sees exactly
    what was not fetched yet.
    """

    source_name: str
    status: str = "running"
    pages: int = 0
    not_modified: int = 0
    new_ads: int = 0
    updated_ads: int = 0
    unchanged_ads: int = 0
    errors: int = 0
    images: int = 0  # images attached to posts fetched and read with OCR (scraper.posters)
    messages: list[str] = field(default_factory=list)
    frontier: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = (f"{self.source_name}: {self.status}; {self.pages} pages, {self.new_ads} new ads, "
                f"{self.updated_ads} updated, {self.unchanged_ads} unchanged, {self.errors} errors")
        text += f", {self.images} images read" if self.images else ""
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


class CrawlSink(PosterSink, Protocol):
    """Where the engine's results go; the service implements it on the store.

    `save_snapshot` (from EvidenceSink) is called for every fetched page and image before anything parses it;
    `stored_posters` (from PosterSink) says which posts' images an earlier run already read.
    """

    def record_problems(self, snapshot_id: int, parser: str, problems: Sequence[str]) -> None:
        """Keep why a stored page (or some of its posts, or an image) did not parse."""
        ...

    def store_posts(self, snapshot_id: int, posts: Sequence[JobPost]) -> StoredPosts:
        """Upsert one page's posts, each linked to the page's snapshot."""
        ...

    def page_done(self, summary: RunSummary) -> None:
        """Called after every page, so a run killed later still shows how far it got."""
        ...

    def save_cursor(self, cursor: dict[str, Any]) -> None:
        """The source's new cursor (position, validators, pages to resume from), at the end of a run."""
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
    """Record a stored page's problems and upsert its posts, counting both in the summary.

    A post with no text is a problem, never an ad: there is nothing in it to judge, and an empty ad in the
    queue hides that the parser missed where its text was (Facebook's shared posts did exactly that).
    """
    posts = [post for post in result.posts if post.has_text] if result is not None else []
    if result is not None and len(posts) < len(result.posts):
        problems = [*problems, *(f"post {post.source_ad_id!r}: no text; not stored"
                                 for post in result.posts if not post.has_text)]
    if problems:
        sink.record_problems(snapshot_id, source.name, problems)
        summary.count_problems(snapshot_id, problems)
    if posts:
        summary.count_stored(sink.store_posts(snapshot_id, posts))


@dataclass(frozen=True)
class _Visit:
    url: str
    role: Role
    walk: int  # index into Crawl.walks: 0 walks down from the start pages, the others resume gaps


@dataclass
class _Walk:
    """One walk down listing pages to a floor: from the start pages to the position, or a gap to its floor."""

    source: WebSource  # built for `floor`, so its parse stops the walk there
    floor: dict[str, Any]
    posts: list[JobPost] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)  # listing pages this run did not finish


def position_of(cursor: Mapping[str, Any]) -> dict[str, Any]:
    """The source's own keys of a cursor: where a walk down from the start pages stops."""
    return {key: value for key, value in cursor.items() if key not in ENGINE_KEYS}


class Crawl:
    """One run of one web source. `run()` fills `summary`; the sink receives everything it stores."""

    def __init__(self, build_source: SourceBuilder, cursor: Mapping[str, Any], fetcher: Fetcher, sink: CrawlSink,
                 summary: RunSummary, on_page: Callable[[int], None] | None = None,
                 max_pages: int = DEFAULT_MAX_PAGES, posters: PosterPolicy | None = None) -> None:
        self.position = position_of(cursor)
        self.fetcher = fetcher
        self.sink = sink
        self.posters = PosterReader(fetcher, sink, posters) if posters is not None else None
        self.summary = summary
        self.on_page = on_page
        self.max_pages = max_pages
        self.listing_pages = 0
        gaps = [gap for gap in cursor.get("resume") or [] if isinstance(gap, dict) and gap.get("pages")]
        self.walks = [_Walk(build_source(self.position), self.position)]
        self.walks += [_Walk(build_source(gap.get("floor") or {}), dict(gap.get("floor") or {})) for gap in gaps]
        self.start_urls = self.walks[0].source.start_urls()
        # ETag / Last-Modified of the start pages, sent back so an unchanged listing costs the site nothing.
        self.validators: dict[str, dict[str, str | None]] = dict(cursor.get("validators") or {})
        self.queue: deque[_Visit] = deque(_Visit(url, "walk", 0) for url in self.start_urls)
        self.queue.extend(_Visit(str(url), "walk", index) for index, gap in enumerate(gaps, 1) for url in gap["pages"])
        self.queued = {self._key(visit) for visit in self.queue}

    async def run(self) -> RunSummary:
        try:
            await self._walk()
            self.summary.finish()
            self.sink.save_cursor(self._next_cursor())
        except BaseException:
            self.summary.status = "failed"
            raise
        return self.summary

    def _next_cursor(self) -> dict[str, Any]:
        """The newest position seen, plus every unfinished page with the floor its walk must still reach."""
        top = self.walks[0]
        position = top.source.next_cursor(self.position, top.posts)
        if position_of(position) == self.position:
            # Nothing newer was seen: the next run starts at the start pages anyway, down to this same floor.
            top.unfinished = [url for url in top.unfinished if url not in self.start_urls]
        gaps: dict[str, dict[str, Any]] = {}
        for walk in self.walks:
            if walk.unfinished:
                gap = gaps.setdefault(json.dumps(walk.floor, sort_keys=True), {"floor": walk.floor, "pages": []})
                gap["pages"].extend(url for url in walk.unfinished if url not in gap["pages"])
        self.summary.frontier = [url for gap in gaps.values() for url in gap["pages"]]
        if self.summary.frontier:
            self.summary.messages.append(f"{len(self.summary.frontier)} listing pages not finished; the next run "
                                         "resumes from them")
        cursor = position_of(position)
        if self.validators:
            cursor["validators"] = self.validators
        if gaps:
            cursor["resume"] = list(gaps.values())
        return cursor

    async def _walk(self) -> None:
        while self.queue:
            visit = self.queue.popleft()
            if visit.role == "walk":
                if self.listing_pages >= self.max_pages:
                    self._unfinished(visit)
                    continue
                self.listing_pages += 1
            known = self.validators.get(visit.url) if self._is_start(visit) else None
            try:
                page = await self.fetcher.fetch(visit.url, Validators(**known) if known else None)
            except SourcePaused as exc:
                self.summary.status = "paused"
                self.summary.errors += 1
                self.summary.messages.append(f"paused: {exc}")
                for left in (visit, *self.queue):  # still to do: the next run resumes from these
                    if left.role == "walk":
                        self._unfinished(left)
                self.queue.clear()
                return
            except FetchError as exc:
                self.summary.errors += 1
                self.summary.messages.append(str(exc))
                self._unfinished(visit)
                continue
            if page.status == 304:
                self.summary.not_modified += 1
                continue
            await self._keep(visit, page)
            self.sink.page_done(self.summary)
            if self.on_page:
                self.on_page(1)
        if self.listing_pages >= self.max_pages and any(w.unfinished for w in self.walks):
            self.summary.messages.append(f"stopped after {self.max_pages} listing pages (the page limit)")
        if self.posters is not None and self.posters.stopped:
            self.summary.messages.append(f"images not read after: {self.posters.stopped}")

    async def _keep(self, visit: _Visit, page: RawPage) -> None:
        self.summary.pages += 1
        walk = self.walks[visit.walk]
        snapshot_id = self.sink.save_snapshot(page)  # evidence first, always
        result, problems = parse_stored(walk.source, page, snapshot_id)
        read_again = result is not None and await self._read_posters(walk.source.name, result.posts, page, snapshot_id)
        keep_parsed(self.sink, self.summary, walk.source, snapshot_id, result, problems)
        if result is None or read_again:  # a photo-only post whose image a later run may read: resume here
            self._unfinished(visit)
        if result is None:
            return
        walk.posts.extend(result.posts)
        follow = [_Visit(u, "walk", visit.walk) for u in result.next_urls]
        follow += [_Visit(u, "detail", visit.walk) for u in result.detail_urls]
        for nxt in follow:
            if self._key(nxt) not in self.queued:
                self.queued.add(self._key(nxt))
                self.queue.append(nxt)
        if self._is_start(visit):
            fresh = Validators.from_headers(page.headers)
            if fresh.etag or fresh.last_modified:
                self.validators[visit.url] = {"etag": fresh.etag, "last_modified": fresh.last_modified}

    async def _read_posters(self, source_name: str, posts: Sequence[JobPost], page: RawPage, snapshot_id: int) -> bool:
        """OCR the images of a page's posts before they are stored, so a photo-only post has text to judge.

        The reader keeps each image as a snapshot and records its problems itself; they are counted here.
        True when the page should be read again by a later run (scraper.posters.PosterReader.read_posts).
        """
        if self.posters is None:
            return False
        images, known_problems = self.posters.images_read, len(self.posters.problems)
        read_again = await self.posters.read_posts(source_name, posts, page.final_url, snapshot_id)
        self.summary.images += self.posters.images_read - images
        for image_snapshot_id, problem in self.posters.problems[known_problems:]:
            self.summary.count_problems(image_snapshot_id, [problem])
        return read_again

    def _is_start(self, visit: _Visit) -> bool:
        return visit.walk == 0 and visit.url in self.start_urls

    @staticmethod
    def _key(visit: _Visit) -> tuple[int, str]:
        """Walks are told apart (a listing URL can show other posts by the time a gap reaches it); details not."""
        return (visit.walk if visit.role == "walk" else -1, visit.url)

    def _unfinished(self, visit: _Visit) -> None:
        """A listing page that gave nothing leaves its walk unfinished; a detail page only adds detail."""
        if visit.role == "walk":
            self.walks[visit.walk].unfinished.append(visit.url)


async def crawl(build_source: SourceBuilder, cursor: Mapping[str, Any], fetcher: Fetcher, sink: CrawlSink,
                summary: RunSummary, on_page: Callable[[int], None] | None = None,
                max_pages: int = DEFAULT_MAX_PAGES, posters: PosterPolicy | None = None) -> RunSummary:
    """Walk a source once: down from its start pages to the position its `cursor` records, and on from every
    page an earlier run left unfinished to that walk's floor; at most `max_pages` listing pages in all.

    `build_source(position)` builds the source for one walk, so each walk stops at its own floor. With
    `posters`, the images attached to posts are fetched, kept as snapshots and read with OCR (scraper.posters).
    """
    return await Crawl(build_source, cursor, fetcher, sink, summary, on_page, max_pages, posters).run()
