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
from sqlalchemy import text as sql_text
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
    __table_args__ = (
        UniqueConstraint("source", "source_ad_id", name="uq_ads_source_ad"),
        # The ads waiting to be linked, so a scrape run's linking reads only what it added or changed (0007).
        Index("ix_ads_link_stale", "id", postgresql_where=sql_text("linked_content_hash IS DISTINCT FROM content_hash"),
              sqlite_where=sql_text("linked_content_hash IS NOT content_hash")),
        # The ads waiting for a score: new, or edited since they were last scored (0008, service.scoring.pending).
        Index("ix_ads_score_stale", "id",
              postgresql_where=sql_text("scored_content_hash IS DISTINCT FROM content_hash"),
              sqlite_where=sql_text("scored_content_hash IS NOT content_hash")),
    )

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
    # What OCR read from the ad's attached images (scraper.posters), kept apart from the ad's own text; the
    # image snapshots are linked like pages. None when the ad has no readable image.
    ocr_text: Mapped[str | None] = mapped_column(Text)
    ocr_confidence: Mapped[float | None] = mapped_column(Float)
    ocr_engine: Mapped[str | None] = mapped_column(String(80))
    # The content version the linker last linked (None: never); a different `content_hash` means link it again.
    linked_content_hash: Mapped[str | None] = mapped_column(String(64))
    # The content version last scored (None: never), by whichever model scored it; see service.scoring.pending.
    scored_content_hash: Mapped[str | None] = mapped_column(String(64))

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
    # Added in 0004: the entities the desk shows, found when the ad was scored (None on older rows).
    entities: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # Added in 0005: the likeliest modus and its probability (None from rules-0 and on older rows), and the
    # deciding facts (`model.records.Score.facts`, spans into the full text; None on older rows).
    modus: Mapped[str | None] = mapped_column(String(60), nullable=True)
    modus_probability: Mapped[float | None] = mapped_column(Float, nullable=True)
    facts: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
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
    # Added in 0002: the review this one replaces (history is kept, the newest stands).
    supersedes_id: Mapped[int | None] = mapped_column(BigId)


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


# --- Linked ads, leads for police, research exports (issue 5b; migration 0003) ---


class AdContact(Base):
    """A contact an ad states (canonical: E.164 phone, lowercase e-mail or handle), indexed to find shared ones.

    Contacts of earlier versions of an ad are kept: a recruiter who changes numbers is still one footprint.
    """

    __tablename__ = "ad_contacts"
    __table_args__ = (
        UniqueConstraint("ad_id", "kind", "value", name="uq_ad_contacts_ad_kind_value"),
        Index("ix_ad_contacts_kind_value", "kind", "value"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ad_id: Mapped[int] = mapped_column(ForeignKey("ads.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(320))
    text: Mapped[str] = mapped_column(Text)
    found_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AdLinkState(Base):
    """Which content of an ad linking has seen, its MinHash signature, and the cluster it belongs to."""

    __tablename__ = "ad_link_state"

    ad_id: Mapped[int] = mapped_column(ForeignKey("ads.id"), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id"), index=True)
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AdMinhashBand(Base):
    """One LSH band key of an ad's MinHash (the band is hashed into the key): ads sharing a key are candidates."""

    __tablename__ = "ad_minhash_bands"
    __table_args__ = (Index("ix_ad_minhash_bands_key", "key"),)

    ad_id: Mapped[int] = mapped_column(ForeignKey("ads.id"), primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[int] = mapped_column(BigInteger)


class NearDuplicate(Base):
    """Two ads whose texts are near-duplicates (a repost); stored once with `ad_id < other_ad_id`."""

    __tablename__ = "ad_near_duplicates"

    ad_id: Mapped[int] = mapped_column(ForeignKey("ads.id"), primary_key=True)
    other_ad_id: Mapped[int] = mapped_column(ForeignKey("ads.id"), primary_key=True, index=True)
    similarity: Mapped[float] = mapped_column(Float)
    found_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Cluster(Base):
    """Ads linked by shared contacts or reposts: one recruiter's footprint. Merged clusters keep a pointer."""

    __tablename__ = "clusters"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    merged_into: Mapped[int | None] = mapped_column(BigInteger)


class Lead(Base):
    """Confirmed ads handed to one police unit; only that unit's police may read or update it."""

    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    unit: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class LeadAd(Base):
    """An ad that is part of a lead."""

    __tablename__ = "lead_ads"

    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), primary_key=True)
    ad_id: Mapped[int] = mapped_column(ForeignKey("ads.id"), primary_key=True, index=True)


class LeadEvent(Base):
    """Append-only history of a lead: created, then received / in progress / closed with notes."""

    __tablename__ = "lead_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")


class LeadExport(Base):
    """One case package built for a lead: who took it, when, and the SHA-256 of the ZIP handed over."""

    __tablename__ = "lead_exports"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    exported_by: Mapped[str] = mapped_column(String(100))
    exported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    package_sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)


class ResearchExport(Base):
    """One pseudonymised research export: who took it, when, how many records, and its SHA-256."""

    __tablename__ = "research_exports"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    exported_by: Mapped[str] = mapped_column(String(100))
    exported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    records: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))


# --- Review desk (issue 5a, migration 0002): users, tokens, log-in throttling, queue, claims ---


class User(Base):
    """A person at the desk; `unit` is set for police users (the PPA unit whose leads they see)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str | None] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ApiToken(Base):
    """A long-lived token for scripts; only its SHA-256 is stored, the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class LoginAttempt(Base):
    """One log-in attempt; counted per account and per address so throttling holds across workers."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_client_at", "client_addr", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(100))
    client_addr: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)


class QueueEntry(Base):
    """An ad whose latest score is at or over the review threshold, denormalised for fast ordering."""

    __tablename__ = "queue_entries"
    __table_args__ = (
        Index("ix_queue_order", "in_queue", "kind_rank", "risk", "ad_id"),
        Index("ix_queue_status", "status"),
        Index("ix_queue_counts", "in_queue", "status", "kind"),  # covers the counts of /queue/stats
        Index("ix_queue_modus", "modus", "in_queue", "kind_rank", "risk", "ad_id"),  # the modus filter, in order
    )

    ad_id: Mapped[int] = mapped_column(ForeignKey("ads.id"), primary_key=True)
    score_id: Mapped[int] = mapped_column(BigId)
    risk: Mapped[float] = mapped_column(Float)
    p_scam: Mapped[float] = mapped_column(Float)
    p_trafficking: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(20))  # trafficking | scam: which risk dominates
    kind_rank: Mapped[int] = mapped_column(Integer)  # 1 trafficking, 0 scam: trafficking is reviewed first
    status: Mapped[str] = mapped_column(String(20))  # open | need_info | decided
    in_queue: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(40))
    location: Mapped[str | None] = mapped_column(Text)
    # The score's modus when its risk is at or over the review threshold (the desk shows none below it).
    modus: Mapped[str | None] = mapped_column(String(60))
    cluster_id: Mapped[int | None] = mapped_column(BigId)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    entered_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Names again here (queue_indicators is for filtering) so a page is read in one query.
    indicator_names: Mapped[list[Any]] = mapped_column(JSON, default=list)


class QueueIndicator(Base):
    """Indicator names of a queued ad, with the entry's place in queue order, so the queue filtered by a red flag
    is read from one index in order (0009): walking the whole queue and probing each entry took 80-190 ms for a
    rare flag at 1,000,000 ads. Only entries in the queue have rows (a decision removes them, a reopening or a
    new score writes them again), so the walk never passes over the decided ads at the top of the queue."""

    __tablename__ = "queue_indicators"
    __table_args__ = (Index("ix_queue_indicators_order", "name", "kind_rank", "risk", "ad_id"),)

    ad_id: Mapped[int] = mapped_column(ForeignKey("ads.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind_rank: Mapped[int] = mapped_column(Integer)
    risk: Mapped[float] = mapped_column(Float)


class AdClaim(Base):
    """An analyst's lease on an ad: while it lasts, nobody else reviews that ad."""

    __tablename__ = "ad_claims"

    ad_id: Mapped[int] = mapped_column(ForeignKey("ads.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(100))
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
