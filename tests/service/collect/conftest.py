"""Collect tests run real scrapes: the scraper tests' misbehaving local server and test-sized fetch policy."""

from tests.scraper.conftest import fast_policy, server

__all__ = ["fast_policy", "server"]
