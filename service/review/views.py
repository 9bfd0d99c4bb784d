"""The shapes of ads, scores, reviews and claims as people and clients see them: one definition each.

The API answers with these dataclasses as they are (FastAPI documents them from here), the desk's pages
render them and the CLI writes them as JSON, so a field is added once and appears everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.store.tables import AdClaim, Review, ScoreRow


@dataclass
class AdFacts:
    """What an ad says and when it was seen; every view of an ad starts from these."""

    id: int
    source: str
    source_ad_id: str
    url: str | None
    title: str
    text: str
    posted_at: datetime | None
    location: str | None
    first_seen_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True)
class ScoreSummary:
    """A model's verdict on an ad's current text (its red flags are listed beside it)."""

    model_version: str
    p_scam: float
    p_trafficking: float
    risk: float
    top_features: list[Any]
    scored_at: datetime
    # The likeliest modus the model names (None from rules-0 and on scores stored before 0005) and its probability.
    modus: str | None
    modus_probability: float | None


@dataclass(frozen=True)
class ScoreView(ScoreSummary):
    """A verdict with its red flags and deciding facts (None on scores stored before 0005); each span's
    `start`/`end` are offsets into the ad's full text (`model.records.AdText.full_text`: the title, a newline,
    then the text; just the text without a title)."""

    indicators: list[dict[str, Any]]
    facts: list[dict[str, Any]] | None


def score_summary(row: ScoreRow) -> ScoreSummary:
    return ScoreSummary(row.model_version, row.p_scam, row.p_trafficking, row.risk, list(row.top_features),
                        row.scored_at, row.modus, row.modus_probability)


def score_view(row: ScoreRow) -> ScoreView:
    return ScoreView(row.model_version, row.p_scam, row.p_trafficking, row.risk, list(row.top_features),
                     row.scored_at, row.modus, row.modus_probability, list(row.indicators or []),
                     list(row.facts) if row.facts is not None else None)


@dataclass(frozen=True)
class ReviewView:
    id: int
    ad_id: int
    reviewer: str
    decision: str
    note: str
    created_at: datetime
    supersedes_id: int | None


def review_view(review: Review) -> ReviewView:
    return ReviewView(id=review.id, ad_id=review.ad_id, reviewer=review.reviewer, decision=review.decision,
                      note=review.note, created_at=review.created_at, supersedes_id=review.supersedes_id)


@dataclass(frozen=True)
class ClaimView:
    """Who holds an ad, and until when (a lease: nobody else reviews it meanwhile)."""

    ad_id: int
    username: str
    claimed_at: datetime
    expires_at: datetime


def claim_view(claim: AdClaim) -> ClaimView:
    return ClaimView(claim.ad_id, claim.username, claim.claimed_at, claim.expires_at)


@dataclass(frozen=True)
class SnapshotMeta:
    """A stored page's metadata; its bytes stay in the store (the evidence is read through the desk or a WARC)."""

    id: int
    url: str
    final_url: str
    http_status: int
    fetched_at: datetime
    sha256: str
    size_bytes: int
    source_name: str | None
