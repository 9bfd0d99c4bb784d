"""Scheduled scrapes: APScheduler jobs built from the `sources` table, run by the one leader per store.

Schedules are plain rows (name, kind, params, interval, enabled), never a pickled job store: anyone who
could write a pickled job could run code in the scheduler. The in-memory APScheduler is rebuilt from the
rows at start-up and re-synced on every leadership tick, so `lokerwatch sources add/remove` take effect
without a restart. Only the process holding the `LeaderLock` runs jobs; the others wait to take over.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.orm import Session

from scraper import sources
from scraper.engine import RunSummary
from scraper.fetcher import FetchPolicy
from service.collect.runs import fetch_policy, run_source
from service.settings import Settings
from service.store.app_state import put_state
from service.store.engine import immediate, is_sqlite
from service.store.tables import AppState
from service.store.tables import Source as SourceRow
from service.store.types import utc_now

log = logging.getLogger("lokerwatch.scheduler")

SessionFactory = Callable[[], Session]
AfterRun = Callable[[RunSummary], None]
_JOB_PREFIX = "source:"
_LEADERSHIP_JOB = "leadership"


class LeaderLock:
    """Exactly one holder per store: a PostgreSQL session advisory lock, or a lease row on SQLite.

    On PostgreSQL the lock lives as long as a dedicated connection, so a crashed holder frees it at
    once. SQLite has no such lock, so the holder keeps an `app_state` row whose `expires_at` it must
    renew (call `acquire()` again well within `lease_seconds`); a dead holder's lease simply runs out.
    """

    def __init__(self, engine: Engine, session_factory: SessionFactory, name: str = "scheduler",
                 lease_seconds: int = 60) -> None:
        self.engine = engine
        self.session_factory = session_factory
        self.name = name
        self.lease_seconds = lease_seconds
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._connection: Connection | None = None
        self._held = False
        self._mutex = threading.Lock()

    @property
    def held(self) -> bool:
        return self._held

    def acquire(self) -> bool:
        """Take or renew the lock; True while this process is the leader."""
        with self._mutex:
            try:
                self._held = self._acquire_sqlite() if is_sqlite(str(self.engine.url)) else self._acquire_postgres()
            except Exception:
                log.exception("leader lock check failed; acting as follower")
                self._drop_connection()
                self._held = False
            return self._held

    def release(self) -> None:
        with self._mutex:
            if not self._held:
                self._drop_connection()
                return
            try:
                if is_sqlite(str(self.engine.url)):
                    with self.session_factory() as session, session.begin():
                        immediate(session)
                        row = session.get(AppState, self._key)
                        if row is not None and (row.value or {}).get("holder") == self.holder:
                            session.delete(row)
                elif self._connection is not None:
                    self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self._pg_key})
                    self._connection.commit()
            finally:
                self._held = False
                self._drop_connection()

    @property
    def _key(self) -> str:
        return f"leader:{self.name}"

    @property
    def _pg_key(self) -> int:
        digest = hashlib.sha256(f"lokerwatch:{self.name}".encode()).digest()
        return int.from_bytes(digest[:8], "big", signed=True)

    def _acquire_postgres(self) -> bool:
        if self._held and self._connection is not None:
            self._connection.execute(text("SELECT 1"))  # still connected means still holding
            self._connection.commit()
            return True
        if self._connection is None:
            self._connection = self.engine.connect()
        got = bool(self._connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self._pg_key}).scalar())
        self._connection.commit()
        return got

    def _acquire_sqlite(self) -> bool:
        now = utc_now()
        with self.session_factory() as session, session.begin():
            immediate(session)  # read-then-write: two contenders must not both win
            row = session.get(AppState, self._key)
            current = (row.value or {}).get("holder") if row is not None else None
            expired = row is None or row.expires_at is None or row.expires_at <= now
            if current != self.holder and not expired:
                return False
            put_state(session, self._key, {"holder": self.holder}, now + timedelta(seconds=self.lease_seconds))
            return True

    def _drop_connection(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # the connection may already be gone; the lock went with it
                log.debug("closing leader connection failed", exc_info=True)
            self._connection = None


class ScrapeScheduler:
    """Runs every enabled web source at its interval, in the leader process only."""

    def __init__(self, engine: Engine, session_factory: SessionFactory, settings: Settings,
                 policy: FetchPolicy | None = None, after_run: AfterRun | None = None,
                 lock: LeaderLock | None = None, tick_seconds: float | None = None,
                 overrides: dict[str, dict[str, Any]] | None = None) -> None:
        self.session_factory = session_factory
        self.settings = settings
        self.policy = policy or fetch_policy(settings)
        self.after_run = after_run if after_run is not None else self._process_new_ads
        self.lock = lock or LeaderLock(engine, session_factory, lease_seconds=settings.scheduler_lease_seconds)
        self.tick_seconds = tick_seconds or max(1.0, self.lock.lease_seconds / 3)
        self.overrides = overrides or {}  # per-source run-time parameters (tests point base_url at a local server)
        self.runs: list[RunSummary] = []
        self._said_follower = False
        self._stopping = threading.Event()
        self._tick_lock = threading.Lock()
        self._scheduler = BackgroundScheduler(
            jobstores={"default": MemoryJobStore()},
            executors={"default": ThreadPoolExecutor(max_workers=4)},
            job_defaults={"coalesce": True, "max_instances": 1,
                          "misfire_grace_time": settings.scheduler_misfire_grace_seconds},
            timezone="UTC",
        )

    @property
    def is_leader(self) -> bool:
        return self.lock.held

    def start(self) -> None:
        """Start ticking: the first tick tries for leadership at once and builds the jobs if it wins."""
        self._scheduler.start()
        self._scheduler.add_job(self.tick, IntervalTrigger(seconds=self.tick_seconds), id=_LEADERSHIP_JOB,
                                next_run_time=utc_now())

    def shutdown(self) -> None:
        """Stop ticking, let running scrapes finish, then give up leadership, so another process can take it
        at its next tick instead of waiting out the lease."""
        self._stopping.set()
        # APScheduler's shutdown waits for running jobs while holding its job-store lock, which a tick
        # in progress would need: so let a tick in progress finish first; later ticks see `_stopping`
        # and return without touching the scheduler.
        with self._tick_lock:
            pass
        try:
            if self._scheduler.running:
                self._scheduler.shutdown(wait=True)
        finally:
            was_leader = self.lock.held
            self.lock.release()
            if was_leader:
                log.info("scheduler stopped and released the leader lock (%s)", self.lock.holder)

    def tick(self) -> None:
        """Renew or take leadership; the leader syncs jobs with the `sources` table, a follower holds none."""
        if self._stopping.is_set():
            return
        with self._tick_lock:
            if not self._stopping.is_set():
                self._tick()

    def _tick(self) -> None:
        was_leader = self.lock.held
        if self.lock.acquire():
            if not was_leader:
                log.info("scheduler is the leader (%s): running scheduled scrapes", self.lock.holder)
            self.sync_jobs()
        else:
            if was_leader:
                log.warning("scheduler lost leadership; stopping scheduled scrapes")
            elif not self._said_follower:
                log.info("another process holds the scheduler lock; this one serves only and waits")
                self._said_follower = True
            self._remove_source_jobs()

    def sync_jobs(self) -> None:
        """Make the scheduled jobs match the enabled, scheduled web sources."""
        web_kinds = set(sources.web_names())
        with self.session_factory() as session:
            rows = list(session.scalars(select(SourceRow).where(SourceRow.enabled.is_(True))))
        wanted = {f"{_JOB_PREFIX}{row.name}": row for row in rows
                  if row.interval_seconds and row.kind in web_kinds}
        for job in self._scheduler.get_jobs():
            if job.id.startswith(_JOB_PREFIX) and (
                job.id not in wanted or job.trigger.interval.total_seconds() != wanted[job.id].interval_seconds
            ):
                job.remove()
        existing = {job.id for job in self._scheduler.get_jobs()}
        for job_id, row in wanted.items():
            if job_id not in existing:
                self._scheduler.add_job(self.run_now, IntervalTrigger(seconds=row.interval_seconds), id=job_id,
                                        args=[row.name], name=row.name)

    def _process_new_ads(self, summary: RunSummary) -> None:
        from service.scoring.pipeline import process_new_ads  # the model loads only when a run stored ads

        process_new_ads(self.session_factory, self.settings, summary)

    def run_now(self, name: str) -> RunSummary | None:
        """One scheduled run; skipped unless this process is still the leader (renewed right now)."""
        if not self.lock.held or not self.lock.acquire():
            return None
        try:
            summary = run_source(self.session_factory, name, self.policy, self.overrides.get(name),
                                 lease_seconds=self.settings.scrape_run_lease_seconds)
        except Exception:
            log.exception("scheduled run of %s failed", name)
            return None
        self.runs.append(summary)
        try:
            self.after_run(summary)
        except Exception:
            log.exception("after-run hook failed for %s", name)
        return summary

    def _remove_source_jobs(self) -> None:
        for job in self._scheduler.get_jobs():
            if job.id.startswith(_JOB_PREFIX):
                job.remove()
