"""Each source's sample pages, read from its own test module (`SAMPLE_PAGES`, `SOURCE_PARAMS`).

A source's test module says which saved pages stand for it; the contract and never-crash tests find
them here through the registry, so a new source is covered by adding its module and its tests.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from scraper import sources
from scraper.records import RawPage
from scraper.sources.base import Source

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@dataclass(frozen=True)
class Sample:
    source: str
    url: str
    fixture: Path

    def page(self, body: bytes | None = None) -> RawPage:
        return RawPage(url=self.url, final_url=self.url, status=200, headers={}, fetcher_version="test",
                       body=self.fixture.read_bytes() if body is None else body,
                       fetched_at=datetime(2026, 11, 1, tzinfo=UTC))


def source_test_module(name: str) -> ModuleType:
    """tests/scraper/sources/test_<name>.py (ModuleNotFoundError when a source has no parser tests)."""
    return importlib.import_module(f"tests.scraper.sources.test_{name}")


def source_for_tests(name: str) -> Source:
    params: dict[str, Any] = getattr(source_test_module(name), "SOURCE_PARAMS", {})
    return sources.create(name, params, {})


def samples_of(name: str) -> list[Sample]:
    return [Sample(name, url, FIXTURES / path) for url, path in getattr(source_test_module(name), "SAMPLE_PAGES", [])]


def all_samples() -> list[Sample]:
    return [sample for name in sources.names() for sample in samples_of(name)]
