"""The EMSCAD importer, written against the published column list (the real file is not here yet)."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from model.datasets import DatasetError
from model.datasets.emscad import COLUMNS, import_emscad, parse_emscad
from model.labelled import parse_labelled_record

from .conftest import SHARED_DATASETS


def _row(job_id: str, fraudulent: str, **fields: str) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    row.update(job_id=job_id, fraudulent=fraudulent, telecommuting="0", has_company_logo="1", has_questions="0")
    row.update(fields)
    return row


def _write(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


ROWS = [
    _row("1", "0", title="Marketing Intern", location="US, NY, New York", description="Food52, a fast-growing,\n"
         "James Beard Award-winning online food community", requirements="Experience with content management",
         company_profile="We're Food52", employment_type="Other"),
    _row("2", "1", title="Data Entry Clerk", location="US, TX, Houston", salary_range="40000-60000",
         description="Work from home, earn $5000 weekly", benefits="Paid training, no experience"),
]


def test_small_csv_maps_fraudulent_to_scam_and_builds_english_ads(tmp_path: Path) -> None:
    result = import_emscad(_write(tmp_path / "fake_job_postings.csv", ROWS))
    assert result.checksum == "unknown"
    assert [(r["id"], r["label"], r["lang"], r["source"]) for r in result.records] == [
        ("emscad-1", "legit", "en", "jobboard"), ("emscad-2", "scam", "en", "jobboard")]
    first, second = result.records
    assert first["title"] == "Marketing Intern"
    assert "Location: US, NY, New York" in first["text"] and "James Beard" in first["text"]
    assert "Salary: 40000-60000" in second["text"] and "Benefits: Paid training" in second["text"]
    assert second["emscad"]["has_company_logo"] == "1"
    for record in result.records:
        parse_labelled_record(record, record["id"])


def test_missing_published_column_fails_at_line_one(tmp_path: Path) -> None:
    path = _write(tmp_path / "f.csv", ROWS, columns=COLUMNS[:-1])
    with pytest.raises(DatasetError, match="line 1: missing column\\(s\\): fraudulent"):
        import_emscad(path)


def test_bad_rows_name_the_line_they_start_on(tmp_path: Path) -> None:
    rows = [*ROWS, _row("3", "yes", description="x"), _row("1", "0", description="again"), _row("4", "0")]
    result = parse_emscad(_write(tmp_path / "f.csv", rows).read_text(encoding="utf-8"))
    # Row 1's description spans two lines, so the third record starts on line 5.
    assert [(row.line, row.reason) for row in result.rejected] == [
        (5, "fraudulent 'yes' is not 0 or 1"), (6, "job_id '1' already used on line 2"),
        (7, "no company profile, description, requirements or benefits")]
    with pytest.raises(DatasetError, match="3 bad row"):
        import_emscad(tmp_path / "f.csv")


def test_checksum_published_in_a_readme_beside_the_file_is_enforced(tmp_path: Path) -> None:
    path = _write(tmp_path / "fake_job_postings.csv", ROWS)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    (tmp_path / "README.md").write_text(f"- sha256 `{digest}`\n", encoding="utf-8")
    assert import_emscad(path).checksum == "verified"
    (tmp_path / "README.md").write_text(f"- sha256 `{'0' * 64}`\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="does not match"):
        import_emscad(path)


REAL_EMSCAD = SHARED_DATASETS / "emscad" / "fake_job_postings.csv"


@pytest.mark.skipif(not REAL_EMSCAD.is_file(), reason="EMSCAD is not in ../shared/datasets yet (see DECISIONS.md)")
def test_real_emscad_when_it_arrives_has_its_published_size() -> None:
    result = import_emscad(REAL_EMSCAD)
    assert result.rejected == []
    assert len(result.records) + result.duplicates == 17880
    assert sum(r["label"] == "scam" for r in result.records) > 800
