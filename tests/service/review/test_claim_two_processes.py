"""Two API processes on one store, eight analysts hammering claim-next and deciding: no ad is claimed twice and no
decision is lost, on PostgreSQL and on SQLite.

Each process is a real `lokerwatch serve --no-scheduler`, so the claims are serialised by the store (an advisory
lock on PostgreSQL, SQLite's write lock), not by anything the two processes share in memory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from service.auth.passwords import hash_password
from service.auth.tokens import issue_access_token
from service.review.queue_sync import sync_queue
from service.scoring.threshold import review_threshold
from service.settings import Settings
from service.store.session import Store
from service.store.tables import Review, User
from service.store.types import utc_now
from tests.processes import free_port, stop_processes
from tests.service.desk import add_scored_ad

pytestmark = pytest.mark.slow

ADS = 48
ANALYSTS = 8
PROCESSES = 2


@contextmanager
def serve_processes(settings: Settings, folder: Path, count: int) -> Iterator[list[str]]:
    """`count` `lokerwatch serve --no-scheduler` processes on the test store; yields their base URLs."""
    env = {**os.environ, "LOKERWATCH_DATABASE_URL": settings.database_url, "LOKERWATCH_DEV_MODE": "true",
           "LOKERWATCH_SECRET_KEY": settings.secret_key or "", "LOKERWATCH_LOG_LEVEL": "WARNING",
           "LOKERWATCH_AUDIT_HEAD_PATH": str(settings.audit_head_path),
           "LOKERWATCH_SIGNING_KEY_PATH": str(settings.signing_key_path),
           "LOKERWATCH_MODEL_DIR": str(settings.model_dir)}
    processes, urls = [], []
    try:
        for n in range(count):
            port = free_port()
            with (folder / f"serve-{n}.log").open("wb") as log:  # the process keeps its own copy of the file
                processes.append(subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--no-scheduler",
                                                   "--host", "127.0.0.1", "--port", str(port)],
                                                  cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT))
            urls.append(f"http://127.0.0.1:{port}")
        for n, (url, process) in enumerate(zip(urls, processes, strict=True)):
            deadline = time.monotonic() + 120
            while not _healthy(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"serve process {n} did not start: {(folder / f'serve-{n}.log').read_text()[-2000:]}")
                time.sleep(0.2)
        yield urls
    finally:
        stop_processes(processes)


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _analysts(store: Store, count: int) -> list[tuple[int, str]]:
    password = hash_password("kata-sandi-yang-panjang")
    with store.session_factory() as session:
        users = [User(username=f"analis{n}", password_hash=password, role="analyst", unit=None, disabled=False,
                      created_at=utc_now()) for n in range(count)]
        session.add_all(users)
        session.commit()
        return [(user.id, user.username) for user in users]


def _work_the_queue(url: str, token: str, name: str, start: threading.Barrier, claimed: list[tuple[str, int]],
                    decided: list[tuple[str, int]], failures: list[str], lock: threading.Lock) -> None:
    """Claim-next and decide until the queue is empty, as fast as the API answers."""
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=120) as client:
        start.wait()
        while True:
            claim = client.post("/queue/claim-next")
            if claim.status_code == 204:
                return
            if claim.status_code != 200:
                with lock:
                    failures.append(f"claim-next {claim.status_code}: {claim.text[:200]}")
                return
            ad_id = claim.json()["ad_id"]
            with lock:
                claimed.append((name, ad_id))
            decision = client.post(f"/ads/{ad_id}/decisions", json={"decision": "scam", "note": name})
            if decision.status_code != 201:
                with lock:
                    failures.append(f"decision on {ad_id} {decision.status_code}: {decision.text[:200]}")
                return
            with lock:
                decided.append((name, ad_id))


def test_two_processes_never_hand_one_ad_to_two_analysts_nor_lose_a_decision(settings: Settings, store: Store,
                                                                             tmp_path: Path) -> None:
    with store.session_factory() as session:
        ids = {add_scored_ad(session, f"race-{n}", f"Kerja di Kamboja, visa turis, gaji 20 juta ({n})", 0.1, 0.8)
               for n in range(ADS)}
        session.commit()
        sync_queue(session, review_threshold(session, settings))
    analysts = _analysts(store, ANALYSTS)
    claimed: list[tuple[str, int]] = []
    decided: list[tuple[str, int]] = []
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(ANALYSTS)
    with serve_processes(settings, tmp_path, PROCESSES) as urls:
        threads = [threading.Thread(target=_work_the_queue, args=(
            urls[n % PROCESSES], issue_access_token(settings, user_id, "analyst")[0], name, start, claimed, decided,
            failures, lock)) for n, (user_id, name) in enumerate(analysts)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert not any(thread.is_alive() for thread in threads), "an analyst was still working after 5 minutes"
    assert failures == []
    claims_per_ad = Counter(ad_id for _, ad_id in claimed)
    assert [ad for ad, n in claims_per_ad.items() if n > 1] == []  # no ad claimed twice
    assert set(claims_per_ad) == ids  # the queue was worked to the end
    assert len({name for name, _ in claimed}) > 1  # the analysts really worked side by side
    with store.session_factory() as session:
        stored = [(note, ad_id) for ad_id, note in session.execute(select(Review.ad_id, Review.note))]
        assert session.scalar(select(func.count()).select_from(Review)) == len(decided) == ADS
    assert sorted(stored) == sorted(decided)  # every answered decision is stored, by the analyst who made it
