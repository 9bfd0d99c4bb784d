"""API input/output models for police leads (apart from the ORM tables)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class LeadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit: str = Field(min_length=1, max_length=200, description='The police unit, e.g. "PPA Polres Singkawang".')
    ad_ids: list[int] = Field(min_length=1, max_length=500, description="Ads whose latest decision is "
                              "trafficking or scam.")
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
