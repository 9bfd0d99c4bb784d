"""What a case package holds, member by member, and the schema of its manifest: shared by the builder
(`service.leads.package`) and the checker (`service.leads.verify`), so the two cannot drift apart.

Layout (in this order in the ZIP):
  ads.json                      the ads, their decisions and scores, the lead (machine-readable, UTC)
  evidence/snapshots.warc.gz    every captured page, byte for byte
  ringkasan.html                the summary police read (Bahasa Indonesia, local time)
  lokerwatch-pub.pem            the installation's public key (Ed25519)
  manifest.json                 what is in the package, with every file's SHA-256 and size
  manifest.json.sig             Ed25519 signature of manifest.json (`openssl pkeyutl -verify -rawin`)
  SHA256SUMS                    `sha256sum -c` lines for manifest.json and every file above it
  SHA256SUMS.sig                Ed25519 signature of SHA256SUMS, so the list a unit checks is itself signed
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

PACKAGE_FORMAT = "lokerwatch-lead-package/2"
ADS_FILE = "ads.json"
WARC_FILE = "evidence/snapshots.warc.gz"
SUMMARY_FILE = "ringkasan.html"
PUBLIC_KEY_FILE = "lokerwatch-pub.pem"
MANIFEST = "manifest.json"
MANIFEST_SIGNATURE = "manifest.json.sig"
CHECKSUMS = "SHA256SUMS"
CHECKSUMS_SIGNATURE = "SHA256SUMS.sig"
SIGNATURE_ALGORITHM = "Ed25519"

# Files the manifest lists with their hashes, in package order.
CONTENT_FILES = (ADS_FILE, WARC_FILE, SUMMARY_FILE, PUBLIC_KEY_FILE)
# Every member of the ZIP, in the order the builder writes them; a package holds these and nothing else.
MEMBERS = (*CONTENT_FILES, MANIFEST, MANIFEST_SIGNATURE, CHECKSUMS, CHECKSUMS_SIGNATURE)
# Files SHA256SUMS lists: the manifest and everything it lists.
CHECKSUMMED = (*CONTENT_FILES, MANIFEST)


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
    files: list[ManifestFile]


def checksums_text(digests: dict[str, str]) -> bytes:
    """SHA256SUMS as GNU `sha256sum` writes it (hash, two spaces, path), one line per file in `CHECKSUMMED`."""
    return "".join(f"{digests[path]}  {path}\n" for path in CHECKSUMMED).encode("ascii")


def file_entry(path: str, data: bytes) -> dict[str, Any]:
    """One `files` line of the manifest."""
    return {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size_bytes": len(data)}
