"""One real path: JSONL -> store -> score -> export, through the real CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from service.settings import Settings

ADS = [
    {"id": "tg-1", "source": "telegram", "title": "",
     "text": "Dicari admin CS online penempatan Kamboja, tiket pesawat gratis, visa turis diurus agen, "
             "tanpa pengalaman. Minat langsung WA", "label": "trafficking", "modus": "online_scam_compound"},
    {"id": "olx-2", "source": "olx", "title": "Kasir minimarket",
     "text": "Dibutuhkan kasir minimarket di Pontianak. Gaji UMK, BPJS, lamaran via kantor cabang.",
     "label": "legit", "future_key": "ignored"},
    {"id": "fb-3", "source": "facebook", "title": "Kerja online",
     "text": "Kerja online like dan subscribe youtube, komisi per tugas, biaya pendaftaran 100rb",
     "label": "scam"},
]


def _run(settings: Settings, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOKERWATCH_DATABASE_URL": settings.database_url,
           "LOKERWATCH_MODEL_DIR": str(settings.model_dir)}
    return subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=cwd, env=env, text=True,
                          capture_output=True, timeout=300)


@pytest.fixture
def ads_file(tmp_path: Path) -> Path:
    path = tmp_path / "ads.jsonl"
    path.write_text("".join(json.dumps(ad, ensure_ascii=False) + "\n" for ad in ADS), encoding="utf-8")
    return path


def test_ingest_score_export_round_trip(settings: Settings, ads_file: Path, tmp_path: Path) -> None:
    ingest = _run(settings, "ingest", str(ads_file), cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr
    assert "3 new" in ingest.stdout
    again = _run(settings, "ingest", str(ads_file), cwd=tmp_path)
    assert "0 new, 0 updated, 3 unchanged" in again.stdout

    scored = _run(settings, "score", cwd=tmp_path)
    assert scored.returncode == 0, scored.stderr
    assert "scored 3 ads" in scored.stdout
    assert "scored 0 ads" in _run(settings, "score", cwd=tmp_path).stdout  # nothing left to score

    export = _run(settings, "ads", "export", "--format", "jsonl", cwd=tmp_path)
    assert export.returncode == 0, export.stderr
    exported = {row["source_ad_id"]: row for row in map(json.loads, export.stdout.splitlines())}
    assert set(exported) == {"tg-1", "olx-2", "fb-3"}
    trafficking, legit, scam = exported["tg-1"], exported["olx-2"], exported["fb-3"]
    assert len(trafficking["snapshot_ids"]) == 2  # the file snapshot of each ingest
    assert trafficking["score"]["p_trafficking"] > trafficking["score"]["p_scam"]
    assert trafficking["score"]["risk"] > legit["score"]["risk"]
    assert scam["score"]["p_scam"] > scam["score"]["p_trafficking"]
    fired = {hit["name"] for hit in trafficking["score"]["indicators"]}
    assert {"high_risk_destination", "visit_visa"} <= fired
    for hit in trafficking["score"]["indicators"]:
        assert ADS[0]["text"][hit["start"]:hit["end"]] == hit["text"]  # spans point at the ad's own words


def test_bad_json_line_is_reported_with_its_number_and_nothing_is_stored(
        settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text(json.dumps(ADS[0]) + "\n" + "{not json\n", encoding="utf-8")
    result = _run(settings, "ingest", str(path), cwd=tmp_path)
    assert result.returncode == 2
    assert f"{path}:2: not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    export = _run(settings, "ads", "export", cwd=tmp_path)
    assert export.stdout == ""


def test_missing_file_and_bad_label_give_one_line_errors(settings: Settings, tmp_path: Path) -> None:
    missing = _run(settings, "ingest", str(tmp_path / "nope.jsonl"), cwd=tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
    bad_label = tmp_path / "label.jsonl"
    bad_label.write_text(json.dumps({**ADS[1], "label": "maybe"}) + "\n", encoding="utf-8")
    result = _run(settings, "ingest", str(bad_label), cwd=tmp_path)
    assert result.returncode == 2 and f"{bad_label}:1: label 'maybe'" in result.stderr


def test_unreachable_database_is_one_clear_line(tmp_path: Path) -> None:
    env = {**os.environ, "LOKERWATCH_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"}
    result = subprocess.run([sys.executable, "-m", "service.cli", "score"], cwd=tmp_path, env=env, text=True,
                            capture_output=True, timeout=120)
    assert result.returncode == 3
    assert result.stderr.startswith("error: cannot open the store") and "Traceback" not in result.stderr
