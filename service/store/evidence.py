"""Evidence snapshots: raw bytes kept compressed, identified and re-checked by SHA-256."""

from __future__ import annotations

import zlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from scraper.records import RawPage, sha256_hex
from service.store.tables import Snapshot

# Headers worth keeping as evidence; cookies and the like are left out on purpose.
KEPT_HEADERS = frozenset({
    "content-type", "content-length", "content-encoding", "content-language", "date", "last-modified",
    "etag", "server", "location", "cache-control", "expires", "x-robots-tag", "retry-after",
})


def select_headers(headers: dict[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items() if name.lower() in KEPT_HEADERS}


def store_snapshot(session: Session, page: RawPage, source_name: str | None = None) -> Snapshot:
    """Add one page to the session (flushed, so it has an id); the caller commits."""
    snapshot = Snapshot(
        url=page.url,
        final_url=page.final_url,
        http_status=page.status,
        headers=select_headers(page.headers),
        fetched_at=page.fetched_at,
        sha256=page.sha256,
        size_bytes=len(page.body),
        body_zlib=zlib.compress(page.body, level=6),
        fetcher_version=page.fetcher_version,
        source_name=source_name,
    )
    session.add(snapshot)
    session.flush()
    return snapshot


def snapshot_body(snapshot: Snapshot) -> bytes:
    return zlib.decompress(snapshot.body_zlib)


def snapshot_is_intact(snapshot: Snapshot) -> bool:
    """True when the stored bytes still hash to the SHA-256 recorded at capture time."""
    return sha256_hex(snapshot_body(snapshot)) == snapshot.sha256


def find_corrupt_snapshots(session: Session) -> list[int]:
    """Ids of snapshots whose bytes no longer match their hash (evidence that was altered)."""
    return [snap.id for snap in session.scalars(select(Snapshot).order_by(Snapshot.id)) if not snapshot_is_intact(snap)]

