"""The crawl engine on its own: a real source and fetcher against a local faulty server, an in-memory sink."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from scraper import sources
from scraper.engine import RunSummary, StoredPosts, crawl
from scraper.fetcher import Fetcher, FetchPolicy
from scraper.records import JobPost, RawPage
from scraper.sources.base import ParseResult, SourceParam
from tests.scraper.channel_pages import serve_channel
from tests.scraper.fault_server import FaultServer, Reply

CHANNEL = "lokerjkt"


@dataclass
class MemorySink:
    """Everything the engine hands over, in order, so a test can read what happened when."""

    events: list[tuple[str, object]] = field(default_factory=list)
    pages: dict[int, RawPage] = field(default_factory=dict)
    posts: dict[str, JobPost] = field(default_factory=dict)
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    cursor: dict[str, Any] | None = None

    def save_snapshot(self, page: RawPage) -> int:
        snapshot_id = len(self.pages) + 1
        self.pages[snapshot_id] = page
        self.events.append(("snapshot", page.url))
        return snapshot_id

    def record_problems(self, snapshot_id: int, parser: str, problems: Sequence[str]) -> None:
        self.problems.extend((snapshot_id, parser, p) for p in problems)
        self.events.append(("problems", snapshot_id))

    def store_posts(self, snapshot_id: int, posts: Sequence[JobPost]) -> StoredPosts:
        new = [p for p in posts if p.source_ad_id not in self.posts]
        self.posts.update({p.source_ad_id: p for p in posts})
        self.events.append(("posts", snapshot_id))
        return StoredPosts(new=len(new), unchanged=len(posts) - len(new))

    def page_done(self, summary: RunSummary) -> None:
        self.events.append(("page_done", summary.pages))

    def save_cursor(self, cursor: dict[str, Any]) -> None:
        self.cursor = cursor
        self.events.append(("cursor", dict(cursor)))


def run(source_name: str, params: Mapping[str, Any], policy: FetchPolicy, sink: MemorySink,
        cursor: Mapping[str, Any] | None = None) -> RunSummary:
    source = sources.create(source_name, params, cursor or {})

    async def go() -> RunSummary:
        async with Fetcher(policy) as fetcher:
            return await crawl(source, cursor or {}, fetcher, sink, RunSummary(source_name))  # type: ignore[arg-type]

    return asyncio.run(go())


def test_every_page_reaches_the_sink_as_evidence_before_its_posts(server: FaultServer,
                                                                  fast_policy: FetchPolicy) -> None:
    serve_channel(server, CHANNEL, newest=25)
    sink = MemorySink()

    summary = run("telegram", {"channel": CHANNEL, "base_url": server.base_url}, fast_policy, sink)

    assert (summary.status, summary.pages, summary.new_ads, summary.frontier) == ("ok", 3, 25, [])
    kinds = [kind for kind, _ in sink.events]
    assert kinds == ["snapshot", "posts", "page_done"] * 3 + ["cursor"]
    assert sink.cursor is not None and sink.cursor["last_id"] == 25


def test_a_failed_listing_page_keeps_the_cursor_and_reports_where_to_resume(server: FaultServer,
                                                                            fast_policy: FetchPolicy) -> None:
    serve_channel(server, CHANNEL, newest=30)
    server.route(f"/s/{CHANNEL}?before=21", Reply(500, b"down"))
    sink = MemorySink()

    summary = run("telegram", {"channel": CHANNEL, "base_url": server.base_url}, fast_policy, sink)

    assert summary.status == "partial" and summary.new_ads == 10
    assert summary.frontier == [f"{server.base_url}/s/{CHANNEL}?before=21"]
    assert sink.cursor is None
    assert "cursor kept" in summary.messages[-1]


def test_a_paused_source_leaves_the_unfetched_pages_as_its_frontier(server: FaultServer,
                                                                    fast_policy: FetchPolicy) -> None:
    serve_channel(server, CHANNEL, newest=30)
    server.route(f"/s/{CHANNEL}?before=21", Reply(429, b"", {"Retry-After": "0"}))
    sink = MemorySink()

    summary = run("telegram", {"channel": CHANNEL, "base_url": server.base_url},
                  replace(fast_policy, max_retries=1), sink)

    assert summary.status == "paused" and summary.pages == 1
    assert summary.frontier == [f"{server.base_url}/s/{CHANNEL}?before=21"]
    assert sink.cursor is None


class _CrashingSource:
    """A test-only web source whose parser breaks on its second page (a parser bug, not a bad page)."""

    name: ClassVar[str] = "test-crashing"
    kind: ClassVar[str] = "web"
    label: ClassVar[str] = "Uji"
    params: ClassVar[tuple[SourceParam, ...]] = ()

    def __init__(self, params: Mapping[str, Any], cursor: Mapping[str, Any]) -> None:
        self.base_url = str(params["base_url"])

    def start_urls(self) -> list[str]:
        return [f"{self.base_url}/one"]

    def parse(self, page: RawPage) -> ParseResult:
        if page.url.endswith("/two"):
            raise ZeroDivisionError("bug")
        return ParseResult(posts=[JobPost(source=self.name, source_ad_id="1", text="iklan")],
                           detail_urls=[f"{self.base_url}/two"])

    def next_cursor(self, cursor: Mapping[str, Any], posts: list[JobPost]) -> dict[str, Any]:
        return {"seen": len(posts)}


def test_a_parser_crash_is_a_problem_kept_with_the_page_and_a_detail_failure_does_not_hold_the_cursor(
        server: FaultServer, fast_policy: FetchPolicy) -> None:
    server.route("/one", Reply(200, b"one"))
    server.route("/two", Reply(200, b"two"))
    sink = MemorySink()
    sources.register(_CrashingSource)  # for this test only: the registry is the package's sources otherwise
    try:
        summary = run("test-crashing", {"base_url": server.base_url}, fast_policy, sink)
    finally:
        sources._REGISTRY.pop("test-crashing")

    assert summary.status == "partial" and summary.pages == 2 and summary.errors == 1
    ((snapshot_id, parser, reason),) = sink.problems
    assert sink.pages[snapshot_id].url.endswith("/two") and parser == "test-crashing"
    assert reason == "parser crashed: ZeroDivisionError: bug"
    assert sink.cursor is not None and sink.cursor["seen"] == 1


def test_an_unchanged_start_page_is_asked_conditionally_and_costs_no_snapshot(server: FaultServer,
                                                                              fast_policy: FetchPolicy) -> None:
    pages = serve_channel(server, CHANNEL, newest=3)
    server.route(f"/s/{CHANNEL}", Reply(200, pages[f"/s/{CHANNEL}"], etag='"v1"'))
    first = MemorySink()
    run("telegram", {"channel": CHANNEL, "base_url": server.base_url}, fast_policy, first)
    assert first.cursor is not None

    again = MemorySink()
    summary = run("telegram", {"channel": CHANNEL, "base_url": server.base_url}, fast_policy, again, first.cursor)

    assert (summary.pages, summary.not_modified) == (0, 1)
    assert again.pages == {} and again.cursor is not None and again.cursor["last_id"] == 3
