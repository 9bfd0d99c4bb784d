"""A case package proves itself (issue #13): signed with the installation's Ed25519 key, checked by `lead verify`
and - without lokerwatch - by `sha256sum -c`, OpenSSL 3 and `warcio check`; every tampering is refused with a
reason, never a traceback.

The mutations are the outside tester's 52 and more: each is applied to a real package (two real captured pages,
two confirmed ads) and must be refused with the reason given beside it.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import re
import stat
import subprocess
import sys
import threading
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from sqlalchemy import select

from service.leads.package_format import (
    ADS_FILE,
    CHECKSUMS,
    CHECKSUMS_SIGNATURE,
    MANIFEST,
    MANIFEST_SIGNATURE,
    MEMBERS,
    PUBLIC_KEY_FILE,
    SUMMARY_FILE,
    WARC_FILE,
)
from service.leads.package_zip import MAX_ENTRY_BYTES
from service.leads.rules import Viewer, create_lead
from service.leads.signing import (
    PackageSigner,
    SigningKeyError,
    installation_public_key,
    load_or_create_signer,
    read_public_key,
)
from service.leads.verify import verify_package
from service.settings import Settings
from service.store.session import Store, open_store
from service.store.tables import AuditEntry, LeadExport
from tests.conftest import FIXTURES_DIR
from tests.service.leads.packages import UNIT, create_test_lead, export_package, seed_lead_data
from tests.service.leads.tampering import (
    Original,
    add_to,
    both_headers,
    central_offset,
    data_span,
    edited_json,
    edited_manifest,
    flip,
    get_at,
    local_field,
    patch,
    raw_zip,
    replaced,
    rezip,
    set_at,
    set_header,
    warc_records,
    with_bomb,
    write_warc_records,
)

OPENSSL_OK = "Signature Verified Successfully"
WARCIO = Path(sys.executable).with_name("warcio")


# --- one real package for the mutations (the store plays no part in checking a package) ----------------


@dataclass(frozen=True)
class Material:
    original: Original
    key_path: Path  # the installation's key file
    attacker: PackageSigner  # someone else's key, as a forger would use


@pytest.fixture(scope="module")
def material(tmp_path_factory: pytest.TempPathFactory) -> Material:
    root = tmp_path_factory.mktemp("package")
    settings = Settings(database_url=f"sqlite:///{root / 'lokerwatch.db'}", dev_mode=True, _env_file=None,  # type: ignore[call-arg]
                        secret_key="test-signing-key-not-for-production", audit_head_path=root / "audit-head.log",
                        signing_key_path=root / "signing-key.pem")
    store = open_store(settings)
    try:
        package = export_package(store, settings, create_test_lead(store, seed_lead_data(store, FIXTURES_DIR)))
    finally:
        store.dispose()
    return Material(Original.of(package.data, load_or_create_signer(settings.signing_key_path)),
                    settings.signing_key_path, PackageSigner(Ed25519PrivateKey.generate()))


def check(material: Material, data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "paket.zip"
    path.write_bytes(data)
    return verify_package(path, material.original.signer.private_key.public_key()).problems


# --- the mutations ------------------------------------------------------------------------------------

Make = Callable[[Original, PackageSigner], bytes]  # (the untouched package, an attacker's key) -> altered bytes


@dataclass(frozen=True)
class Mutation:
    name: str
    make: Make
    reason: str  # a regular expression one of the problems must match


MUTATIONS: list[Mutation] = []


def mutation(name: str, reason: str) -> Callable[[Make], Make]:
    def register(make: Make) -> Make:
        MUTATIONS.append(Mutation(name, make, reason))
        return make
    return register


def _add(name: str, reason: str, make: Make) -> None:
    MUTATIONS.append(Mutation(name, make, reason))


# Factories, so each loop below binds its own value (and mypy can type the lambdas).
def _with_entry(name: str) -> Make:
    return lambda p, _: rezip(p, {**p.files, name: b"x"})


def _without(member: str) -> Make:
    return lambda p, _: rezip(p, {k: v for k, v in p.files.items() if k != member})


def _manifest_edited(edit: Callable[[dict[str, Any]], object], signed: bool) -> Make:
    return lambda p, _: edited_manifest(p, edit, sign_with=p.signer if signed else None)


def _ads_edited(edit: Callable[[dict[str, Any]], object]) -> Make:
    return lambda p, _: edited_json(p, ADS_FILE, edit, sign_with=p.signer)


# Bytes flipped in every member's compressed data, in the middle and in the last byte.
for _member in MEMBERS:
    for _where in ("middle", "last"):
        def _flip_member(p: Original, _: PackageSigner, member: str = _member, where: str = _where) -> bytes:
            start, end = data_span(p, member)
            return flip(p.data, (start + end) // 2 if where == "middle" else end - 1)
        _add(f"flipped byte in {_member} compressed data ({_where})",
             rf"{re.escape(_member)}: (compressed data|CRC-32|inflates)", _flip_member)

# The ZIP's headers and layout.
_add("local header names another file", r"local header names it",
     lambda p, _: flip(p.data, local_field(p, ADS_FILE, 30), 0x01))
_add("local header CRC differs from the central directory", r"local header differs from the central directory",
     lambda p, _: flip(p.data, local_field(p, ADS_FILE, 14)))
_add("central directory file attributes changed", r"central-directory header altered",
     lambda p, _: flip(p.data, central_offset(p, SUMMARY_FILE) + 38, 0x01))
_add("central directory 'made by' system changed", r"central-directory header altered",
     lambda p, _: flip(p.data, central_offset(p, MANIFEST) + 5, 0x01))
_add("CRC changed in both headers", r"ads\.json: CRC-32 does not match",
     lambda p, _: both_headers(p, ADS_FILE, 14, 16, "<I", lambda d, o, f: add_to(d, o, f, 1)))
_add("uncompressed size grown in both headers", r"ringkasan\.html: inflates to \d+ bytes, not the declared",
     lambda p, _: both_headers(p, SUMMARY_FILE, 22, 24, "<I", lambda d, o, f: add_to(d, o, f, 10)))
_add("uncompressed size shrunk in both headers", r"ringkasan\.html: inflates to more than its declared",
     lambda p, _: both_headers(p, SUMMARY_FILE, 22, 24, "<I", lambda d, o, f: add_to(d, o, f, -10)))
_add("compressed size shrunk in both headers", r"manifest\.json: (compressed data|local header|no local header)|"
     r"bytes (hidden|overlapping)", lambda p, _: both_headers(p, MANIFEST, 18, 20, "<I",
                                                             lambda d, o, f: add_to(d, o, f, -1)))
_add("data-descriptor flag set in both headers", r"entry header altered",
     lambda p, _: both_headers(p, ADS_FILE, 6, 8, "<H", lambda d, o, f: patch(d, o, f, 0x08)))
_add("stored instead of deflated in both headers", r"entry header altered",
     lambda p, _: both_headers(p, ADS_FILE, 8, 10, "<H", lambda d, o, f: patch(d, o, f, 0)))
_add("entry time changed in both headers", r"ZIP entry time of ads\.json differs",
     lambda p, _: both_headers(p, ADS_FILE, 10, 12, "<H", lambda d, o, f: add_to(d, o, f, 1)))
_add("end record counts one entry less", r"end-of-archive record counts \d+ and \d+ entries",
     lambda p, _: add_to(p.data, len(p.data) - 12, "<H", -1))
_add("end record points the central directory elsewhere", r"central directory",
     lambda p, _: add_to(p.data, len(p.data) - 6, "<I", 1))
_add("bytes appended after the end record", r"bytes after the end-of-archive record",
     lambda p, _: p.data + b"\x00tersembunyi")
_add("a ZIP comment", r"bytes after the end-of-archive record",
     lambda p, _: patch(p.data, len(p.data) - 2, "<H", 5) + b"halo!")
_add("bytes put before the first entry", r"central directory|hidden before",
     lambda p, _: b"MZ" + b"\x00" * 62 + p.data)
_add("a second package appended", r"central directory|hidden|overlapping|bytes after",
     lambda p, _: p.data + p.data)
_add("cut to nothing", r"not a ZIP file", lambda p, _: b"")
_add("cut to its first 100 bytes", r"not a ZIP file|cut short", lambda p, _: p.data[:100])
_add("cut in half", r"not a ZIP file|cut short", lambda p, _: p.data[:len(p.data) // 2])
_add("last byte cut", r"cut short|not a ZIP file|bytes after", lambda p, _: p.data[:-1])
_add("end record cut off", r"not a ZIP file|cut short", lambda p, _: p.data[:-22])


# Entries doubled, added, missing, or pointing outside the package's folder.
def _tampered_ads(p: Original) -> bytes:
    return p.files[ADS_FILE].replace(b"visa turis + paspor ditahan", b"tidak ada masalah")


_add("duplicate ads.json, tampered copy first", r"ads\.json: appears 2 times",
     lambda p, _: raw_zip([(ADS_FILE, _tampered_ads(p)), *p.files.items()]))
_add("duplicate ads.json, tampered copy last", r"ads\.json: appears 2 times",
     lambda p, _: raw_zip([*p.files.items(), (ADS_FILE, _tampered_ads(p))]))
_add("a second manifest.json", r"manifest\.json: appears 2 times",
     lambda p, _: raw_zip([*p.files.items(), (MANIFEST, p.files[MANIFEST].replace(UNIT.encode(), b"Unit lain"))]))
_add("a second signature", r"manifest\.json\.sig: appears 2 times",
     lambda p, _: raw_zip([*p.files.items(), (MANIFEST_SIGNATURE, bytes(64))]))
_add("an extra file", r"catatan\.txt: not part of a lokerwatch package",
     lambda p, _: rezip(p, {**p.files, "catatan.txt": b"tambahan"}))
_add("an extra WARC beside the evidence", r"evidence/lain\.warc\.gz: not part",
     lambda p, _: rezip(p, {**p.files, "evidence/lain.warc.gz": p.files[WARC_FILE]}))
_add("a folder entry", r"evidence/: path escapes|'evidence/'",
     lambda p, _: rezip(p, {**p.files, "evidence/": b""}))
for _escape in ("../ads.json", "/etc/cron.d/lokerwatch", "evidence/../../ringkasan.html", "C:\\Windows\\x.bat",
                "evidence\\..\\..\\x"):
    _add(f"path escaping: {_escape}", rf"{re.escape(repr(_escape))}: path escapes the package folder",
         _with_entry(_escape))
for _member in MEMBERS:
    _add(f"{_member} removed", rf"{re.escape(_member)}: missing from the package",
         _without(_member))


# Content edited, hashes left alone or fixed in the manifest and SHA256SUMS, signatures left alone.
_add("ads.json edited", r"ads\.json: SHA-256 does not match the manifest",
     lambda p, _: replaced(p, {ADS_FILE: _tampered_ads(p)}, fix_hashes=False))
_add("ringkasan.html edited", r"ringkasan\.html: (SHA-256 does not match|inflates to more than the \d+ bytes the "
     r"manifest gives it \(reading stopped there\); the file was altered)",
     lambda p, _: replaced(p, {SUMMARY_FILE: p.files[SUMMARY_FILE].replace(b"Kamboja", b"Malaysia")}, fix_hashes=False))
_add("ads.json edited, hashes fixed in manifest and SHA256SUMS", r"manifest\.json\.sig: the signature does not match",
     lambda p, _: replaced(p, {ADS_FILE: _tampered_ads(p)}))
_add("ringkasan.html edited, hashes fixed", r"SHA256SUMS\.sig: the signature does not match",
     lambda p, _: replaced(p, {SUMMARY_FILE: p.files[SUMMARY_FILE].replace(b"Kamboja", b"Malaysia")}))
_add("ads.json size changed (a space added), hashes fixed", r"manifest\.json\.sig: the signature does not match",
     lambda p, _: replaced(p, {ADS_FILE: p.files[ADS_FILE] + b" "}))
_add("SHA256SUMS edited to match a tampered ads.json", r"SHA256SUMS\.sig: the signature does not match",
     lambda p, _: replaced(p, {ADS_FILE: _tampered_ads(p), CHECKSUMS: p.files[CHECKSUMS].replace(
         hashlib.sha256(p.files[ADS_FILE]).hexdigest().encode(),
         hashlib.sha256(_tampered_ads(p)).hexdigest().encode())}, fix_hashes=False))


# Signatures and keys swapped.
_add("manifest signature replaced by random bytes", r"manifest\.json\.sig: the signature does not match",
     lambda p, _: replaced(p, {MANIFEST_SIGNATURE: os.urandom(64)}, fix_hashes=False))
_add("the two signatures swapped", r"manifest\.json\.sig: the signature does not match",
     lambda p, _: replaced(p, {MANIFEST_SIGNATURE: p.files[CHECKSUMS_SIGNATURE],
                               CHECKSUMS_SIGNATURE: p.files[MANIFEST_SIGNATURE]}, fix_hashes=False))
_add("signature cut by one byte", r"manifest\.json\.sig: not an Ed25519 signature \(63 bytes",
     lambda p, _: replaced(p, {MANIFEST_SIGNATURE: p.files[MANIFEST_SIGNATURE][:-1]}, fix_hashes=False))
_add("signature emptied", r"SHA256SUMS\.sig: not an Ed25519 signature \(0 bytes",
     lambda p, _: replaced(p, {CHECKSUMS_SIGNATURE: b""}, fix_hashes=False))
_add("everything re-signed by another key, its public key put in",
     r"signed by another key \(the package's own lokerwatch-pub\.pem\), not by this installation",
     lambda p, attacker: _forged(p, attacker))
_add("re-signed by another key, package key left", r"manifest\.json\.sig: the signature does not match",
     lambda p, attacker: replaced(p, {ADS_FILE: _tampered_ads(p)}, sign_with=attacker))
_add("public key replaced by another key", r"lokerwatch-pub\.pem: the package's public key .* is not this installation",
     lambda p, attacker: replaced(p, {PUBLIC_KEY_FILE: attacker.public_pem}, fix_hashes=False))
_add("public key replaced by garbage, re-signed", r"lokerwatch-pub\.pem: not an Ed25519 public key",
     lambda p, _: replaced(p, {PUBLIC_KEY_FILE: b"-----BEGIN PUBLIC KEY-----\nbukan kunci\n-----END PUBLIC KEY-----\n"},
                           sign_with=p.signer))


def _forged(p: Original, attacker: PackageSigner) -> bytes:
    """A forger's package: ads.json changed, their key in (and its SHA-256 in the summary), manifest and
    SHA256SUMS fixed and signed by them: consistent in itself, so only the key it is checked against refuses it."""
    manifest = p.manifest
    manifest["signing_key"]["public_key_sha256"] = attacker.fingerprint
    summary = p.files[SUMMARY_FILE].replace(p.signer.fingerprint.encode(), attacker.fingerprint.encode())
    changed = {ADS_FILE: _tampered_ads(p), PUBLIC_KEY_FILE: attacker.public_pem, SUMMARY_FILE: summary}
    for entry in manifest["files"]:
        if (source := changed.get(entry["path"])) is not None:
            entry.update(sha256=hashlib.sha256(source).hexdigest(), size_bytes=len(source))
    return replaced(p, {**changed, MANIFEST: json.dumps(manifest, indent=2).encode()}, sign_with=attacker)


# Every manifest field edited: (field, new value, reason when re-signed with the installation's own key).
# Without the key, each edit breaks the signature; signed anyway (a stolen key, a bug), the cross-checks find it.
MANIFEST_EDITS: list[tuple[str, Callable[[object], object], str]] = [
    ("lead_id", lambda v: int(str(v)) + 1000, r"lead_id is \d+ but ads\.json says"),
    ("unit", lambda v: "PPA Polres Pontianak", r"unit is 'PPA Polres Pontianak' but ads\.json says"),
    ("title", lambda v: "Judul lain", r"title is 'Judul lain' but ads\.json says"),
    ("exported_by", lambda v: "orang-lain", r"exported_by is 'orang-lain' but ads\.json says"),
    ("exported_at", lambda v: "2026-01-01T00:00:00+00:00", r"exported_at is .* but ads\.json says"),
    ("lokerwatch_version", lambda v: "9.9.9", r"lokerwatch_version is '9\.9\.9' but ads\.json says"),
    ("model_versions", lambda v: ["model-palsu"], r"model_versions is \['model-palsu'\] but ads\.json says"),
    ("signing_key.algorithm", lambda v: "RSA", r"signing_key\.algorithm is 'RSA', expected 'Ed25519'"),
    ("signing_key.public_key_file", lambda v: "kunci.pem", r"signing_key\.public_key_file is 'kunci\.pem'"),
    ("signing_key.public_key_sha256", lambda v: "0" * 64, r"signing_key\.public_key_sha256 does not match"),
    ("warc_file", lambda v: "evidence/lain.warc.gz", r"warc_file is 'evidence/lain\.warc\.gz', expected"),
    ("counts.ads", lambda v: int(str(v)) + 1, r"counts\.ads is 3 but it lists 2"),
    ("counts.snapshots", lambda v: int(str(v)) - 1, r"counts\.snapshots is 1 but it lists 2"),
    ("counts.decisions", lambda v: int(str(v)) + 1, r"counts\.decisions is 4 but it lists 3"),
    ("counts.files", lambda v: int(str(v)) + 1, r"counts\.files is 7 but it lists 6"),
    ("ads.0.ad_id", lambda v: int(str(v)) + 1000, r"the list of ad ids is"),
    ("ads.0.source", lambda v: "olx", r"ads\[ad \d+\]\.source is 'olx' but ads\.json says"),
    ("ads.0.source_ad_id", lambda v: "999", r"ads\[ad \d+\]\.source_ad_id is '999'"),
    ("ads.0.url", lambda v: "https://t.me/s/lain/1", r"ads\[ad \d+\]\.url is 'https://t\.me/s/lain/1'"),
    ("ads.0.content_hash", lambda v: "f" * 64, r"ads\[ad \d+\]\.content_hash is"),
    ("ads.0.first_seen_at", lambda v: "2025-01-01T00:00:00+00:00", r"ads\[ad \d+\]\.first_seen_at is '2025-01-01"),
    ("ads.0.last_seen_at", lambda v: "2027-01-01T00:00:00+00:00", r"ads\[ad \d+\]\.last_seen_at is '2027-01-01"),
    ("ads.0.snapshot_ids", lambda v: [], r"ads\[ad \d+\]\.snapshot_ids is \[\] but ads\.json says"),
    ("ads.0.decisions", lambda v: int(str(v)) + 1, r"ads\[ad \d+\]\.decisions is \d+ but ads\.json says"),
    ("snapshots.0.snapshot_id", lambda v: int(str(v)) + 1000, r"holds a record for snapshot \d+ that the manifest"),
    ("snapshots.0.url", lambda v: "https://contoh.id/", r"X-Lokerwatch-Requested-URL is .* but the manifest says"),
    ("snapshots.0.final_url", lambda v: "https://contoh.id/", r"WARC-Target-URI is .* but the manifest says"),
    ("snapshots.0.http_status", lambda v: 404, r"WARC HTTP status 200 but the manifest says 404"),
    ("snapshots.0.captured_at", lambda v: "2026-11-20T09:30:00+00:00", r"WARC-Date is .* but the manifest says"),
    ("snapshots.0.sha256", lambda v: "a" * 64, r"bytes in the WARC do not match the manifest's SHA-256"),
    ("snapshots.0.size_bytes", lambda v: int(str(v)) - 1, r"bytes in the WARC do not match the manifest's SHA-256 "
                                                           r"and size"),
    ("snapshots.0.warc_record_id", lambda v: "<urn:uuid:0>", r"WARC-Record-ID is .* but the manifest says"),
    ("snapshots.0.ad_ids", lambda v: [], r"snapshot \d+ names ads \[\], but the ads that name it are"),
    ("files.0.path", lambda v: "iklan.json", r"files lists \['iklan\.json'"),
    ("files.0.sha256", lambda v: "b" * 64, r"ads\.json: SHA-256 does not match the manifest"),
    ("files.0.size_bytes", lambda v: int(str(v)) + 1, r"ads\.json: \d+ bytes, but the manifest says"),
    ("format", lambda v: "lokerwatch-lead-package/1", r"format 'lokerwatch-lead-package/1' is not"),
]
for _field, _value, _reason in MANIFEST_EDITS:
    def _edit(m: dict[str, Any], field: str = _field, value: Callable[[object], object] = _value) -> None:
        set_at(m, field, value(get_at(m, field)))
    _add(f"manifest {_field} edited", r"manifest\.json\.sig: the signature does not match",
         _manifest_edited(_edit, signed=False))
    _add(f"manifest {_field} edited and signed with the installation's key", _reason,
         _manifest_edited(_edit, signed=True))

# Whole entries of the manifest left out or added, signed with the installation's key.
_SIGNED_EDITS: list[tuple[str, Callable[[dict[str, Any]], object], str]] = [
    ("a snapshot left out", lambda m: m["snapshots"].pop(), r"missing from the snapshot list"),
    ("an ad left out", lambda m: m["ads"].pop(), r"counts\.ads is 2 but it lists 1"),
    ("a file left out of files", lambda m: m["files"].pop(), r"files lists"),
    ("an unknown field added", lambda m: m.update(catatan="x"), r"field catatan: Extra inputs are not permitted"),
    ("exported_at not a time", lambda m: m.update(exported_at="kemarin"), r"field exported_at: .*not an ISO-8601"),
    ("exported_at without a zone", lambda m: m.update(exported_at="2026-12-01T10:00:00"), r"has no time zone"),
    ("lead_id as text", lambda m: m.update(lead_id="1"), r"field lead_id: Input should be a valid integer"),
    ("a snapshot listed twice", lambda m: m["snapshots"].append(m["snapshots"][0]),
     r"lists snapshot \d+ twice"),
]
for _label, _edit_fn, _reason in _SIGNED_EDITS:
    _add(f"manifest: {_label}, signed", _reason, _manifest_edited(_edit_fn, signed=True))

_add("manifest with a key given twice, signed", r"manifest\.json: not valid JSON \(key 'unit' appears twice",
     lambda p, _: replaced(p, {MANIFEST: p.files[MANIFEST].replace(b'"unit":', b'"unit": "Unit lain", "unit":', 1)},
                           sign_with=p.signer))
_add("manifest not JSON, signed", r"manifest\.json: not valid JSON",
     lambda p, _: replaced(p, {MANIFEST: p.files[MANIFEST][:-10]}, sign_with=p.signer))


# ringkasan.html disagreeing with the manifest, every hash fixed and signed with the installation's key.
def _summary_edited(old: Callable[[Original], str], new: Callable[[Original], str]) -> Make:
    def make(p: Original, _: PackageSigner) -> bytes:
        summary = p.files[SUMMARY_FILE].decode("utf-8")
        assert old(p) in summary, old(p)  # the edit must hit what the template writes
        return replaced(p, {SUMMARY_FILE: summary.replace(old(p), new(p)).encode("utf-8")}, sign_with=p.signer)
    return make


def _first_ad(p: Original) -> dict[str, Any]:
    return dict(p.manifest["ads"][0])


_SUMMARY_EDITS: list[tuple[str, Callable[[Original], str], Callable[[Original], str], str]] = [
    ("unit", lambda p: f"<td>{UNIT}</td>", lambda p: "<td>PPA Polres Pontianak</td>", r"manifest's unit"),
    ("exporter", lambda p: "<td>supervisor1 (", lambda p: "<td>orang-lain (", r"manifest's exporter"),
    ("lead title", lambda p: "Jaringan admin Kamboja</h1>", lambda p: "Judul lain</h1>",
     r"manifest's lead #\d+ titled"),
    ("ad count", lambda p: "Jumlah iklan</th><td>2<", lambda p: "Jumlah iklan</th><td>3<", r"manifest's 2 ads"),
    ("key fingerprint", lambda p: p.manifest["signing_key"]["public_key_sha256"], lambda p: "0" * 64,
     r"manifest's signing key SHA-256"),
    ("ad URL", lambda p: f"<code data-source-text>{_first_ad(p)['url']}</code>",
     lambda p: "<code data-source-text>https://t.me/s/lain/1</code>", r"ad \d+'s URL"),
    ("snapshot hash", lambda p: f"<code>{p.manifest['snapshots'][0]['sha256']}</code>",
     lambda p: f"<code>{'a' * 64}</code>", r"snapshot \d+'s SHA-256"),
    ("ad section relabelled", lambda p: f"<h2>Iklan #{_first_ad(p)['ad_id']}:", lambda p: "<h2>Iklan #999:",
     r"ringkasan\.html shows ads \[999, \d+\], the manifest lists"),
]
for _label, _old, _new, _reason in _SUMMARY_EDITS:
    _add(f"ringkasan.html: {_label} changed, hashes fixed, signed", _reason, _summary_edited(_old, _new))
_add("ringkasan.html not UTF-8, hashes fixed, signed", r"ringkasan\.html: not UTF-8",
     lambda p, _: replaced(p, {SUMMARY_FILE: b"\xff" + p.files[SUMMARY_FILE]}, sign_with=p.signer))


# SHA256SUMS edited and signed with the installation's key.
def _sums(p: Original, edit: Callable[[list[str]], list[str]]) -> bytes:
    lines = edit(p.files[CHECKSUMS].decode().splitlines())
    return replaced(p, {CHECKSUMS: "".join(f"{line}\n" for line in lines).encode()}, fix_hashes=False,
                    sign_with=p.signer)


_add("SHA256SUMS line changed, signed", r"SHA256SUMS: the line for ads\.json says",
     lambda p, _: _sums(p, lambda lines: ["0" * 64 + lines[0][64:], *lines[1:]]))
_add("SHA256SUMS line removed, signed", r"SHA256SUMS: has no line for manifest\.json",
     lambda p, _: _sums(p, lambda lines: lines[:-1]))
_add("SHA256SUMS extra line, signed", r"SHA256SUMS: lists catatan\.txt, which is not a package file",
     lambda p, _: _sums(p, lambda lines: [*lines, "0" * 64 + "  catatan.txt"]))
_add("SHA256SUMS in binary-mode form, signed", r"SHA256SUMS: not the list lokerwatch writes",
     lambda p, _: _sums(p, lambda lines: [line[:64] + " *" + line[66:] for line in lines]))
_add("SHA256SUMS garbage line, signed", r"SHA256SUMS: line 1 is not a `sha256sum` line",
     lambda p, _: _sums(p, lambda lines: ["halo", *lines]))


# ads.json disagreeing with the manifest, every hash fixed and signed with the installation's key.
_ADS_EDITS: list[tuple[str, Callable[[dict[str, Any]], object], str]] = [
    ("lead unit", lambda a: set_at(a, "lead.unit", "Unit lain"), r"unit is .* but ads\.json says 'Unit lain'"),
    ("exporter", lambda a: set_at(a, "package.exported_by", "orang-lain"), r"exported_by is .* says 'orang-lain'"),
    ("ad URL", lambda a: set_at(a, "ads.0.url", "https://contoh.id/"), r"\.url is .* but ads\.json says 'https://"),
    ("first seen", lambda a: set_at(a, "ads.0.first_seen_at", "2020-01-01T00:00:00+00:00"), r"\.first_seen_at is"),
    ("one decision", lambda a: get_at(a, "ads.0.decisions").pop(), r"decisions is \d+ but ads\.json says"),
    ("an indicator quote", lambda a: set_at(a, "ads.0.score.indicators.0.text", "kata lain"),
     r"indicator .* quotes 'kata lain', which is not the ad's text"),
    ("the ad list", lambda a: get_at(a, "ads").pop(), r"the list of ad ids is"),
    ("lead id type", lambda a: set_at(a, "lead.id", "satu"), r"ads\.json: field lead\.id: Input should"),
]
for _label, _edit_fn, _reason in _ADS_EDITS:
    _add(f"ads.json: {_label} changed, hashes fixed, signed", _reason, _ads_edited(_edit_fn))


# The evidence WARC rewritten (a well-formed WARC each time), hashes fixed, signed with the installation's key.
def _warc(p: Original, edit: Callable[[list[dict[str, Any]]], object], keep_digests: bool = False) -> bytes:
    records = warc_records(p.files[WARC_FILE])
    edit(records)
    return replaced(p, {WARC_FILE: write_warc_records(records, keep_digests)}, sign_with=p.signer)


def _forged_page(records: list[dict[str, Any]]) -> None:
    records[0]["payload"] = b"<html>halaman palsu</html>"


_add("WARC page replaced, signed", r"bytes in the WARC do not match the manifest's SHA-256",
     lambda p, _: _warc(p, _forged_page))
_add("WARC page replaced, old SHA-1 digests kept, signed", r"the WARC record's own digests",
     lambda p, _: _warc(p, _forged_page, keep_digests=True))
_add("WARC record dropped, signed", r"snapshot \d+: 0 records in evidence",
     lambda p, _: _warc(p, lambda records: records.pop()))
_add("WARC record doubled, signed", r"snapshot \d+: 2 records in evidence",
     lambda p, _: _warc(p, lambda records: records.append(copy.deepcopy(records[0]))))
_add("WARC record for an unlisted snapshot, signed", r"holds a record for snapshot 999",
     lambda p, _: _warc(p, lambda records: records.append(_relabelled(records[0], "999"))))
_add("WARC date changed, signed", r"WARC-Date is '2020-01-01T00:00:00Z'",
     lambda p, _: _warc(p, lambda records: set_header(records[0], "WARC-Date", "2020-01-01T00:00:00Z")))
_add("WARC target URL changed, signed", r"WARC-Target-URI is 'https://contoh\.id/'",
     lambda p, _: _warc(p, lambda records: set_header(records[0], "WARC-Target-URI", "https://contoh.id/")))
_add("WARC cut short, signed", r"not a readable WARC|0 records|bytes in the WARC",
     lambda p, _: replaced(p, {WARC_FILE: p.files[WARC_FILE][:len(p.files[WARC_FILE]) // 2]}, sign_with=p.signer))
_add("WARC replaced by text, signed", r"not a readable WARC|0 records",
     lambda p, _: replaced(p, {WARC_FILE: b"bukan warc"}, sign_with=p.signer))



# The screenshots (issue #14): covered by the manifest, SHA256SUMS and both signatures like every other file.
def _first_screenshot(p: Original) -> str:
    return str(next(shot["file"] for shot in p.manifest["screenshots"] if shot["file"]))


def _other_png(p: Original) -> bytes:
    """A real PNG of the same size with different pixels (what a forger would swap in)."""
    with Image.open(io.BytesIO(p.files[_first_screenshot(p)])) as picture:
        forged = Image.new("RGB", picture.size, "white")
    buffer = io.BytesIO()
    forged.save(buffer, format="PNG")
    return buffer.getvalue()


def _screenshot_edited(edit: Callable[[dict[str, Any]], object]) -> Make:
    def make(p: Original, _: PackageSigner) -> bytes:
        def change(manifest: dict[str, Any]) -> None:
            edit(next(shot for shot in manifest["screenshots"] if shot["file"] == _first_screenshot(p)))
        return edited_manifest(p, change, sign_with=p.signer)
    return make


_add("a screenshot replaced, hashes left alone", r"tangkapan_layar/tangkapan-\d+\.png: SHA-256 does not match",
     lambda p, _: replaced(p, {_first_screenshot(p): _other_png(p)}, fix_hashes=False))
_add("a screenshot replaced, hashes fixed", r"manifest\.json\.sig: the signature does not match",
     lambda p, _: replaced(p, {_first_screenshot(p): _other_png(p)}))
_add("a screenshot replaced and re-signed by another key", r"signed by another key|signature does not match",
     lambda p, a: replaced(p, {_first_screenshot(p): _other_png(p)}, sign_with=a))
_add("a byte flipped in a screenshot's compressed data", r"tangkapan_layar/tangkapan-\d+\.png: (compressed|CRC-32|inf)",
     lambda p, _: flip(p.data, sum(data_span(p, _first_screenshot(p))) // 2))
_add("a screenshot removed", r"tangkapan_layar/tangkapan-\d+\.png: missing from the package|files lists",
     lambda p, _: rezip(p, {k: v for k, v in p.files.items() if k != _first_screenshot(p)}))
_add("an unlisted screenshot added", r"tangkapan_layar/tangkapan-999\.png: a screenshot the manifest does not list",
     lambda p, _: rezip(p, {**p.files, "tangkapan_layar/tangkapan-999.png": _other_png(p)}))
_add("a screenshot's size edited, signed", r"pixels, but the manifest says",
     _screenshot_edited(lambda shot: shot.update(height=shot["height"] + 1)))
_add("a screenshot given a problem too, signed", r"has a file, so it must give its size and no problem",
     _screenshot_edited(lambda shot: shot.update(problem="rusak")))
_add("a screenshot entry dropped, signed", r"screenshots name snapshots",
     lambda p, _: edited_manifest(p, lambda m: m["screenshots"].pop(), sign_with=p.signer))
_add("a screenshot file replaced by text, signed", r"not a PNG image",
     lambda p, _: replaced(p, {_first_screenshot(p): b"bukan gambar"}, sign_with=p.signer))

# Sizes are claims: an entry is inflated no further than its headers and the manifest say, and one declaring more
# than any package entry holds is not inflated at all (ZIP bombs: see also the test after the mutations).
_add("ads.json's headers declare almost 4 GiB, its data left alone",
     rf"ads\.json: its headers declare 4,294,967,294 bytes, more than the {MAX_ENTRY_BYTES:,} a package entry may hold",
     lambda p, _: both_headers(p, ADS_FILE, 22, 24, "<I", lambda d, o, f: patch(d, o, f, 0xFFFFFFFE)))
_add("ads.json grown by 4 MiB past the manifest's size, its headers telling the truth",
     r"ads\.json: inflates to more than the \d+ bytes the manifest gives it \(reading stopped there\)",
     lambda p, _: replaced(p, {ADS_FILE: p.files[ADS_FILE] + b" " * (4 << 20)}, fix_hashes=False))
_add("a screenshot grown past the manifest's size, its headers telling the truth",
     r"tangkapan_layar/tangkapan-\d+\.png: inflates to more than the \d+ bytes the manifest gives it",
     lambda p, _: replaced(p, {_first_screenshot(p): p.files[_first_screenshot(p)] + bytes(1 << 20)},
                           fix_hashes=False))


def _relabelled(record: dict[str, Any], snapshot_id: str) -> dict[str, Any]:
    twin = copy.deepcopy(record)
    set_header(twin, "X-Lokerwatch-Snapshot-Id", snapshot_id)
    return twin


@pytest.mark.parametrize("case", MUTATIONS, ids=[m.name for m in MUTATIONS])
def test_every_tampering_is_refused_with_its_reason(case: Mutation, material: Material, tmp_path: Path) -> None:
    altered = case.make(material.original, material.attacker)
    assert altered != material.original.data
    problems = check(material, altered, tmp_path)
    assert problems, f"{case.name}: passed as intact"
    assert any(re.search(case.reason, problem) for problem in problems), (case.reason, problems)
    assert not any("could not be checked to the end" in problem for problem in problems), problems


@pytest.fixture(scope="module")
def bomb(material: Material) -> bytes:
    """The package with ads.json replaced by a ZIP bomb: 1 MiB more spaces than any entry may hold, deflated to
    about 1 MiB, its headers telling the truth."""
    return with_bomb(material.original, ADS_FILE, MAX_ENTRY_BYTES + (1 << 20))


def test_a_zip_bomb_is_refused_without_being_inflated(material: Material, bomb: bytes, tmp_path: Path) -> None:
    declared = len(material.original.files[ADS_FILE])
    # The same bomb with both headers lying: they declare the real ads.json's size.
    lying = both_headers(replace(material.original, data=bomb), ADS_FILE, 22, 24, "<I",
                         lambda d, o, f: patch(d, o, f, declared))
    for data, reason in ((bomb, f"ads.json: its headers declare {MAX_ENTRY_BYTES + (1 << 20):,} bytes, more than"),
                         (lying, f"ads.json: inflates to more than its declared {declared} bytes")):
        tracemalloc.start()
        try:
            problems = check(material, data, tmp_path)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert any(problem.startswith(reason) for problem in problems), (reason, problems)
        assert not any("could not be checked to the end" in problem for problem in problems), problems
        # What checking allocated at most: the package and its real members, never the GiB the bomb holds.
        assert peak < 64 << 20, f"{peak:,} bytes"


def test_a_package_made_before_screenshots_still_verifies(material: Material, tmp_path: Path) -> None:
    """Format 2 (issued before issue #14) had no tangkapan_layar/: such a package stays checkable as it was."""
    original = material.original
    files = {name: data for name, data in original.files.items() if not name.startswith("tangkapan_layar/")}
    ads = json.loads(files[ADS_FILE])
    ads["package"]["format"] = "lokerwatch-lead-package/2"
    files[ADS_FILE] = json.dumps(ads, ensure_ascii=False, indent=2).encode("utf-8")
    manifest = original.manifest
    manifest["format"] = "lokerwatch-lead-package/2"
    del manifest["screenshots"]
    manifest["files"] = [{"path": path, "sha256": hashlib.sha256(content).hexdigest(), "size_bytes": len(content)}
                         for path in (ADS_FILE, WARC_FILE, SUMMARY_FILE, PUBLIC_KEY_FILE) for content in [files[path]]]
    manifest["counts"]["files"] = 4
    files[MANIFEST] = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    old_format = replaced(Original(original.data, files, original.exported_at, original.signer), {},
                          sign_with=original.signer)
    assert check(material, old_format, tmp_path) == []
    with_screenshot = replaced(Original(original.data, files, original.exported_at, original.signer),
                               {"tangkapan_layar/tangkapan-1.png": original.files[_first_screenshot(original)]},
                               sign_with=original.signer)
    assert any("a screenshot the manifest does not list" in problem for problem in check(material, with_screenshot,
                                                                                          tmp_path))


def test_the_mutations_cover_what_the_issue_names() -> None:
    names = " | ".join(m.name for m in MUTATIONS)
    assert len(MUTATIONS) >= 50
    for member in MEMBERS:
        assert f"flipped byte in {member} compressed data" in names and f"{member} removed" in names
    for field, _, _ in MANIFEST_EDITS:
        assert f"manifest {field} edited" in names
    for kind in ("duplicate", "extra", "path escaping", "hashes fixed", "swapped", "another key", "cut"):
        assert kind in names, kind


def test_the_untouched_package_passes_and_a_rezip_of_it_too(material: Material, tmp_path: Path) -> None:
    assert check(material, material.original.data, tmp_path) == []
    # The tampering helpers change only what each mutation names: their own ZIP layout is accepted.
    assert check(material, rezip(material.original, material.original.files), tmp_path) == []
    assert check(material, replaced(material.original, {}, sign_with=material.original.signer), tmp_path) == []


# --- the package checked with standard tools, on both stores --------------------------------------------


@pytest.fixture
def package_path(store: Store, settings: Settings, fixtures_dir: Path, tmp_path: Path) -> Path:
    package = export_package(store, settings, create_test_lead(store, seed_lead_data(store, fixtures_dir)))
    path = tmp_path / package.filename
    path.write_bytes(package.data)
    return path


def _unpacked(package: Path, into: Path) -> Path:
    into.mkdir()
    with zipfile.ZipFile(package) as archive:
        archive.extractall(into)
    return into


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(part) for part in command], cwd=cwd, text=True, capture_output=True, timeout=600)


def _openssl(folder: Path, signed: str, signature: str, key: str = PUBLIC_KEY_FILE) -> subprocess.CompletedProcess[str]:
    # The exact command ringkasan.html and the lead page print for police units.
    return _run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", key, "-rawin", "-in", signed, "-sigfile",
                signature, cwd=folder)


def test_a_unit_checks_the_package_with_sha256sum_openssl_and_warcio(
        package_path: Path, settings: Settings, tmp_path: Path) -> None:
    folder = _unpacked(package_path, tmp_path / "paket")
    screenshots = sorted(p.relative_to(folder).as_posix() for p in (folder / "tangkapan_layar").glob("*.png"))
    assert len(screenshots) == 2  # one per snapshot
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == sorted(
        [*MEMBERS, *screenshots])
    sums = _run("sha256sum", "-c", CHECKSUMS, cwd=folder)
    assert sums.returncode == 0, sums.stdout + sums.stderr
    assert sorted(sums.stdout.splitlines()) == sorted(
        f"{name}: OK" for name in (ADS_FILE, WARC_FILE, SUMMARY_FILE, PUBLIC_KEY_FILE, MANIFEST, *screenshots))
    for signed, signature in ((MANIFEST, MANIFEST_SIGNATURE), (CHECKSUMS, CHECKSUMS_SIGNATURE)):
        result = _openssl(folder, signed, signature)
        assert result.returncode == 0 and OPENSSL_OK in result.stdout, result.stdout + result.stderr
    key_sha = _run("sha256sum", PUBLIC_KEY_FILE, cwd=folder).stdout.split()[0]
    assert key_sha == load_or_create_signer(settings.signing_key_path).fingerprint  # what the desk shows
    warc = _run(WARCIO, "check", "-v", WARC_FILE, cwd=folder)
    assert warc.returncode == 0, warc.stdout + warc.stderr
    assert warc.stdout.count("digest pass") == 2
    summary = (folder / SUMMARY_FILE).read_text(encoding="utf-8")
    assert "openssl pkeyutl -verify -pubin -inkey lokerwatch-pub.pem -rawin -in manifest.json -sigfile " \
           "manifest.json.sig" in summary
    assert "sha256sum -c SHA256SUMS" in summary and key_sha in summary
    assert "lokerwatch lead verify" not in summary
    report = verify_package(package_path, installation_public_key(settings.signing_key_path))
    assert report.ok and report.files_checked == 6 and report.snapshots_checked == 2 and report.package_key_matches


def test_the_standard_tools_catch_tampering_too(package_path: Path, settings: Settings, tmp_path: Path) -> None:
    original = Original.of(package_path.read_bytes(), load_or_create_signer(settings.signing_key_path))
    desk_key = tmp_path / "kunci-dari-desk.pem"
    desk_key.write_bytes(original.signer.public_pem)

    edited = tmp_path / "diubah.zip"  # ads.json edited, SHA256SUMS and manifest fixed, not re-signable
    edited.write_bytes(replaced(original, {ADS_FILE: _tampered_ads(original)}))
    folder = _unpacked(edited, tmp_path / "diubah")
    assert _run("sha256sum", "-c", CHECKSUMS, cwd=folder).returncode == 0  # the list alone proves nothing...
    for signed, signature in ((MANIFEST, MANIFEST_SIGNATURE), (CHECKSUMS, CHECKSUMS_SIGNATURE)):
        refused = _openssl(folder, signed, signature)  # ...its signature does
        assert refused.returncode != 0 and OPENSSL_OK not in refused.stdout

    forged = tmp_path / "palsu.zip"  # a forger's own key: every signature checks against the key inside...
    forged.write_bytes(_forged(original, PackageSigner(Ed25519PrivateKey.generate())))
    folder = _unpacked(forged, tmp_path / "palsu")
    assert _openssl(folder, MANIFEST, MANIFEST_SIGNATURE).returncode == 0
    assert _run("sha256sum", PUBLIC_KEY_FILE, cwd=folder).stdout.split()[0] != original.signer.fingerprint
    refused = _openssl(folder, MANIFEST, MANIFEST_SIGNATURE, key=str(desk_key))  # ...but not the desk's key
    assert refused.returncode != 0 and OPENSSL_OK not in refused.stdout


# --- `lokerwatch lead verify` ---------------------------------------------------------------------------


def _cli(*args: str | Path, cwd: Path, key_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOKERWATCH_DATABASE_URL": "sqlite:///unused.db", "LOKERWATCH_SIGNING_KEY_PATH": str(key_path)}
    return subprocess.run([sys.executable, "-m", "service.cli", *map(str, args)], cwd=cwd, text=True,
                          capture_output=True, timeout=600, env=env)


def test_lead_verify_says_intact_against_the_installation_key_or_a_published_one(
        package_path: Path, settings: Settings, tmp_path: Path) -> None:
    signer = load_or_create_signer(settings.signing_key_path)
    result = _cli("lead", "verify", package_path, cwd=tmp_path, key_path=settings.signing_key_path)
    assert result.returncode == 0, result.stderr
    assert "intact: 6 files and 2 snapshots match the signed manifest" in result.stdout
    assert signer.fingerprint in result.stdout and "package's own lokerwatch-pub.pem" in result.stdout
    published = tmp_path / "lokerwatch-pub.pem"
    published.write_bytes(signer.public_pem)
    result = _cli("lead", "verify", package_path, "--public-key", published, cwd=tmp_path,
                  key_path=tmp_path / "tidak-ada.pem")
    assert result.returncode == 0, result.stderr


def test_lead_verify_refuses_damage_in_one_line_per_reason_without_a_traceback(
        material: Material, bomb: bytes, tmp_path: Path) -> None:
    original, key_path = material.original, material.key_path
    start, end = data_span(original, ADS_FILE)
    cases = {
        "zlib.zip": flip(original.data, (start + end) // 2),  # crashed the old verify with zlib.error
        "ganda.zip": raw_zip([(ADS_FILE, _tampered_ads(original)), *original.files.items()]),
        "palsu.zip": _forged(original, material.attacker),
        "bom.zip": bomb,
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        result = _cli("lead", "verify", tmp_path / name, cwd=tmp_path, key_path=key_path)
        assert result.returncode == 1, (name, result.stdout, result.stderr)
        lines = result.stderr.splitlines()
        assert lines and all(line.startswith(f"{tmp_path / name}: NOT intact: ") for line in lines), lines
        assert "Traceback" not in result.stderr and "intact:" not in result.stdout
        key_match = "is NOT the trusted key" if name == "palsu.zip" else "is the trusted key"
        assert key_match in result.stdout, result.stdout
    other_key = tmp_path / "kunci-lain.pem"
    other_key.write_bytes(material.attacker.public_pem)
    result = _cli("lead", "verify", tmp_path / "palsu.zip", "--public-key", other_key, cwd=tmp_path,
                  key_path=key_path)
    assert result.returncode == 0, "the forger's own key vouches for their package: which key to trust matters"
    missing = _cli("lead", "verify", tmp_path / "zlib.zip", cwd=tmp_path, key_path=tmp_path / "tidak-ada.pem")
    assert missing.returncode == 2 and missing.stderr.startswith("error: no signing key at")
    assert len(missing.stderr.splitlines()) == 1
    no_file = _cli("lead", "verify", tmp_path / "tidak-ada.zip", cwd=tmp_path, key_path=key_path)
    assert no_file.returncode == 2 and no_file.stderr.strip() == f"error: {tmp_path / 'tidak-ada.zip'}: no such file"


# --- the installation's key -----------------------------------------------------------------------------


def test_the_signing_key_is_made_once_with_mode_600_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "kunci" / "lokerwatch-signing-key.pem"
    signers: list[PackageSigner] = []
    threads = [threading.Thread(target=lambda: signers.append(load_or_create_signer(path))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({signer.fingerprint for signer in signers}) == 1  # racing first uses agree on one key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind
    again = load_or_create_signer(path)
    assert again.fingerprint == signers[0].fingerprint
    assert installation_public_key(path).public_bytes_raw() == again.private_key.public_key().public_bytes_raw()


def test_a_key_others_can_read_or_a_wrong_file_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "signing-key.pem"
    load_or_create_signer(path)
    path.chmod(0o644)
    with pytest.raises(SigningKeyError, match=r"readable by other users .*chmod 600"):
        load_or_create_signer(path)
    with pytest.raises(SigningKeyError, match="no signing key at"):
        installation_public_key(tmp_path / "tidak-ada.pem")
    not_a_key = tmp_path / "bukan-kunci.pem"
    not_a_key.write_text("halo")
    not_a_key.chmod(0o600)
    with pytest.raises(SigningKeyError, match="not an unencrypted Ed25519 private key"):
        load_or_create_signer(not_a_key)
    with pytest.raises(SigningKeyError, match="not an Ed25519 public key"):
        read_public_key(not_a_key)


def test_each_export_is_a_new_signed_package_recorded_with_its_sha256(
        store: Store, settings: Settings, fixtures_dir: Path, tmp_path: Path) -> None:
    lead_id = create_test_lead(store, seed_lead_data(store, fixtures_dir))
    first, second = export_package(store, settings, lead_id), export_package(store, settings, lead_id)
    assert first.sha256 != second.sha256  # new export time, new WARC record ids, new signatures
    key = installation_public_key(settings.signing_key_path)
    for package in (first, second):
        path = tmp_path / f"{package.export_id}.zip"
        path.write_bytes(package.data)
        assert verify_package(path, key).ok
        with zipfile.ZipFile(io.BytesIO(package.data)) as archive:
            assert archive.read(PUBLIC_KEY_FILE) == load_or_create_signer(settings.signing_key_path).public_pem
    with store.session_factory() as session:
        exports = session.scalars(select(LeadExport).order_by(LeadExport.id)).all()
        audited = session.scalars(select(AuditEntry).where(AuditEntry.action == "lead.export")
                                  .order_by(AuditEntry.id)).all()
    assert [e.package_sha256 for e in exports] == [first.sha256, second.sha256]
    assert [a.details["package_sha256"] for a in audited] == [first.sha256, second.sha256]


def test_a_lead_named_with_markup_characters_verifies_and_its_summary_escapes_them(
        store: Store, settings: Settings, fixtures_dir: Path, tmp_path: Path) -> None:
    seeded = seed_lead_data(store, fixtures_dir)
    unit, title = "PPA Polres Singkawang & Bengkayang", "Jaringan \"Kamboja\" <b>'Myanmar'</b>"
    with store.session_factory() as session, session.begin():
        lead_id = create_lead(session, "supervisor1", unit, [seeded["trafficking"]], title).id
    package = export_package(store, settings, lead_id, Viewer("spv <i>'o'</i> & \"x\"", "supervisor"))
    path = tmp_path / package.filename
    path.write_bytes(package.data)
    report = verify_package(path, installation_public_key(settings.signing_key_path))
    assert report.ok, report.problems
    with zipfile.ZipFile(path) as archive:
        summary = archive.read(SUMMARY_FILE).decode("utf-8")
    assert "<b>'Myanmar'</b>" not in summary and "<i>" not in summary
    assert "Singkawang &amp; Bengkayang" in summary and "&lt;b&gt;&#39;Myanmar&#39;&lt;/b&gt;" in summary


def test_a_gzip_bomb_inside_the_warc_is_read_no_further_than_the_largest_snapshot(material: Material) -> None:
    """A WARC record that inflates to 256 MiB (a few hundred KB compressed) is hashed in chunks and read only as far
    as the biggest snapshot the manifest lists: the verdict is a mismatch, reached without the 256 MiB in memory."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from service.leads.package_format import MANIFEST, Manifest
    from service.leads.verify_contents import check_warc

    manifest = Manifest.model_validate(json.loads(material.original.files[MANIFEST]))
    snapshot = manifest.snapshots[0]

    class Spaces(io.RawIOBase):
        def __init__(self, size: int) -> None:
            self.left = size

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            n = min(len(buffer), self.left)
            buffer[:n] = b" " * n
            self.left -= n
            return n

    size = 256 << 20
    warc = io.BytesIO()
    writer = WARCWriter(warc, gzip=True)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    record = writer.create_warc_record(snapshot.final_url, "response", payload=io.BufferedReader(Spaces(size)),
                                       length=size, http_headers=http,
                                       warc_headers_dict={"X-Lokerwatch-Snapshot-Id": str(snapshot.snapshot_id)})
    writer.write_record(record)
    assert len(warc.getvalue()) < 2 << 20  # the bomb is small on disk
    problems: list[str] = []
    tracemalloc.start()
    try:
        check_warc(manifest, warc.getvalue(), problems)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert any(f"snapshot {snapshot.snapshot_id}: bytes in the WARC do not match" in p for p in problems), problems
    assert peak < 64 << 20, f"{peak:,} bytes"
