"""ORM tables. Alembic migrations (service/store/migrations) are the only way the schema is created."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from service.store.types import UtcDateTime

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Source(Base):
    """A configured place ads come from; schedules are plain data here (no pickled job store)."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    interval_seconds: Mapped[int | None] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    cursor: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Snapshot(Base):
    """A fetched page (or imported file) kept byte for byte as evidence."""

    __tablename__ = "snapshots"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text)
    http_status: Mapped[int] = mapped_column(Integer)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    body_zlib: Mapped[bytes] = mapped_column(LargeBinary)
    fetcher_version: Mapped[str] = mapped_column(String(40))
    source_name: Mapped[str | None] = mapped_column(String(100))


class ParseError(Base):
    """A snapshot that did not parse: kept with the reason so nothing is silently lost."""

    __tablename__ = "parse_errors"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshots.id"), index=True)
    source_name: Mapped[str | None] = mapped_column(String(100))
    parser: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ScrapeRun(Base):
    """One run of one source: what it fetched and found, for the summary and for monitoring."""

    __tablename__ = "scrape_runs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_name: Mapped[str] = mapped_column(String(100), index=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(20), default="running")
    pages: Mapped[int] = mapped_column(Integer, default=0)
    new_ads: Mapped[int] = mapped_column(Integer, default=0)
    updated_ads: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)


class Ad(Base):
    """One job ad, unique per (source, source_ad_id); re-seen ads update `last_seen_at`."""

    __tablename__ = "ads"
    __table_args__ = (UniqueConstraint("source", "source_ad_id", name="uq_ads_source_ad"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source: Mapped[str] = mapped_column(String(40), index=True)
    source_ad_id: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    posted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    location: Mapped[str | None] = mapped_column(Text)
    salary_text: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    contact_handles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())

    snapshot_links: Mapped[list[AdSnapshot]] = relationship(back_populates="ad", cascade="all, delete-orphan")


class AdSnapshot(Base):
    """Which snapshot(s) an ad was seen in: every stored ad traces back to evidence."""

    __tablename__ = "ad_snapshots"

    ad_id: Mapped[int] = mapped_column(ForeignKey("ads.id"), primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshots.id"), primary_key=True, index=True)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime())

    ad: Mapped[Ad] = relationship(back_populates="snapshot_links")


class ScoreRow(Base):
    """A model's verdict on one version of an ad's content."""

    __tablename__ = "scores"
    __table_args__ = (
        UniqueConstraint("ad_id", "model_version", "content_hash", name="uq_scores_ad_model_content"),
        Index("ix_scores_risk", "risk"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ad_id: Mapped[int] = mapped_column(ForeignKey("ads.id"), index=True)
    model_version: Mapped[str] = mapped_column(String(100))
    content_hash: Mapped[str] = mapped_column(String(64))
    p_scam: Mapped[float] = mapped_column(Float)
    p_trafficking: Mapped[float] = mapped_column(Float)
    risk: Mapped[float] = mapped_column(Float)
    indicators: Mapped[list[Any]] = mapped_column(JSON, default=list)
    top_features: Mapped[list[Any]] = mapped_column(JSON, default=list)
    scored_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Review(Base):
    """An analyst's decision on an ad; append-only, the latest one stands."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ad_id: Mapped[int] = mapped_column(ForeignKey("ads.id"), index=True)
    reviewer: Mapped[str] = mapped_column(String(100))
    decision: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class AuditEntry(Base):
    """Append-only audit log; each entry's hash chains to the previous one."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(100))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


class AppState(Base):
    """Small named values the whole deployment shares (active model version, leader lease)."""

    __tablename__ = "app_state"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
