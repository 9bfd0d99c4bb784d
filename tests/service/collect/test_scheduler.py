"""Scheduled scrapes from the `sources` table, with exactly one leader per store."""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import select

from scraper.engine import RunSummary
from scraper.fetcher import FetchPolicy
from service.collect.scheduler import LeaderLock, ScrapeScheduler
from service.collect.source_rows import ensure_source
from service.settings import Settings
from service.store.session import Store
from service.store.tables import Ad, ScoreRow
from tests.scraper.channel_pages import serve_channel
from tests.scraper.fault_server import FaultServer


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_only_one_process_holds_the_leader_lock(store: Store) -> None:
    first = LeaderLock(store.engine, store.session_factory, lease_seconds=30)
    second = LeaderLock(store.engine, store.session_factory, lease_seconds=30)
    try:
        assert first.acquire() is True
        assert second.acquire() is False
        assert first.acquire() is True  # renewing is not a second acquisition
        first.release()
        assert second.acquire() is True
        assert first.acquire() is False
    finally:
        first.release()
        second.release()


def test_expired_sqlite_lease_or_closed_pg_session_frees_the_lock(store: Store) -> None:
    holder = LeaderLock(store.engine, store.session_factory, lease_seconds=1)
    waiter = LeaderLock(store.engine, store.session_factory, lease_seconds=1)
    try:
        assert holder.acquire()
        # The holder dies without releasing: on PostgreSQL its connection closes, on SQLite the lease runs out.
        holder._drop_connection()
        assert wait_until(waiter.acquire, timeout=5)
    finally:
        waiter.release()
        holder._held = False


def test_two_schedulers_on_one_store_scrape_once_per_interval(store: Store, settings: Settings,
                                                              server: FaultServer,
                                                              fast_policy: FetchPolicy) -> None:
    serve_channel(server, "lokerjkt", newest=5)
    ensure_source(store.session_factory, "telegram:lokerjkt", "telegram", {"channel": "lokerjkt"},
                  interval_seconds=1)
    scored: list[RunSummary] = []
    overrides = {"telegram:lokerjkt": {"base_url": server.base_url}}
    schedulers = [
        ScrapeScheduler(store.engine, store.session_factory, settings, policy=fast_policy,
                        after_run=scored.append, tick_seconds=0.3, overrides=overrides,
                        lock=LeaderLock(store.engine, store.session_factory, lease_seconds=5))
        for _ in range(2)
    ]
    for scheduler in schedulers:
        scheduler.start()
    try:
        time.sleep(5.2)
    finally:
        for scheduler in schedulers:
            scheduler.shutdown()
    leaders = [s for s in schedulers if s.runs]
    assert len(leaders) == 1, "both schedulers ran scrapes"
    page_requests = len(server.requests_to("/s/lokerjkt"))
    # One per second for ~5 s (fewer on a loaded machine); two schedulers would make about ten.
    assert 2 <= page_requests <= 6, page_requests
    assert len(scored) == page_requests  # the after-run hook saw every run
    with store.session_factory() as session:
        assert len(list(session.scalars(select(Ad)))) == 5


def test_follower_takes_over_when_the_leader_stops(store: Store, settings: Settings, server: FaultServer,
                                                   fast_policy: FetchPolicy) -> None:
    serve_channel(server, "lokerjkt", newest=3)
    ensure_source(store.session_factory, "telegram:lokerjkt", "telegram", {"channel": "lokerjkt"},
                  interval_seconds=1)
    overrides = {"telegram:lokerjkt": {"base_url": server.base_url}}

    def make() -> ScrapeScheduler:
        return ScrapeScheduler(store.engine, store.session_factory, settings, policy=fast_policy,
                               after_run=lambda s: None, tick_seconds=0.3, overrides=overrides,
                               lock=LeaderLock(store.engine, store.session_factory, lease_seconds=1))

    leader, follower = make(), make()
    leader.start()
    assert wait_until(lambda: leader.is_leader)
    follower.start()
    try:
        time.sleep(0.5)
        assert not follower.is_leader
        leader.shutdown()
        assert wait_until(lambda: bool(follower.runs), timeout=8)
    finally:
        follower.shutdown()


def test_newly_stored_ads_are_scored_right_after_a_scheduled_run(store: Store, settings: Settings,
                                                                 server: FaultServer,
                                                                 fast_policy: FetchPolicy) -> None:
    serve_channel(server, "lokerjkt", newest=4)
    ensure_source(store.session_factory, "telegram:lokerjkt", "telegram", {"channel": "lokerjkt"},
                  interval_seconds=3600)
    scheduler = ScrapeScheduler(store.engine, store.session_factory, settings, policy=fast_policy,
                                overrides={"telegram:lokerjkt": {"base_url": server.base_url}})
    assert scheduler.lock.acquire()
    try:
        summary = scheduler.run_now("telegram:lokerjkt")
    finally:
        scheduler.lock.release()
    assert summary is not None and summary.new_ads == 4
    with store.session_factory() as session:
        scored_ads = {row.ad_id for row in session.scalars(select(ScoreRow))}
        assert scored_ads == {ad.id for ad in session.scalars(select(Ad))}
