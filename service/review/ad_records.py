"""Stored ads with their latest score, one record each: what `GET /ads` lists and `lokerwatch ads export` writes."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from service.audit import AuditedSession
from service.review.views import AdFacts, ScoreView, score_view
from service.store.ads import AdWithScore, ads_page


@dataclass
class AdRecord(AdFacts):
    """An ad as exports and the ad listing give it: its facts, contacts, evidence and latest score."""

    salary_text: str | None
    contact_handles: list[Any]
    content_hash: str
    snapshot_ids: list[int]
    score: ScoreView | None
    ocr_text: str | None = None  # what OCR read on the ad's poster (kept apart from `text`), None without one
    ocr_confidence: float | None = None  # its mean word confidence, 0-1


@dataclass(frozen=True)
class AdsPage:
    items: list[AdRecord]
    next_cursor: int | None


def ad_record(item: AdWithScore) -> AdRecord:
    ad, score = item.ad, item.score
    return AdRecord(
        id=ad.id, source=ad.source, source_ad_id=ad.source_ad_id, url=ad.url, title=ad.title, text=ad.text,
        posted_at=ad.posted_at, location=ad.location, first_seen_at=ad.first_seen_at, last_seen_at=ad.last_seen_at,
        salary_text=ad.salary_text, contact_handles=list(ad.contact_handles or []), content_hash=ad.content_hash,
        snapshot_ids=item.snapshot_ids, score=score_view(score) if score else None,
        ocr_text=ad.ocr_text, ocr_confidence=ad.ocr_confidence,
    )


def record_json(record: AdRecord) -> str:
    """One line of a JSONL export (times in UTC ISO-8601)."""
    return json.dumps(asdict(record), ensure_ascii=False, default=_iso)


def _iso(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def list_ads(desk: AuditedSession, after_id: int, limit: int) -> AdsPage:
    """Up to `limit` ads after `after_id` in id order, audited (the ids listed go into the entry)."""
    items = [ad_record(item) for item in ads_page(desk.session, after_id, limit)]
    desk.audit("ads.list", "ad", None, {"ad_ids": [item.id for item in items]})
    return AdsPage(items, items[-1].id if len(items) == limit else None)
