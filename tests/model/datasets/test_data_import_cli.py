"""`lokerwatch data import`: the command wires importer and writer and ends with a one-line summary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from model.labelled import read_labelled_jsonl
from service.cli.main import app
from service.errors import InputFileError


def test_import_writes_jsonl_and_prints_a_summary(sms_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "imported" / "sms.jsonl"
    result = CliRunner().invoke(app, ["data", "import", "id-sms-spam", str(sms_csv), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "id-sms-spam: 1142 imported, 0 rejected, 1 duplicate texts dropped, checksum verified" in result.output
    assert len(list(read_labelled_jsonl(out))) == 1142


def test_wrong_file_for_the_data_set_is_an_input_error_and_writes_nothing(instagram_jsonl: Path,
                                                                          tmp_path: Path) -> None:
    out = tmp_path / "sms.jsonl"
    result = CliRunner().invoke(app, ["data", "import", "id-sms-spam", str(instagram_jsonl), "--out", str(out)])
    assert isinstance(result.exception, InputFileError)
    assert "does not match the published" in str(result.exception)
    assert not out.exists()


@pytest.mark.slow
def test_console_script_reports_a_missing_file_in_one_line(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", "from service.cli import main; main()", "data", "import", "emscad",
         str(tmp_path / "fake_job_postings.csv"), "--out", str(tmp_path / "e.jsonl")],
        capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0
    assert run.stderr.startswith("error: emscad:") and "no such file" in run.stderr
