"""What a tamperer can do to a case package: flip bytes, patch ZIP headers, add, drop or double entries, edit
files and fix their hashes, re-sign with their own key. Each function returns the altered package's bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from service.leads.package_format import (
    CHECKSUMS,
    CHECKSUMS_SIGNATURE,
    MANIFEST,
    MANIFEST_SIGNATURE,
    checksums_text,
)
from service.leads.package_zip import write_package_zip
from service.leads.signing import PackageSigner


@dataclass(frozen=True)
class Original:
    """An untouched package, its members in order, and the key that signed it."""

    data: bytes
    files: dict[str, bytes]
    exported_at: datetime
    signer: PackageSigner

    @classmethod
    def of(cls, data: bytes, signer: PackageSigner) -> Original:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            files = {info.filename: archive.read(info) for info in archive.infolist()}
        exported_at = datetime.fromisoformat(json.loads(files[MANIFEST])["exported_at"])
        return cls(data, files, exported_at, signer)

    @property
    def manifest(self) -> dict[str, Any]:
        return dict(json.loads(self.files[MANIFEST]))


# --- the container, byte by byte ----------------------------------------------------------------------


def _info(package: Original, name: str) -> zipfile.ZipInfo:
    with zipfile.ZipFile(io.BytesIO(package.data)) as archive:
        return archive.getinfo(name)


def data_span(package: Original, name: str) -> tuple[int, int]:
    """Where the member's compressed bytes are in the ZIP (lokerwatch writes no extra fields)."""
    info = _info(package, name)
    start = info.header_offset + 30 + len(info.filename.encode())
    return start, start + info.compress_size


def central_offset(package: Original, name: str) -> int:
    """Where the member's central-directory record starts."""
    with zipfile.ZipFile(io.BytesIO(package.data)) as archive:
        position = archive.start_dir
        for info in archive.infolist():
            if info.filename == name:
                return position
            position += 46 + len(info.filename.encode()) + len(info.extra) + len(info.comment)
    raise KeyError(name)


def flip(data: bytes, offset: int, mask: int = 0xFF) -> bytes:
    changed = bytearray(data)
    changed[offset] ^= mask
    return bytes(changed)


def patch(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    changed = bytearray(data)
    struct.pack_into(fmt, changed, offset, value)
    return bytes(changed)


def add_to(data: bytes, offset: int, fmt: str, delta: int) -> bytes:
    return patch(data, offset, fmt, struct.unpack_from(fmt, data, offset)[0] + delta)


def local_field(package: Original, name: str, field_offset: int) -> int:
    return _info(package, name).header_offset + field_offset


def both_headers(package: Original, name: str, local_offset: int, central: int, fmt: str,
                 change: Callable[[bytes, int, str], bytes]) -> bytes:
    """The same field changed in the local header and in the central directory (they stay consistent)."""
    data = change(package.data, local_field(package, name, local_offset), fmt)
    return change(data, central_offset(package, name) + central, fmt)


# --- the members ------------------------------------------------------------------------------------


def raw_zip(entries: list[tuple[str, bytes]]) -> bytes:
    """Entries written by plain `zipfile` (names and order as given, duplicates allowed)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": the very thing being made
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def rezip(package: Original, files: dict[str, bytes]) -> bytes:
    """The files in lokerwatch's own ZIP layout: only what is inside differs from a real package."""
    return write_package_zip(files, package.exported_at)


def replaced(package: Original, changes: dict[str, bytes], fix_hashes: bool = True,
             sign_with: PackageSigner | None = None) -> bytes:
    """Members replaced; with `fix_hashes` the manifest's sizes and SHA-256s and SHA256SUMS follow them;
    with `sign_with` both signatures are made again with that key (else the old ones stay)."""
    files = {**package.files, **changes}
    if fix_hashes:
        if MANIFEST not in changes:  # a manifest given is taken as it is
            manifest = json.loads(files[MANIFEST])
            for entry in manifest["files"]:
                if entry["path"] in changes:
                    entry["sha256"] = hashlib.sha256(files[entry["path"]]).hexdigest()
                    entry["size_bytes"] = len(files[entry["path"]])
            files[MANIFEST] = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        if CHECKSUMS not in changes:
            files[CHECKSUMS] = checksums_text({path: hashlib.sha256(data).hexdigest() for path, data in files.items()})
    if sign_with is not None:
        files[MANIFEST_SIGNATURE] = sign_with.sign(files[MANIFEST])
        files[CHECKSUMS_SIGNATURE] = sign_with.sign(files[CHECKSUMS])
    return rezip(package, files)


def edited_manifest(package: Original, edit: Callable[[dict[str, Any]], object],
                    sign_with: PackageSigner | None = None) -> bytes:
    """manifest.json edited, SHA256SUMS fixed to match; re-signed with `sign_with` if given."""
    manifest = package.manifest
    edit(manifest)
    return replaced(package, {MANIFEST: json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")},
                    sign_with=sign_with)


def edited_json(package: Original, name: str, edit: Callable[[dict[str, Any]], object],
                sign_with: PackageSigner | None = None) -> bytes:
    """A JSON member edited, with every hash fixed (and re-signed with `sign_with` if given)."""
    content = json.loads(package.files[name])
    edit(content)
    return replaced(package, {name: json.dumps(content, ensure_ascii=False, indent=2).encode("utf-8")},
                    sign_with=sign_with)


def set_at(document: dict[str, Any], path: str, value: object) -> None:
    """`set_at(m, "ads.0.url", "x")`: set a field found by dotted path (list indexes as numbers)."""
    *parents, last = path.split(".")
    target: Any = document
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value


def get_at(document: dict[str, Any], path: str) -> Any:
    target: Any = document
    for part in path.split("."):
        target = target[int(part)] if isinstance(target, list) else target[part]
    return target


# --- the evidence WARC ---------------------------------------------------------------------------------

WarcRecord = dict[str, Any]  # {"headers": [(name, value)], "http": StatusAndHeaders | None, "payload": bytes}
DIGESTS = ("WARC-Block-Digest", "WARC-Payload-Digest")


def warc_records(warc: bytes) -> list[WarcRecord]:
    records = []
    for record in ArchiveIterator(io.BytesIO(warc)):
        http = record.http_headers
        records.append({"headers": list(record.rec_headers.headers), "payload": record.raw_stream.read(),
                        "http": StatusAndHeaders(http.statusline, list(http.headers), protocol=http.protocol)
                        if http else None})
    return records


def header(record: WarcRecord, name: str) -> str:
    return str(next(value for key, value in record["headers"] if key == name))


def set_header(record: WarcRecord, name: str, value: str) -> None:
    record["headers"] = [(key, value if key == name else old) for key, old in record["headers"]]


def write_warc_records(records: list[WarcRecord], keep_digests: bool = False) -> bytes:
    """The records as a gzipped WARC; their SHA-1 digests are made anew unless `keep_digests`."""
    output = io.BytesIO()
    writer = WARCWriter(output, gzip=True)
    for record in records:
        headers = [(k, v) for k, v in record["headers"]
                   if k != "Content-Length" and (keep_digests or k not in DIGESTS)]
        writer.write_record(writer.create_warc_record(
            header(record, "WARC-Target-URI"), header(record, "WARC-Type"), payload=io.BytesIO(record["payload"]),
            length=len(record["payload"]), http_headers=record["http"],
            warc_headers=StatusAndHeaders("", headers, protocol="WARC/1.0")))
    return output.getvalue()


# --- ZIP bombs ------------------------------------------------------------------------------------------


def with_bomb(package: Original, name: str, size: int) -> bytes:
    """The package with `name` replaced by `size` spaces, deflated in lokerwatch's layout with headers that tell the
    truth: a ZIP bomb (about 1,000 to 1 deflated), written in steps so the spaces are never all in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=False) as archive:
        for path, content in package.files.items():
            info = zipfile.ZipInfo(path, date_time=package.exported_at.timetuple()[:6])
            info.compress_type, info.create_system, info.external_attr = zipfile.ZIP_DEFLATED, 3, 0o100644 << 16
            if path != name:
                archive.writestr(info, content)
                continue
            step = b" " * (1 << 20)
            with archive.open(info, "w") as entry:
                for start in range(0, size, len(step)):
                    entry.write(step[:size - start])
    return buffer.getvalue()
