"""Everything an analyst needs to judge one ad: text, score, red flags with spans, entities, evidence, history."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from model.entities import extract_entities
from model.normalise import normalise
from model.records import AdText
from service.api.desk_schemas import AdDetailOut, ClaimOut, ReviewOut, SnapshotMetaOut
from service.desk_errors import NotFoundError
from service.queue import review_history
from service.store.tables import Ad, AdClaim, AdSnapshot, QueueEntry, ScoreRow, Snapshot
from service.store.types import utc_now


def review_out(review: Any) -> ReviewOut:
    return ReviewOut(id=review.id, ad_id=review.ad_id, reviewer=review.reviewer, decision=review.decision,
                     note=review.note, created_at=review.created_at, supersedes_id=review.supersedes_id)


def claim_out(claim: Any) -> ClaimOut | None:
    """An AdClaim (or a row with the same fields) as the API shows it."""
    if claim is None:
        return None
    return ClaimOut(ad_id=claim.ad_id, username=claim.username, claimed_at=claim.claimed_at,
                    expires_at=claim.expires_at)


def ad_detail(session: Session, ad_id: int) -> AdDetailOut:
    """The detail view; raises NotFoundError. Entities are found afresh from the text (spans into title+text)."""
    ad = session.get(Ad, ad_id)
    if ad is None:
        raise NotFoundError(f"no ad {ad_id}")
    score = session.scalars(  # the newest score of the ad's current text (index on ad_id, id)
        select(ScoreRow).where(ScoreRow.ad_id == ad_id, ScoreRow.content_hash == ad.content_hash)
        .order_by(ScoreRow.id.desc()).limit(1)).first()
    snapshots = session.execute(  # metadata only: the bodies stay in the store
        select(Snapshot.id, Snapshot.url, Snapshot.final_url, Snapshot.http_status, Snapshot.fetched_at,
               Snapshot.sha256, Snapshot.size_bytes, Snapshot.source_name)
        .join(AdSnapshot, AdSnapshot.snapshot_id == Snapshot.id).where(AdSnapshot.ad_id == ad_id).order_by(Snapshot.id)
    ).all()
    claim = session.get(AdClaim, ad_id)
    if claim is not None and claim.expires_at <= utc_now():
        claim = None
    entry = session.get(QueueEntry, ad_id)
    full_text = AdText(ad_id=str(ad.id), title=ad.title or "", text=ad.text).full_text
    entities = asdict(extract_entities(normalise(full_text)))
    return AdDetailOut(
        id=ad.id, source=ad.source, source_ad_id=ad.source_ad_id, url=ad.url, title=ad.title, text=ad.text,
        posted_at=ad.posted_at, location=ad.location, first_seen_at=ad.first_seen_at, last_seen_at=ad.last_seen_at,
        score=None if score is None else {
            "model_version": score.model_version, "p_scam": score.p_scam, "p_trafficking": score.p_trafficking,
            "risk": score.risk, "top_features": score.top_features, "scored_at": score.scored_at.isoformat()},
        indicators=list(score.indicators) if score else [],
        entities=entities,
        snapshots=[SnapshotMetaOut(id=s.id, url=s.url, final_url=s.final_url, http_status=s.http_status,
                                   fetched_at=s.fetched_at, sha256=s.sha256, size_bytes=s.size_bytes,
                                   source_name=s.source_name) for s in snapshots],
        reviews=[review_out(r) for r in review_history(session, ad_id)],
        claim=claim_out(claim),
        queue_status=entry.status if entry else None,
    )
