"""Runs a source once: fetch -> evidence snapshot -> parse -> upsert, with cursors and parse errors in the store.

The order is the point. A page is committed as a snapshot before anything parses it; a page that does
not parse is kept with a ParseError saying why; ads are upserted by (source, source_ad_id), so a run
that was killed and started again ends with exactly the ads an uninterrupted run would have; and the
source's cursor only moves when a run walked all the way to where the previous one stopped, so a
failure in the middle can never make a later run skip ads.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scraper import sources
from scraper.errors import FetchError, PageParseError, SourcePaused
from scraper.fetcher import Fetcher, FetchPolicy, Validators, user_agent
from scraper.records import JobPost, RawPage
from scraper.sources.base import ParseResult, Source, WebSource
from service.errors import InputFileError, LokerwatchError
from service.settings import Settings
from service.store.ads import upsert_job_post
from service.store.engine import immediate
from service.store.evidence import StoreEvidenceSink, store_snapshot
from service.store.tables import ParseError, ScrapeRun, Snapshot
from service.store.tables import Source as SourceRow
from service.store.types import utc_now

log = logging.getLogger("lokerwatch.scraping")

SessionFactory = Callable[[], Session]
IMPORT_VERSION = "lokerwatch-import/1"
# Ad-hoc runs (`lokerwatch scrape telegram --channel X`) keep their cursor under this row name.
_NAME_PARAM = {"telegram": "channel", "olx": "query"}


@dataclass
class RunSummary:
    """What one run did, for the CLI line, the scheduler log and the `scrape_runs` row."""

    source_name: str
    run_id: int | None = None
    status: str = "running"
    pages: int = 0
    not_modified: int = 0
    new_ads: int = 0
    updated_ads: int = 0
    unchanged_ads: int = 0
    errors: int = 0
    messages: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = (f"{self.source_name}: {self.status}; {self.pages} pages, {self.new_ads} new ads, "
                f"{self.updated_ads} updated, {self.unchanged_ads} unchanged, {self.errors} errors")
        return text + (f" ({self.not_modified} not modified)" if self.not_modified else "")


def fetch_policy(settings: Settings, **overrides: Any) -> FetchPolicy:
    """The fetcher's policy from settings (tests and benchmarks override single fields)."""
    values: dict[str, Any] = {
        "user_agent": user_agent(settings.scrape_contact_url),
        "min_interval": settings.scrape_min_interval_seconds,
        "max_concurrency": settings.scrape_max_concurrency_per_host,
        "deadline": settings.scrape_deadline_seconds,
        "max_retries": settings.scrape_max_retries,
        "retry_budget": settings.scrape_retry_budget,
        "retry_after_cap": settings.scrape_retry_after_cap_seconds,
        "max_body_bytes": settings.scrape_max_body_bytes,
        "max_redirects": settings.scrape_max_redirects,
    }
    values.update(overrides)
    return FetchPolicy(**values)


def default_source_name(kind: str, params: Mapping[str, Any]) -> str:
    """`telegram:lokerjakarta`, `olx:admin gudang`: one cursor per channel or query."""
    key = _NAME_PARAM.get(kind)
    return f"{kind}:{params[key]}" if key and params.get(key) else kind


def ensure_source(session_factory: SessionFactory, name: str, kind: str, params: Mapping[str, Any],
                  interval_seconds: int | None = None) -> None:
    """Create the `sources` row if it is missing (its cursor then starts empty)."""
    if kind not in sources.names():
        raise LokerwatchError(f"unknown source kind {kind!r}; known: {', '.join(sources.names())}")
    with _writing(session_factory) as session:
        if session.scalars(select(SourceRow).where(SourceRow.name == name)).first() is None:
            session.add(SourceRow(name=name, kind=kind, params=dict(params), interval_seconds=interval_seconds,
                                  enabled=True, cursor={}, created_at=utc_now()))


def run_source(session_factory: SessionFactory, name: str, policy: FetchPolicy,
               overrides: Mapping[str, Any] | None = None,
               progress: Callable[[int], None] | None = None) -> RunSummary:
    """Run the web source stored as `name` once. `overrides` (e.g. base_url) apply to this run only."""
    return asyncio.run(run_source_async(session_factory, name, policy, overrides, progress))


async def run_source_async(session_factory: SessionFactory, name: str, policy: FetchPolicy,
                           overrides: Mapping[str, Any] | None = None,
                           progress: Callable[[int], None] | None = None) -> RunSummary:
    with session_factory() as session:
        row = session.scalars(select(SourceRow).where(SourceRow.name == name)).first()
        if row is None:
            raise LokerwatchError(f"no source named {name!r} (see `lokerwatch sources list`)")
        kind, params, cursor = row.kind, dict(row.params or {}), dict(row.cursor or {})
    try:
        source = sources.create(kind, {**params, **(overrides or {})}, cursor)
    except ValueError as exc:
        raise LokerwatchError(f"source {name!r}: {exc}") from exc
    if not isinstance(source, WebSource):
        raise LokerwatchError(f"{kind} is imported from files: use `lokerwatch import {kind} PATH`")
    summary = RunSummary(source_name=name)
    summary.run_id = _start_run(session_factory, name)
    sink = StoreEvidenceSink(session_factory, source_name=name)
    validators: dict[str, dict[str, str | None]] = dict(cursor.get("validators") or {})
    seen_posts: list[JobPost] = []
    complete = True
    queue: deque[tuple[str, bool]] = deque((url, True) for url in source.start_urls())
    queued = {url for url, _ in queue}
    try:
        async with Fetcher(policy) as fetcher:
            while queue:
                url, on_walk = queue.popleft()
                known = validators.get(url)
                try:
                    page = await fetcher.fetch(url, Validators(**known) if known else None)
                except SourcePaused as exc:
                    summary.status = "paused"
                    summary.errors += 1
                    summary.messages.append(f"paused: {exc}")
                    complete = False
                    break
                except FetchError as exc:
                    summary.errors += 1
                    summary.messages.append(str(exc))
                    complete = complete and not on_walk
                    continue
                if page.status == 304:
                    summary.not_modified += 1
                    continue
                summary.pages += 1
                snapshot_id = sink.save_snapshot(page)  # evidence first, always
                result = _parse(session_factory, source, page, snapshot_id, name, summary)
                if result is None:
                    complete = complete and not on_walk
                else:
                    _store_posts(session_factory, result.posts, snapshot_id, summary)
                    seen_posts.extend(result.posts)
                    follow = [(u, True) for u in result.next_urls] + [(u, False) for u in result.detail_urls]
                    for next_url, walk in follow:
                        if next_url not in queued:
                            queued.add(next_url)
                            queue.append((next_url, walk))
                    if url in source.start_urls():
                        fresh = Validators.from_headers(page.headers)
                        if fresh.etag or fresh.last_modified:
                            validators[url] = {"etag": fresh.etag, "last_modified": fresh.last_modified}
                _save_progress(session_factory, summary)
                if progress:
                    progress(1)
        if summary.status == "running":
            summary.status = "ok" if summary.errors == 0 else "partial"
        if complete:
            new_cursor = source.next_cursor(cursor, seen_posts)
            new_cursor["validators"] = validators
            _save_cursor(session_factory, name, new_cursor)
        else:
            summary.messages.append("cursor kept: this run did not reach the previous run's position")
    except BaseException:
        summary.status = "failed"
        raise
    finally:
        _finish_run(session_factory, summary)
    log.info("scrape_run %s", summary.line())
    return summary


def import_file(session_factory: SessionFactory, kind: str, path: Path,
                params: Mapping[str, Any] | None = None) -> RunSummary:
    """Import a saved page or export file: stored as a snapshot (once per distinct content), then parsed."""
    if kind not in sources.names():
        raise LokerwatchError(f"unknown source kind {kind!r}; known: {', '.join(sources.names())}")
    if not path.is_file():
        raise InputFileError(f"{path} is not a file")
    source = sources.create(kind, params or {}, {})
    body = path.read_bytes()
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    page = RawPage(url=path.resolve().as_uri(), final_url=path.resolve().as_uri(), status=200,
                   headers={"content-type": content_type}, body=body, fetched_at=datetime.now(UTC),
                   fetcher_version=IMPORT_VERSION)
    result = _parse_import(source, page, path)
    name = f"import:{kind}"
    summary = RunSummary(source_name=name)
    summary.run_id = _start_run(session_factory, name)
    try:
        snapshot_id = _snapshot_once(session_factory, page, name)
        summary.pages = 1
        _record_problems(session_factory, source, snapshot_id, name, summary, result.problems)
        _store_posts(session_factory, result.posts, snapshot_id, summary)
        summary.status = "ok" if summary.errors == 0 else "partial"
    except BaseException:
        summary.status = "failed"
        raise
    finally:
        _finish_run(session_factory, summary)
    return summary


def _parse_import(source: Source, page: RawPage, path: Path) -> ParseResult:
    """Parse an analyst's file before anything is stored: a file with no post in it is a user mistake.

    Unlike a fetched page (kept as evidence even when it does not parse), the file stays with the analyst,
    so refusing it whole loses nothing and keeps junk out of the store.
    """
    try:
        result = source.parse(page)
    except PageParseError as exc:
        raise InputFileError(f"{path}: {exc}; nothing was stored") from exc
    except Exception as exc:  # a parser bug on odd input: still one clear line, still nothing stored
        log.exception("parser crashed on %s", path)
        raise InputFileError(f"{path}: could not be read as a {source.name} file ({type(exc).__name__}: {exc}); "
                             "nothing was stored") from exc
    if not result.posts:
        raise InputFileError(f"{path} holds no {source.name} post with text (is it the right kind of file, "
                             "exported whole?); nothing was stored")
    return result


def _parse(session_factory: SessionFactory, source: Source, page: RawPage, snapshot_id: int, name: str,
           summary: RunSummary) -> ParseResult | None:
    """Parse a stored page; failures become ParseError rows and None (the run goes on)."""
    reasons: list[str] = []
    result: ParseResult | None = None
    if not 200 <= page.status < 300:
        reasons.append(f"HTTP {page.status}: not parsed")
    else:
        try:
            result = source.parse(page)
        except PageParseError as exc:
            reasons.append(str(exc))
        except Exception as exc:  # a parser bug must not end the run or lose the page
            log.exception("parser crashed on snapshot %s", snapshot_id)
            reasons.append(f"parser crashed: {type(exc).__name__}: {exc}")
    _record_problems(session_factory, source, snapshot_id, name, summary,
                     [*reasons, *(result.problems if result else [])])
    return result


def _record_problems(session_factory: SessionFactory, source: Source, snapshot_id: int, name: str,
                     summary: RunSummary, problems: list[str]) -> None:
    """Each problem a parser met on a stored page becomes a ParseError row, counted in the run."""
    if not problems:
        return
    with _writing(session_factory) as session:
        for reason in problems:
            session.add(ParseError(snapshot_id=snapshot_id, source_name=name, parser=source.name,
                                   reason=reason[:4000], created_at=utc_now()))
    summary.errors += len(problems)
    summary.messages.extend(f"snapshot {snapshot_id}: {r}" for r in problems[:5])


def _store_posts(session_factory: SessionFactory, posts: list[JobPost], snapshot_id: int,
                 summary: RunSummary) -> None:
    """All posts of one page in one transaction, each linked to the page's snapshot."""
    if not posts:
        return
    with _writing(session_factory) as session:
        for post in posts:
            outcome = upsert_job_post(session, post, snapshot_id)
            if outcome == "new":
                summary.new_ads += 1
            elif outcome == "updated":
                summary.updated_ads += 1
            else:
                summary.unchanged_ads += 1


def _snapshot_once(session_factory: SessionFactory, page: RawPage, name: str) -> int:
    """Re-importing the same file reuses its snapshot instead of storing the same bytes again."""
    with _writing(session_factory) as session:
        existing = session.scalars(
            select(Snapshot.id).where(Snapshot.sha256 == page.sha256, Snapshot.url == page.url)
        ).first()
        return existing if existing is not None else store_snapshot(session, page, name).id


def _start_run(session_factory: SessionFactory, name: str) -> int:
    with _writing(session_factory) as session:
        run = ScrapeRun(source_name=name, started_at=utc_now(), status="running")
        session.add(run)
        session.flush()
        return run.id


def _save_progress(session_factory: SessionFactory, summary: RunSummary) -> None:
    """Counters after each page, so a killed run still shows how far it got."""
    with _writing(session_factory) as session:
        run = session.get(ScrapeRun, summary.run_id)
        if run is not None:
            run.pages, run.new_ads, run.updated_ads, run.errors = (
                summary.pages, summary.new_ads, summary.updated_ads, summary.errors)


def _finish_run(session_factory: SessionFactory, summary: RunSummary) -> None:
    with _writing(session_factory) as session:
        run = session.get(ScrapeRun, summary.run_id)
        if run is not None:
            run.finished_at = utc_now()
            run.status = summary.status
            run.pages, run.new_ads, run.updated_ads, run.errors = (
                summary.pages, summary.new_ads, summary.updated_ads, summary.errors)
            run.message = "\n".join(summary.messages)[:8000] or None


def _save_cursor(session_factory: SessionFactory, name: str, cursor: dict[str, Any]) -> None:
    with _writing(session_factory) as session:
        row = session.scalars(select(SourceRow).where(SourceRow.name == name)).one()
        row.cursor = cursor


@contextmanager
def _writing(session_factory: SessionFactory) -> Iterator[Session]:
    """A transaction that takes SQLite's write lock at BEGIN.

    Read-then-write transactions (upserts, counters, cursors) otherwise fail at once with "database is
    locked" when another writer (the leader lease, a second run) committed since their read began.
    """
    with session_factory() as session, session.begin():
        yield immediate(session)
