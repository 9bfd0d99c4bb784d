"""Stored snapshots out to a WARC file plus a SHA-256 manifest (the evidence hand-over format)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from scraper.records import RawPage
from scraper.warc import ManifestEntry, write_manifest, write_warc
from service.errors import LokerwatchError
from service.store.evidence import snapshot_body
from service.store.tables import Snapshot


def export_warc(session_factory: Callable[[], Session], output: Path, source_name: str | None = None,
                snapshot_ids: list[int] | None = None) -> list[ManifestEntry]:
    """Write the chosen snapshots to `output` (.warc.gz) and `<output>.manifest.jsonl`; refuses altered ones."""
    with session_factory() as session, output.open("wb") as handle:
        entries = write_warc(_pages(session, source_name, snapshot_ids), handle, gzip=output.suffix == ".gz")
    with Path(f"{output}.manifest.jsonl").open("w", encoding="utf-8") as manifest:
        write_manifest(entries, manifest)
    return entries


def _pages(session: Session, source_name: str | None, snapshot_ids: list[int] | None) -> Iterator[tuple[int, RawPage]]:
    query = select(Snapshot).order_by(Snapshot.id)
    if source_name:
        query = query.where(Snapshot.source_name == source_name)
    if snapshot_ids:
        query = query.where(Snapshot.id.in_(snapshot_ids))
    for snapshot in session.scalars(query.execution_options(yield_per=50)):
        body = snapshot_body(snapshot)
        try:
            page = RawPage(url=snapshot.url, final_url=snapshot.final_url, status=snapshot.http_status,
                           headers=dict(snapshot.headers or {}), body=body, fetched_at=snapshot.fetched_at,
                           fetcher_version=snapshot.fetcher_version, sha256=snapshot.sha256)
        except ValueError as exc:  # RawPage re-hashes the body: an altered snapshot cannot be exported as evidence
            raise LokerwatchError(f"snapshot {snapshot.id} no longer matches its SHA-256; not exported") from exc
        yield snapshot.id, page
