"""What the dashboard counts: ads per day by source and by modus, the queue and its decisions by modus, how
many flagged ads analysts confirmed, and the model in use with its held-out figures.

Counts come from `queue_stats` where it has them; the per-day ad counts are read here and grouped in
Python, so SQLite and PostgreSQL agree on day boundaries in the display zone. Labels and charts are the
desk's business (service/web); this module gives numbers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, timedelta, tzinfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from service.audit import AuditedSession
from service.review.queue import QueueStats, queue_stats
from service.review.queue_sync import FINAL_DECISIONS
from service.scoring.model_info import ActiveModel, active_model_info
from service.settings import Settings
from service.store.tables import Ad, QueueEntry, Review, ScoreRow
from service.store.types import utc_now

MAX_ROWS = 200_000


@dataclass(frozen=True)
class DailyAds:
    """Ads per local day (posted, or first seen when the source gives no date)."""

    days: list[date]
    by_source: Counter[tuple[str, date]]
    # (the queue's modus or None, queue kind or None): a modus chart needs both
    by_modus: Counter[tuple[str | None, str | None, date]]


@dataclass(frozen=True)
class ModusCount:
    """Ads of one modus (None: the model named none) and class in the queue: waiting, and decided."""

    modus: str | None
    kind: str
    waiting: int
    decided: int


@dataclass(frozen=True)
class Confirmed:
    """Of the flagged ads (risk at or over the threshold) analysts decided, how many they confirmed."""

    decided: int
    confirmed: int  # decided trafficking or scam

    @property
    def share(self) -> float | None:
        return self.confirmed / self.decided if self.decided else None


@dataclass(frozen=True)
class Dashboard:
    days: int
    stats: QueueStats
    daily: DailyAds
    total_ads: int
    scored_ads: int
    model: ActiveModel
    review_threshold: float
    by_modus: list[ModusCount]
    confirmed: Confirmed


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


def queue_by_modus(session: Session) -> list[ModusCount]:
    """Ads waiting in the queue and ads decided, per modus and class (one grouped pass over the queue)."""
    decided = QueueEntry.status == "decided"
    rows = session.execute(
        select(QueueEntry.modus, QueueEntry.kind, decided.label("decided"), func.count())
        .where(or_(QueueEntry.in_queue.is_(True), decided))
        .group_by(QueueEntry.modus, QueueEntry.kind, decided))
    counts: dict[tuple[str | None, str], list[int]] = {}
    for modus, kind, is_decided, n in rows:
        counts.setdefault((modus, kind), [0, 0])[1 if is_decided else 0] += n
    return [ModusCount(modus, kind, waiting, done) for (modus, kind), (waiting, done) in counts.items()]


def confirmed_flags(session: Session, threshold: float) -> Confirmed:
    """Ads at or over `threshold` whose standing review is a final decision, and how many are trafficking or scam."""
    standing = select(func.max(Review.id)).group_by(Review.ad_id)  # the newest review of each ad stands
    rows = session.execute(
        select(Review.decision, func.count()).join(QueueEntry, QueueEntry.ad_id == Review.ad_id)
        .where(Review.id.in_(standing), Review.decision.in_(FINAL_DECISIONS), QueueEntry.risk >= threshold)
        .group_by(Review.decision))
    by_decision: dict[str, int] = {decision: n for decision, n in rows}
    return Confirmed(sum(by_decision.values()), by_decision.get("trafficking", 0) + by_decision.get("scam", 0))


def read_dashboard(desk: AuditedSession, settings: Settings, days: int, zone: tzinfo,
                   review_threshold: float) -> Dashboard:
    """Every number of the dashboard for the last `days` days, audited as a read."""
    session = desk.session
    dashboard = Dashboard(
        days=days, stats=queue_stats(session, days), daily=daily_ads(session, days, zone),
        total_ads=session.scalar(select(func.count()).select_from(Ad)) or 0,
        scored_ads=session.scalar(select(func.count(func.distinct(ScoreRow.ad_id)))) or 0,
        model=active_model_info(session, settings), review_threshold=review_threshold,
        by_modus=queue_by_modus(session), confirmed=confirmed_flags(session, review_threshold),
    )
    desk.audit("dashboard.read", "dashboard", None, {"days": days})
    return dashboard
