"""benchmarks/ocr.py's model comparison runs end to end: a real trained model on typed and OCR text of posters."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from scraper.ocr import OcrConfig

ROOT = Path(__file__).resolve().parents[2]
BENCHMARK = ROOT / "benchmarks" / "ocr.py"


def run_benchmark(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BENCHMARK), *arguments], capture_output=True, text=True,
                          cwd=ROOT, timeout=600, check=False)


def load_benchmark() -> ModuleType:
    """benchmarks/ocr.py as a module (benchmarks/ is not a package), so one test process loads spaCy once."""
    spec = importlib.util.spec_from_file_location("ocr_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def rate_rows(output: str) -> dict[str, list[str]]:
    """The comparison table's rows by the text they scored: recall, trafficking recall, FPR, deltas, CER..."""
    names = ("typed", "poster text, typed", "OCR clean", "OCR noisy")
    rows = {}
    for line in output.splitlines():
        name = next((name for name in names if line.startswith(name + " ")), None)
        if name is not None:
            rows[name] = line.removeprefix(name).split()
    return rows


@pytest.mark.slow
def test_the_model_is_scored_on_typed_and_ocr_text_and_the_ocr_cache_is_reused(
        small_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    benchmark = load_benchmark()
    cache_file = tmp_path / "ocr.jsonl"
    config = OcrConfig(timeout_seconds=300)
    first_cache = benchmark.OcrCache(cache_file)
    benchmark.compare_model(small_model, 4, 20261201, config, first_cache)
    first = capsys.readouterr().out
    rows = rate_rows(first)
    assert list(rows) == ["typed", "poster text, typed", "OCR clean", "OCR noisy"]
    assert "on 4 held-out ads" in first
    assert first_cache.fresh_reads == 8 and "(8 posters read now, 0 from --ocr-cache)" in first
    entries = [json.loads(line) for line in cache_file.read_text(encoding="utf-8").splitlines()]
    assert len(entries) == 8 and all(entry["text"] for entry in entries)  # 4 clean + 4 noisy posters read
    assert all(0.0 <= float(value) <= 1.0 for row in rows.values() for value in row[:3])

    second_cache = benchmark.OcrCache(cache_file)
    benchmark.compare_model(small_model, 4, 20261201, config, second_cache)
    second = capsys.readouterr().out
    assert second_cache.fresh_reads == 0 and "OCR speed:" not in second
    assert len(cache_file.read_text(encoding="utf-8").splitlines()) == 8  # nothing read twice
    assert rate_rows(second) == rows  # the same texts give the same rates and verdicts
    verdicts = [line for line in second.splitlines() if line.startswith("target: recall and FPR")]
    assert len(verdicts) == 2 and all(line.endswith((": met", ": MISSED")) for line in verdicts)


def test_a_folder_that_is_not_a_model_ends_in_one_error_line(tmp_path: Path) -> None:
    done = run_benchmark("--n", "0", "--model", str(tmp_path))
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [f"error: cannot load the model in {tmp_path}: {tmp_path}: "
                                                "no manifest.json; not a lokerwatch model folder"]


def test_a_damaged_ocr_cache_is_refused_with_the_line_number(tmp_path: Path) -> None:
    cache = tmp_path / "ocr.jsonl"
    cache.write_text('{"key": "a", "text": "Gaji"}\nnot json\n', encoding="utf-8")
    done = run_benchmark("--n", "0", "--model", str(tmp_path), "--ads", "2", "--ocr-cache", str(cache))
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [f"error: {cache} line 2 is not an OCR cache entry; "
                                                "delete the file to start over"]
