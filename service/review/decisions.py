"""Claims and decisions: an analyst's lease on an ad, and the append-only reviews that decide it.

Claims are leases: while one lasts, nobody else may claim or decide that ad. Decisions are appended to
`reviews` (the newest stands, history stays); each moves the ad's queue entry in the same transaction.

Claims and decisions on one ad are serialised by a lock on that ad (PostgreSQL: a transaction-level advisory
lock per ad, so analysts on different ads never wait for each other across API processes; SQLite: its one
write lock). claim-next skips ads another transaction holds, as FOR UPDATE SKIP LOCKED would.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from prometheus_client import Counter
from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import Session

from service.audit import commit_with_audit
from service.auth.roles import Role
from service.auth.users import Principal
from service.errors import ConflictError, DeskError, NotFoundError
from service.review.queue import QueueFilters, filtered_queue, queue_position
from service.review.queue_sync import (
    DECISIONS,
    FINAL_DECISIONS,
    REOPENED,
    in_queue,
    indicator_names,
    kind_of,
    replace_indicator_rows,
    shown_modus,
)
from service.store.locking import begin_work_sharing, try_write_lock, write_lock
from service.store.tables import Ad, AdClaim, QueueEntry, Review, ScoreRow
from service.store.types import utc_now

DECISIONS_TOTAL = Counter("lokerwatch_decisions_total", "Review decisions recorded by this process", ["decision"])
CLAIM_NEXT_CANDIDATES = 16  # ads claim-next reads at a time; more than the analysts who claim at the same moment


def ad_lock(ad_id: int) -> str:
    """The name of the lock that serialises claims and decisions on one ad."""
    return f"claims:{ad_id}"


def _claim_row(session: Session, ad_id: int) -> AdClaim | None:
    """The ad's claim row as stored now, lapsed or not (a lapsed one is taken over in place)."""
    return session.get(AdClaim, ad_id, populate_existing=True)


def _active(claim: AdClaim | None, now: datetime) -> AdClaim | None:
    return claim if claim is not None and claim.expires_at > now else None


def _active_claim(session: Session, ad_id: int, now: datetime) -> AdClaim | None:
    return _active(_claim_row(session, ad_id), now)


def claim_ad(session: Session, user: Principal, ad_id: int, lease_seconds: int, now: datetime | None = None) -> AdClaim:
    """Take (or renew) the lease on one queued ad; ConflictError if another analyst holds it. Commits."""
    now = now or utc_now()
    write_lock(session, ad_lock(ad_id))
    entry = session.get(QueueEntry, ad_id, populate_existing=True)
    if entry is None or not entry.in_queue:
        if session.get(Ad, ad_id) is None:
            raise NotFoundError(f"no ad {ad_id}")
        raise ConflictError(f"ad {ad_id} is not in the review queue")
    return _take_claim(session, user, ad_id, lease_seconds, now, _claim_row(session, ad_id))


def _take_claim(session: Session, user: Principal, ad_id: int, lease_seconds: int, now: datetime,
                claim: AdClaim | None) -> AdClaim:
    """Take the lease, given the claim row read under the ad's lock (read once: each read is a statement)."""
    current = _active(claim, now)
    if current is not None and current.user_id != user.id:
        raise ConflictError(f"ad {ad_id} is claimed by {current.username} until {current.expires_at.isoformat()}")
    expires = now + timedelta(seconds=lease_seconds)
    if claim is None:
        claim = AdClaim(ad_id=ad_id, user_id=user.id, username=user.username, claimed_at=now, expires_at=expires)
        session.add(claim)
    else:
        claim.user_id, claim.username, claim.claimed_at, claim.expires_at = user.id, user.username, now, expires
    session.flush()
    commit_with_audit(session, user.actor, "ad.claim", "ad", ad_id, {"expires_at": expires.isoformat()})
    return claim


def claim_next_ad(session: Session, user: Principal, filters: QueueFilters, lease_seconds: int,
                  now: datetime | None = None) -> AdClaim | None:
    """Claim the first queued ad (in queue order) that nobody else holds; None when there is none."""
    now = now or utc_now()
    begin_work_sharing(session)
    position = queue_position(filters)
    order = [column.desc() for column in position]
    queued: Select[Any] = select(*position).select_from(QueueEntry).where(QueueEntry.in_queue.is_(True))
    query = filtered_queue(queued, dataclasses.replace(filters, unclaimed=True), now)
    after: tuple[int, float, int] | None = None
    while True:
        page = query if after is None else query.where(tuple_(*position) < after)
        candidates = list(session.execute(page.order_by(*order).limit(CLAIM_NEXT_CANDIDATES)))
        if not candidates:
            session.rollback()
            return None
        for candidate in candidates:
            # Another analyst may be taking this ad now (skip it) or may have taken or decided it since the read.
            if not try_write_lock(session, ad_lock(candidate.ad_id)):
                continue
            entry = session.get(QueueEntry, candidate.ad_id, populate_existing=True)
            claim = _claim_row(session, candidate.ad_id)
            if entry is not None and entry.in_queue and _active(claim, now) is None:
                return _take_claim(session, user, candidate.ad_id, lease_seconds, now, claim)
        after = (candidates[-1].kind_rank, candidates[-1].risk, candidates[-1].ad_id)


def release_claim(session: Session, user: Principal, ad_id: int, now: datetime | None = None) -> None:
    """Give an ad back; a supervisor may release anyone's claim. Commits."""
    now = now or utc_now()
    write_lock(session, ad_lock(ad_id))
    claim = _active_claim(session, ad_id, now)
    if claim is None:
        raise NotFoundError(f"ad {ad_id} is not claimed")
    if claim.user_id != user.id and user.role is not Role.SUPERVISOR:
        raise ConflictError(f"ad {ad_id} is claimed by {claim.username}, not by you")
    session.delete(claim)
    commit_with_audit(session, user.actor, "ad.release", "ad", ad_id, {"holder": claim.username})


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
    kind, rank = kind_of(p_scam, p_traf)
    entry = QueueEntry(ad_id=ad.id, score_id=score.id if score else 0, risk=score.risk if score else 0.0,
                       p_scam=p_scam, p_trafficking=p_traf, kind=kind, kind_rank=rank, status="open",
                       in_queue=False, source=ad.source, location=ad.location,
                       modus=shown_modus(score.modus, score.risk, threshold) if score else None,
                       seen_at=ad.posted_at or ad.first_seen_at, entered_at=utc_now(),
                       indicator_names=indicator_names(score.indicators) if score else [])
    session.add(entry)
    return entry


def decide(session: Session, user: Principal, ad_id: int, decision: str, note: str, threshold: float,
           now: datetime | None = None) -> Review:
    """Append a decision; the ad leaves the queue (need_info keeps it there). Commits."""
    if decision not in DECISIONS:
        raise DeskError(f"decision must be one of {', '.join(DECISIONS)}")
    now = now or utc_now()
    write_lock(session, ad_lock(ad_id))
    # The ad, its claim row and its queue entry as they are now, under the ad's lock, in one statement.
    found = session.execute(select(Ad, AdClaim, QueueEntry).outerjoin(AdClaim, AdClaim.ad_id == Ad.id)
                            .outerjoin(QueueEntry, QueueEntry.ad_id == Ad.id).where(Ad.id == ad_id)
                            .execution_options(populate_existing=True)).first()
    if found is None:
        raise NotFoundError(f"no ad {ad_id}")
    ad, claim_row, entry = found
    claim = _active(claim_row, now)
    if claim is not None and claim.user_id != user.id:
        raise ConflictError(f"ad {ad_id} is claimed by {claim.username}; only they can decide it now")
    previous = latest_review(session, ad_id)
    review = Review(ad_id=ad_id, reviewer=user.username, decision=decision, note=note, created_at=now,
                    supersedes_id=previous.id if previous else None)
    session.add(review)
    entry = entry or _entry_for(session, ad, threshold)
    entry.status = "decided" if decision in FINAL_DECISIONS else "need_info"
    entry.in_queue = in_queue(entry.status, entry.risk, threshold)
    if claim is not None:
        session.delete(claim)
    session.flush()
    replace_indicator_rows(session, entry)
    commit_with_audit(session, user.actor, "ad.decide", "ad", ad_id,
                      {"review_id": review.id, "decision": decision, "supersedes": review.supersedes_id})
    DECISIONS_TOTAL.labels(decision=decision).inc()
    return review


def reopen(session: Session, user: Principal, ad_id: int, note: str, threshold: float,
           now: datetime | None = None) -> Review:
    """A supervisor sends a decided ad back to the queue (recorded in its history). Commits."""
    now = now or utc_now()
    write_lock(session, ad_lock(ad_id))
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
    replace_indicator_rows(session, entry)
    commit_with_audit(session, user.actor, "ad.reopen", "ad", ad_id, {"review_id": review.id, "reopens": previous.id})
    return review


def latest_decisions(session: Session, ad_ids: Sequence[int]) -> dict[int, Review]:
    """Each ad's latest review (a later decision supersedes earlier ones)."""
    if not ad_ids:
        return {}
    newest = select(func.max(Review.id)).where(Review.ad_id.in_(ad_ids)).group_by(Review.ad_id)
    return {review.ad_id: review for review in session.scalars(select(Review).where(Review.id.in_(newest)))}
