"""Leases that show a scrape run is alive, so a run whose process died (`kill -9`, a lost host) is closed.

A process killed outright never writes its run's end, and its row would say "running" forever. So a run
holds a lease, an `app_state` row `scrape-run-lease:<run id>` whose `expires_at` a background thread
pushes forward every third of the lease; the row goes when the run finishes. The next run of the same
source closes every "running" run of that source whose lease ran out as "interrupted" (ended at its last
sign of life), and so does `lokerwatch scrape errors` before it lists the runs. A run whose process is
still working keeps renewing and is left alone, so two processes running one source are never mistaken for
a dead one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.store.app_state import put_state
from service.store.engine import immediate
from service.store.tables import AppState, ScrapeRun
from service.store.types import utc_now

log = logging.getLogger("lokerwatch.scraping")

SessionFactory = Callable[[], Session]
DEFAULT_LEASE_SECONDS = 60.0
INTERRUPTED_MESSAGE = "interrupted: its process stopped without finishing the run (killed or crashed)"


def lease_key(run_id: int) -> str:
    return f"scrape-run-lease:{run_id}"


def put_lease(session: Session, run_id: int, seconds: float) -> None:
    """Take or renew a run's lease in the caller's transaction."""
    put_state(session, lease_key(run_id), {"run_id": run_id}, utc_now() + timedelta(seconds=seconds))


class RunLease:
    """Keeps one run's lease renewed from a daemon thread until `stop()`."""

    def __init__(self, session_factory: SessionFactory, run_id: int, seconds: float = DEFAULT_LEASE_SECONDS) -> None:
        self.session_factory = session_factory
        self.run_id = run_id
        self.seconds = seconds
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._renew_until_stopped, name=f"run-lease-{run_id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _renew_until_stopped(self) -> None:
        while not self._stopped.wait(self.seconds / 3):
            try:
                with self.session_factory() as session, session.begin():
                    put_lease(immediate(session), self.run_id, self.seconds)
            except Exception:  # a busy or briefly unreachable store: the next renewal tries again
                log.warning("could not renew the lease of scrape run %s", self.run_id, exc_info=True)


def close_interrupted_runs(session: Session, source_name: str | None, now: datetime | None = None) -> list[int]:
    """Mark the runs that say "running" but whose lease ran out (or that never had one) as interrupted, of
    `source_name` or of every source when it is None; returns their ids. Runs in the caller's transaction."""
    now = now or utc_now()
    closed = []
    running = select(ScrapeRun).where(ScrapeRun.status == "running")
    if source_name is not None:
        running = running.where(ScrapeRun.source_name == source_name)
    for run in session.scalars(running):
        lease = session.get(AppState, lease_key(run.id))
        if lease is not None and lease.expires_at is not None and lease.expires_at > now:
            continue  # still renewed: its process is working
        run.status = "interrupted"
        run.finished_at = lease.updated_at if lease is not None else now
        run.message = f"{run.message}\n{INTERRUPTED_MESSAGE}" if run.message else INTERRUPTED_MESSAGE
        if lease is not None:
            session.delete(lease)
        closed.append(run.id)
    if closed:
        log.warning("closed interrupted scrape runs of %s: %s", source_name or "every source", closed)
    return closed


def close_dead_runs(session_factory: SessionFactory, source_name: str | None = None) -> list[int]:
    """Close the runs whose process died, in a transaction of their own: a look at the runs (`scrape errors`)
    must not show a killed run as "running" just because its source has not run again since."""
    with session_factory() as session, session.begin():
        return close_interrupted_runs(immediate(session), source_name)
