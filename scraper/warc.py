"""Evidence snapshots written out as a standard WARC file, so they open in ordinary web-archive tools.

httpx traffic is invisible to `warcio.capture_http`, so each record is built here from the stored
snapshot: status line, headers and body bytes exactly as stored. The body is stored already decoded
(httpx undoes gzip), so Content-Encoding and Transfer-Encoding are dropped and Content-Length set to
the stored size; the original values stay in WARC-header fields. WARC's own digests are SHA-1, so the
manifest beside the file keeps each snapshot's SHA-256, which is what the store identifies it by.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from http import HTTPStatus
from io import BytesIO
from typing import BinaryIO, TextIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.records import RawPage

_DROPPED = frozenset({"content-encoding", "transfer-encoding", "content-length"})


@dataclass(frozen=True)
class ManifestEntry:
    """One line of the manifest: which record holds which snapshot, and its SHA-256."""

    snapshot_id: int
    url: str
    sha256: str
    size_bytes: int
    warc_record_id: str
    fetched_at: str


def write_warc(snapshots: Iterable[tuple[int, RawPage]], output: BinaryIO, gzip: bool = True) -> list[ManifestEntry]:
    """Write one `response` record per fetched snapshot (`resource` per imported file); returns the manifest."""
    writer = WARCWriter(output, gzip=gzip)
    manifest: list[ManifestEntry] = []
    for snapshot_id, page in snapshots:
        uri = page.final_url or page.url
        is_http = uri.startswith(("http://", "https://"))
        # An imported file (file://) was never an HTTP response: it is a WARC `resource` record.
        record = writer.create_warc_record(
            uri,
            "response" if is_http else "resource",
            payload=BytesIO(page.body),
            length=len(page.body),
            http_headers=_http_headers(page) if is_http else None,
            warc_content_type="" if is_http else page.headers.get("content-type", "application/octet-stream"),
            warc_headers_dict={
                "WARC-Date": page.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "WARC-Payload-Digest-SHA256": f"sha256:{page.sha256}",
                "X-Lokerwatch-Snapshot-Id": str(snapshot_id),
                "X-Lokerwatch-Requested-URL": page.url,
                "X-Lokerwatch-Fetcher": page.fetcher_version,
                **{f"X-Lokerwatch-Original-{k.title()}": v for k, v in page.headers.items() if k.lower() in _DROPPED},
            },
        )
        writer.write_record(record)
        manifest.append(ManifestEntry(
            snapshot_id=snapshot_id, url=page.final_url or page.url, sha256=page.sha256,
            size_bytes=len(page.body), warc_record_id=str(record.rec_headers.get_header("WARC-Record-ID")),
            fetched_at=page.fetched_at.isoformat(),
        ))
    return manifest


def write_manifest(entries: Iterable[ManifestEntry], output: TextIO) -> None:
    """JSON lines, one per snapshot."""
    for entry in entries:
        output.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")


def _http_headers(page: RawPage) -> StatusAndHeaders:
    try:
        reason = HTTPStatus(page.status).phrase
    except ValueError:
        reason = "Unknown"
    headers = [(k, v) for k, v in page.headers.items() if k.lower() not in _DROPPED]
    headers.append(("Content-Length", str(len(page.body))))
    return StatusAndHeaders(f"{page.status} {reason}", headers, protocol="HTTP/1.1")
