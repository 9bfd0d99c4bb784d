"""A clean stop gives up the scheduler's leader lock at once: the next process leads at its next tick, without
waiting out the lease (60 s by default), on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from service.collect.scheduler import LeaderLock, ScrapeScheduler
from service.settings import Settings
from service.store.session import Store
from tests.service.collect.test_scheduler import wait_until

LEASE_SECONDS = 60


def _serve_env(settings: Settings, port: int) -> dict[str, str]:
    return {**os.environ, "LOKERWATCH_DATABASE_URL": settings.database_url, "LOKERWATCH_DEV_MODE": "true",
            "LOKERWATCH_SECRET_KEY": settings.secret_key or "", "LOKERWATCH_LOG_LEVEL": "INFO",
            "LOKERWATCH_AUDIT_HEAD_PATH": str(settings.audit_head_path),
            "LOKERWATCH_SIGNING_KEY_PATH": str(settings.signing_key_path),
            "LOKERWATCH_MODEL_DIR": str(settings.model_dir), "LOKERWATCH_PORT": str(port),
            "LOKERWATCH_SCHEDULER_LEASE_SECONDS": str(LEASE_SECONDS)}


def test_sigterm_to_serve_releases_the_leader_lock_at_once(store: Store, settings: Settings, tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        serve = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--host", "127.0.0.1"], cwd=tmp_path,
                                 env=_serve_env(settings, port), stdout=log, stderr=subprocess.STDOUT)
    try:
        # Read from its log, not by contending for the lock: a contender could win the race to the first tick.
        assert wait_until(lambda: "scheduler is the leader" in log_path.read_text() or serve.poll() is not None,
                          timeout=90)
        assert serve.poll() is None, log_path.read_text()[-2000:]
        contender = LeaderLock(store.engine, store.session_factory, lease_seconds=LEASE_SECONDS)
        assert not contender.acquire()  # the serving process leads
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=60) == 0, log_path.read_text()[-2000:]
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
    try:
        assert contender.acquire(), "the stopped process still holds the lock: the next leader waits out the lease"
    finally:
        contender.release()
    assert "released the leader lock" in log_path.read_text()


def test_a_follower_leads_at_its_next_tick_after_the_leader_shuts_down(store: Store, settings: Settings) -> None:
    def scheduler() -> ScrapeScheduler:
        return ScrapeScheduler(store.engine, store.session_factory, settings, after_run=lambda summary: None,
                               lock=LeaderLock(store.engine, store.session_factory, lease_seconds=LEASE_SECONDS))

    leader, follower = scheduler(), scheduler()
    try:
        leader.tick()
        follower.tick()
        assert leader.is_leader and not follower.is_leader
        leader.shutdown()
        follower.tick()  # no wait for the lease: the lock was given up
        assert follower.is_leader
    finally:
        follower.shutdown()
