"""Round-2 labelled data by independent writers and editors: provenance, mix, hard negatives, minimal pairs."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from model.datasets.common import MODUS_VALUES, SOURCES
from model.labelled import read_labelled_jsonl
from tests.conftest import REPO_ROOT

LABELLED_DIR = REPO_ROOT / "labelled_data"
WRITER_FILES = sorted([*LABELLED_DIR.glob("writers/*.jsonl"), *LABELLED_DIR.glob("validation/*.jsonl"),
                       *LABELLED_DIR.glob("heldout/*.jsonl")])


def _raw(path: Path) -> list[dict[str, Any]]:
    list(read_labelled_jsonl(path))  # the schema reader accepts every line
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def writers() -> dict[str, list[dict[str, Any]]]:
    return {path.stem: _raw(path) for path in WRITER_FILES}


def test_at_least_ten_writers_and_1600_ads(writers: dict[str, list[dict[str, Any]]]) -> None:
    assert len(writers) >= 10 and sum(map(len, writers.values())) >= 1600


@pytest.mark.parametrize("path", WRITER_FILES, ids=lambda p: p.stem)
def test_each_writer_covers_every_label_with_hard_negatives_and_minimal_pairs(path: Path) -> None:
    ads = _raw(path)
    labels = Counter(ad["label"] for ad in ads)
    assert set(labels) == {"legit", "scam", "trafficking"}
    assert sum(bool(ad.get("hard_negative")) for ad in ads) >= 0.4 * labels["legit"]
    assert {ad["group"] for ad in ads} == {f"writer-{path.stem}"}
    for ad in ads:
        assert ad["notes"].startswith(f"written by independent writer {path.stem}")
        assert ad["modus"] in MODUS_VALUES and ad["source"] in (*SOURCES, "twitter")
        assert (ad["label"] == "legit") == ad["modus"].startswith("legit_") and ad["deciding_fact"]
    pairs: dict[str, list[str]] = defaultdict(list)
    for ad in ads:
        if ad.get("pair_id"):
            pairs[ad["pair_id"]].append(ad["label"])
    assert len(pairs) >= 8 and all(len(set(members)) == 2 for members in pairs.values())


def test_held_out_writers_are_marked_and_the_others_are_not() -> None:
    for path in WRITER_FILES:
        expected = {"heldout": "test", "validation": "validation", "writers": "train"}[path.parent.name]
        assert {ad["split"] for ad in _raw(path)} == {expected}, path


def test_counterfactual_edits_name_their_real_original_and_the_fact_they_change() -> None:
    edits = [ad for path in sorted(LABELLED_DIR.glob("counterfactual/*.jsonl")) for ad in _raw(path)]
    assert len(edits) >= 300 and {ad["label"] for ad in edits} == {"legit", "scam", "trafficking"}
    for ad in edits:
        assert ad["real_id"].startswith("id-instagram-loker-") and ad["pair_id"] == f"cf-{ad['real_id']}"
        assert ad["edit"].strip() and ad["edit"] in ad["text"], ad["id"]
        assert "MIT" in ad["notes"] and ad["split"] == "train"
