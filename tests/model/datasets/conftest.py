"""Where the real data sets live: ../shared/datasets beside the repository (present in CI too)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
SHARED_DATASETS = REPO_ROOT.parent / "shared" / "datasets"


@pytest.fixture(scope="session")
def shared_datasets() -> Path:
    assert SHARED_DATASETS.is_dir(), f"expected the shared data sets at {SHARED_DATASETS}"
    return SHARED_DATASETS


@pytest.fixture(scope="session")
def sms_csv(shared_datasets: Path) -> Path:
    return shared_datasets / "id-sms-spam" / "dataset_sms_spam_v1.csv"


@pytest.fixture(scope="session")
def instagram_jsonl(shared_datasets: Path) -> Path:
    return shared_datasets / "id-instagram-loker" / "ads.jsonl"
