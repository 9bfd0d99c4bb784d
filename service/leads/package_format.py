"""What a case package holds, member by member, and the schema of its manifest: shared by the builder
(`service.leads.package`) and the checker (`service.leads.verify`), so the two cannot drift apart.

Layout (in this order in the ZIP):
  ads.json                      the ads, their decisions and scores, the lead (machine-readable, UTC)
  evidence/snapshots.warc.gz    every captured page, byte for byte
  ringkasan.html                the summary police read (Bahasa Indonesia, local time)
  lokerwatch-pub.pem            the installation's public key (Ed25519)
  tangkapan_layar/tangkapan-<snapshot id>.png
                                each snapshot rendered offline by headless Chromium (one per snapshot that
                                could be rendered; the manifest says why any other could not)
  manifest.json                 what is in the package, with every file's SHA-256 and size
  manifest.json.sig             Ed25519 signature of manifest.json (`openssl pkeyutl -verify -rawin`)
  SHA256SUMS                    `sha256sum -c` lines for every file above it and manifest.json
  SHA256SUMS.sig                Ed25519 signature of SHA256SUMS, so the list a unit checks is itself signed
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

PACKAGE_FORMAT = "lokerwatch-lead-package/3"
# Packages issued before screenshots (format 2) are still checked: the same layout without tangkapan_layar/.
FORMAT_WITHOUT_SCREENSHOTS = "lokerwatch-lead-package/2"
READABLE_FORMATS = (FORMAT_WITHOUT_SCREENSHOTS, PACKAGE_FORMAT)
ADS_FILE = "ads.json"
WARC_FILE = "evidence/snapshots.warc.gz"
SUMMARY_FILE = "ringkasan.html"
PUBLIC_KEY_FILE = "lokerwatch-pub.pem"
MANIFEST = "manifest.json"
MANIFEST_SIGNATURE = "manifest.json.sig"
CHECKSUMS = "SHA256SUMS"
CHECKSUMS_SIGNATURE = "SHA256SUMS.sig"
SIGNATURE_ALGORITHM = "Ed25519"
SCREENSHOT_FOLDER = "tangkapan_layar"
SCREENSHOT_MEMBER = re.compile(rf"{SCREENSHOT_FOLDER}/tangkapan-([1-9][0-9]{{0,17}})\.png")

# Files the manifest lists with their hashes, in package order (the screenshots follow them).
CONTENT_FILES = (ADS_FILE, WARC_FILE, SUMMARY_FILE, PUBLIC_KEY_FILE)
# Members every package has, in the order the builder writes them (the screenshots go before the manifest);
# a package holds these, the screenshots its manifest lists, and nothing else.
MEMBERS = (*CONTENT_FILES, MANIFEST, MANIFEST_SIGNATURE, CHECKSUMS, CHECKSUMS_SIGNATURE)
# Members SHA256SUMS never lists: itself and the two signatures (they are checked with OpenSSL).
_NOT_CHECKSUMMED = (MANIFEST, MANIFEST_SIGNATURE, CHECKSUMS, CHECKSUMS_SIGNATURE)


def screenshot_path(snapshot_id: int) -> str:
    """Where a snapshot's screenshot is in the package."""
    return f"{SCREENSHOT_FOLDER}/tangkapan-{snapshot_id}.png"


def _utc_iso(value: str) -> str:
    """A time as the package writes it: ISO-8601 with an offset (naive times are ambiguous evidence)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not an ISO-8601 time") from exc
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return value


def _sha256_hex(value: str) -> str:
    if len(value) != 64 or value.strip("0123456789abcdef"):
        raise ValueError(f"{value!r} is not a SHA-256 in lower-case hex")
    return value


IsoTime = Annotated[str, AfterValidator(_utc_iso)]
Sha256 = Annotated[str, AfterValidator(_sha256_hex)]
Count = Annotated[int, Field(ge=0)]


class _Strict(BaseModel):
    # Unknown fields are refused: every field a package carries is one the checker knows how to check.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ManifestFile(_Strict):
    path: str
    sha256: Sha256
    size_bytes: Count


class ManifestAd(_Strict):
    ad_id: int
    source: str
    source_ad_id: str
    url: str | None
    content_hash: str
    first_seen_at: IsoTime
    last_seen_at: IsoTime
    snapshot_ids: list[int]
    decisions: Count


class ManifestSnapshot(_Strict):
    snapshot_id: int
    url: str
    final_url: str
    http_status: int
    captured_at: IsoTime
    sha256: Sha256
    size_bytes: Count
    warc_record_id: str
    ad_ids: list[int]


class ManifestScreenshot(_Strict):
    """A snapshot's screenshot: its file (SHA-256 and size are in `files`) or why none could be made."""

    snapshot_id: int
    file: str | None
    width: Count | None
    height: Count | None
    problem: str | None


class ManifestCounts(_Strict):
    ads: Count
    snapshots: Count
    decisions: Count
    files: Count


class SigningKeyInfo(_Strict):
    algorithm: str
    public_key_file: str
    public_key_sha256: Sha256


class Manifest(_Strict):
    format: str
    lead_id: int
    unit: str
    title: str
    exported_by: str
    exported_at: IsoTime
    lokerwatch_version: str
    model_versions: list[str]
    signing_key: SigningKeyInfo
    warc_file: str
    counts: ManifestCounts
    ads: list[ManifestAd]
    snapshots: list[ManifestSnapshot]
    # Absent from format-2 packages only; a format-3 package has one entry per snapshot (checked).
    screenshots: list[ManifestScreenshot] = []
    files: list[ManifestFile]


def checksummed(paths: list[str]) -> list[str]:
    """The files SHA256SUMS lists, in its order: every file the manifest lists (`paths`), then the manifest."""
    return [*(path for path in paths if path not in _NOT_CHECKSUMMED), MANIFEST]


def checksums_text(digests: dict[str, str]) -> bytes:
    """SHA256SUMS as GNU `sha256sum` writes it (hash, two spaces, path): one line per file in package order,
    the manifest last, never SHA256SUMS itself or a signature."""
    return "".join(f"{digests[path]}  {path}\n" for path in checksummed(list(digests))).encode("ascii")


def file_entry(path: str, data: bytes) -> dict[str, Any]:
    """One `files` line of the manifest."""
    return {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size_bytes": len(data)}
