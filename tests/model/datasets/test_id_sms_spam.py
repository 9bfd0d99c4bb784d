"""The SMS importer on the real published file and on broken copies."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from model.datasets import DatasetError, write_jsonl
from model.datasets.id_sms_spam import import_id_sms_spam, parse_id_sms_spam
from model.labelled import read_labelled_jsonl


def test_real_file_imports_every_message_with_mapped_labels(sms_csv: Path) -> None:
    result = import_id_sms_spam(sms_csv)
    assert result.checksum == "verified"
    assert result.rejected == []
    assert result.duplicates == 1  # one message appears twice in the published file
    assert len(result.records) == 1142
    assert Counter(r["label"] for r in result.records) == {"legit": 807, "scam": 335}
    assert Counter(r["original_label"] for r in result.records) == {"0 normal": 568, "1 fraud": 335, "2 promo": 239}
    assert {r["source"] for r in result.records} == {"sms"}
    assert len({r["id"] for r in result.records}) == len(result.records)


def test_every_record_keeps_the_cc_by_sa_attribution_and_says_it_is_no_job_ad(sms_csv: Path) -> None:
    result = import_id_sms_spam(sms_csv)
    assert all("CC BY-SA 4.0" in r["notes"] and "Rahmi" in r["notes"] for r in result.records)
    assert all(r["job_ad"] is False and r["slice"] == "real" for r in result.records)


def test_written_file_reads_back_through_the_labelled_data_schema(sms_csv: Path, tmp_path: Path) -> None:
    result = import_id_sms_spam(sms_csv)
    out = tmp_path / "sms.jsonl"
    assert write_jsonl(result.records, out) == 1142
    back = list(read_labelled_jsonl(out))
    assert [ad.id for ad in back] == [r["id"] for r in result.records]
    assert back[0].extra["group"] == "import-id-sms-spam"


def test_edited_copy_fails_the_checksum_unless_told_not_to_verify(sms_csv: Path, tmp_path: Path) -> None:
    copy = tmp_path / "dataset_sms_spam_v1.csv"
    original = sms_csv.read_bytes()
    copy.write_bytes(original + (b"" if original.endswith(b"\n") else b"\n") + b"Pesan tambahan,0\n")
    with pytest.raises(DatasetError, match=r"sha256 .* does not match the published"):
        import_id_sms_spam(copy)
    assert len(import_id_sms_spam(copy, verify=False).records) == 1143


def test_missing_file_is_one_clear_message(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file"):
        import_id_sms_spam(tmp_path / "nothing.csv")


BROKEN = (
    "Teks,label\n"
    "Selamat anda menang undian,1\n"          # line 2: fine
    "Pesan dengan label aneh,7\n"             # line 3: bad label
    '"Pesan\nyang dua baris",0\n'              # lines 4-5: fine, spans two lines
    "Kolom,terlalu,banyak\n"                  # line 6: three columns
    ",2\n"                                    # line 7: empty text
    "Promo kuota 2GB,2\n"                     # line 8: fine
)


def test_bad_rows_are_reported_with_the_line_they_start_on(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        import_id_sms_spam(path, verify=False)
    message = str(caught.value)
    assert "3 bad row(s)" in message and "\n" not in message
    assert "line 3: label '7'" in message and "line 6: 3 columns" in message and "line 7: empty" in message


def test_skip_bad_keeps_the_good_rows_and_lists_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text(BROKEN, encoding="utf-8")
    result = import_id_sms_spam(path, verify=False, skip_bad=True)
    texts = [r["text"] for r in result.records]
    assert texts == ["Selamat anda menang undian", "Pesan\nyang dua baris", "Promo kuota 2GB"]
    assert [r["source_line"] for r in result.records] == [2, 4, 8]
    assert [row.line for row in result.rejected] == [3, 6, 7]


def test_wrong_header_is_rejected_at_line_one() -> None:
    result = parse_id_sms_spam("text,label\nHalo,0\n")
    assert [str(row) for row in result.rejected] == ["line 1: header is 'text,label', expected 'Teks,label'"]
    assert result.records == []
