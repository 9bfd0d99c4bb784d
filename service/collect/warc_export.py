"""Stored snapshots out to a WARC file plus a SHA-256 manifest (the evidence hand-over format).

Both files are written under temporary names beside their targets and renamed only once every snapshot
has passed its hash check, so a refused export leaves nothing behind: no partial WARC that could be
handed over by mistake, and no earlier export overwritten.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

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
    manifest_path = Path(f"{output}.manifest.jsonl")
    if not output.parent.is_dir():
        raise LokerwatchError(f"{output.parent} is not a folder; nothing was exported")
    with _part_beside(output) as warc_part, _part_beside(manifest_path) as manifest_part:
        with session_factory() as session, warc_part.open("wb") as warc:
            entries = write_warc(_pages(session, source_name, snapshot_ids), warc, gzip=output.suffix == ".gz")
            _sync(warc)
        with manifest_part.open("w", encoding="utf-8") as manifest:
            write_manifest(entries, manifest)
            _sync(manifest)
        os.replace(warc_part, output)  # the WARC first: a manifest never names a file that is not there
        os.replace(manifest_part, manifest_path)
    return entries


@contextmanager
def _part_beside(target: Path) -> Iterator[Path]:
    """A new file in `target`'s folder (so renaming it into place is atomic), removed unless it was renamed."""
    descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(descriptor)
    part = Path(name)
    try:
        yield part
    finally:
        part.unlink(missing_ok=True)


def _sync(handle: IO[Any]) -> None:
    """On disk before the rename, so a crash cannot leave a complete-looking name over missing bytes."""
    handle.flush()
    os.fsync(handle.fileno())


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
            raise LokerwatchError(f"snapshot {snapshot.id} no longer matches its SHA-256 (altered since it was "
                                  "stored); nothing was exported") from exc
        yield snapshot.id, page
