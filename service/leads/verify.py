"""Re-checks a case package on its own, without the store: every file hash, and every snapshot in the WARC.

A police unit (or a court's expert) runs this on the ZIP it was given. Changing any byte of any file,
adding or removing a file, or swapping a WARC record is reported with what was expected and found.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from service.leads.package import MANIFEST, PACKAGE_FORMAT


@dataclass
class VerifyReport:
    path: str
    package_sha256: str = ""
    files_checked: int = 0
    snapshots_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_package(path: Path) -> VerifyReport:
    """All problems found in the package at `path` (an empty list means it is intact)."""
    report = VerifyReport(str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.problems.append(f"{path}: cannot read ({exc.strerror})")
        return report
    report.package_sha256 = hashlib.sha256(data).hexdigest()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        report.problems.append(f"{path}: not a ZIP file")
        return report
    with archive:
        manifest = _manifest(archive, report)
        if manifest is None:
            return report
        _check_files(archive, manifest, report)
        _check_warc(archive, manifest, report)
    return report


def _manifest(archive: zipfile.ZipFile, report: VerifyReport) -> dict[str, Any] | None:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        report.problems.append(f"{MANIFEST} is missing: this is not a lokerwatch case package")
        return None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        report.problems.append(f"{MANIFEST} is not valid JSON ({exc})")
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != PACKAGE_FORMAT:
        report.problems.append(f"{MANIFEST}: unknown format (expected {PACKAGE_FORMAT})")
        return None
    return manifest


def _check_files(archive: zipfile.ZipFile, manifest: dict[str, Any], report: VerifyReport) -> None:
    listed = {entry["path"]: entry for entry in manifest.get("files", [])}
    present = set(archive.namelist()) - {MANIFEST}
    for extra in sorted(present - set(listed)):
        report.problems.append(f"{extra}: file is in the package but not in the manifest")
    for path, entry in listed.items():
        if path not in present:
            report.problems.append(f"{path}: listed in the manifest but missing from the package")
            continue
        try:
            content = archive.read(path)
        except zipfile.BadZipFile as exc:  # a CRC error: the ZIP itself was altered
            report.problems.append(f"{path}: cannot be read from the ZIP ({exc})")
            continue
        digest = hashlib.sha256(content).hexdigest()
        if digest != entry.get("sha256"):
            report.problems.append(f"{path}: SHA-256 does not match the manifest "
                                   f"(manifest {entry.get('sha256')}, file {digest}); the file was altered")
        report.files_checked += 1


def _check_warc(archive: zipfile.ZipFile, manifest: dict[str, Any], report: VerifyReport) -> None:
    warc_path = manifest.get("warc_file", "")
    try:
        warc = archive.read(warc_path)
    except (KeyError, zipfile.BadZipFile):
        report.problems.append(f"{warc_path}: the WARC file named in the manifest cannot be read")
        return
    records: dict[str, tuple[str, str]] = {}  # snapshot id -> (target URI, sha256 of the payload)
    try:
        for record in ArchiveIterator(io.BytesIO(warc)):
            snapshot_id = record.rec_headers.get_header("X-Lokerwatch-Snapshot-Id")
            if snapshot_id is None:
                continue
            # raw_stream is the payload exactly as written (no content decoding).
            payload = record.raw_stream.read()
            records[snapshot_id] = (record.rec_headers.get_header("WARC-Target-URI") or "",
                                    hashlib.sha256(payload).hexdigest())
    except Exception as exc:  # warcio raises several types on a damaged archive
        report.problems.append(f"{warc_path}: not a readable WARC file ({type(exc).__name__}: {exc})")
        return
    for snapshot in manifest.get("snapshots", []):
        key = str(snapshot.get("snapshot_id"))
        if key not in records:
            report.problems.append(f"snapshot {key}: no record in {warc_path}")
            continue
        uri, digest = records[key]
        if digest != snapshot.get("sha256"):
            report.problems.append(f"snapshot {key}: bytes in the WARC do not match the manifest's SHA-256 "
                                   f"(manifest {snapshot.get('sha256')}, WARC {digest})")
        if uri != snapshot.get("final_url"):
            report.problems.append(f"snapshot {key}: WARC record URL {uri!r} differs from the manifest's "
                                   f"{snapshot.get('final_url')!r}")
        report.snapshots_checked += 1
