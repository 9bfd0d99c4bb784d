"""API output models for linked ads and clusters (apart from the ORM tables)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class LinkReasonOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: Literal["phone", "email", "handle", "near_duplicate"] = Field(
        description="What the two ads share: a contact (phone in E.164, e-mail, handle) or near-duplicate text.")
    value: str | None = Field(default=None, description="The shared contact, canonical form.")
    similarity: float | None = Field(default=None, description="Estimated Jaccard similarity (MinHash) of the texts.")


class LinkedAdOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    source: str
    source_ad_id: str
    title: str
    url: str | None
    posted_at: datetime | None
    first_seen_at: datetime
    last_seen_at: datetime
    risk: float | None
    decision: str | None
    reasons: list[LinkReasonOut]


class RelatedOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    ad_id: int
    cluster_id: int | None
    related: list[LinkedAdOut]
    pending_links: int = Field(description="Ads stored but not linked yet (0 when the answer is complete).")


class SharedContactOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    value: str
    ads: int = Field(description="How many ads of the cluster state this contact.")


class TimelineEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    ad_id: int
    event: Literal["posted", "first_seen", "seen", "decision"]
    detail: str


class ClusterOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    ads: list[LinkedAdOut]
    contacts: list[SharedContactOut]
    sources: list[str]
    first_seen_at: datetime | None
    last_seen_at: datetime | None
    timeline: list[TimelineEventOut]
