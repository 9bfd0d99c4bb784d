"""Scraper test fixtures: the real fixture folders and a misbehaving local HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.fetcher import FetchPolicy
from tests.scraper.fault_server import FaultServer, Reply, running_server

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_FIXTURES = REPO_ROOT.parent / "shared" / "fixtures"
OWN_FIXTURES = REPO_ROOT / "tests" / "fixtures"


@pytest.fixture
def shared_fixtures() -> Path:
    assert SHARED_FIXTURES.is_dir(), f"{SHARED_FIXTURES} is missing: parser tests run on these real pages"
    return SHARED_FIXTURES


@pytest.fixture
def own_fixtures() -> Path:
    return OWN_FIXTURES


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with running_server() as srv:
        srv.route("/robots.txt", Reply(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"}))
        yield srv


@pytest.fixture
def fast_policy() -> FetchPolicy:
    """Production behaviour with test-sized waits: tiny pacing and backoff, short deadline."""
    return FetchPolicy(min_interval=0.01, backoff_base=0.01, backoff_max=0.05, deadline=2.0, read_timeout=1.0,
                       connect_timeout=1.0, retry_after_cap=1.0, max_retries=3, retry_budget=10,
                       max_body_bytes=200_000)
