"""The API's inputs and its envelopes (pages with cursors, tokens, counts), apart from the ORM tables.

Shapes the core already defines (an ad, its detail, a score, a review, a claim, related ads, a cluster)
are answered as those dataclasses (service.review.views, service.review.ad_detail, service.links.views):
one definition per shape, documented in the OpenAPI schema from there.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from fastapi import Path, Query
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from service.review.ad_records import AdRecord
from service.review.views import ClaimView

# Ids are 64-bit in the store, but a JSON number past 2**53 is not exact in JavaScript clients or in
# validators that read the schema's bounds as floats: ids stay below it, and larger input is refused.
MAX_ID = 2**53 - 1
AdId = Annotated[int, Path(ge=1, le=MAX_ID, description="An ad's id")]
TokenId = Annotated[int, Path(ge=1, le=MAX_ID, description="An API token's id")]
LeadId = Annotated[int, Path(ge=1, le=MAX_ID, description="A lead's id")]
ClusterId = Annotated[int, Path(ge=1, le=MAX_ID, description="A cluster's id")]
AfterId = Annotated[int, Query(ge=0, le=MAX_ID, description="Cursor: the last id of the previous page")]

# RFC 3339, as `format: date-time` promises: pydantic alone would also take a bare number (seconds since
# 1970), a date without a time, or a time without a zone.
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _rfc3339_text(value: object) -> object:
    if isinstance(value, str) and not _RFC3339.fullmatch(value):
        raise ValueError("expected a date-time with its zone, e.g. 2026-11-01T08:00:00+07:00")
    return value


ZonedDateTime = Annotated[datetime, BeforeValidator(_rfc3339_text)]


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.")


class MeOut(BaseModel):
    id: int
    username: str
    role: str
    unit: str | None
    via: str


class ApiTokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100, description="What the token is for, e.g. 'nightly export'.")
    days: int | None = Field(default=None, ge=1, le=3650, description="Lifetime in days (none: until revoked).")


class ApiTokenOut(BaseModel):
    id: int
    name: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class NewApiTokenOut(ApiTokenOut):
    token: str = Field(description="Shown once; only its hash is stored.")


class QueueItemOut(BaseModel):
    ad_id: int
    title: str
    snippet: str
    source: str
    location: str | None
    modus: str | None
    kind: str
    risk: float
    p_scam: float
    p_trafficking: float
    indicators: list[str]
    status: str
    cluster_id: int | None
    seen_at: datetime
    claim: ClaimView | None


class QueuePage(BaseModel):
    items: list[QueueItemOut]
    next_cursor: str | None


Decision = Literal["trafficking", "scam", "benign", "need_info"]


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Decision
    note: str = Field(default="", max_length=10_000)


class ReopenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field(min_length=1, max_length=10_000, description="Why the ad goes back to the queue.")


class QueueCountsOut(BaseModel):
    open: int
    need_info: int
    claimed: int
    decided: int
    by_kind: dict[str, int]


class ThroughputRow(BaseModel):
    day: str
    reviewer: str
    decisions: int


class QueueStatsOut(BaseModel):
    counts: QueueCountsOut
    throughput: list[ThroughputRow]


class TextIntakeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=100_000)
    title: str = Field(default="", max_length=1_000)
    source: str = Field(default="manual", min_length=1, max_length=40, pattern=r"^[a-z0-9_.:-]+$")
    url: str | None = Field(default=None, max_length=2_000, description="Where the analyst saw it (not fetched).")
    location: str | None = Field(default=None, max_length=500)


class UrlIntakeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(min_length=1, max_length=2_000)


class IntakeOut(BaseModel):
    ad_id: int
    outcome: str
    snapshot_id: int | None
    risk: float | None
    in_queue: bool


class AuditVerifyOut(BaseModel):
    ok: bool
    entries: int
    head_id: int | None
    recorded_head_id: int | None
    problems: list[str]


class AdPage(BaseModel):
    items: list[AdRecord]
    next_cursor: int | None


class LeadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit: str = Field(min_length=1, max_length=200, description='The police unit, e.g. "PPA Polres Singkawang".')
    ad_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        min_length=1, max_length=500, description="Ads whose latest decision is trafficking or scam.")
    title: str = Field(default="", max_length=300)
    note: str = Field(default="", max_length=10_000)


class LeadStatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["received", "in_progress", "closed"]
    note: str = Field(default="", max_length=10_000)


class LeadEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    actor: str
    status: str
    note: str


class LeadOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    unit: str
    title: str
    note: str
    status: str
    created_by: str
    created_at: datetime
    updated_at: datetime


class LeadDetailOut(LeadOut):
    ad_ids: list[int]
    history: list[LeadEventOut]


class LeadPage(BaseModel):
    items: list[LeadOut]
    next_cursor: int | None
