"""Runs a configured web source once: its `sources` row and cursor in, the crawl engine over the store sink.

The walking itself (pages, detail pages, conditional requests, pausing, when the cursor may move) is
`scraper.engine`; this module only wires a source row to it and keeps the run's record.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scraper import sources
from scraper.engine import RunSummary, crawl
from scraper.fetcher import Fetcher, FetchPolicy, user_agent
from scraper.posters import PosterPolicy
from scraper.sources.base import DEFAULT_MAX_PAGES, WebSource
from service.collect.run_lease import DEFAULT_LEASE_SECONDS
from service.collect.store_sink import StoreSink
from service.errors import LokerwatchError
from service.settings import Settings
from service.store.tables import Source as SourceRow

log = logging.getLogger("lokerwatch.scraping")

SessionFactory = Callable[[], Session]
DEFAULT_POSTERS = PosterPolicy()  # every run reads the posters attached to posts (docs/ocr.md, "In the crawl")


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
    """`telegram:lokerjakarta`, `olx:admin gudang`: one cursor per channel or search (the identifying param)."""
    key = sources.info(kind).identifying_param
    return f"{kind}:{params[key]}" if key and params.get(key) else kind


def run_source(session_factory: SessionFactory, name: str, policy: FetchPolicy,
               overrides: Mapping[str, Any] | None = None,
               progress: Callable[[int], None] | None = None,
               lease_seconds: float = DEFAULT_LEASE_SECONDS,
               posters: PosterPolicy | None = DEFAULT_POSTERS) -> RunSummary:
    """Run the web source stored as `name` once. `overrides` (e.g. base_url, max_pages) apply to this run only.

    `posters` says how the images attached to posts are read with OCR; None reads none.
    """
    return asyncio.run(run_source_async(session_factory, name, policy, overrides, progress, lease_seconds, posters))


async def run_source_async(session_factory: SessionFactory, name: str, policy: FetchPolicy,
                           overrides: Mapping[str, Any] | None = None,
                           progress: Callable[[int], None] | None = None,
                           lease_seconds: float = DEFAULT_LEASE_SECONDS,
                           posters: PosterPolicy | None = DEFAULT_POSTERS) -> RunSummary:
    with session_factory() as session:
        row = session.scalars(select(SourceRow).where(SourceRow.name == name)).first()
        if row is None:
            raise LokerwatchError(f"no source named {name!r} (see `lokerwatch sources list`)")
        kind, params, cursor = row.kind, {**(row.params or {}), **(overrides or {})}, dict(row.cursor or {})

    def build(position: Mapping[str, Any]) -> WebSource:
        """The source for one walk of the run, stopping at `position` (see scraper.engine)."""
        source = sources.create(kind, params, position)
        if not isinstance(source, WebSource):
            raise LokerwatchError(f"{kind} is imported from files: use `lokerwatch import {kind} PATH`")
        return source

    try:
        build({})  # a wrong parameter or a file source is the user's mistake: say so before a run row exists
        max_pages = int(DEFAULT_MAX_PAGES if params.get("max_pages") is None else params["max_pages"])
        if max_pages < 1:
            raise ValueError(f"max_pages must be 1 or more, not {max_pages}")
    except ValueError as exc:
        raise LokerwatchError(f"source {name!r}: {exc}") from exc
    summary = RunSummary(source_name=name)
    sink = StoreSink(session_factory, name, lease_seconds)
    sink.start_run()
    try:
        async with Fetcher(policy) as fetcher:
            await crawl(build, cursor, fetcher, sink, summary, progress, max_pages, posters)
    finally:
        sink.finish_run(summary)
    log.info("scrape_run %s", summary.line())
    return summary
