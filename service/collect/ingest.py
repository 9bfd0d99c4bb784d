"""Ingest ads from a labelled-data JSONL file: the file itself is kept as an evidence snapshot."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from model.labelled import LabelledAd, LabelledDataError, read_labelled_jsonl
from scraper.records import JobPost, RawPage
from service.errors import InputFileError
from service.store.ads import upsert_job_post
from service.store.evidence import store_snapshot
from service.store.types import utc_now

FILE_IMPORTER_VERSION = "lokerwatch-file-import/1"


@dataclass(frozen=True)
class IngestSummary:
    new: int
    updated: int
    unchanged: int
    snapshot_id: int

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged


def _as_job_post(record: LabelledAd) -> JobPost:
    extra = {"label": record.label, "modus": record.modus, "lang": record.lang, "notes": record.notes}
    return JobPost(source=record.source, source_ad_id=record.id, title=record.title, text=record.text,
                   extra={key: value for key, value in extra.items() if value is not None})


def read_whole_file(path: Path) -> list[LabelledAd]:
    """All records, or an InputFileError naming the first bad line: nothing is half-ingested."""
    if not path.is_file():
        raise InputFileError(f"{path}: no such file; give the path of a labelled-data JSONL file")
    try:
        records = list(read_labelled_jsonl(path))
    except LabelledDataError as exc:
        raise InputFileError(f"{exc} (fix that line and run the command again; nothing was stored)") from exc
    duplicates = [key for key, count in Counter((r.source, r.id) for r in records).items() if count > 1]
    if duplicates:
        source, ad_id = duplicates[0]
        raise InputFileError(f"{path}: id {ad_id!r} of source {source!r} appears more than once; ids must be unique")
    return records


def ingest_jsonl(session_factory: Callable[[], Session], path: Path,
                 progress: Callable[[int], None] | None = None) -> IngestSummary:
    """Store every ad of `path` in one transaction, linked to a snapshot of the file's exact bytes."""
    records = read_whole_file(path)
    page = RawPage(url=path.resolve().as_uri(), final_url=path.resolve().as_uri(), status=200,
                   headers={"content-type": "application/x-ndjson"}, body=path.read_bytes(),
                   fetched_at=utc_now(), fetcher_version=FILE_IMPORTER_VERSION)
    outcomes: Counter[str] = Counter()
    with session_factory() as session, session.begin():
        snapshot = store_snapshot(session, page, source_name="file-import")
        for record in records:
            outcomes[upsert_job_post(session, _as_job_post(record), snapshot.id, page.fetched_at)] += 1
            if progress:
                progress(1)
    return IngestSummary(outcomes["new"], outcomes["updated"], outcomes["unchanged"], snapshot.id)
