"""Cross-checks of a case package's contents: the signed manifest against ads.json, the WARC and the summary.

The manifest's signature proves who wrote it; these checks prove it describes the files beside it, so a
package whose parts disagree (a changed unit, exporter, ad URL, first-seen time, count, a snapshot left out
of one list but not the other, a summary naming another unit) is refused even if every hash in it was recomputed.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from markupsafe import escape
from pydantic import BaseModel, ConfigDict, ValidationError
from warcio.archiveiterator import ArchiveIterator

from service.leads.package_format import (
    ADS_FILE,
    FORMAT_WITHOUT_SCREENSHOTS,
    SUMMARY_FILE,
    Manifest,
    ManifestSnapshot,
    screenshot_path,
)
from service.store.ads import with_poster_text


def strict_json(data: bytes, name: str, problems: list[str]) -> Any:
    """Parsed JSON, or None with a problem; a key given twice is refused (readers keep different copies)."""
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = Counter(key for key, _ in pairs)
        if twice := sorted(key for key, n in keys.items() if n > 1):
            raise ValueError(f"key {twice[0]!r} appears twice")
        return dict(pairs)

    try:
        return json.loads(data.decode("utf-8"), object_pairs_hook=no_duplicates)
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
        problems.append(f"{name}: not valid JSON ({exc})")
        return None


def validation_problems(name: str, exc: ValidationError) -> list[str]:
    """One line per schema error: which field, what is wrong with it."""
    return [f"{name}: field {'.'.join(str(part) for part in error['loc']) or '(top level)'}: {error['msg']}"
            for error in exc.errors()[:10]]


class _Loose(BaseModel):
    # ads.json carries much more than the checks read (texts, contacts, notes): extra fields are fine here,
    # since its bytes are pinned by the signed manifest's SHA-256; the fields read must have their types.
    model_config = ConfigDict(extra="allow", strict=True, frozen=True)


class _PackageInfo(_Loose):
    format: str
    exported_by: str
    exported_at: str
    lokerwatch_version: str


class _LeadInfo(_Loose):
    id: int
    unit: str
    title: str


class _ScoreInfo(_Loose):
    model_version: str
    indicators: list[dict[str, Any]]


class _AdInfo(_Loose):
    ad_id: int
    source: str
    source_ad_id: str
    url: str | None
    title: str | None
    text: str
    ocr_text: str | None = None
    content_hash: str
    first_seen_at: str
    last_seen_at: str
    snapshot_ids: list[int]
    decisions: list[dict[str, Any]]
    score: _ScoreInfo | None


class _AdsFile(_Loose):
    package: _PackageInfo
    lead: _LeadInfo
    ads: list[_AdInfo]


def check_ads_file(manifest: Manifest, data: bytes, problems: list[str]) -> None:
    """Every manifest field that ads.json also states must say the same there."""
    parsed = strict_json(data, ADS_FILE, problems)
    if parsed is None:
        return
    try:
        ads_file = _AdsFile.model_validate(parsed)
    except ValidationError as exc:
        problems.extend(validation_problems(ADS_FILE, exc))
        return

    def differs(field: str, in_manifest: object, in_ads: object) -> None:
        if in_manifest != in_ads:
            problems.append(f"manifest.json {field} is {in_manifest!r} but {ADS_FILE} says {in_ads!r}")

    package, lead = ads_file.package, ads_file.lead
    differs("format", manifest.format, package.format)
    differs("exported_by", manifest.exported_by, package.exported_by)
    differs("exported_at", manifest.exported_at, package.exported_at)
    differs("lokerwatch_version", manifest.lokerwatch_version, package.lokerwatch_version)
    differs("lead_id", manifest.lead_id, lead.id)
    differs("unit", manifest.unit, lead.unit)
    differs("title", manifest.title, lead.title)
    differs("model_versions", manifest.model_versions,
            sorted({ad.score.model_version for ad in ads_file.ads if ad.score is not None}))
    differs("counts.decisions", manifest.counts.decisions, sum(len(ad.decisions) for ad in ads_file.ads))
    differs("the list of ad ids", [ad.ad_id for ad in manifest.ads], [ad.ad_id for ad in ads_file.ads])
    for listed, ad in zip(manifest.ads, ads_file.ads, strict=False):
        if listed.ad_id != ad.ad_id:
            continue
        for field in ("source", "source_ad_id", "url", "content_hash", "first_seen_at", "last_seen_at",
                      "snapshot_ids"):
            differs(f"ads[ad {ad.ad_id}].{field}", getattr(listed, field), getattr(ad, field))
        differs(f"ads[ad {ad.ad_id}].decisions", listed.decisions, len(ad.decisions))
        _check_spans(ad, problems)


def _check_spans(ad: _AdInfo, problems: list[str]) -> None:
    """Each indicator quotes the words at its offsets in the ad's full text (`AdText.full_text`)."""
    text = with_poster_text(ad.text, ad.ocr_text)
    full_text = f"{ad.title}\n{text}" if ad.title else text
    for hit in ad.score.indicators if ad.score else []:
        start, end, quoted = hit.get("start"), hit.get("end"), hit.get("text")
        if not (isinstance(start, int) and isinstance(end, int) and full_text[start:end] == quoted):
            problems.append(f"{ADS_FILE}: ad {ad.ad_id}: indicator {hit.get('name')!r} quotes {quoted!r}, "
                            f"which is not the ad's text at {start}-{end}")


def check_lists(manifest: Manifest, problems: list[str]) -> None:
    """The manifest's own lists agree: counts, ids, which ad was seen in which snapshot."""
    counts = manifest.counts
    for field, counted, listed in (("ads", counts.ads, len(manifest.ads)),
                                   ("snapshots", counts.snapshots, len(manifest.snapshots)),
                                   ("files", counts.files, len(manifest.files)),
                                   ("decisions", counts.decisions, sum(ad.decisions for ad in manifest.ads))):
        if counted != listed:
            problems.append(f"manifest.json counts.{field} is {counted} but it lists {listed}")
    for kind, ids in (("ad", [ad.ad_id for ad in manifest.ads]),
                      ("snapshot", [s.snapshot_id for s in manifest.snapshots])):
        if twice := sorted(i for i, n in Counter(ids).items() if n > 1):
            problems.append(f"manifest.json lists {kind} {twice[0]} twice")
    seen_in: dict[int, list[int]] = {}
    for ad in manifest.ads:
        for snapshot_id in ad.snapshot_ids:
            seen_in.setdefault(snapshot_id, []).append(ad.ad_id)
    listed_snapshots = {s.snapshot_id: s for s in manifest.snapshots}
    for snapshot_id in sorted(set(seen_in) - set(listed_snapshots)):
        problems.append(f"manifest.json: snapshot {snapshot_id} is named by ad(s) {sorted(seen_in[snapshot_id])} "
                        "but missing from the snapshot list")
    for snapshot_id, snapshot in listed_snapshots.items():
        if sorted(snapshot.ad_ids) != sorted(seen_in.get(snapshot_id, [])):
            problems.append(f"manifest.json: snapshot {snapshot_id} names ads {snapshot.ad_ids}, but the ads that "
                            f"name it are {sorted(seen_in.get(snapshot_id, []))}")


def check_warc(manifest: Manifest, warc: bytes, problems: list[str]) -> int:
    """Every snapshot the manifest lists is in the WARC, byte for byte, and nothing else is; returns how many."""
    records: dict[str, list[dict[str, Any]]] = {}
    # No record may hold more than the largest snapshot the manifest lists: a record that inflates past it (a
    # gzip bomb inside the WARC) is read only that far, so verifying a package never needs more memory than it.
    limit = max((snapshot.size_bytes for snapshot in manifest.snapshots), default=0) + 1
    try:
        # check_digests: the WARC's own SHA-1 block and payload digests are checked too, as `warcio check` does.
        for record in ArchiveIterator(io.BytesIO(warc), check_digests=True):
            digest, size = _read_payload(record.raw_stream, limit)  # exactly as written (no content decoding)
            headers = record.rec_headers
            found = {"type": record.rec_type, "uri": headers.get_header("WARC-Target-URI"),
                     "requested": headers.get_header("X-Lokerwatch-Requested-URL"),
                     "record_id": headers.get_header("WARC-Record-ID"), "date": headers.get_header("WARC-Date"),
                     "sha256_header": headers.get_header("WARC-Payload-Digest-SHA256"),
                     "sha256": digest, "size": size,
                     "status": record.http_headers.get_statuscode() if record.http_headers else None,
                     "digests_ok": record.digest_checker.passed is not False}
            records.setdefault(headers.get_header("X-Lokerwatch-Snapshot-Id") or "(none)", []).append(found)
    except Exception as exc:  # warcio raises many types on a damaged archive; each is "unreadable" here
        problems.append(f"{manifest.warc_file}: not a readable WARC file ({type(exc).__name__}: {exc})")
        return 0
    listed = {str(s.snapshot_id) for s in manifest.snapshots}
    for key in sorted(set(records) - listed):
        problems.append(f"{manifest.warc_file}: holds a record for snapshot {key} that the manifest does not list")
    checked = 0
    for snapshot in manifest.snapshots:
        found_records = records.get(str(snapshot.snapshot_id), [])
        if len(found_records) != 1:
            problems.append(f"snapshot {snapshot.snapshot_id}: {len(found_records)} records in "
                            f"{manifest.warc_file} (expected exactly one)")
            continue
        _check_record(snapshot, found_records[0], problems)
        checked += 1
    return checked


def _read_payload(stream: Any, limit: int, chunk: int = 1 << 20) -> tuple[str, int]:
    """SHA-256 and size of a record's payload, read in chunks and never past `limit` bytes (the size then says
    "more than the manifest allows", and the digest covers what was read)."""
    digest = hashlib.sha256()
    size = 0
    while size < limit:
        block = stream.read(min(chunk, limit - size))
        if not block:
            break
        digest.update(block)
        size += len(block)
    return digest.hexdigest(), size


def _check_record(snapshot: ManifestSnapshot, record: dict[str, Any], problems: list[str]) -> None:
    where = f"snapshot {snapshot.snapshot_id}"
    if record["sha256"] != snapshot.sha256 or record["size"] != snapshot.size_bytes:
        problems.append(f"{where}: bytes in the WARC do not match the manifest's SHA-256 and size "
                        f"(manifest {snapshot.sha256}, {snapshot.size_bytes} bytes; WARC {record['sha256']}, "
                        f"{record['size']} bytes)")
    if not record["digests_ok"]:
        problems.append(f"{where}: the WARC record's own digests (WARC-Block-Digest/WARC-Payload-Digest) fail")
    expected = {
        "uri": snapshot.final_url, "requested": snapshot.url, "record_id": snapshot.warc_record_id,
        "sha256_header": f"sha256:{snapshot.sha256}",
        "date": datetime.fromisoformat(snapshot.captured_at).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    names = {"uri": "WARC-Target-URI", "requested": "X-Lokerwatch-Requested-URL", "record_id": "WARC-Record-ID",
             "sha256_header": "WARC-Payload-Digest-SHA256", "date": "WARC-Date"}
    for key, value in expected.items():
        if record[key] != value:
            problems.append(f"{where}: WARC {names[key]} is {record[key]!r} but the manifest says {value!r}")
    if record["type"] == "response" and str(record["status"]) != str(snapshot.http_status):
        problems.append(f"{where}: WARC HTTP status {record['status']} but the manifest says {snapshot.http_status}")


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def check_screenshots(manifest: Manifest, files: dict[str, bytes], problems: list[str]) -> None:
    """One screenshot entry per snapshot, each a PNG of the size it states at its own place, or a reason why
    there is none; a format-2 package (made before screenshots) has none."""
    shots = manifest.screenshots
    if manifest.format == FORMAT_WITHOUT_SCREENSHOTS:
        if shots:
            problems.append(f"manifest.json: format {manifest.format!r} has no screenshots, but it lists {len(shots)}")
        return
    listed = [s.snapshot_id for s in manifest.snapshots]
    if [shot.snapshot_id for shot in shots] != listed:
        problems.append(f"manifest.json: screenshots name snapshots {[shot.snapshot_id for shot in shots]}, "
                        f"expected one for each snapshot {listed}")
    for shot in shots:
        where = f"manifest.json: screenshot of snapshot {shot.snapshot_id}"
        if shot.file is None:
            if not shot.problem or shot.width is not None or shot.height is not None:
                problems.append(f"{where}: has no file, so it must say why (problem) and give no size")
            continue
        if shot.problem is not None or shot.width is None or shot.height is None:
            problems.append(f"{where}: has a file, so it must give its size and no problem")
        if shot.file != screenshot_path(shot.snapshot_id):
            problems.append(f"{where}: file is {shot.file!r}, expected {screenshot_path(shot.snapshot_id)!r}")
            continue
        png = files.get(shot.file)
        if png is None:
            continue  # missing or unreadable: reported with the members
        if not png.startswith(_PNG_SIGNATURE) or png[12:16] != b"IHDR" or len(png) < 24:
            problems.append(f"{shot.file}: not a PNG image")
        elif (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) != (shot.width, shot.height):
            problems.append(f"{shot.file}: {int.from_bytes(png[16:20], 'big')}x{int.from_bytes(png[20:24], 'big')} "
                            f"pixels, but the manifest says {shot.width}x{shot.height}")


# How ringkasan_lead.html heads each ad's section (`<h2>Iklan #12: ...`): the ads the summary shows.
_SUMMARY_AD = re.compile(r"<h2>Iklan #(\d+)\b")


def check_summary(manifest: Manifest, data: bytes, problems: list[str]) -> None:
    """ringkasan.html states what the manifest says: the lead, unit, exporter, counts, signing key, every ad
    with its URL, every snapshot's SHA-256, every screenshot or why it is missing (as the template writes them,
    HTML-escaped), and no other ad."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(f"{SUMMARY_FILE}: not UTF-8 text")
        return
    expected = {
        f"lead #{manifest.lead_id} titled {manifest.title!r}": f"Lead #{manifest.lead_id}: {escape(manifest.title)}<",
        f"unit {manifest.unit!r}": f"<th>Ditujukan kepada</th><td>{escape(manifest.unit)}</td>",
        f"exporter {manifest.exported_by!r}": f"<th>Diekspor oleh</th><td>{escape(manifest.exported_by)} (",
        f"{manifest.counts.ads} ads": f"<th>Jumlah iklan</th><td>{manifest.counts.ads}</td>",
        f"{manifest.counts.snapshots} snapshots":
            f"<th>Jumlah bukti (tangkapan halaman)</th><td>{manifest.counts.snapshots}</td>",
        "signing key SHA-256": manifest.signing_key.public_key_sha256,
        **{f"ad {ad.ad_id}'s URL": f"<code data-source-text>{escape(ad.url)}</code>"
           for ad in manifest.ads if ad.url},
        **{f"snapshot {s.snapshot_id}'s SHA-256": f"<code>{s.sha256}</code>" for s in manifest.snapshots},
        **{f"screenshot {shot.file}": f"<code>{escape(shot.file)}</code>"
           for shot in manifest.screenshots if shot.file},
        **{f"why snapshot {shot.snapshot_id} has no screenshot": f"<strong>tidak dapat dibuat</strong>: "
                                                                   f"{escape(shot.problem)}"
           for shot in manifest.screenshots if shot.file is None and shot.problem},
    }
    for what, written in expected.items():
        if written not in text:
            problems.append(f"{SUMMARY_FILE} does not state the manifest's {what}")
    shown = [int(found) for found in _SUMMARY_AD.findall(text)]
    listed = [ad.ad_id for ad in manifest.ads]
    if shown != listed:
        problems.append(f"{SUMMARY_FILE} shows ads {shown}, the manifest lists {listed}")
