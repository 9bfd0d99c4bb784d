"""Shared model fixtures: the small hand-written sample, a classifier fitted on it, and a small data plan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from model.classifier import AdClassifier
from model.dataset import LabelledSet, load_labelled

SAMPLE = Path(__file__).resolve().parent / "fixtures" / "sample_ads.jsonl"
# Small data needs small leaves and few folds; the defaults are for thousands of ads.
SMALL = {"min_leaf": 3, "trees": 60, "folds": 3}


@pytest.fixture(scope="session")
def sample() -> LabelledSet:
    return load_labelled([SAMPLE])


@pytest.fixture(scope="session")
def fitted(sample: LabelledSet) -> AdClassifier:
    return AdClassifier(**SMALL).fit(sample.ads(), sample.labels, [r.extra["group"] for r in sample.records],
                                     [r.modus if r.label != "legit" else None for r in sample.records])


@pytest.fixture(scope="session")
def small_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data plan over the sample: three authors train, one validates, one is held out (marked split=test)."""
    folder = tmp_path_factory.mktemp("plan")
    roles = {"train": ("author-ani", "author-budi", "author-citra"), "validation": ("author-dedi",),
             "test": ("author-eka",)}
    records = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    for role, authors in roles.items():
        chosen = [{**r, **({"split": "test"} if role == "test" else {})} for r in records if r["group"] in authors]
        (folder / f"{role}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chosen),
                                              encoding="utf-8")
    plan = folder / "plan.toml"
    plan.write_text("".join(f'[{role}]\nfiles = ["{role}.jsonl"]\n' for role in roles), encoding="utf-8")
    return plan
