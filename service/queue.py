"""The review queue: which scored ads wait for a human, in what order, who holds which, and decisions.

Queue entries are a denormalised copy of each ad's latest score (kept in step by `sync_queue`), so
listing 100,000 ads in risk order is an index scan. Claims are leases: while one lasts, nobody else
may claim or decide that ad. Decisions are appended to `reviews` (the newest stands, history stays).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, delete, func, insert, select, tuple_, update
from sqlalchemy.orm import Session, aliased

from service.audit import record_audit
from service.auth.roles import Role
from service.auth.users import Principal
from service.desk_errors import ConflictError, DeskError, NotFoundError
from service.store.app_state import put_state
from service.store.locking import write_lock
from service.store.tables import Ad, AdClaim, AppState, QueueEntry, QueueIndicator, Review, ScoreRow
from service.store.types import utc_now

DECISIONS = ("trafficking", "scam", "benign", "need_info")
FINAL_DECISIONS = frozenset({"trafficking", "scam", "benign"})
REOPENED = "reopened"
SYNC_KEY = "queue_sync"
SYNC_BATCH = 5000
SNIPPET_CHARS = 240


# --- keeping the queue in step with the scores -------------------------------------------------------


def _in_queue(status: str, risk: float, threshold: float) -> bool:
    # Ads a human sent back (need_info, reopened) stay in the queue whatever their score.
    return status in ("need_info", REOPENED) or (status == "open" and risk >= threshold)


def _kind(p_scam: float, p_trafficking: float) -> tuple[str, int]:
    return ("trafficking", 1) if p_trafficking >= p_scam and p_trafficking > 0 else ("scam", 0)


def _state(session: Session) -> dict[str, Any]:
    row = session.get(AppState, SYNC_KEY, populate_existing=True)
    return dict(row.value) if row else {}


def sync_queue(session: Session, threshold: float) -> int:
    """Apply scores newer than the last sync to the queue; commits; returns how many scores were applied.

    Cheap when nothing changed (one indexed max()). A changed review threshold re-applies every score.
    """
    newest_id, saved = session.execute(select(
        select(func.max(ScoreRow.id)).scalar_subquery(),
        select(AppState.value).where(AppState.key == SYNC_KEY).scalar_subquery())).one()
    newest = newest_id or 0
    session.rollback()
    if saved and saved.get("score_id", 0) >= newest and saved.get("threshold") == threshold:
        return 0
    write_lock(session, "queue-sync")
    state = _state(session)
    start = state.get("score_id", 0) if state.get("threshold") == threshold else 0
    if start == 0:
        _reapply_threshold(session, threshold)
    applied = 0
    last = start
    while True:
        rows = list(session.execute(
            select(ScoreRow.id, ScoreRow.ad_id, ScoreRow.risk, ScoreRow.p_scam, ScoreRow.p_trafficking,
                   ScoreRow.indicators, Ad.source, Ad.location, Ad.extra, Ad.posted_at, Ad.first_seen_at)
            .join(Ad, and_(Ad.id == ScoreRow.ad_id, Ad.content_hash == ScoreRow.content_hash))
            .where(ScoreRow.id > last).order_by(ScoreRow.id).limit(SYNC_BATCH)))
        if not rows:
            break
        last = rows[-1].id
        _apply_scores(session, {row.ad_id: row for row in rows}, threshold)  # the newest score of an ad wins
        applied += len(rows)
        # Commit batch by batch: a first sync over 100,000 scores must not hold the write lock throughout.
        _save_state(session, {"score_id": last, "threshold": threshold})
        session.commit()
        write_lock(session, "queue-sync")
        last = _state(session).get("score_id", last)  # another worker may have gone on meanwhile
    last = max(last, newest)
    _save_state(session, {"score_id": last, "threshold": threshold})
    session.commit()
    return applied


def _reapply_threshold(session: Session, threshold: float) -> None:
    rows = session.execute(select(QueueEntry.ad_id, QueueEntry.status, QueueEntry.risk)).all()
    updates = [{"ad_id": ad_id, "in_queue": _in_queue(status, risk, threshold)} for ad_id, status, risk in rows]
    if updates:
        session.execute(update(QueueEntry), updates)


def _apply_scores(session: Session, latest: dict[int, Any], threshold: float) -> None:
    """Insert or refresh the entries of these ads (Core bulk statements: a first sync may see 100,000 scores)."""
    statuses: dict[int, str] = {ad_id: status for ad_id, status in session.execute(
        select(QueueEntry.ad_id, QueueEntry.status).where(QueueEntry.ad_id.in_(list(latest))))}
    now = utc_now()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    names: list[dict[str, Any]] = []
    for ad_id, row in latest.items():
        status = statuses.get(ad_id)
        if status is None and row.risk < threshold:
            continue
        kind, rank = _kind(row.p_scam, row.p_trafficking)
        modus = row.extra.get("modus") if isinstance(row.extra, dict) else None
        indicator_names = _indicator_names(row.indicators)
        values = {"ad_id": ad_id, "score_id": row.id, "risk": row.risk, "p_scam": row.p_scam,
                  "p_trafficking": row.p_trafficking, "kind": kind, "kind_rank": rank, "source": row.source,
                  "location": row.location, "modus": str(modus)[:60] if modus else None,
                  "seen_at": row.posted_at or row.first_seen_at, "indicator_names": indicator_names,
                  "in_queue": _in_queue(status or "open", row.risk, threshold)}
        if status is None:
            inserts.append({**values, "status": "open", "entered_at": now, "cluster_id": None})
        else:
            updates.append(values)
        names.extend({"ad_id": ad_id, "name": name} for name in indicator_names)
    if inserts:
        session.execute(insert(QueueEntry), inserts)
    if updates:
        session.execute(update(QueueEntry), updates)  # bulk UPDATE by primary key
    changed = [v["ad_id"] for v in inserts + updates]
    if changed:
        session.execute(delete(QueueIndicator).where(QueueIndicator.ad_id.in_(changed)))
    if names:
        session.execute(insert(QueueIndicator), names)


def _indicator_names(hits: list[Any] | None) -> list[str]:
    return sorted({str(hit["name"])[:100] for hit in hits or [] if isinstance(hit, dict) and hit.get("name")})


def _save_state(session: Session, value: dict[str, Any]) -> None:
    put_state(session, SYNC_KEY, value)


def assign_cluster(session: Session, ad_id: int, cluster_id: int | None) -> None:
    """Let the linking code (clusters) tag a queued ad so the queue can filter by cluster."""
    entry = session.get(QueueEntry, ad_id)
    if entry is not None:
        entry.cluster_id = cluster_id


# --- listing -------------------------------------------------------------------------------------------


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
class ClaimView:
    ad_id: int
    username: str
    claimed_at: datetime
    expires_at: datetime


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


def _filtered(query: Select[Any], filters: QueueFilters, now: datetime) -> Select[Any]:
    if filters.source:
        query = query.where(QueueEntry.source == filters.source)
    if filters.modus:
        query = query.where(QueueEntry.modus == filters.modus)
    if filters.indicator:
        # A correlated probe of the (ad_id, name) key: walks the queue in order and stops at a page,
        # instead of first collecting every ad with that red flag.
        query = query.where(select(QueueIndicator.ad_id).where(
            QueueIndicator.ad_id == QueueEntry.ad_id, QueueIndicator.name == filters.indicator).exists())
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
    order = (QueueEntry.kind_rank.desc(), QueueEntry.risk.desc(), QueueEntry.ad_id.desc())
    query: Select[Any] = (select(*QueueEntry.__table__.c, Ad.title.label("ad_title"),
                                 func.substr(Ad.text, 1, SNIPPET_CHARS).label("snippet"),
                                 Ad.posted_at.label("posted_at"), Ad.first_seen_at.label("first_seen_at"),
                                 AdClaim.username.label("claim_user"), AdClaim.claimed_at.label("claimed_at"),
                                 AdClaim.expires_at.label("claim_expires_at"))
                          .join(Ad, Ad.id == QueueEntry.ad_id)
                          .outerjoin(AdClaim, and_(AdClaim.ad_id == QueueEntry.ad_id, AdClaim.expires_at > now)))
    query = _filtered(query.where(QueueEntry.in_queue.is_(True)), filters, now)
    if cursor:
        rank, risk, ad_id = decode_cursor(cursor)
        query = query.where(tuple_(QueueEntry.kind_rank, QueueEntry.risk, QueueEntry.ad_id) < (rank, risk, ad_id))
    rows: list[Any] = list(session.execute(query.order_by(*order).limit(limit + 1)))
    page = rows[:limit]
    items = [QueueItem(row, row.ad_title or "", row.snippet or "", list(row.indicator_names or []),
                       ClaimView(row.ad_id, row.claim_user, row.claimed_at, row.claim_expires_at)
                       if row.claim_user else None)
             for row in page]
    next_cursor = encode_cursor(page[-1]) if len(rows) > limit else None
    return items, next_cursor


# --- claims ----------------------------------------------------------------------------------------------


def _active_claim(session: Session, ad_id: int, now: datetime) -> AdClaim | None:
    claim = session.get(AdClaim, ad_id, populate_existing=True)
    return claim if claim is not None and claim.expires_at > now else None


def claim_ad(session: Session, user: Principal, ad_id: int, lease_seconds: int, now: datetime | None = None) -> AdClaim:
    """Take (or renew) the lease on one queued ad; ConflictError if another analyst holds it. Commits."""
    now = now or utc_now()
    write_lock(session, "claims")
    entry = session.get(QueueEntry, ad_id, populate_existing=True)
    if entry is None or not entry.in_queue:
        if session.get(Ad, ad_id) is None:
            raise NotFoundError(f"no ad {ad_id}")
        raise ConflictError(f"ad {ad_id} is not in the review queue")
    return _take_claim(session, user, ad_id, lease_seconds, now)


def _take_claim(session: Session, user: Principal, ad_id: int, lease_seconds: int, now: datetime) -> AdClaim:
    current = _active_claim(session, ad_id, now)
    if current is not None and current.user_id != user.id:
        raise ConflictError(f"ad {ad_id} is claimed by {current.username} until {current.expires_at.isoformat()}")
    claim = session.get(AdClaim, ad_id)
    expires = now + timedelta(seconds=lease_seconds)
    if claim is None:
        claim = AdClaim(ad_id=ad_id, user_id=user.id, username=user.username, claimed_at=now, expires_at=expires)
        session.add(claim)
    else:
        claim.user_id, claim.username, claim.claimed_at, claim.expires_at = user.id, user.username, now, expires
    session.flush()
    record_audit(session, user.actor, "ad.claim", "ad", ad_id, {"expires_at": expires.isoformat()})
    session.commit()
    return claim


def claim_next_ad(session: Session, user: Principal, filters: QueueFilters, lease_seconds: int,
                  now: datetime | None = None) -> AdClaim | None:
    """Claim the first queued ad (in queue order) that nobody else holds; None when there is none."""
    now = now or utc_now()
    write_lock(session, "claims")
    query = _filtered(select(QueueEntry.ad_id).where(QueueEntry.in_queue.is_(True)),
                      dataclasses.replace(filters, unclaimed=True), now)
    ad_id = session.scalar(query.order_by(QueueEntry.kind_rank.desc(), QueueEntry.risk.desc(),
                                          QueueEntry.ad_id.desc()).limit(1))
    if ad_id is None:
        session.rollback()
        return None
    return _take_claim(session, user, ad_id, lease_seconds, now)


def release_claim(session: Session, user: Principal, ad_id: int, now: datetime | None = None) -> None:
    """Give an ad back; a supervisor may release anyone's claim. Commits."""
    now = now or utc_now()
    write_lock(session, "claims")
    claim = _active_claim(session, ad_id, now)
    if claim is None:
        raise NotFoundError(f"ad {ad_id} is not claimed")
    if claim.user_id != user.id and user.role is not Role.SUPERVISOR:
        raise ConflictError(f"ad {ad_id} is claimed by {claim.username}, not by you")
    session.delete(claim)
    record_audit(session, user.actor, "ad.release", "ad", ad_id, {"holder": claim.username})
    session.commit()


# --- decisions ---------------------------------------------------------------------------------------------


def latest_review(session: Session, ad_id: int) -> Review | None:
    return session.scalars(select(Review).where(Review.ad_id == ad_id).order_by(Review.id.desc()).limit(1)).first()


def review_history(session: Session, ad_id: int) -> list[Review]:
    return list(session.scalars(select(Review).where(Review.ad_id == ad_id).order_by(Review.id)))


def _entry_for(session: Session, ad: Ad, threshold: float) -> QueueEntry:
    """The ad's queue entry, created from its latest score when an ad outside the queue is reviewed."""
    entry = session.get(QueueEntry, ad.id, populate_existing=True)
    if entry is not None:
        return entry
    score = session.scalars(select(ScoreRow).where(ScoreRow.ad_id == ad.id).order_by(ScoreRow.id.desc())
                            .limit(1)).first()
    p_scam, p_traf = (score.p_scam, score.p_trafficking) if score else (0.0, 0.0)
    kind, rank = _kind(p_scam, p_traf)
    entry = QueueEntry(ad_id=ad.id, score_id=score.id if score else 0, risk=score.risk if score else 0.0,
                       p_scam=p_scam, p_trafficking=p_traf, kind=kind, kind_rank=rank, status="open",
                       in_queue=False, source=ad.source, location=ad.location, modus=None,
                       seen_at=ad.posted_at or ad.first_seen_at, entered_at=utc_now(),
                       indicator_names=_indicator_names(score.indicators) if score else [])
    session.add(entry)
    return entry


def decide(session: Session, user: Principal, ad_id: int, decision: str, note: str, threshold: float,
           now: datetime | None = None) -> Review:
    """Append a decision; the ad leaves the queue (need_info keeps it there). Commits."""
    if decision not in DECISIONS:
        raise DeskError(f"decision must be one of {', '.join(DECISIONS)}")
    now = now or utc_now()
    write_lock(session, "claims")
    ad = session.get(Ad, ad_id)
    if ad is None:
        raise NotFoundError(f"no ad {ad_id}")
    claim = _active_claim(session, ad_id, now)
    if claim is not None and claim.user_id != user.id:
        raise ConflictError(f"ad {ad_id} is claimed by {claim.username}; only they can decide it now")
    previous = latest_review(session, ad_id)
    review = Review(ad_id=ad_id, reviewer=user.username, decision=decision, note=note, created_at=now,
                    supersedes_id=previous.id if previous else None)
    session.add(review)
    entry = _entry_for(session, ad, threshold)
    entry.status = "decided" if decision in FINAL_DECISIONS else "need_info"
    entry.in_queue = _in_queue(entry.status, entry.risk, threshold)
    if claim is not None:
        session.delete(claim)
    session.flush()
    record_audit(session, user.actor, "ad.decide", "ad", ad_id,
                 {"review_id": review.id, "decision": decision, "supersedes": review.supersedes_id})
    session.commit()
    return review


def reopen(session: Session, user: Principal, ad_id: int, note: str, threshold: float,
           now: datetime | None = None) -> Review:
    """A supervisor sends a decided ad back to the queue (recorded in its history). Commits."""
    now = now or utc_now()
    write_lock(session, "claims")
    ad = session.get(Ad, ad_id)
    if ad is None:
        raise NotFoundError(f"no ad {ad_id}")
    previous = latest_review(session, ad_id)
    if previous is None or previous.decision not in FINAL_DECISIONS:
        raise ConflictError(f"ad {ad_id} has no standing decision to reopen")
    review = Review(ad_id=ad_id, reviewer=user.username, decision=REOPENED, note=note, created_at=now,
                    supersedes_id=previous.id)
    session.add(review)
    entry = _entry_for(session, ad, threshold)
    entry.status = REOPENED
    entry.in_queue = True
    session.flush()
    record_audit(session, user.actor, "ad.reopen", "ad", ad_id, {"review_id": review.id, "reopens": previous.id})
    session.commit()
    return review


# --- counts -------------------------------------------------------------------------------------------------


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
