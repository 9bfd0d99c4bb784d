"""Posters an analyst saved by hand (`lokerwatch import images DIR`): one ad per image, read with OCR.

A screenshot of an Instagram post or a poster forwarded in a WhatsApp group reaches an analyst as a picture
file. Each file in the folder is kept as an evidence snapshot first (once per distinct content, so importing
the folder again stores nothing twice), then decoded and read like a crawled poster (scraper.posters). An
image that gives text becomes an ad of source `images` whose caption is empty and whose poster text is what
OCR read; its id is the image's SHA-256, so the same picture under another name is the same ad. A file that
is not a sane image, or an image with no readable text, is a problem beside its snapshot, never an ad.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from scraper.contacts import find_contacts
from scraper.engine import RunSummary
from scraper.images import ImageRejected
from scraper.ocr import OcrError, OcrUnavailable
from scraper.posters import PARSER_NAME, PosterPolicy, read_image_bytes
from scraper.records import JobPost, PosterText, RawPage
from service.collect.store_sink import StoreSink, recorded_run
from service.errors import InputFileError, LokerwatchError

log = logging.getLogger("lokerwatch.scraping")

SOURCE_NAME = "images"
IMPORT_VERSION = "lokerwatch-import/1"


def image_files(folder: Path) -> list[Path]:
    """The files directly in `folder`, by name (hidden files left out); a wrong or empty folder is a user mistake."""
    if not folder.is_dir():
        raise InputFileError(f"{folder} is not a folder")
    files = sorted(path for path in folder.iterdir() if path.is_file() and not path.name.startswith("."))
    if not files:
        raise InputFileError(f"{folder} holds no files; nothing was stored")
    return files


def import_images(session_factory: Callable[[], Session], folder: Path, policy: PosterPolicy | None = None,
                  progress: Callable[[int], None] | None = None) -> RunSummary:
    """Import every image in `folder` as an ad read from its poster; bad files are counted and recorded."""
    policy = policy or PosterPolicy()
    files = image_files(folder)
    with recorded_run(session_factory, f"import:{SOURCE_NAME}") as (sink, summary):
        for path in files:
            _import_one(sink, summary, path, policy)
            if progress:
                progress(1)
    return summary


def _import_one(sink: StoreSink, summary: RunSummary, path: Path, policy: PosterPolicy) -> None:
    try:
        body = path.read_bytes()
    except OSError as exc:
        summary.errors += 1
        summary.messages.append(f"{path.name}: cannot be read ({exc.strerror or exc}); skipped")
        return
    summary.images += 1
    uri = path.resolve().as_uri()
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    page = RawPage(url=uri, final_url=uri, status=200, headers={"content-type": content_type}, body=body,
                   fetched_at=datetime.now(UTC), fetcher_version=IMPORT_VERSION)
    snapshot_id = sink.save_snapshot_once(page)  # evidence first, also for a file that turns out to be bad
    summary.pages += 1
    try:
        result = read_image_bytes(body, policy)
    except ImageRejected as exc:
        _problem(sink, summary, snapshot_id, f"{path.name}: image refused ({exc.kind}): {exc.reason}")
        return
    except OcrUnavailable as exc:
        raise LokerwatchError(str(exc)) from exc  # nothing can be read: say so once, not once per file
    except OcrError as exc:
        _problem(sink, summary, snapshot_id, f"{path.name}: OCR failed: {exc}")
        return
    post = JobPost(source=SOURCE_NAME, source_ad_id=page.sha256, text="",
                   poster=PosterText(result.text.strip(), result.confidence, result.engine_version, (snapshot_id,)),
                   contact_handles=find_contacts(result.text), extra={"file_name": path.name})
    if not post.has_text:
        _problem(sink, summary, snapshot_id, f"{path.name}: no text read from the image; not stored")
        return
    summary.count_stored(sink.store_posts(snapshot_id, [post]))


def _problem(sink: StoreSink, summary: RunSummary, snapshot_id: int, problem: str) -> None:
    sink.record_problems(snapshot_id, PARSER_NAME, [problem])
    summary.count_problems(snapshot_id, [problem])
