"""Builds a lead's case package: one signed ZIP a police unit can file as evidence and check on its own.

Contents (`service.leads.package_format` lists them): `ads.json` (text, metadata, contacts, indicators with
spans, decision history with notes), `evidence/snapshots.warc.gz` (the raw snapshots, byte for byte),
`ringkasan.html` (a summary in Bahasa Indonesia with the steps to check the package), the installation's
public key, `tangkapan_layar/` (each snapshot rendered offline by headless Chromium,
`service.leads.screenshots`), `manifest.json` (every file's SHA-256 and size, the ads and snapshots, the
screenshots or why one could not be made, the capture times, the lokerwatch and model versions, who exported
it when), its Ed25519 signature, and `SHA256SUMS` with its signature for `sha256sum -c`. Every download is a
new package, signed again; its SHA-256 goes into the audit log. `service.leads.verify` re-checks all of it;
OpenSSL and coreutils can too.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from model.entities import find_contacts
from scraper.records import RawPage
from scraper.sources import focus_style
from scraper.warc import ManifestEntry, write_warc
from service import __version__
from service.audit import record_audit
from service.display.local_time import DEFAULT_DISPLAY_TIMEZONE, display_zone
from service.errors import LokerwatchError
from service.leads.package_format import (
    ADS_FILE,
    CHECKSUMS,
    CHECKSUMS_SIGNATURE,
    CONTENT_FILES,
    MANIFEST,
    MANIFEST_SIGNATURE,
    PACKAGE_FORMAT,
    PUBLIC_KEY_FILE,
    SIGNATURE_ALGORITHM,
    SUMMARY_FILE,
    WARC_FILE,
    checksums_text,
    file_entry,
    screenshot_path,
)
from service.leads.package_zip import write_package_zip
from service.leads.rules import Viewer, get_lead, lead_ad_ids, lead_events
from service.leads.screenshots import CapturedPage, ChromiumRenderer, Screenshot
from service.leads.signing import PackageSigner
from service.leads.summary import render_summary
from service.store.ads import ad_text, latest_scores
from service.store.engine import immediate
from service.store.evidence import snapshot_body
from service.store.tables import Ad, AdSnapshot, Lead, LeadExport, Review, ScoreRow, Snapshot
from service.store.types import utc_now


@dataclass(frozen=True)
class LeadPackage:
    lead_id: int
    filename: str
    data: bytes
    sha256: str
    export_id: int
    key_fingerprint: str
    screenshots: int = 0  # PNGs in the package
    screenshot_problems: tuple[str, ...] = ()  # one line per snapshot that could not be rendered, with why


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _score_json(score: ScoreRow | None) -> dict[str, Any] | None:
    if score is None:
        return None
    return {"model_version": score.model_version, "p_scam": score.p_scam, "p_trafficking": score.p_trafficking,
            "risk": score.risk, "scored_at": _iso(score.scored_at),
            # The likeliest modus the scorer named (None from rules-0 and on rows scored before 0005).
            "modus": score.modus, "modus_probability": score.modus_probability,
            # Spans are offsets into the ad's full text (`model.records.AdText.full_text`).
            "indicators": score.indicators}


def _ad_json(ad: Ad, score: ScoreRow | None, reviews: list[Review], snapshot_ids: list[int]) -> dict[str, Any]:
    full_text = ad_text(ad).full_text  # the text the indicator spans and contact offsets point into
    return {
        "ad_id": ad.id, "source": ad.source, "source_ad_id": ad.source_ad_id, "url": ad.url,
        "title": ad.title, "text": ad.text,
        # What OCR read on the ad's poster (None: no poster read); spans past the caption point into it.
        "ocr_text": ad.ocr_text, "ocr_confidence": ad.ocr_confidence,
        "posted_at": _iso(ad.posted_at), "location": ad.location,
        "salary_text": ad.salary_text, "author": ad.author, "contact_handles": ad.contact_handles,
        "contacts": [{"kind": c.kind, "value": c.value, "text": c.text, "start": c.start, "end": c.end}
                     for c in find_contacts(full_text)],
        "content_hash": ad.content_hash, "first_seen_at": _iso(ad.first_seen_at),
        "last_seen_at": _iso(ad.last_seen_at), "score": _score_json(score),
        "decisions": [{"decision": r.decision, "note": r.note, "reviewer": r.reviewer, "at": _iso(r.created_at)}
                      for r in reviews],
        "snapshot_ids": snapshot_ids,
    }


def _snapshot_pages(snapshots: Sequence[Snapshot]) -> Iterator[tuple[int, RawPage]]:
    for snapshot in snapshots:
        try:
            page = RawPage(url=snapshot.url, final_url=snapshot.final_url, status=snapshot.http_status,
                           headers=dict(snapshot.headers or {}), body=snapshot_body(snapshot),
                           fetched_at=snapshot.fetched_at, fetcher_version=snapshot.fetcher_version,
                           sha256=snapshot.sha256)
        except ValueError as exc:  # RawPage re-hashes the body
            raise LokerwatchError(f"snapshot {snapshot.id} no longer matches its SHA-256; "
                                  "the package is not built from altered evidence") from exc
        yield snapshot.id, page


def build_lead_package(session: Session, lead_id: int, viewer: Viewer, signer: PackageSigner,
                       display_timezone: str = DEFAULT_DISPLAY_TIMEZONE,
                       renderer: ChromiumRenderer | None = None) -> LeadPackage:
    """Build and sign the ZIP for one lead, record the export and audit it; the caller commits the export.

    Three steps in `session`, so that no write transaction is open while Chromium renders (2-10 s; on SQLite an
    open write transaction locks the whole store, so every scrape, decision and audited read would wait): read
    what the package holds, then end that read (commit); render the screenshots and build and sign the ZIP;
    then start the write transaction (SQLite: `BEGIN IMMEDIATE`) that records the export and its audit entry,
    which the caller commits. The rows read stay loaded across the commit (the store's sessions do not expire
    them), and the package holds what was read, as of `exported_at`.

    `signer` is the installation's key (`service.leads.signing.load_or_create_signer`);
    `display_timezone` is the zone the summary's times are written in (settings.display_timezone);
    `renderer` makes the screenshots (settings.chromium_path; default /usr/bin/chromium). A screenshot that
    cannot be made never stops the package: the manifest and the summary say which and why.
    """
    lead = get_lead(session, lead_id, viewer)
    ad_ids = lead_ad_ids(session, lead.id)
    ads = list(session.scalars(select(Ad).where(Ad.id.in_(ad_ids)).order_by(Ad.id)))
    scores = latest_scores(session, ad_ids)
    reviews: dict[int, list[Review]] = {}
    for review in session.scalars(select(Review).where(Review.ad_id.in_(ad_ids)).order_by(Review.id)):
        reviews.setdefault(review.ad_id, []).append(review)
    links: dict[int, list[int]] = {}
    for ad_id, snapshot_id in session.execute(
            select(AdSnapshot.ad_id, AdSnapshot.snapshot_id).where(AdSnapshot.ad_id.in_(ad_ids))
            .order_by(AdSnapshot.snapshot_id)):
        links.setdefault(ad_id, []).append(snapshot_id)
    snapshot_ids = sorted({sid for ids in links.values() for sid in ids})
    snapshots = list(session.scalars(select(Snapshot).where(Snapshot.id.in_(snapshot_ids)).order_by(Snapshot.id)))

    # Whole seconds: the ZIP's entry times (2-second steps) and the manifest must name the same moment.
    exported_at = utc_now().replace(microsecond=0)
    warc_buffer = io.BytesIO()
    pages = list(_snapshot_pages(snapshots))  # checked against their SHA-256 before anything is built
    warc_entries = write_warc(iter(pages), warc_buffer, gzip=True)
    ads_json = [_ad_json(ad, scores.get(ad.id), reviews.get(ad.id, []), links.get(ad.id, [])) for ad in ads]
    events = lead_events(session, lead.id)
    lead_json = {"id": lead.id, "unit": lead.unit, "title": lead.title, "note": lead.note, "status": lead.status,
                 "created_by": lead.created_by, "created_at": _iso(lead.created_at),
                 "history": [{"status": e.status, "note": e.note, "actor": e.actor, "at": _iso(e.at)}
                             for e in events]}
    session.commit()  # the reads end here: nothing is held while Chromium renders

    focus = _focus_styles(ads, links)
    screenshots = (renderer or ChromiumRenderer()).render(
        [CapturedPage(snapshot_id, page.body, _content_type(page.headers), focus.get(snapshot_id))
         for snapshot_id, page in pages])
    pictures = {screenshot_path(shot.snapshot_id): shot.png for shot in screenshots if shot.png is not None}
    export_json = {"format": PACKAGE_FORMAT, "exported_by": viewer.name, "exported_at": exported_at.isoformat(),
                   "lokerwatch_version": __version__}
    files = {
        ADS_FILE: _json_bytes({"package": export_json, "lead": lead_json, "ads": ads_json}),
        WARC_FILE: warc_buffer.getvalue(),
    }
    manifest_base = _manifest(lead, viewer.name, exported_at, ads, scores, reviews, links, snapshots, warc_entries,
                              signer, screenshots)
    files[SUMMARY_FILE] = render_summary(lead_json, ads_json, manifest_base, display_zone(display_timezone),
                                         {path: hashlib.sha256(png).hexdigest() for path, png in pictures.items()},
                                         focused=set(focus)).encode("utf-8")
    files[PUBLIC_KEY_FILE] = signer.public_pem
    files.update(pictures)
    manifest = {**manifest_base, "files": [file_entry(path, files[path]) for path in [*CONTENT_FILES, *pictures]]}
    files[MANIFEST] = _json_bytes(manifest)
    files[MANIFEST_SIGNATURE] = signer.sign(files[MANIFEST])
    files[CHECKSUMS] = checksums_text({path: hashlib.sha256(files[path]).hexdigest() for path in files})
    files[CHECKSUMS_SIGNATURE] = signer.sign(files[CHECKSUMS])
    data = write_package_zip(files, exported_at)
    digest = hashlib.sha256(data).hexdigest()

    immediate(session)  # the write transaction starts only now, with the package whole
    export = LeadExport(lead_id=lead.id, exported_by=viewer.name, exported_at=exported_at, package_sha256=digest,
                        size_bytes=len(data))
    session.add(export)
    session.flush()
    record_audit(session, viewer.name, "lead.export", "lead", lead.id, {
        "export_id": export.id, "package_sha256": digest, "size_bytes": len(data), "unit": lead.unit,
        "ad_ids": ad_ids, "snapshot_ids": snapshot_ids, "signing_key_sha256": signer.fingerprint})
    filename = f"lokerwatch-lead-{lead.id}-{exported_at.strftime('%Y%m%dT%H%M%SZ')}.zip"
    return LeadPackage(lead.id, filename, data, digest, export.id, signer.fingerprint, len(pictures),
                       tuple(f"snapshot {shot.snapshot_id}: {shot.problem}" for shot in screenshots if shot.problem))


def _content_type(headers: dict[str, str]) -> str | None:
    return next((value for name, value in headers.items() if name.lower() == "content-type"), None)


def _json_bytes(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")


def _focus_styles(ads: list[Ad], links: dict[int, list[int]]) -> dict[int, str]:
    """For each snapshot that is a listing page of its source (a Telegram channel page holds ~20 posts), the CSS
    that leaves only this lead's posts on it visible in the screenshot; the WARC keeps the whole page."""
    posts: dict[int, dict[str, list[str]]] = {}
    for ad in ads:
        for snapshot_id in links.get(ad.id, []):
            posts.setdefault(snapshot_id, {}).setdefault(ad.source, []).append(ad.source_ad_id)
    styles: dict[int, str] = {}
    for snapshot_id, by_source in posts.items():
        for source, ids in by_source.items():
            if style := focus_style(source, ids):
                styles[snapshot_id] = style
                break
    return styles


def _manifest(lead: Lead, exporter: str, exported_at: datetime, ads: list[Ad], scores: dict[int, ScoreRow],
              reviews: dict[int, list[Review]], links: dict[int, list[int]], snapshots: list[Snapshot],
              warc_entries: list[ManifestEntry], signer: PackageSigner,
              screenshots: list[Screenshot]) -> dict[str, Any]:
    """Everything but `files` (the summary, listed there, is rendered from this)."""
    ads_by_snapshot: dict[int, list[int]] = {}
    for ad_id, ids in links.items():
        for snapshot_id in ids:
            ads_by_snapshot.setdefault(snapshot_id, []).append(ad_id)
    by_id = {snapshot.id: snapshot for snapshot in snapshots}
    return {
        "format": PACKAGE_FORMAT,
        "lead_id": lead.id,
        "unit": lead.unit,
        "title": lead.title,
        "exported_by": exporter,
        "exported_at": exported_at.isoformat(),
        "lokerwatch_version": __version__,
        "model_versions": sorted({score.model_version for score in scores.values()}),
        "signing_key": {"algorithm": SIGNATURE_ALGORITHM, "public_key_file": PUBLIC_KEY_FILE,
                        "public_key_sha256": signer.fingerprint},
        "warc_file": WARC_FILE,
        "counts": {"ads": len(ads), "snapshots": len(warc_entries),
                   "decisions": sum(len(reviews.get(ad.id, [])) for ad in ads),
                   "files": len(CONTENT_FILES) + sum(shot.png is not None for shot in screenshots)},
        "ads": [{"ad_id": ad.id, "source": ad.source, "source_ad_id": ad.source_ad_id, "url": ad.url,
                 "content_hash": ad.content_hash, "first_seen_at": _iso(ad.first_seen_at),
                 "last_seen_at": _iso(ad.last_seen_at), "snapshot_ids": links.get(ad.id, []),
                 "decisions": len(reviews.get(ad.id, []))} for ad in ads],
        "snapshots": [{
            "snapshot_id": entry.snapshot_id, "url": by_id[entry.snapshot_id].url, "final_url": entry.url,
            "http_status": by_id[entry.snapshot_id].http_status, "captured_at": entry.fetched_at,
            "sha256": entry.sha256, "size_bytes": entry.size_bytes, "warc_record_id": entry.warc_record_id,
            "ad_ids": sorted(ads_by_snapshot.get(entry.snapshot_id, [])),
        } for entry in warc_entries],
        "screenshots": [{
            "snapshot_id": shot.snapshot_id, "file": screenshot_path(shot.snapshot_id) if shot.png else None,
            "width": shot.width, "height": shot.height, "problem": shot.problem,
        } for shot in screenshots],
    }
