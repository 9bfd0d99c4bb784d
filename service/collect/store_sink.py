"""The store side of the crawl engine: `scraper.engine.CrawlSink` on the database, one transaction per step.

Order is the point: a page is committed as a snapshot before anything parses it; problems become
ParseError rows beside the kept page; posts are upserted by (source, source_ad_id) in one transaction per
page, so a run killed and started again ends with exactly the ads an uninterrupted run would have.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scraper.engine import RunSummary, StoredPosts
from scraper.records import JobPost, RawPage
from service.store.ads import upsert_job_post
from service.store.engine import immediate
from service.store.evidence import store_snapshot
from service.store.tables import ParseError, ScrapeRun, Snapshot
from service.store.tables import Source as SourceRow
from service.store.types import utc_now

SessionFactory = Callable[[], Session]


@contextmanager
def writing(session_factory: SessionFactory) -> Iterator[Session]:
    """A transaction that takes SQLite's write lock at BEGIN.

    Read-then-write transactions (upserts, counters, cursors) otherwise fail at once with "database is
    locked" when another writer (the leader lease, a second run) committed since their read began.
    """
    with session_factory() as session, session.begin():
        yield immediate(session)


class StoreSink:
    """One run of one source (a web crawl or a file import) as rows: snapshots, parse errors, ads, its run row."""

    def __init__(self, session_factory: SessionFactory, source_name: str) -> None:
        self.session_factory = session_factory
        self.source_name = source_name
        self.run_id: int | None = None

    def start_run(self) -> int:
        with writing(self.session_factory) as session:
            run = ScrapeRun(source_name=self.source_name, started_at=utc_now(), status="running")
            session.add(run)
            session.flush()
            self.run_id = run.id
        return run.id

    def save_snapshot(self, page: RawPage) -> int:
        """Evidence first: the page is committed before anything parses it."""
        with self.session_factory() as session, session.begin():
            return store_snapshot(session, page, self.source_name).id

    def save_snapshot_once(self, page: RawPage) -> int:
        """Re-importing the same file reuses its snapshot instead of storing the same bytes again."""
        with writing(self.session_factory) as session:
            existing = session.scalars(
                select(Snapshot.id).where(Snapshot.sha256 == page.sha256, Snapshot.url == page.url)).first()
            return existing if existing is not None else store_snapshot(session, page, self.source_name).id

    def record_problems(self, snapshot_id: int, parser: str, problems: Sequence[str]) -> None:
        with writing(self.session_factory) as session:
            for reason in problems:
                session.add(ParseError(snapshot_id=snapshot_id, source_name=self.source_name, parser=parser,
                                       reason=reason[:4000], created_at=utc_now()))

    def store_posts(self, snapshot_id: int, posts: Sequence[JobPost]) -> StoredPosts:
        """All posts of one page in one transaction, each linked to the page's snapshot."""
        outcomes = {"new": 0, "updated": 0, "unchanged": 0}
        with writing(self.session_factory) as session:
            for post in posts:
                outcomes[upsert_job_post(session, post, snapshot_id)] += 1
        return StoredPosts(**outcomes)

    def page_done(self, summary: RunSummary) -> None:
        """Counters after each page, so a killed run still shows how far it got."""
        with writing(self.session_factory) as session:
            run = session.get(ScrapeRun, self.run_id)
            if run is not None:
                run.pages, run.new_ads, run.updated_ads, run.errors = (
                    summary.pages, summary.new_ads, summary.updated_ads, summary.errors)

    def save_cursor(self, cursor: dict[str, Any]) -> None:
        with writing(self.session_factory) as session:
            row = session.scalars(select(SourceRow).where(SourceRow.name == self.source_name)).one()
            row.cursor = cursor

    def finish_run(self, summary: RunSummary) -> None:
        with writing(self.session_factory) as session:
            run = session.get(ScrapeRun, self.run_id)
            if run is not None:
                run.finished_at = utc_now()
                run.status = summary.status
                run.pages, run.new_ads, run.updated_ads, run.errors = (
                    summary.pages, summary.new_ads, summary.updated_ads, summary.errors)
                run.message = "\n".join(summary.messages)[:8000] or None
