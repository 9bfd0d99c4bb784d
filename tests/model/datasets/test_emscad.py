"""The EMSCAD importer, written against the published column list (no complete copy is vendored: it stays optional)."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from model.datasets import DatasetError
from model.datasets.emscad import COLUMNS, import_emscad, parse_emscad
from model.labelled import parse_labelled_record, read_labelled_jsonl
from service.cli.main import app


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


# EMSCAD's own layout: the published header, quoted fields that span lines and hold commas and "" quotes,
# empty fields, 0/1 flags. The ads are invented in the style of the real postings.
SAMPLE_CSV = (
    ",".join(COLUMNS) + "\n"
    '101,Marketing Coordinator,"GR, I, Athens",Marketing,,"Aegean Foods is a family business, est. 1987.",'
    '"We are looking for a marketing coordinator to:\n\n- plan our ""summer"" campaigns\n- work with the sales team",'
    '"2+ years in marketing\nFluent Greek and English","Health insurance, 25 days leave",0,1,1,Full-time,'
    "Associate,Bachelor's Degree,Food & Beverages,Marketing,0\n"
    '102,Data Entry Clerk - Work From Home,"US, TX, Houston",,40000-60000,,'
    '"Earn $5,000 weekly from home!\nNo experience needed, just a computer.\nStart TODAY.",'
    '"Must buy the starter kit ($89) before training","Paid training\nWeekly pay",1,0,0,Part-time,'
    ",,,Administrative,1\n"
    '103,Customer Service Representative,"US, NY, New York",,,,'
    '"URGENT HIRING. Send your full name, address and bank details to the HR manager by e-mail.",,,0,0,0,,,,,,1\n'
    '104,English Teacher,"GR, B, Thessaloniki",Education,,"A language school in Thessaloniki.",'
    '"Teach English to children aged 8-14.","CELTA or similar\n\nOne year of classroom experience",,'
    "0,1,0,Contract,Entry level,Bachelor's Degree,Education Management,Education,0\n"
)


def test_sample_in_the_published_layout_imports_through_the_cli(tmp_path: Path) -> None:
    source = tmp_path / "emscad" / "fake_job_postings.csv"
    source.parent.mkdir()
    source.write_text(SAMPLE_CSV, encoding="utf-8")
    out = tmp_path / "emscad.jsonl"
    result = CliRunner().invoke(app, ["data", "import", "emscad", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "emscad: 4 imported, 0 rejected, 0 duplicate texts dropped, checksum unknown" in result.output
    ads = {ad.id: ad for ad in read_labelled_jsonl(out)}
    assert {ad_id: ad.label for ad_id, ad in ads.items()} == {
        "emscad-101": "legit", "emscad-102": "scam", "emscad-103": "scam", "emscad-104": "legit"}
    assert all(ad.lang == "en" and ad.source == "jobboard" for ad in ads.values())
    marketing = ads["emscad-101"]
    assert marketing.title == "Marketing Coordinator"
    assert "Location: GR, I, Athens" in marketing.text
    assert '- plan our "summer" campaigns\n- work with the sales team' in marketing.text
    assert "Requirements: 2+ years in marketing\nFluent Greek and English" in marketing.text
    assert "Salary: 40000-60000" in ads["emscad-102"].text and "Start TODAY." in ads["emscad-102"].text
    assert "One year of classroom experience" in ads["emscad-104"].text

    # With the checksum published beside the file, the command verifies it and refuses an edited copy.
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    (source.parent / "README.md").write_text(f"- sha256 `{digest}`\n", encoding="utf-8")
    verified = CliRunner().invoke(app, ["data", "import", "emscad", str(source), "--out", str(out)])
    assert verified.exit_code == 0 and "checksum verified" in verified.output
    source.write_text(SAMPLE_CSV.replace("$5,000", "$9,000"), encoding="utf-8")
    refused = CliRunner().invoke(app, ["data", "import", "emscad", str(source), "--out", str(tmp_path / "x.jsonl")])
    assert refused.exit_code != 0 and "does not match the published" in str(refused.exception)
    assert not (tmp_path / "x.jsonl").exists()
