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
from scraper.sources.base import ParseResult, SourceParam, WebSource
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
        cursor: Mapping[str, Any] | None = None, max_pages: int = 50) -> RunSummary:
    def build(position: Mapping[str, Any]) -> WebSource:
        source = sources.create(source_name, params, position)
        assert isinstance(source, WebSource)
        return source

    async def go() -> RunSummary:
        async with Fetcher(policy) as fetcher:
            return await crawl(build, cursor or {}, fetcher, sink, RunSummary(source_name), max_pages=max_pages)

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


def test_a_failed_listing_page_is_kept_in_the_cursor_to_resume_from_down_to_the_old_position(
        server: FaultServer, fast_policy: FetchPolicy) -> None:
    serve_channel(server, CHANNEL, newest=30)
    server.route(f"/s/{CHANNEL}?before=21", Reply(500, b"down"))
    sink = MemorySink()

    summary = run("telegram", {"channel": CHANNEL, "base_url": server.base_url}, fast_policy, sink,
                  {"last_id": 5})

    failed = f"{server.base_url}/s/{CHANNEL}?before=21"
    assert summary.status == "partial" and summary.new_ads == 10
    assert summary.frontier == [failed]
    assert sink.cursor == {"last_id": 30, "resume": [{"floor": {"last_id": 5}, "pages": [failed]}]}
    assert "the next run resumes from them" in summary.messages[-1]


def test_a_paused_source_leaves_the_unfetched_pages_as_its_frontier(server: FaultServer,
                                                                    fast_policy: FetchPolicy) -> None:
    serve_channel(server, CHANNEL, newest=30)
    server.route(f"/s/{CHANNEL}?before=21", Reply(429, b"", {"Retry-After": "0"}))
    sink = MemorySink()

    summary = run("telegram", {"channel": CHANNEL, "base_url": server.base_url},
                  replace(fast_policy, max_retries=1), sink)

    assert summary.status == "paused" and summary.pages == 1
    assert summary.frontier == [f"{server.base_url}/s/{CHANNEL}?before=21"]
    assert sink.cursor is not None and sink.cursor["resume"] == [{"floor": {}, "pages": summary.frontier}]


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


class _TextlessSource(_CrashingSource):
    """A test-only web source whose page holds one ad with text and two without (blank, and a bare title)."""

    name: ClassVar[str] = "test-textless"

    def parse(self, page: RawPage) -> ParseResult:
        return ParseResult(posts=[JobPost(source=self.name, source_ad_id="1", text="Loker admin, gaji 4 jt"),
                                  JobPost(source=self.name, source_ad_id="2", text=" \n\u200b "),
                                  JobPost(source=self.name, source_ad_id="3", text="", title="Lowongan")])


def test_a_post_without_text_is_a_problem_kept_with_its_page_never_a_stored_ad(server: FaultServer,
                                                                              fast_policy: FetchPolicy) -> None:
    server.route("/one", Reply(200, b"one"))
    sink = MemorySink()
    sources.register(_TextlessSource)
    try:
        summary = run("test-textless", {"base_url": server.base_url}, fast_policy, sink)
    finally:
        sources._REGISTRY.pop("test-textless")

    assert set(sink.posts) == {"1", "3"}  # a title is text an analyst can judge
    assert summary.new_ads == 2 and summary.errors == 1 and summary.status == "partial"
    ((snapshot_id, parser, reason),) = sink.problems
    assert sink.pages[snapshot_id].url.endswith("/one") and parser == "test-textless"
    assert reason == "post '2': no text; not stored"


def test_runs_at_the_page_limit_leave_gaps_that_later_runs_close_while_taking_the_new_posts(
        server: FaultServer, fast_policy: FetchPolicy) -> None:
    serve_channel(server, CHANNEL, newest=100, per_page=20)
    params = {"channel": CHANNEL, "base_url": server.base_url}
    page = f"{server.base_url}/s/{CHANNEL}?before={{}}".format
    first = MemorySink()
    run("telegram", params, fast_policy, first, max_pages=3)
    assert first.cursor == {"last_id": 100, "resume": [{"floor": {}, "pages": [page(41)]}]}

    serve_channel(server, CHANNEL, newest=150, per_page=20)  # 50 posts arrive: three pages down to post 100
    second = MemorySink()
    summary = run("telegram", params, fast_policy, second, first.cursor, max_pages=3)
    # The limit stops both walks: the new posts' below 111, the old gap's below 21. Each keeps its own floor.
    assert summary.frontier == [page(111), page(21)] and summary.status == "ok"
    assert second.cursor == {"last_id": 150, "resume": [
        {"floor": {"last_id": 100}, "pages": [page(111)]}, {"floor": {}, "pages": [page(21)]}]}

    third = MemorySink()
    run("telegram", params, fast_policy, third, second.cursor, max_pages=3)
    assert third.cursor == {"last_id": 150}
    stored = {**first.posts, **second.posts, **third.posts}
    assert set(stored) == {f"{CHANNEL}/{i}" for i in range(1, 151)}
    fetched = [r.path for r in server.log if "?before=" in r.path]
    assert len(fetched) == len(set(fetched))  # no listing page but the newest was fetched twice


def test_a_start_page_that_fails_keeps_the_position_and_needs_no_gap(server: FaultServer,
                                                                    fast_policy: FetchPolicy) -> None:
    server.route(f"/s/{CHANNEL}", Reply(500, b"down"))
    sink = MemorySink()

    summary = run("telegram", {"channel": CHANNEL, "base_url": server.base_url}, fast_policy, sink, {"last_id": 7})

    assert summary.status == "partial" and summary.pages == 0
    assert sink.cursor == {"last_id": 7}  # the next run starts at the same page, to the same post


def test_the_page_limit_counts_listing_pages_only(server: FaultServer, fast_policy: FetchPolicy) -> None:
    server.route("/one", Reply(200, b"one"))
    server.route("/two", Reply(200, b"two"))
    sink = MemorySink()
    sources.register(_CrashingSource)
    try:
        summary = run("test-crashing", {"base_url": server.base_url}, fast_policy, sink, max_pages=1)
    finally:
        sources._REGISTRY.pop("test-crashing")

    assert summary.pages == 2 and summary.frontier == []  # the detail page of an ad seen is still fetched
