"""The real data sets the importer tests read: the copies vendored in datasets/ (see datasets/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.datasets.vendored import ID_INSTAGRAM_LOKER_JSONL, ID_SMS_SPAM_CSV


@pytest.fixture(scope="session")
def sms_csv() -> Path:
    assert ID_SMS_SPAM_CSV.is_file(), f"{ID_SMS_SPAM_CSV} is missing: it is part of the repository"
    return ID_SMS_SPAM_CSV


@pytest.fixture(scope="session")
def instagram_jsonl() -> Path:
    assert ID_INSTAGRAM_LOKER_JSONL.is_file(), f"{ID_INSTAGRAM_LOKER_JSONL} is missing: it is part of the repository"
    return ID_INSTAGRAM_LOKER_JSONL
