"""What the dashboard counts: ads per day by source and by modus, the queue, decisions, the model in use.

Counts come from `queue_stats` where it has them; the per-day ad counts are read here and grouped in
Python, so SQLite and PostgreSQL agree on day boundaries in the display zone. Labels and charts are the
desk's business (service/web); this module gives numbers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, timedelta, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.audit import AuditedSession
from service.review.queue import QueueStats, queue_stats
from service.scoring.model_info import ActiveModel, active_model_info
from service.settings import Settings
from service.store.tables import Ad, QueueEntry, ScoreRow
from service.store.types import utc_now

MAX_ROWS = 200_000


@dataclass(frozen=True)
class DailyAds:
    """Ads per local day (posted, or first seen when the source gives no date)."""

    days: list[date]
    by_source: Counter[tuple[str, date]]
    # (modus of the labelled ad or None, queue kind or None): a modus chart needs both
    by_modus: Counter[tuple[str | None, str | None, date]]


@dataclass(frozen=True)
class Dashboard:
    days: int
    stats: QueueStats
    daily: DailyAds
    total_ads: int
    scored_ads: int
    model: ActiveModel


def daily_ads(session: Session, days: int, zone: tzinfo) -> DailyAds:
    today = utc_now().astimezone(zone).date()
    day_list = [today - timedelta(days=days - 1 - i) for i in range(days)]
    wanted = set(day_list)
    since = utc_now() - timedelta(days=days + 1)
    seen = func.coalesce(Ad.posted_at, Ad.first_seen_at)
    rows = session.execute(
        select(Ad.source, seen, QueueEntry.modus, QueueEntry.kind).outerjoin(QueueEntry, QueueEntry.ad_id == Ad.id)
        .where(seen >= since).limit(MAX_ROWS))
    by_source: Counter[tuple[str, date]] = Counter()
    by_modus: Counter[tuple[str | None, str | None, date]] = Counter()
    for source, at, modus, kind in rows:
        if at is None:
            continue
        day = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(zone).date()  # the store keeps UTC
        if day in wanted:
            by_source[(source, day)] += 1
            by_modus[(modus, kind, day)] += 1
    return DailyAds(day_list, by_source, by_modus)


def read_dashboard(desk: AuditedSession, settings: Settings, days: int, zone: tzinfo) -> Dashboard:
    """Every number of the dashboard for the last `days` days, audited as a read."""
    session = desk.session
    dashboard = Dashboard(
        days=days, stats=queue_stats(session, days), daily=daily_ads(session, days, zone),
        total_ads=session.scalar(select(func.count()).select_from(Ad)) or 0,
        scored_ads=session.scalar(select(func.count(func.distinct(ScoreRow.ad_id)))) or 0,
        model=active_model_info(session, settings),
    )
    desk.audit("dashboard.read", "dashboard", None, {"days": days})
    return dashboard
