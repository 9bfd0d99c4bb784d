"""Files an analyst saved (a Facebook page or export, a WhatsApp chat): parsed whole, then kept as evidence."""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from scraper import sources
from scraper.engine import RunSummary, keep_parsed
from scraper.errors import PageParseError
from scraper.records import RawPage
from scraper.sources.base import ParseResult, Source
from service.collect.store_sink import recorded_run
from service.errors import InputFileError, LokerwatchError

log = logging.getLogger("lokerwatch.scraping")

IMPORT_VERSION = "lokerwatch-import/1"


def import_file(session_factory: Callable[[], Session], kind: str, path: Path,
                params: Mapping[str, Any] | None = None) -> RunSummary:
    """Import a saved page or export file: stored as a snapshot (once per distinct content), then parsed."""
    if kind not in sources.names():
        raise LokerwatchError(f"unknown source kind {kind!r}; known: {', '.join(sources.names())}")
    if not path.is_file():
        raise InputFileError(f"{path} is not a file")
    source = sources.create(kind, params or {}, {})
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    page = RawPage(url=path.resolve().as_uri(), final_url=path.resolve().as_uri(), status=200,
                   headers={"content-type": content_type}, body=path.read_bytes(), fetched_at=datetime.now(UTC),
                   fetcher_version=IMPORT_VERSION)
    result = _parse_import(source, page, path)
    with recorded_run(session_factory, f"import:{kind}") as (sink, summary):
        snapshot_id = sink.save_snapshot_once(page)
        summary.pages = 1
        keep_parsed(sink, summary, source, snapshot_id, result, result.problems)
    return summary


def _parse_import(source: Source, page: RawPage, path: Path) -> ParseResult:
    """Parse an analyst's file before anything is stored: a file with no post in it is a user mistake.

    Unlike a fetched page (kept as evidence even when it does not parse), the file stays with the analyst,
    so refusing it whole loses nothing and keeps junk out of the store.
    """
    try:
        result = source.parse(page)
    except PageParseError as exc:
        raise InputFileError(f"{path}: {exc}; nothing was stored") from exc
    except Exception as exc:  # a parser bug on odd input: still one clear line, still nothing stored
        log.exception("parser crashed on %s", path)
        raise InputFileError(f"{path}: could not be read as a {source.name} file ({type(exc).__name__}: {exc}); "
                             "nothing was stored") from exc
    if not result.posts:
        raise InputFileError(f"{path} holds no {source.name} post with text (is it the right kind of file, "
                             "exported whole?); nothing was stored")
    return result
