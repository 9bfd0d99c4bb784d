"""Scraper test fixtures: a misbehaving local HTTP server and a test-sized fetch policy.

Saved pages come from the `fixtures_dir` fixture (tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scraper.fetcher import FetchPolicy
from tests.scraper.fault_server import FaultServer, Reply, running_server


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
