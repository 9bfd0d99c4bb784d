"""Prometheus metrics: request counters kept in-process, store-wide gauges read from the store at scrape time."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterator

from fastapi import FastAPI, Request, Response
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from service.store.session import Store
from service.store.tables import AdClaim, AuditEntry, QueueEntry, ScrapeRun
from service.store.types import utc_now

log = logging.getLogger("lokerwatch.api")

DECISIONS_TOTAL = Counter("lokerwatch_decisions_total", "Review decisions recorded by this process", ["decision"])
LOGINS_TOTAL = Counter("lokerwatch_logins_total", "Log-in attempts by outcome", ["outcome"])
REQUESTS_TOTAL = Counter("lokerwatch_http_requests_total", "HTTP requests", ["method", "route", "status"])
REQUEST_SECONDS = Histogram("lokerwatch_http_request_seconds", "HTTP request latency", ["route"],
                            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5))


class StoreCollector(Collector):
    """Numbers every worker agrees on, read from the store when Prometheus scrapes."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def collect(self) -> Iterator[GaugeMetricFamily]:
        queue = GaugeMetricFamily("lokerwatch_queue_size", "Ads in the review queue", labels=["status", "kind"])
        runs = GaugeMetricFamily("lokerwatch_scrape_runs", "Scrape runs in the store", labels=["status"])
        with self.store.session_factory() as session:
            for status, kind, n in session.execute(
                    select(QueueEntry.status, QueueEntry.kind, func.count()).where(QueueEntry.in_queue.is_(True))
                    .group_by(QueueEntry.status, QueueEntry.kind)):
                queue.add_metric([status, kind], n)
            claimed = session.scalar(select(func.count()).select_from(AdClaim).where(AdClaim.expires_at > utc_now()))
            for status, n in session.execute(select(ScrapeRun.status, func.count()).group_by(ScrapeRun.status)):
                runs.add_metric([status], n)
            audit = session.scalar(select(func.count()).select_from(AuditEntry))
        yield queue
        yield GaugeMetricFamily("lokerwatch_claims_active", "Ads claimed by an analyst right now", value=claimed or 0)
        yield runs
        yield GaugeMetricFamily("lokerwatch_audit_entries", "Entries in the audit log", value=audit or 0)


def metrics_text(store: Store) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StoreCollector(store))
    return generate_latest(registry) + generate_latest(REGISTRY)


def install_request_metrics(app: FastAPI) -> None:
    """Count and time every request by its route template (never by raw path: ids would explode labels)."""

    @app.middleware("http")
    async def _measure(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        template = getattr(route, "path", "unmatched")
        REQUESTS_TOTAL.labels(request.method, template, str(response.status_code)).inc()
        elapsed = time.perf_counter() - started
        REQUEST_SECONDS.labels(template).observe(elapsed)
        principal = getattr(request.state, "principal", None)
        log.info("event=request method=%s route=%s status=%d ms=%.1f user=%s", request.method, template,
                 response.status_code, elapsed * 1000, principal.username if principal else "-")
        return response
