"""Turn stored ads (with their latest score) into the plain dicts that exports and the API share."""

from __future__ import annotations

from typing import Any

from service.store.ads import AdWithScore


def ad_record(item: AdWithScore) -> dict[str, Any]:
    ad, score = item.ad, item.score
    return {
        "id": ad.id,
        "source": ad.source,
        "source_ad_id": ad.source_ad_id,
        "url": ad.url,
        "title": ad.title,
        "text": ad.text,
        "posted_at": ad.posted_at.isoformat() if ad.posted_at else None,
        "location": ad.location,
        "salary_text": ad.salary_text,
        "contact_handles": ad.contact_handles,
        "content_hash": ad.content_hash,
        "first_seen_at": ad.first_seen_at.isoformat(),
        "last_seen_at": ad.last_seen_at.isoformat(),
        "snapshot_ids": item.snapshot_ids,
        "score": None if score is None else {
            "model_version": score.model_version,
            "p_scam": score.p_scam,
            "p_trafficking": score.p_trafficking,
            "risk": score.risk,
            "indicators": score.indicators,
            "top_features": score.top_features,
            "scored_at": score.scored_at.isoformat(),
        },
    }
