"""A real desk for browser tests: the demo pages imported through the real parsers into a SQLite store,
scored by the transparent rules (or a small trained model), served by uvicorn on a free port, driven by
Debian's headless Chromium.

`live_desk` is what a newcomer sees after `make run`; `hostile_desk` adds the tests' own hostile channel
page (an ad whose text is a `<script>`), which the bundled demo no longer carries.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from model.rule_scorer import RuleScorer
from service.api.app import create_app
from service.collect.image_import import import_images
from service.collect.imports import import_file
from service.demo.setup import DemoAccount, ensure_demo_accounts, import_demo_pages
from service.leads.signing import load_or_create_signer
from service.links.linking import link_pending
from service.review.queue_sync import sync_queue
from service.scoring.registry import activate, load_active_scorer
from service.scoring.score import score_unscored
from service.scoring.threshold import review_threshold
from service.settings import Settings
from service.store.session import Store, open_store
from tests.processes import free_port
from tests.trained import install_model

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# rules-0 is cautious; a lower threshold puts more of the demo's suspicious ads in the queue.
E2E_THRESHOLD = 0.25
HOSTILE_CHANNEL = "lokerhostile"
HOSTILE_POST = f"{HOSTILE_CHANNEL}/7"
# A t.me/s page in the real structure whose one post is hostile: the parser turns the escaped text into
# the ad text `<script>alert('xss')</script> KERJA SAMPINGAN ...`, which the desk must show and never run.
HOSTILE_CHANNEL_PAGE = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>LOKER HOSTILE – Telegram</title>
<script>window.stolen = document.cookie</script></head>
<body class="widget_frame_base tgme_webpreview_body"><main class="tgme_main">
<section class="tgme_channel_history js-message_history">
<div class="tgme_widget_message_wrap js-widget_message_wrap">
<div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="{HOSTILE_POST}">
<div class="tgme_widget_message_bubble">
<div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name"
 href="https://t.me/{HOSTILE_CHANNEL}"><span dir="auto">LOKER HOSTILE</span></a></div>
<div class="tgme_widget_message_text js-message_text" dir="auto">&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;
KERJA SAMPINGAN 🔥 Like &amp; subscribe YouTube, komisi 50rb per tugas!<br/>Isi saldo awal 100rb untuk buka tugas VIP
<img src=x onerror="alert('img')"></div>
<div class="tgme_widget_message_footer compact js-message_footer">
<div class="tgme_widget_message_info short js-message_info">
<span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/{HOSTILE_POST}">
<time datetime="2026-11-26T12:15:00+00:00" class="time">12:15</time></a></span></div></div>
</div></div></div>
</section></main></body></html>
"""


@dataclass
class LiveDesk:
    url: str
    settings: Settings
    store: Store
    accounts: dict[str, DemoAccount]

    @property
    def review_threshold(self) -> float:
        """The threshold the desk works with (`service.scoring.threshold`): the setting, or the active model's."""
        with self.store.session_factory() as session:
            return review_threshold(session, self.settings)

    def password(self, username: str) -> str:
        password = self.accounts[username].password
        assert password is not None
        return password


@contextmanager
def serve_desk(root: Path, extra_telegram_pages: Sequence[tuple[str, str]] = (), model: Path | None = None,
               threshold: float | None = E2E_THRESHOLD, poster_folder: Path | None = None) -> Iterator[LiveDesk]:
    """The demo (plus any (channel, html) pages given) imported, scored, linked and served until closed.

    `model`: a trained artifact folder to activate and score with (rules-0 without); `threshold`: the
    review-threshold setting (None: the active model's own, as after `make run`); `poster_folder`: poster
    images imported as `lokerwatch import images` does (read with Tesseract).
    """
    settings = Settings(database_url=f"sqlite:///{root / 'lokerwatch.db'}", model_dir=root / "models", dev_mode=True,
                        secret_key="e2e-signing-key-not-for-production-0123456789",
                        audit_head_path=root / "audit-head.log", signing_key_path=root / "signing-key.pem",
                        pseudonym_key="e2e-pseudonym-key-0123456789abcdef",
                        review_threshold=threshold, _env_file=None)  # type: ignore[call-arg]
    store = open_store(settings)
    import_demo_pages(store.session_factory, root / "pages")
    for channel, html in extra_telegram_pages:
        page = root / f"telegram_{channel}.html"
        page.write_text(html, encoding="utf-8")
        assert import_file(store.session_factory, "telegram", page, {"channel": channel}).status == "ok"
    if poster_folder is not None:
        assert import_images(store.session_factory, poster_folder).status == "ok"
    scorer = RuleScorer()
    if model is not None:
        version = install_model(model, settings.model_dir)
        with store.session_factory() as session:
            activate(session, settings, version)
            scorer = load_active_scorer(session, settings)
    score_unscored(store.session_factory, scorer)
    link_pending(store.session_factory, settings.near_duplicate_threshold)
    with store.session_factory() as session:
        sync_queue(session, review_threshold(session, settings))
        accounts = {a.username: a for a in ensure_demo_accounts(session)}
    load_or_create_signer(settings.signing_key_path)  # as `quickstart` does: the lead pages show its fingerprint
    port = free_port()
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
    try:
        yield LiveDesk(url, settings, store, accounts)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.dispose()


@pytest.fixture(scope="module")
def live_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveDesk]:
    with serve_desk(tmp_path_factory.mktemp("desk")) as desk:
        yield desk


@pytest.fixture(scope="module")
def hostile_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveDesk]:
    with serve_desk(tmp_path_factory.mktemp("hostile-desk"), [(HOSTILE_CHANNEL, HOSTILE_CHANNEL_PAGE)]) as desk:
        yield desk


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
