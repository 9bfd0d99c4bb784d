"""The store side of the crawl engine: `scraper.engine.CrawlSink` on the database, one transaction per step.

Order is the point: a page is committed as a snapshot before anything parses it; problems become
ParseError rows beside the kept page; posts are upserted by (source, source_ad_id) in one transaction per
page, so a run killed and started again ends with exactly the ads an uninterrupted run would have. A run
holds a lease while it works (service.collect.run_lease), so the next run of its source can tell a run
whose process was killed from one still working, and close the dead one as "interrupted".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scraper.engine import RunSummary, StoredPosts
from scraper.records import JobPost, PosterText, RawPage
from service.collect.run_lease import DEFAULT_LEASE_SECONDS, RunLease, close_interrupted_runs, lease_key, put_lease
from service.store.ads import upsert_job_post
from service.store.engine import immediate
from service.store.evidence import store_snapshot
from service.store.tables import Ad, AppState, ParseError, ScrapeRun, Snapshot
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

    def __init__(self, session_factory: SessionFactory, source_name: str,
                 lease_seconds: float = DEFAULT_LEASE_SECONDS) -> None:
        self.session_factory = session_factory
        self.source_name = source_name
        self.lease_seconds = lease_seconds
        self.run_id: int | None = None
        self._lease: RunLease | None = None

    def start_run(self) -> int:
        """The run's row and lease (one transaction, so no other run ever sees it without one); earlier runs of
        the source whose process died are closed as interrupted."""
        with writing(self.session_factory) as session:
            close_interrupted_runs(session, self.source_name)
            run = ScrapeRun(source_name=self.source_name, started_at=utc_now(), status="running")
            session.add(run)
            session.flush()
            put_lease(session, run.id, self.lease_seconds)
            self.run_id = run.id
        self._lease = RunLease(self.session_factory, run.id, self.lease_seconds)
        self._lease.start()
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

    def stored_posters(self, source: str, source_ad_ids: Sequence[str]) -> dict[str, PosterText]:
        """The poster text of these ads that already have one, so their images are not fetched and read again."""
        if not source_ad_ids:
            return {}
        with self.session_factory() as session:
            rows = session.execute(
                select(Ad.source_ad_id, Ad.ocr_text, Ad.ocr_confidence, Ad.ocr_engine)
                .where(Ad.source == source, Ad.source_ad_id.in_(list(source_ad_ids)), Ad.ocr_text.is_not(None)))
            return {ad_id: PosterText(text or "", confidence or 0.0, engine or "")
                    for ad_id, text, confidence, engine in rows}

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
        if self._lease is not None:
            self._lease.stop()
        with writing(self.session_factory) as session:
            if self.run_id is not None and (lease := session.get(AppState, lease_key(self.run_id))) is not None:
                session.delete(lease)
            run = session.get(ScrapeRun, self.run_id)
            if run is not None:
                run.finished_at = utc_now()
                run.status = summary.status
                run.pages, run.new_ads, run.updated_ads, run.errors = (
                    summary.pages, summary.new_ads, summary.updated_ads, summary.errors)
                run.message = "\n".join(summary.messages)[:8000] or None


@contextmanager
def recorded_run(session_factory: SessionFactory, source_name: str) -> Iterator[tuple[StoreSink, RunSummary]]:
    """A file import as a run row: started before any work, finished with its counts, or marked failed and
    still closed when the import raises (so `scrape errors` never shows it running)."""
    summary = RunSummary(source_name=source_name)
    sink = StoreSink(session_factory, source_name)
    sink.start_run()
    try:
        yield sink, summary
        summary.finish()
    except BaseException:
        summary.status = "failed"
        raise
    finally:
        sink.finish_run(summary)
