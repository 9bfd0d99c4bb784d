"""Leads for police: who may build, read and move a lead, and what its case package holds.

How a package proves itself (signatures, standard tools, tampering refused) is in test_package_checks.py.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from model.rule_scorer import RuleScorer
from service.leads.package import build_lead_package
from service.leads.package_format import MEMBERS, screenshot_path
from service.leads.rules import LeadAccessDenied, LeadRuleError, Viewer, create_lead, get_lead, list_leads, set_status
from service.leads.signing import load_or_create_signer
from service.settings import Settings
from service.store.session import Store
from service.store.tables import AuditEntry, LeadExport, Snapshot
from tests.service.leads.packages import create_test_lead, export_package, seed_lead_data

SINGKAWANG = Viewer("polisi1", "police", "PPA Polres Singkawang")
PONTIANAK = Viewer("polisi2", "police", "PPA Polres Pontianak")


@pytest.fixture
def seeded(store: Store, fixtures_dir: Path) -> dict[str, int]:
    return seed_lead_data(store, fixtures_dir)


def _lead(store: Store, seeded: dict[str, int]) -> int:
    return create_test_lead(store, seeded)


def _package(store: Store, settings: Settings, seeded: dict[str, int], tmp_path: Path) -> Path:
    package = export_package(store, settings, _lead(store, seeded))
    path = tmp_path / package.filename
    path.write_bytes(package.data)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == package.sha256
    return path


def test_lead_package_holds_every_file_hash_and_every_snapshot_in_its_warc(
        store: Store, settings: Settings, seeded: dict[str, int], tmp_path: Path) -> None:
    path = _package(store, settings, seeded, tmp_path)
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        for entry in manifest["files"]:
            assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
        screenshots = [screenshot_path(seeded["snap1"]), screenshot_path(seeded["snap2"])]  # one per snapshot
        assert archive.namelist() == [*MEMBERS[:4], *screenshots, *MEMBERS[4:]]
        assert [e["path"] for e in manifest["files"]] == [*MEMBERS[:4], *screenshots]
        assert manifest["unit"] == "PPA Polres Singkawang" and manifest["counts"] == {
            "ads": 2, "snapshots": 2, "decisions": 3, "files": 6}
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
        export = session.query(LeadExport).one()
        assert export.exported_by == "supervisor1"
        assert export.package_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        audited = session.query(AuditEntry).filter_by(action="lead.export").one()
    assert audited.details["package_sha256"] == export.package_sha256
    assert audited.details["signing_key_sha256"] == manifest["signing_key"]["public_key_sha256"]


def test_only_confirmed_ads_can_go_into_a_lead(store: Store, seeded: dict[str, int]) -> None:
    with store.session_factory() as session, pytest.raises(LeadRuleError, match=rf"{seeded['benign']} \(benign\)"):
        create_lead(session, "supervisor1", "PPA Polres Singkawang", [seeded["trafficking"], seeded["benign"]], "x")


def test_police_of_another_unit_are_refused(store: Store, settings: Settings, seeded: dict[str, int]) -> None:
    lead_id = _lead(store, seeded)
    with store.session_factory() as session:
        assert get_lead(session, lead_id, SINGKAWANG).unit == "PPA Polres Singkawang"
        assert list_leads(session, PONTIANAK) == []
        with pytest.raises(LeadAccessDenied, match="another unit"):
            get_lead(session, lead_id, PONTIANAK)
        with pytest.raises(LeadAccessDenied):
            set_status(session, lead_id, PONTIANAK, "received", "")
        with pytest.raises(LeadAccessDenied):
            build_lead_package(session, lead_id, PONTIANAK, load_or_create_signer(settings.signing_key_path))


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
