"""Shared model fixtures: the small hand-written sample and one classifier fitted on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.classifier import AdClassifier
from model.dataset import LabelledSet, load_labelled

SAMPLE = Path(__file__).resolve().parent / "fixtures" / "sample_ads.jsonl"


@pytest.fixture(scope="session")
def sample() -> LabelledSet:
    return load_labelled([SAMPLE])


@pytest.fixture(scope="session")
def fitted(sample: LabelledSet) -> AdClassifier:
    # min_df=1: the sample is tiny; calibration still runs on 3 folds
    return AdClassifier(min_df=1).fit(sample.ads(), sample.labels)
