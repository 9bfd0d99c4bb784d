"""Checks a case package on its own, without the store: container, signatures, hashes, and that its parts agree.

A police unit (or a court's expert) runs this on the ZIP it was given, against the public key of the
installation that made it. Any damage - a changed byte anywhere, an entry added, removed, doubled or
pointing outside the folder, a field edited even with its hashes recomputed, a signature or key swapped -
ends up as a problem saying what was expected and what was found; the checker never raises on bad input.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import ValidationError

from service.leads.package_format import (
    ADS_FILE,
    CHECKSUMS,
    CHECKSUMS_SIGNATURE,
    CONTENT_FILES,
    MANIFEST,
    MANIFEST_SIGNATURE,
    MEMBERS,
    PUBLIC_KEY_FILE,
    READABLE_FORMATS,
    SCREENSHOT_MEMBER,
    SIGNATURE_ALGORITHM,
    SUMMARY_FILE,
    WARC_FILE,
    Manifest,
    checksummed,
    checksums_text,
)
from service.leads.package_zip import ZipEntry, ZipMember, dos_time, read_package_entries
from service.leads.signing import SIGNATURE_BYTES, fingerprint, parse_public_pem, public_pem, signature_valid
from service.leads.verify_contents import (
    check_ads_file,
    check_lists,
    check_screenshots,
    check_summary,
    check_warc,
    strict_json,
    validation_problems,
)

log = logging.getLogger("lokerwatch.leads")
_CHECKSUM_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")


@dataclass
class VerifyReport:
    path: str
    trusted_key_sha256: str
    package_sha256: str = ""
    package_key_sha256: str | None = None
    files_checked: int = 0
    snapshots_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def package_key_matches(self) -> bool | None:
        """Whether the package's own lokerwatch-pub.pem is the trusted key (None: it has no readable key)."""
        return None if self.package_key_sha256 is None else self.package_key_sha256 == self.trusted_key_sha256


def verify_package(path: Path, trusted_key: Ed25519PublicKey) -> VerifyReport:
    """Every problem found in the package at `path`, checked against `trusted_key` (empty: it is intact)."""
    report = VerifyReport(str(path), fingerprint(public_pem(trusted_key)))
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.problems.append(f"cannot read the file ({exc.strerror})")
        return report
    report.package_sha256 = hashlib.sha256(data).hexdigest()
    try:
        _verify(data, trusted_key, report)
    except Exception as exc:  # the last line of defence: a damaged package is a finding, never a crash
        log.debug("package check stopped", exc_info=True)  # debug: a CLI run must not print a traceback
        report.problems.append(f"the package could not be checked to the end ({type(exc).__name__}: {exc})")
    return report


def _verify(data: bytes, trusted_key: Ed25519PublicKey, report: VerifyReport) -> None:
    entries, problems = read_package_entries(data)
    report.problems.extend(problems)
    if not entries:
        return  # not a ZIP at all: listing every member as missing would say nothing more
    members = _inflated(entries, report.problems)
    files = _members_by_name(members, report.problems)
    _check_signatures(files, trusted_key, report)
    manifest = _manifest(files.get(MANIFEST), report.problems)
    if manifest is None:
        return
    _check_header(manifest, files, report)
    _check_files(manifest, files, {member.name for member in members}, report)
    _check_checksums(files, checksummed([entry.path for entry in manifest.files]), report.problems)
    check_lists(manifest, report.problems)
    check_screenshots(manifest, files, report.problems)
    if (ads := files.get(ADS_FILE)) is not None:
        check_ads_file(manifest, ads, report.problems)
    if (warc := files.get(WARC_FILE)) is not None:
        report.snapshots_checked = check_warc(manifest, warc, report.problems)
    if (summary := files.get(SUMMARY_FILE)) is not None:
        check_summary(manifest, summary, report.problems)
    _check_times(manifest, members, report.problems)


def _inflated(entries: list[ZipEntry], problems: list[str]) -> list[ZipMember]:
    """Every entry inflated within its bounds, manifest.json first: no file it lists is inflated past the size it
    gives. Its signature is checked later; an altered manifest can only lower that bound, never lift the ZIP's own
    or `MAX_ENTRY_BYTES`."""
    contents: dict[int, bytes | None] = {}
    manifests = [index for index, entry in enumerate(entries) if entry.name == MANIFEST]
    sizes: dict[str, int] = {}
    if len(manifests) == 1:  # two are a finding of their own (`_members_by_name`), and neither is believed
        contents[manifests[0]] = entries[manifests[0]].inflate(problems)
        sizes = _listed_sizes(contents[manifests[0]])
    for index, entry in enumerate(entries):
        if index not in contents:
            contents[index] = entry.inflate(problems, sizes.get(entry.name))
    return [ZipMember(entry.name, entry.dos_time, contents[index]) for index, entry in enumerate(entries)]


def _listed_sizes(manifest: bytes | None) -> dict[str, int]:
    """The size manifest.json gives each file it lists, read leniently (`_manifest` checks it in full later)."""
    try:
        parsed = json.loads(manifest) if manifest is not None else None
    except (ValueError, RecursionError):
        return {}
    files = parsed.get("files") if isinstance(parsed, dict) else None
    if not isinstance(files, list):
        return {}
    return {entry["path"]: entry["size_bytes"] for entry in files
            if isinstance(entry, dict) and isinstance(entry.get("path"), str)
            and type(entry.get("size_bytes")) is int and entry["size_bytes"] >= 0}


def _members_by_name(members: list[ZipMember], problems: list[str]) -> dict[str, bytes]:
    """The readable members that are part of a package, each exactly once; problems for everything else."""
    counts = Counter(member.name for member in members)
    for name, n in counts.items():
        if _escapes(name):
            problems.append(f"{name!r}: path escapes the package folder (absolute, '..', or a drive/backslash)")
        elif not _package_member(name):
            problems.append(f"{name}: not part of a lokerwatch package (extra entry)")
        if n > 1:
            problems.append(f"{name}: appears {n} times in the ZIP (duplicate entry: ZIP tools disagree on which "
                            "copy they show)")
    for name in MEMBERS:
        if name not in counts:
            problems.append(f"{name}: missing from the package")
    return {m.name: m.data for m in members
            if counts[m.name] == 1 and _package_member(m.name) and m.data is not None}


def _package_member(name: str) -> bool:
    """One of the members every package has, or a screenshot's place (whether the manifest lists it is
    checked once the manifest is read)."""
    return name in MEMBERS or SCREENSHOT_MEMBER.fullmatch(name) is not None


def _escapes(name: str) -> bool:
    parts = name.split("/")
    return (name.startswith("/") or "\\" in name or ":" in name or any(part in ("", ".", "..") for part in parts)
            or any(ord(char) < 32 for char in name))


def _check_signatures(files: dict[str, bytes], trusted_key: Ed25519PublicKey, report: VerifyReport) -> None:
    pem = files.get(PUBLIC_KEY_FILE)
    package_key = parse_public_pem(pem) if pem is not None else None
    if pem is not None:
        report.package_key_sha256 = fingerprint(pem)
        if package_key is None:
            report.problems.append(f"{PUBLIC_KEY_FILE}: not an Ed25519 public key in PEM form")
        elif report.package_key_matches is False:
            report.problems.append(f"{PUBLIC_KEY_FILE}: the package's public key (SHA-256 {report.package_key_sha256}) "
                                   f"is not this installation's key (SHA-256 {report.trusted_key_sha256})")
    for signed, signature_file in ((MANIFEST, MANIFEST_SIGNATURE), (CHECKSUMS, CHECKSUMS_SIGNATURE)):
        content, signature = files.get(signed), files.get(signature_file)
        if content is None or signature is None:
            continue  # already reported as missing or unreadable
        if len(signature) != SIGNATURE_BYTES:
            report.problems.append(f"{signature_file}: not an Ed25519 signature ({len(signature)} bytes, expected "
                                   f"{SIGNATURE_BYTES})")
        elif not signature_valid(trusted_key, content, signature):
            by_own_key = package_key is not None and signature_valid(package_key, content, signature)
            report.problems.append(
                f"{signature_file}: {signed} is signed by another key (the package's own {PUBLIC_KEY_FILE}), not "
                "by this installation" if by_own_key else
                f"{signature_file}: the signature does not match {signed} under this installation's key: "
                f"{signed} or its signature was altered")


def _manifest(data: bytes | None, problems: list[str]) -> Manifest | None:
    if data is None:
        return None
    parsed = strict_json(data, MANIFEST, problems)
    if parsed is None:
        return None
    if not isinstance(parsed, dict) or parsed.get("format") not in READABLE_FORMATS:
        found = parsed.get("format") if isinstance(parsed, dict) else None
        problems.append(f"{MANIFEST}: format {found!r} is not one of {list(READABLE_FORMATS)} "
                        "(a signed lokerwatch package)")
        return None
    try:
        return Manifest.model_validate(parsed)
    except ValidationError as exc:
        problems.extend(validation_problems(MANIFEST, exc))
        return None


def _check_header(manifest: Manifest, files: dict[str, bytes], report: VerifyReport) -> None:
    fixed = {"warc_file": (manifest.warc_file, WARC_FILE),
             "signing_key.algorithm": (manifest.signing_key.algorithm, SIGNATURE_ALGORITHM),
             "signing_key.public_key_file": (manifest.signing_key.public_key_file, PUBLIC_KEY_FILE)}
    for name, (found, expected) in fixed.items():
        if found != expected:
            report.problems.append(f"{MANIFEST}: {name} is {found!r}, expected {expected!r}")
    if report.package_key_sha256 is not None and manifest.signing_key.public_key_sha256 != report.package_key_sha256:
        report.problems.append(f"{MANIFEST}: signing_key.public_key_sha256 does not match {PUBLIC_KEY_FILE}")


def _check_files(manifest: Manifest, files: dict[str, bytes], names: set[str], report: VerifyReport) -> None:
    """Every file the manifest lists has its size and SHA-256 (`names`: every entry the ZIP holds)."""
    listed = [entry.path for entry in manifest.files]
    expected = [*CONTENT_FILES, *(shot.file for shot in manifest.screenshots if shot.file is not None)]
    if listed != expected:
        report.problems.append(f"{MANIFEST}: files lists {listed}, expected {expected}")
    for name in sorted(set(files) - set(listed) - set(MEMBERS)):
        report.problems.append(f"{name}: a screenshot the manifest does not list (extra entry)")
    for entry in manifest.files:
        content = files.get(entry.path)
        if content is None:
            if SCREENSHOT_MEMBER.fullmatch(entry.path) and entry.path not in names:
                report.problems.append(f"{entry.path}: missing from the package")
            continue  # else missing, unreadable or not a package file: reported already
        digest = hashlib.sha256(content).hexdigest()
        if len(content) != entry.size_bytes:
            report.problems.append(f"{entry.path}: {len(content)} bytes, but the manifest says {entry.size_bytes}")
        if digest != entry.sha256:
            report.problems.append(f"{entry.path}: SHA-256 does not match the manifest (manifest {entry.sha256}, "
                                   f"file {digest}); the file was altered")
        else:
            report.files_checked += 1


def _check_checksums(files: dict[str, bytes], expected: list[str], problems: list[str]) -> None:
    """SHA256SUMS says exactly what `sha256sum` says of the `expected` files, in the form lokerwatch writes."""
    text = files.get(CHECKSUMS)
    if text is None:
        return
    actual = {path: hashlib.sha256(files[path]).hexdigest() for path in expected if path in files}
    if len(actual) == len(expected) and text == checksums_text(actual):
        return
    lines: dict[str, str] = {}
    for number, line in enumerate(text.decode("utf-8", errors="replace").splitlines(), 1):
        match = _CHECKSUM_LINE.fullmatch(line)
        if match is None:
            problems.append(f"{CHECKSUMS}: line {number} is not a `sha256sum` line: {line[:80]!r}")
            continue
        digest, path = match.groups()
        if path in lines:
            problems.append(f"{CHECKSUMS}: {path} is listed twice")
        lines[path] = digest
    for path in sorted(set(lines) - set(expected)):
        problems.append(f"{CHECKSUMS}: lists {path}, which is not a package file")
    for path in expected:
        if path not in lines:
            problems.append(f"{CHECKSUMS}: has no line for {path}")
        elif path in actual and lines[path] != actual[path]:
            problems.append(f"{CHECKSUMS}: the line for {path} says {lines[path]}, "
                            f"the file's SHA-256 is {actual[path]}")
    problems.append(f"{CHECKSUMS}: not the list lokerwatch writes for these files")


def _check_times(manifest: Manifest, members: list[ZipMember], problems: list[str]) -> None:
    """Every ZIP entry carries the export time (UTC, in the ZIP's 2-second steps)."""
    expected = dos_time(datetime.fromisoformat(manifest.exported_at).astimezone(UTC))
    if stamped := sorted({m.name for m in members if m.dos_time != expected}):
        problems.append(f"ZIP entry time of {', '.join(stamped)} differs from the manifest's exported_at "
                        f"({manifest.exported_at})")
