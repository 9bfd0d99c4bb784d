"""A real desk for browser tests: the demo pages imported through the real parsers into a SQLite store,
scored by the transparent rules, served by uvicorn on a free port, driven by Debian's headless Chromium."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from model.rule_scorer import RuleScorer
from service.api.app import create_app
from service.demo.setup import DemoAccount, ensure_demo_accounts, import_demo_pages
from service.linking import link_pending
from service.queue import sync_queue
from service.scoring import score_unscored
from service.settings import Settings
from service.store.session import Store, open_store

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# rules-0 is cautious; a lower threshold puts more of the demo's suspicious ads in the queue.
E2E_THRESHOLD = 0.25


@dataclass
class LiveDesk:
    url: str
    settings: Settings
    store: Store
    accounts: dict[str, DemoAccount]

    def password(self, username: str) -> str:
        password = self.accounts[username].password
        assert password is not None
        return password


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveDesk]:
    root = tmp_path_factory.mktemp("desk")
    settings = Settings(database_url=f"sqlite:///{root / 'lokerwatch.db'}", model_dir=root / "models", dev_mode=True,
                        secret_key="e2e-signing-key-not-for-production-0123456789",
                        audit_head_path=root / "audit-head.log", pseudonym_key="e2e-pseudonym-key-0123456789abcdef",
                        review_threshold=E2E_THRESHOLD, _env_file=None)  # type: ignore[call-arg]
    store = open_store(settings)
    import_demo_pages(store.session_factory, root / "pages")
    score_unscored(store.session_factory, RuleScorer())
    link_pending(store.session_factory, settings.near_duplicate_threshold)
    with store.session_factory() as session:
        sync_queue(session, settings.review_threshold)
        accounts = {a.username: a for a in ensure_demo_accounts(session)}
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, store), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        pytest.fail("the desk did not start")
    yield LiveDesk(url, settings, store, accounts)
    server.should_exit = True
    thread.join(timeout=10)
    store.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
