"""Prometheus metrics: request counters kept in-process, store-wide gauges read from the store at scrape time."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from fastapi import FastAPI
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.store.counts import store_counts
from service.store.session import Store

log = logging.getLogger("lokerwatch.api")

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
            counts = store_counts(session)
        for (status, kind), n in counts.queue.items():
            queue.add_metric([status, kind], n)
        for status, n in counts.scrape_runs.items():
            runs.add_metric([status], n)
        yield queue
        yield GaugeMetricFamily("lokerwatch_claims_active", "Ads claimed by an analyst right now",
                                value=counts.claims_active)
        yield runs
        yield GaugeMetricFamily("lokerwatch_audit_entries", "Entries in the audit log", value=counts.audit_entries)


def metrics_text(store: Store) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StoreCollector(store))
    return generate_latest(registry) + generate_latest(REGISTRY)


class RequestMetricsMiddleware:
    """Counts, times and logs every request by its route template (never the raw path: ids would explode labels).

    Plain ASGI rather than BaseHTTPMiddleware, which costs a task and a stream copy per request.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            elapsed = time.perf_counter() - started
            template = getattr(scope.get("route"), "path", "unmatched")
            REQUESTS_TOTAL.labels(scope["method"], template, str(status)).inc()
            REQUEST_SECONDS.labels(template).observe(elapsed)
            state = scope.get("state") or {}
            principal = state.get("principal") if isinstance(state, dict) else None
            log.info("event=request method=%s route=%s status=%d ms=%.1f user=%s", scope["method"], template,
                     status, elapsed * 1000, principal.username if principal else "-")


def install_request_metrics(app: FastAPI) -> None:
    app.add_middleware(RequestMetricsMiddleware)
