"""The review queue as analysts read it: one page in order (trafficking first, then by risk), its filters,
and the counts of what waits and what was decided.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, select, tuple_
from sqlalchemy.orm import Session, aliased

from service.audit import AuditedSession
from service.errors import DeskError
from service.review.queue_sync import DECISIONS
from service.review.views import ClaimView
from service.store.tables import Ad, AdClaim, QueueEntry, QueueIndicator, Review
from service.store.types import utc_now

SNIPPET_CHARS = 240


@dataclass(frozen=True)
class QueueFilters:
    source: str | None = None
    modus: str | None = None
    indicator: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    region: str | None = None
    cluster_id: int | None = None
    status: str | None = None
    unclaimed: bool = False


@dataclass(frozen=True)
class QueueItem:
    entry: Any  # a row with QueueEntry's columns and the ad's posted_at/first_seen_at (plain rows, no ORM)
    title: str
    snippet: str
    indicators: list[str]
    claim: ClaimView | None


def encode_cursor(entry: Any) -> str:
    raw = json.dumps([entry.kind_rank, entry.risk, entry.ad_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, float, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        rank, risk, ad_id = json.loads(raw)
        if not (isinstance(rank, int) and isinstance(risk, int | float) and isinstance(ad_id, int)):
            raise ValueError
        return rank, float(risk), ad_id
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise DeskError("cursor is not one this API gave out; start again without it") from exc


def queue_position(filters: QueueFilters) -> tuple[Any, Any, Any]:
    """The columns that put the queue in order (trafficking first, then risk, then newest id): the red flag's copy
    of them when the queue is filtered by one, so that page is the first rows of `ix_queue_indicators_order`."""
    if filters.indicator:
        return QueueIndicator.kind_rank, QueueIndicator.risk, QueueIndicator.ad_id
    return QueueEntry.kind_rank, QueueEntry.risk, QueueEntry.ad_id


def filtered_queue(query: Select[Any], filters: QueueFilters, now: datetime) -> Select[Any]:
    if filters.source:
        query = query.where(QueueEntry.source == filters.source)
    if filters.modus:
        query = query.where(QueueEntry.modus == filters.modus)
    if filters.indicator:
        # Ordered by the flag's own copy of the queue position (`queue_position`): one index read in order.
        query = query.join(QueueIndicator, and_(QueueIndicator.ad_id == QueueEntry.ad_id,
                                                QueueIndicator.name == filters.indicator))
    if filters.since:
        query = query.where(QueueEntry.seen_at >= filters.since)
    if filters.until:
        query = query.where(QueueEntry.seen_at < filters.until)
    if filters.region:
        query = query.where(func.lower(QueueEntry.location).contains(filters.region.lower(), autoescape=True))
    if filters.cluster_id is not None:
        query = query.where(QueueEntry.cluster_id == filters.cluster_id)
    if filters.status:
        query = query.where(QueueEntry.status == filters.status)
    if filters.unclaimed:
        held = aliased(AdClaim)  # the page query joins AdClaim itself; an alias keeps this subquery apart
        query = query.where(~select(held.ad_id).where(held.ad_id == QueueEntry.ad_id, held.expires_at > now)
                            .correlate(QueueEntry).exists())
    return query


def list_queue(session: Session, filters: QueueFilters, cursor: str | None, limit: int,
               now: datetime | None = None) -> tuple[list[QueueItem], str | None]:
    """One page of the queue: trafficking before scam, then by risk, highest first."""
    now = now or utc_now()
    position = queue_position(filters)
    query: Select[Any] = (select(*QueueEntry.__table__.c, Ad.title.label("ad_title"),
                                 func.substr(Ad.text, 1, SNIPPET_CHARS).label("snippet"),
                                 Ad.posted_at.label("posted_at"), Ad.first_seen_at.label("first_seen_at"),
                                 AdClaim.username.label("claim_user"), AdClaim.claimed_at.label("claimed_at"),
                                 AdClaim.expires_at.label("claim_expires_at"))
                          .join(Ad, Ad.id == QueueEntry.ad_id)
                          .outerjoin(AdClaim, and_(AdClaim.ad_id == QueueEntry.ad_id, AdClaim.expires_at > now)))
    query = filtered_queue(query.where(QueueEntry.in_queue.is_(True)), filters, now)
    if cursor:
        rank, risk, ad_id = decode_cursor(cursor)
        query = query.where(tuple_(*position) < (rank, risk, ad_id))
    order = [column.desc() for column in position]
    rows: list[Any] = list(session.execute(query.order_by(*order).limit(limit + 1)))
    page = rows[:limit]
    items = [QueueItem(row, row.ad_title or "", row.snippet or "", list(row.indicator_names or []),
                       ClaimView(row.ad_id, row.claim_user, row.claimed_at, row.claim_expires_at)
                       if row.claim_user else None)
             for row in page]
    next_cursor = encode_cursor(page[-1]) if len(rows) > limit else None
    return items, next_cursor


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    next_cursor: str | None
    options: dict[str, list[str]] | None = None  # values the desk's filter drop-downs offer, when asked


def read_queue(desk: AuditedSession, filters: QueueFilters, cursor: str | None, limit: int,
               with_options: bool = False) -> QueuePage:
    """One audited page of the queue (the ads listed and the filters used go into the audit entry)."""
    items, next_cursor = list_queue(desk.session, filters, cursor, limit)
    options = queue_filter_options(desk.session) if with_options else None
    desk.audit("queue.list", "ad", None, {"filters": {k: str(v) for k, v in filters.__dict__.items() if v},
                                          "ad_ids": [item.entry.ad_id for item in items]})
    return QueuePage(items, next_cursor, options)


def queue_filter_options(session: Session) -> dict[str, list[str]]:
    """What the filters can offer: sources, modus and indicators present in the queue now."""
    live = QueueEntry.in_queue.is_(True)
    return {
        "sources": sorted(s for s in session.scalars(select(QueueEntry.source).where(live).distinct()) if s),
        "modus": sorted(m for m in session.scalars(select(QueueEntry.modus).where(live).distinct()) if m),
        "indicators": sorted(session.scalars(select(QueueIndicator.name).join(
            QueueEntry, QueueEntry.ad_id == QueueIndicator.ad_id).where(live).distinct())),
    }


@dataclass(frozen=True)
class QueueStats:
    counts: dict[str, int]
    by_kind: dict[str, int]
    throughput: list[tuple[str, str, int]]


def queue_stats(session: Session, days: int, now: datetime | None = None) -> QueueStats:
    """How much waits (by status and kind), how much is claimed, and decisions per analyst per day."""
    now = now or utc_now()
    counts = Counter({"open": 0, "need_info": 0, "claimed": 0, "decided": 0})
    by_kind: Counter[str] = Counter()
    for in_queue, status, kind, n in session.execute(  # one pass over the covering ix_queue_counts
            select(QueueEntry.in_queue, QueueEntry.status, QueueEntry.kind, func.count())
            .group_by(QueueEntry.in_queue, QueueEntry.status, QueueEntry.kind)):
        if status == "decided":
            counts["decided"] += n
        elif in_queue:
            counts["need_info" if status == "need_info" else "open"] += n
        if in_queue:
            by_kind[kind] += n
    counts["claimed"] = session.scalar(select(func.count()).select_from(AdClaim).where(AdClaim.expires_at > now)) or 0
    per_day: Counter[tuple[str, str]] = Counter()
    for created_at, reviewer in session.execute(
            select(Review.created_at, Review.reviewer).where(Review.created_at >= now - timedelta(days=days),
                                                             Review.decision.in_(DECISIONS))):
        per_day[(created_at.date().isoformat(), reviewer)] += 1
    throughput = sorted(((day, reviewer, n) for (day, reviewer), n in per_day.items()), reverse=True)
    return QueueStats(dict(counts), dict(by_kind), throughput)
