"""Everything an analyst needs to judge one ad: text, score, red flags and deciding facts with spans, the legal
checklist of an overseas ad, entities, evidence, history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit import AuditedSession
from service.errors import NotFoundError
from service.review.decisions import review_history
from service.review.legal_view import RequirementView, legal_checklist
from service.review.views import (
    AdFacts,
    ClaimView,
    ReviewView,
    ScoreSummary,
    SnapshotMeta,
    claim_view,
    review_view,
    score_summary,
)
from service.scoring.entities import stored_or_found_entities
from service.scoring.facts import stored_or_found_facts
from service.store.ads import ad_text
from service.store.tables import Ad, AdClaim, AdSnapshot, QueueEntry, ScoreRow, Snapshot
from service.store.types import utc_now


@dataclass
class AdDetail(AdFacts):
    """One ad with its latest score, red flags and entities, evidence snapshots, decisions and claim.

    `indicators` are the red flags of the latest score and `facts` its deciding facts (`model.facts.Fact` as
    JSON: kind, value, effect, text, negated), both with `start`/`end` offsets into the ad's full text
    (`model.records.AdText.full_text`: the title, a newline, the text, then any poster text). `checklist` is the legal
    checklist of an overseas ad (empty for a local one).
    """

    score: ScoreSummary | None
    indicators: list[dict[str, Any]]
    entities: dict[str, Any]
    snapshots: list[SnapshotMeta]
    reviews: list[ReviewView]
    claim: ClaimView | None
    queue_status: str | None
    facts: list[dict[str, Any]]
    checklist: list[RequirementView]
    ocr_text: str | None = None  # what OCR read on the poster; part of `full_text`, after the caption
    ocr_confidence: float | None = None  # its mean word confidence, 0-1

    @property
    def full_text(self) -> str:
        return ad_text(self).full_text


def ad_detail(session: Session, ad_id: int) -> AdDetail:
    """The detail view; raises NotFoundError."""
    # The ad with its claim and queue status in one statement: every round trip costs the desk a few ms of CPU.
    found = session.execute(select(Ad, AdClaim, QueueEntry.status).outerjoin(AdClaim, AdClaim.ad_id == Ad.id)
                            .outerjoin(QueueEntry, QueueEntry.ad_id == Ad.id).where(Ad.id == ad_id)).first()
    if found is None:
        raise NotFoundError(f"no ad {ad_id}")
    ad, held, queue_status = found
    claim: AdClaim | None = held if held is not None and held.expires_at > utc_now() else None
    score = session.scalars(  # the newest score of the ad's current text (index on ad_id, id)
        select(ScoreRow).where(ScoreRow.ad_id == ad_id, ScoreRow.content_hash == ad.content_hash)
        .order_by(ScoreRow.id.desc()).limit(1)).first()
    snapshots = session.execute(  # metadata only: the bodies stay in the store
        select(Snapshot.id, Snapshot.url, Snapshot.final_url, Snapshot.http_status, Snapshot.fetched_at,
               Snapshot.sha256, Snapshot.size_bytes, Snapshot.source_name)
        .join(AdSnapshot, AdSnapshot.snapshot_id == Snapshot.id).where(AdSnapshot.ad_id == ad_id).order_by(Snapshot.id)
    ).all()
    facts = stored_or_found_facts(score, ad)
    return AdDetail(
        id=ad.id, source=ad.source, source_ad_id=ad.source_ad_id, url=ad.url, title=ad.title, text=ad.text,
        posted_at=ad.posted_at, location=ad.location, first_seen_at=ad.first_seen_at, last_seen_at=ad.last_seen_at,
        score=score_summary(score) if score else None,
        indicators=list(score.indicators) if score else [],
        entities=stored_or_found_entities(score, ad),
        snapshots=[SnapshotMeta(*row) for row in snapshots],
        reviews=[review_view(r) for r in review_history(session, ad_id)],
        claim=claim_view(claim) if claim else None,
        queue_status=queue_status,
        facts=facts,
        checklist=legal_checklist(facts),
        ocr_text=ad.ocr_text, ocr_confidence=ad.ocr_confidence,
    )


def read_ad(desk: AuditedSession, ad_id: int) -> AdDetail:
    """The detail view of one ad, audited as a read of case data."""
    detail = ad_detail(desk.session, ad_id)
    desk.audit("ad.read", "ad", ad_id)
    return detail
