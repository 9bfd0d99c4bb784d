"""Configured sources as plain rows (name, kind, params, interval, cursor), and what went wrong with them.

Schedules stay data in lokerwatch's own table (never a pickled job store); the scheduler rebuilds its
jobs from these rows, so adding or removing one here takes effect on its next tick.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scraper import sources
from service.collect.store_sink import writing
from service.errors import LokerwatchError
from service.store.tables import ParseError, ScrapeRun
from service.store.tables import Source as SourceRow
from service.store.types import utc_now

SessionFactory = Callable[[], Session]


def ensure_source(session_factory: SessionFactory, name: str, kind: str, params: Mapping[str, Any],
                  interval_seconds: int | None = None) -> None:
    """Create the `sources` row if it is missing (its cursor then starts empty)."""
    if kind not in sources.names():
        raise LokerwatchError(f"unknown source kind {kind!r}; known: {', '.join(sources.names())}")
    with writing(session_factory) as session:
        if session.scalars(select(SourceRow).where(SourceRow.name == name)).first() is None:
            session.add(SourceRow(name=name, kind=kind, params=dict(params), interval_seconds=interval_seconds,
                                  enabled=True, cursor={}, created_at=utc_now()))


def add_source(session_factory: SessionFactory, name: str, kind: str, params: Mapping[str, Any],
               interval_seconds: int) -> None:
    """A new scheduled source; refuses a name that exists (its cursor would silently be reused)."""
    with session_factory() as session:
        if session.scalars(select(SourceRow).where(SourceRow.name == name)).first() is not None:
            raise LokerwatchError(f"a source named {name!r} exists; remove it first or pick --name")
    ensure_source(session_factory, name, kind, params, interval_seconds)


def list_sources(session_factory: SessionFactory) -> list[SourceRow]:
    with session_factory() as session:
        return list(session.scalars(select(SourceRow).order_by(SourceRow.name)))


def remove_source(session_factory: SessionFactory, name: str) -> None:
    """Forget a source's schedule and cursor; its ads and snapshots stay."""
    with session_factory() as session, session.begin():
        row = session.scalars(select(SourceRow).where(SourceRow.name == name)).first()
        if row is None:
            raise LokerwatchError(f"no source named {name!r}")
        session.delete(row)


@dataclass(frozen=True)
class Failures:
    parse_errors: list[ParseError]
    runs: list[ScrapeRun]


def recent_failures(session_factory: SessionFactory, limit: int, source_name: str | None = None) -> Failures:
    """The newest pages that did not parse (kept as snapshots) and runs that did not finish cleanly."""
    errors = select(ParseError).order_by(ParseError.id.desc()).limit(limit)
    runs = select(ScrapeRun).where(ScrapeRun.status != "ok").order_by(ScrapeRun.id.desc()).limit(limit)
    if source_name:
        errors = errors.where(ParseError.source_name == source_name)
        runs = runs.where(ScrapeRun.source_name == source_name)
    with session_factory() as session:
        return Failures(list(session.scalars(errors)), list(session.scalars(runs)))
