"""Store-wide counts for monitoring: numbers every worker agrees on because they are read from the store."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.store.tables import AdClaim, AuditEntry, QueueEntry, ScrapeRun
from service.store.types import utc_now


@dataclass(frozen=True)
class StoreCounts:
    queue: dict[tuple[str, str], int]  # (status, kind) -> ads in the review queue
    claims_active: int
    scrape_runs: dict[str, int]  # status -> runs
    audit_entries: int


def store_counts(session: Session) -> StoreCounts:
    queue = {(status, kind): n for status, kind, n in session.execute(
        select(QueueEntry.status, QueueEntry.kind, func.count()).where(QueueEntry.in_queue.is_(True))
        .group_by(QueueEntry.status, QueueEntry.kind))}
    claimed = session.scalar(select(func.count()).select_from(AdClaim).where(AdClaim.expires_at > utc_now())) or 0
    runs = {status: n for status, n in session.execute(select(ScrapeRun.status, func.count())
                                                      .group_by(ScrapeRun.status))}
    audit = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    return StoreCounts(queue, claimed, runs, audit)
