"""Seed data for the 5b tests: real captured pages stored as snapshots, ads seen in them, decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from scraper.records import JobPost, RawPage
from service.store.ads import upsert_job_post
from service.store.evidence import store_snapshot
from service.store.tables import Ad, Review
from service.store.types import utc_now

CAPTURED = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


def store_real_page(session: Session, fixture: Path, url: str, headers: dict[str, str] | None = None,
                    captured: datetime = CAPTURED) -> int:
    """Store a real captured page's exact bytes as a snapshot; returns its id."""
    page = RawPage(url=url, final_url=url, status=200, body=fixture.read_bytes(), fetched_at=captured,
                   headers=headers or {"Content-Type": "text/html; charset=utf-8", "Server": "nginx"},
                   fetcher_version="lokerwatch-test/1")
    return store_snapshot(session, page, source_name="telegram").id


def add_ad(session: Session, source_ad_id: str, text: str, snapshot_id: int | None = None, source: str = "telegram",
           title: str = "", seen: datetime = CAPTURED, **fields: object) -> Ad:
    post = JobPost(source=source, source_ad_id=source_ad_id, text=text, title=title,
                   url=f"https://t.me/s/lokerkerja/{source_ad_id}", **fields)  # type: ignore[arg-type]
    upsert_job_post(session, post, snapshot_id, seen)
    ad = session.query(Ad).filter_by(source=source, source_ad_id=source_ad_id).one()
    return ad


def decide(session: Session, ad: Ad, decision: str, note: str = "", reviewer: str = "analis1",
           at: datetime | None = None) -> Review:
    """Append a decision the way the desk stores them (append-only; the newest stands)."""
    review = Review(ad_id=ad.id, reviewer=reviewer, decision=decision, note=note,
                    created_at=at or utc_now() + timedelta(microseconds=ad.id))
    session.add(review)
    session.flush()
    return review
