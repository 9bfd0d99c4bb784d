"""Leads for police: case packages from real stored snapshots, re-checked by `lokerwatch lead verify`."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from model.rule_scorer import RuleScorer
from service.leads.package import build_lead_package
from service.leads.rules import LeadAccessDenied, LeadRuleError, Viewer, create_lead, get_lead, list_leads, set_status
from service.leads.verify import verify_package
from service.scoring.score import score_unscored
from service.store.session import Store
from service.store.tables import Ad, LeadExport, Snapshot
from tests.service.lead_data import add_ad, decide, store_real_page

SUPERVISOR = Viewer("supervisor1", "supervisor")
SINGKAWANG = Viewer("polisi1", "police", "PPA Polres Singkawang")
PONTIANAK = Viewer("polisi2", "police", "PPA Polres Pontianak")
TRAFFICKING_TEXT = ("Dicari admin CS online penempatan Kamboja, gaji 15 juta, tiket pesawat gratis, visa turis "
                    "diurus agen, paspor ditahan perusahaan. WA 0812-3456-7890 <script>alert(1)</script>")


@pytest.fixture
def seeded(store: Store, fixtures_dir: Path) -> dict[str, int]:
    """Two real captured pages stored as snapshots; three ads seen in them, two confirmed, one benign."""
    telegram = fixtures_dir / "telegram/any2feed_full.html"
    facebook = fixtures_dir / "facebook/fbscraper_m_facebook_group_117507531664134.html"
    with store.session_factory() as session, session.begin():
        first = store_real_page(session, telegram, "https://t.me/s/lokerkerja",
                                {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"})
        second = store_real_page(session, facebook, "https://m.facebook.com/groups/117507531664134")
        trafficking = add_ad(session, "101", TRAFFICKING_TEXT, first, title="Kerja di Kamboja")
        add_ad(session, "101", TRAFFICKING_TEXT, second, title="Kerja di Kamboja")  # seen again elsewhere
        scam = add_ad(session, "102", "Kerja online, biaya pendaftaran 150rb transfer dulu ke rekening admin",
                      second, source="facebook")
        benign = add_ad(session, "103", "Kasir minimarket Pontianak, gaji UMK, BPJS", second, source="facebook")
        ids = {"trafficking": trafficking.id, "scam": scam.id, "benign": benign.id, "snap1": first, "snap2": second}
    score_unscored(store.session_factory, RuleScorer())
    with store.session_factory() as session, session.begin():
        decide(session, session.get_one(Ad, ids["trafficking"]), "need_info", "cek nomor WA")
        decide(session, session.get_one(Ad, ids["trafficking"]), "trafficking", "visa turis + paspor ditahan")
        decide(session, session.get_one(Ad, ids["scam"]), "scam", "biaya di depan")
        decide(session, session.get_one(Ad, ids["benign"]), "benign", "")
    return ids


def _lead(store: Store, seeded: dict[str, int]) -> int:
    with store.session_factory() as session, session.begin():
        return create_lead(session, "supervisor1", "PPA Polres Singkawang", [seeded["trafficking"], seeded["scam"]],
                           "Jaringan admin Kamboja", "Mohon ditindaklanjuti").id


def _package(store: Store, seeded: dict[str, int], tmp_path: Path) -> Path:
    lead_id = _lead(store, seeded)
    with store.session_factory() as session, session.begin():
        package = build_lead_package(session, lead_id, SUPERVISOR)
    path = tmp_path / package.filename
    path.write_bytes(package.data)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == package.sha256
    return path


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=cwd, text=True, capture_output=True,
                          timeout=120, env={**os.environ, "LOKERWATCH_DATABASE_URL": "sqlite:///unused.db"})


def _rewrite(package: Path, changes: dict[str, bytes], out: Path) -> Path:
    """A copy of the package with some files replaced (what a tamperer would do)."""
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, changes.get(info.filename, source.read(info.filename)))
    return out


def test_lead_package_holds_every_file_hash_and_every_snapshot_in_its_warc(
        store: Store, seeded: dict[str, int], tmp_path: Path) -> None:
    path = _package(store, seeded, tmp_path)
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        for entry in manifest["files"]:
            assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
        assert set(archive.namelist()) == {e["path"] for e in manifest["files"]} | {"manifest.json"}
        assert manifest["exported_by"] == "supervisor1" and manifest["exported_at"]
        assert manifest["lokerwatch_version"] and manifest["model_versions"] == [RuleScorer().version]
        with store.session_factory() as session:
            stored = {s.id: s for s in session.query(Snapshot).all()}
        assert {s["snapshot_id"] for s in manifest["snapshots"]} == {seeded["snap1"], seeded["snap2"]}
        in_warc = {}
        for record in ArchiveIterator(io.BytesIO(archive.read(manifest["warc_file"]))):
            assert record.rec_type == "response"
            in_warc[record.rec_headers.get_header("WARC-Target-URI")] = record.raw_stream.read()
        for snapshot in manifest["snapshots"]:
            original = stored[snapshot["snapshot_id"]]
            assert snapshot["captured_at"] == original.fetched_at.isoformat()
            assert hashlib.sha256(in_warc[original.final_url]).hexdigest() == original.sha256 == snapshot["sha256"]

        ads = json.loads(archive.read("ads.json"))
        trafficking = next(a for a in ads["ads"] if a["ad_id"] == seeded["trafficking"])
        assert [d["decision"] for d in trafficking["decisions"]] == ["need_info", "trafficking"]
        assert trafficking["decisions"][1]["note"] == "visa turis + paspor ditahan"
        full = f"{trafficking['title']}\n{trafficking['text']}"
        assert trafficking["score"]["indicators"]
        for hit in trafficking["score"]["indicators"]:
            assert full[hit["start"]:hit["end"]] == hit["text"]
        assert {"kind": "phone", "value": "+6281234567890"}.items() <= trafficking["contacts"][0].items()

        summary = archive.read("ringkasan.html").decode("utf-8")
        assert "Ringkasan Lead" in summary and "Indikasi TPPO (perdagangan orang)" in summary
        assert "<script>alert(1)</script>" not in summary  # advertiser text is escaped
    with store.session_factory() as session:
        assert session.query(LeadExport).one().exported_by == "supervisor1"


def test_lead_verify_passes_on_an_intact_package(store: Store, seeded: dict[str, int], tmp_path: Path) -> None:
    path = _package(store, seeded, tmp_path)
    assert verify_package(path).ok
    result = _cli("lead", "verify", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "intact: 3 files and 2 snapshots match" in result.stdout


def test_lead_verify_fails_clearly_on_an_edited_file(store: Store, seeded: dict[str, int], tmp_path: Path) -> None:
    path = _package(store, seeded, tmp_path)
    with zipfile.ZipFile(path) as archive:
        edited = archive.read("ads.json").replace(b"visa turis + paspor ditahan", b"tidak ada masalah")
    tampered = _rewrite(path, {"ads.json": edited}, tmp_path / "tampered.zip")
    result = _cli("lead", "verify", str(tampered), cwd=tmp_path)
    assert result.returncode == 1
    assert "ads.json: SHA-256 does not match the manifest" in result.stderr
    assert "NOT intact" in result.stderr and "Traceback" not in result.stderr


def test_lead_verify_catches_a_swapped_snapshot_even_when_the_manifest_file_hash_is_updated(
        store: Store, seeded: dict[str, int], tmp_path: Path) -> None:
    path = _package(store, seeded, tmp_path)
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        forged = io.BytesIO()
        writer = WARCWriter(forged, gzip=True)
        for snapshot in manifest["snapshots"]:
            body = b"<html>halaman palsu</html>"
            writer.write_record(writer.create_warc_record(
                snapshot["final_url"], "response", payload=io.BytesIO(body), length=len(body),
                http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"),
                warc_headers_dict={"X-Lokerwatch-Snapshot-Id": str(snapshot["snapshot_id"])}))
    warc_bytes = forged.getvalue()
    for entry in manifest["files"]:
        if entry["path"] == manifest["warc_file"]:
            entry["sha256"] = hashlib.sha256(warc_bytes).hexdigest()
    tampered = _rewrite(path, {manifest["warc_file"]: warc_bytes,
                               "manifest.json": json.dumps(manifest).encode()}, tmp_path / "forged.zip")
    assert gzip.decompress(warc_bytes)  # a well-formed WARC, only the evidence is wrong
    report = verify_package(tampered)
    assert not report.ok
    assert any("bytes in the WARC do not match the manifest's SHA-256" in p for p in report.problems)


def test_only_confirmed_ads_can_go_into_a_lead(store: Store, seeded: dict[str, int]) -> None:
    with store.session_factory() as session, pytest.raises(LeadRuleError, match=rf"{seeded['benign']} \(benign\)"):
        create_lead(session, "supervisor1", "PPA Polres Singkawang", [seeded["trafficking"], seeded["benign"]], "x")


def test_police_of_another_unit_are_refused(store: Store, seeded: dict[str, int]) -> None:
    lead_id = _lead(store, seeded)
    with store.session_factory() as session:
        assert get_lead(session, lead_id, SINGKAWANG).unit == "PPA Polres Singkawang"
        assert list_leads(session, PONTIANAK) == []
        with pytest.raises(LeadAccessDenied, match="another unit"):
            get_lead(session, lead_id, PONTIANAK)
        with pytest.raises(LeadAccessDenied):
            set_status(session, lead_id, PONTIANAK, "received", "")
        with pytest.raises(LeadAccessDenied):
            build_lead_package(session, lead_id, PONTIANAK)


def test_police_move_their_lead_forward_with_notes_and_never_back(store: Store, seeded: dict[str, int]) -> None:
    lead_id = _lead(store, seeded)
    with store.session_factory() as session, session.begin():
        set_status(session, lead_id, SINGKAWANG, "received", "diterima Kanit PPA")
        set_status(session, lead_id, SINGKAWANG, "in_progress", "penyelidikan dimulai")
        with pytest.raises(LeadRuleError, match="cannot go back"):
            set_status(session, lead_id, SINGKAWANG, "received", "")
        set_status(session, lead_id, SINGKAWANG, "closed", "pelaku diamankan")
        with pytest.raises(LeadRuleError, match="closed"):
            set_status(session, lead_id, SINGKAWANG, "closed", "lagi")
    with store.session_factory() as session:
        assert get_lead(session, lead_id, SINGKAWANG).status == "closed"
