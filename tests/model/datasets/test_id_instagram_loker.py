"""The Instagram importer: real ads with weak labels, imported as unlabelled (assumed legit) real text."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from model.datasets import DatasetError
from model.datasets.id_instagram_loker import import_id_instagram_loker, parse_id_instagram_loker, reviewed
from model.labelled import parse_labelled_record


def test_real_file_imports_as_weakly_labelled_real_legit_ads(instagram_jsonl: Path) -> None:
    result = import_id_instagram_loker(instagram_jsonl)
    assert result.checksum == "verified"
    assert result.rejected == []
    assert len(result.records) + result.duplicates == 2896
    assert len(result.records) == 2599  # reposts of the same poster are dropped
    assert {r["label"] for r in result.records} == {"legit"}
    assert {r["slice"] for r in result.records} == {"real"}
    assert {r["source"] for r in result.records} == {"instagram"}
    for record in result.records:
        parse_labelled_record(record, record["id"])


def test_source_labels_are_kept_and_only_reviewed_ads_lose_the_weak_flag(instagram_jsonl: Path) -> None:
    result = import_id_instagram_loker(instagram_jsonl)
    original = Counter(r["original_label"] for r in result.records)
    assert set(original) == {"Fraud", "Not Fraud"}
    strong = [r for r in result.records if not r["weak_label"]]
    assert strong and all("reviewed" in r["notes"] for r in strong)
    assert {r["id"].removeprefix("id-instagram-loker-") for r in strong} <= set(reviewed())
    fraud_labelled = [r for r in result.records if r["original_label"] == "Fraud"]
    assert fraud_labelled and all(not r["weak_label"] and r["label"] == "legit" for r in fraud_labelled)
    # a reviewer's `unclear` keeps the weak label, and says it was looked at
    unclear = [r for r in result.records if ": unclear, " in r["notes"]]
    assert unclear and all(r["weak_label"] for r in unclear)
    assert all("MIT" in r["notes"] and "ricardo-dodo" in r["notes"] for r in result.records)


def test_groups_follow_the_posting_account(instagram_jsonl: Path) -> None:
    result = import_id_instagram_loker(instagram_jsonl)
    groups = Counter(r["group"] for r in result.records)
    assert "import-id-instagram-loker-lokerjakarta.info" in groups
    assert "import-id-instagram-loker-unknown" in groups


def test_bad_lines_are_reported_by_line_number(tmp_path: Path) -> None:
    good = {"id": "ig-1", "text": "Dibutuhkan kasir", "original_label": "Not Fraud", "account": "x"}
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({"id": "ig-2", "original_label": "Fraud"}),
        json.dumps({**good, "id": "ig-3", "original_label": "maybe"}),
        json.dumps({**good, "text": "Dibutuhkan barista"}),
        json.dumps({**good, "id": "ig-4", "text": "   "}),
    ]
    path = tmp_path / "ads.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"5 bad row\(s\): line 2: not valid JSON"):
        import_id_instagram_loker(path, verify=False)
    result = parse_id_instagram_loker(path.read_text(encoding="utf-8"))
    assert [(row.line, row.reason.split(" ")[0]) for row in result.rejected] == [
        (2, "not"), (3, "missing"), (4, "original_label"), (5, "id"), (6, "empty")]
    assert [r["id"] for r in result.records] == ["id-instagram-loker-ig-1"]


def test_changed_file_fails_the_checksum(instagram_jsonl: Path, tmp_path: Path) -> None:
    copy = tmp_path / "ads.jsonl"
    copy.write_bytes(instagram_jsonl.read_bytes()[:-200])
    with pytest.raises(DatasetError, match="does not match the published"):
        import_id_instagram_loker(copy)
