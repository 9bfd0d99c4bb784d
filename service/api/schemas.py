"""API input/output models, kept apart from the ORM tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class ScoreOut(BaseModel):
    model_version: str
    p_scam: float
    p_trafficking: float
    risk: float
    indicators: list[dict[str, Any]]
    top_features: list[Any]
    scored_at: datetime


class AdOut(BaseModel):
    id: int
    source: str
    source_ad_id: str
    url: str | None
    title: str
    text: str
    posted_at: datetime | None
    location: str | None
    salary_text: str | None
    contact_handles: list[Any]
    content_hash: str
    first_seen_at: datetime
    last_seen_at: datetime
    snapshot_ids: list[int]
    score: ScoreOut | None


class AdPage(BaseModel):
    items: list[AdOut]
    next_cursor: int | None
