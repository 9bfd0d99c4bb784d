"""Ads in the store: idempotent upsert from parsed posts, and reads with their latest score."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from model.records import AdText
from scraper.records import JobPost
from service.store.tables import Ad, AdSnapshot, ScoreRow
from service.store.types import utc_now

UpsertOutcome = Literal["new", "updated", "unchanged"]

# Heads the text OCR read from an ad's images inside the ad's full text, so analysts (and lead packages) see
# which words the poster said and which the post's own caption said.
POSTER_HEADING = "[Teks pada gambar (OCR)]"


def with_poster_text(text: str, ocr_text: str | None) -> str:
    """The ad's own text, then (when OCR read any) a heading line and the poster's text."""
    if not ocr_text or not ocr_text.strip():
        return text
    poster = f"{POSTER_HEADING}\n{ocr_text.strip()}"
    return f"{text}\n\n{poster}" if text.strip() else poster


def ad_text(ad: Any) -> AdText:
    """An ad (a row or any view with id, title, text and source; `ocr_text` if it has one) as the model reads it.

    `AdText.full_text` (the title, a newline, the text, then the poster's OCR text under `POSTER_HEADING`) is
    the one text every part of lokerwatch uses: indicator spans are offsets into it, and linking, entities and
    lead packages read exactly it. An ad whose caption is empty is judged on its poster's text alone.
    """
    text = with_poster_text(ad.text, getattr(ad, "ocr_text", None))
    return AdText(ad_id=str(ad.id), title=ad.title or "", text=text, source=ad.source)


def content_hash(title: str, text: str, ocr_text: str | None = None) -> str:
    """Hash of what the ad says (its poster's text included), ignoring whitespace and Unicode form, so reposts
    compare equal and a newly read poster counts as changed content (it is scored again)."""
    said = f"{title}\n{text}" + (f"\n{POSTER_HEADING}\n{ocr_text}" if ocr_text and ocr_text.strip() else "")
    folded = " ".join(unicodedata.normalize("NFKC", said).split()).casefold()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def upsert_job_post(session: Session, post: JobPost, snapshot_id: int | None,
                    seen_at: datetime | None = None) -> UpsertOutcome:
    """Insert a new ad or refresh a re-seen one; never creates a second row for (source, source_ad_id).

    A post that carries no poster text keeps the poster text stored earlier (its image is read once).
    """
    seen_at = seen_at or utc_now()
    ad = _find(session, post.source, post.source_ad_id)
    digest = content_hash(post.title, post.text, _poster_text(post, ad))
    outcome: UpsertOutcome
    if ad is None:
        ad = Ad(source=post.source, source_ad_id=post.source_ad_id, content_hash=digest,
                first_seen_at=seen_at, last_seen_at=seen_at)
        _copy_fields(ad, post)
        try:
            with session.begin_nested():  # another writer may insert the same ad concurrently
                session.add(ad)
                session.flush()
            outcome = "new"
        except IntegrityError:
            existing = _find(session, post.source, post.source_ad_id)
            if existing is None:
                raise
            ad = existing
            digest = content_hash(post.title, post.text, _poster_text(post, ad))
            outcome = _refresh(ad, post, digest, seen_at)
    else:
        outcome = _refresh(ad, post, digest, seen_at)
    if snapshot_id is not None:
        _link_snapshot(session, ad.id, snapshot_id, seen_at)
    if post.poster is not None:
        for image_snapshot_id in post.poster.snapshot_ids:  # the images the poster text was read from
            _link_snapshot(session, ad.id, image_snapshot_id, seen_at)
    return outcome


def _poster_text(post: JobPost, ad: Ad | None) -> str | None:
    """The poster text the ad has after this post: the post's reading, else what an earlier run read."""
    if post.poster is not None and post.poster.has_text:
        return post.poster.text
    return ad.ocr_text if ad is not None else None


def _find(session: Session, source: str, source_ad_id: str) -> Ad | None:
    return session.scalars(select(Ad).where(Ad.source == source, Ad.source_ad_id == source_ad_id)).first()


def _copy_fields(ad: Ad, post: JobPost) -> None:
    ad.url = post.url
    ad.title = post.title
    ad.text = post.text
    ad.posted_at = post.posted_at
    ad.location = post.location
    ad.salary_text = post.salary_text
    ad.author = post.author
    ad.contact_handles = list(post.contact_handles)
    ad.extra = dict(post.extra)
    if post.poster is not None and post.poster.has_text:
        ad.ocr_text = post.poster.text
        ad.ocr_confidence = post.poster.confidence
        ad.ocr_engine = post.poster.engine_version[:80]


def _refresh(ad: Ad, post: JobPost, digest: str, seen_at: datetime) -> UpsertOutcome:
    ad.last_seen_at = max(ad.last_seen_at, seen_at)
    if ad.content_hash == digest:
        return "updated" if _fill_missing_metadata(ad, post) else "unchanged"
    _copy_fields(ad, post)
    ad.content_hash = digest
    return "updated"


def _fill_missing_metadata(ad: Ad, post: JobPost) -> bool:
    """Same text seen on a richer page (e.g. an OLX detail page after its search listing): keep what it adds."""
    filled = False
    for name in ("url", "posted_at", "location", "salary_text", "author"):
        if getattr(ad, name) is None and getattr(post, name) is not None:
            setattr(ad, name, getattr(post, name))
            filled = True
    new_handles = [handle for handle in post.contact_handles if handle not in ad.contact_handles]
    if new_handles:
        ad.contact_handles = [*ad.contact_handles, *new_handles]
        filled = True
    return filled


def _link_snapshot(session: Session, ad_id: int, snapshot_id: int, seen_at: datetime) -> None:
    if session.get(AdSnapshot, (ad_id, snapshot_id)) is None:
        session.add(AdSnapshot(ad_id=ad_id, snapshot_id=snapshot_id, seen_at=seen_at))
        session.flush()


@dataclass(frozen=True)
class AdWithScore:
    ad: Ad
    score: ScoreRow | None
    snapshot_ids: list[int]


def latest_scores(session: Session, ad_ids: Sequence[int]) -> dict[int, ScoreRow]:
    """The most recent score of each ad (for its current content, whatever model gave it)."""
    if not ad_ids:
        return {}
    newest = (
        select(ScoreRow.ad_id, func.max(ScoreRow.id).label("score_id"))
        .join(Ad, (Ad.id == ScoreRow.ad_id) & (Ad.content_hash == ScoreRow.content_hash))
        .where(ScoreRow.ad_id.in_(ad_ids))
        .group_by(ScoreRow.ad_id)
        .subquery()
    )
    rows = session.scalars(select(ScoreRow).join(newest, ScoreRow.id == newest.c.score_id))
    return {row.ad_id: row for row in rows}


def ads_page(session: Session, after_id: int = 0, limit: int = 500) -> list[AdWithScore]:
    """Up to `limit` ads with id above `after_id`, in id order, each with its latest score and snapshots."""
    ads = list(session.scalars(select(Ad).where(Ad.id > after_id).order_by(Ad.id).limit(limit)))
    ids = [ad.id for ad in ads]
    scores = latest_scores(session, ids)
    links: dict[int, list[int]] = {}
    if ids:
        for ad_id, snapshot_id in session.execute(
            select(AdSnapshot.ad_id, AdSnapshot.snapshot_id).where(AdSnapshot.ad_id.in_(ids))
            .order_by(AdSnapshot.snapshot_id)
        ):
            links.setdefault(ad_id, []).append(snapshot_id)
    return [AdWithScore(ad, scores.get(ad.id), links.get(ad.id, [])) for ad in ads]


def iter_ads_with_scores(session: Session, batch_size: int = 500) -> Iterator[AdWithScore]:
    """Every stored ad in id order with its latest score, read in batches to bound memory."""
    last_id = 0
    while page := ads_page(session, last_id, batch_size):
        yield from page
        last_id = page[-1].ad.id


def count_ads(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Ad)) or 0
