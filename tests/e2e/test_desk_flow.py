"""The analysts' desk in a real browser: log in, triage the queue, decide, build a lead, verify its package."""

from __future__ import annotations

import json
import os
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Error, Page, expect

from service.demo.setup import DEMO_UNIT
from service.leads.signing import installation_public_key
from service.leads.verify import verify_package
from tests.e2e.conftest import LiveDesk

pytestmark = pytest.mark.browser
# The README's pictures (docs/screenshots) are rewritten only on request: `make screenshots` points this
# variable there. Otherwise the screenshots go to a temporary folder, so a test run leaves the tree as it was.
SCREENSHOT_DIR_VARIABLE = "LOKERWATCH_SCREENSHOT_DIR"
LAPTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


def log_in(browser: Browser, desk: LiveDesk, username: str,
           viewport: dict[str, int] = LAPTOP) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport=viewport, accept_downloads=True)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(f"{desk.url}/desk")
    expect(page).to_have_url(re.compile(r"/desk/masuk"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", desk.password(username))
    page.click("button[type=submit]")
    return context, page


def capture(page: Page, path: str, full_page: bool = False) -> None:
    """Save a screenshot; headless Chromium now and then answers "Unable to capture screenshot" on a tall
    page while it is still compositing, so that one error is retried a few times before it fails the test."""
    for attempt in range(3):
        try:
            page.screenshot(path=path, full_page=full_page)
            return
        except Error as exc:
            if "Unable to capture screenshot" not in str(exc) or attempt == 2:
                raise
            page.wait_for_timeout(500)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG, after checking it is a whole, decodable image (signature, chunk CRCs,
    pixel data of the size IHDR announces), so a truncated or empty file cannot pass for a screenshot."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    chunks: dict[bytes, bytes] = {}
    offset = 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4].rjust(4, b"\0"))
        assert offset + 12 + length <= len(data), f"{path} is truncated"
        kind, body = data[offset + 4:offset + 8], data[offset + 8:offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length:offset + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"{path}: bad CRC in chunk {kind!r}"
        chunks[kind] = chunks.get(kind, b"") + body
        offset += 12 + length
    assert b"IEND" in chunks, f"{path} is truncated"
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    assert interlace == 0
    assert len(zlib.decompress(chunks[b"IDAT"])) == height * (1 + (width * channels * depth + 7) // 8)
    return width, height


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    chosen = os.environ.get(SCREENSHOT_DIR_VARIABLE)
    folder = Path(chosen) if chosen else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def queue_ids(page: Page) -> list[str]:
    return page.locator("#queue tr.row").evaluate_all("rows => rows.map(r => r.dataset.adId)")


def test_wrong_password_is_refused_in_bahasa_indonesia(browser: Browser, live_desk: LiveDesk) -> None:
    page = browser.new_page()
    page.goto(f"{live_desk.url}/desk/masuk")
    page.fill("input[name=username]", "demo")
    page.fill("input[name=password]", "bukan-kata-sandinya")
    page.click("button[type=submit]")
    expect(page.locator(".flash-error")).to_have_text("Nama pengguna atau kata sandi salah.")
    page.close()


def test_from_login_to_a_verified_lead_package(browser: Browser, live_desk: LiveDesk, tmp_path: Path) -> None:
    # An analyst logs in and lands on the queue, trafficking first.
    context, page = log_in(browser, live_desk, "demo")
    expect(page).to_have_url(re.compile(r"/desk/antrean"))
    before = queue_ids(page)
    assert len(before) >= 5
    # j/k move the selection; Enter opens the selected ad.
    page.keyboard.press("j")
    expect(page.locator("#queue tr.selected")).to_have_attribute("data-ad-id", before[1])
    page.keyboard.press("k")
    expect(page.locator("#queue tr.selected")).to_have_attribute("data-ad-id", before[0])
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/desk/iklan/{before[0]}$"))

    # The ad's red flags are highlighted in its text and explained in Bahasa Indonesia.
    marks = page.locator("#ad-text mark.hl")
    assert marks.count() >= 1
    assert marks.first.get_attribute("title")
    expect(page.locator("li.indicator").first).to_be_visible()
    expect(page.locator("pre.snapshot-text").first).to_be_visible()

    # Claim it, decide it with a note; it leaves the queue.
    page.click("text=Klaim iklan ini")
    expect(page.locator(".flash-ok")).to_contain_text("diklaim")
    page.fill("textarea[name=note]", "Visa turis + Kamboja: pola perekrutan kompleks penipuan.")
    page.click("button.decide-trafficking")
    expect(page).to_have_url(re.compile(r"/desk/antrean\?pesan=diputuskan"))
    after = queue_ids(page)
    assert before[0] not in after

    # The keyboard decides too: select the next ad, press 2 (Penipuan).
    second = after[0]
    page.keyboard.press("2")
    expect(page.locator(".flash-ok")).to_contain_text("Keputusan tersimpan")
    assert second not in queue_ids(page)
    page.goto(f"{live_desk.url}/desk/iklan/{before[0]}")
    expect(page.locator("ol.history")).to_contain_text("demo")
    expect(page.locator("ol.history")).to_contain_text("Visa turis + Kamboja")
    context.close()

    # A supervisor turns both confirmed ads into a lead and downloads its case package.
    context, page = log_in(browser, live_desk, "demo-supervisor")
    page.goto(f"{live_desk.url}/desk/lead")
    page.check(f"#ad-{before[0]}")
    page.check(f"#ad-{second}")
    page.fill("input[name=unit]", DEMO_UNIT)
    page.fill("input[name=title]", "Perekrut admin online Kamboja")
    page.click("#lead-form button[type=submit]")
    expect(page.locator(".flash-ok")).to_contain_text("Lead dibuat")
    with page.expect_download() as download_info:
        page.click("#download-package")
    package = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(package)
    report = verify_package(package, installation_public_key(live_desk.settings.signing_key_path))
    assert report.ok, report.problems
    assert report.snapshots_checked >= 1
    with zipfile.ZipFile(package) as archive:  # each snapshot rendered offline by the server's Chromium
        shots = json.loads(archive.read("manifest.json"))["screenshots"]
        assert len(shots) == report.snapshots_checked and all(shot["problem"] is None for shot in shots), shots
        assert all(archive.read(shot["file"]).startswith(b"\x89PNG") for shot in shots)
    lead_url = page.url.split("?")[0]
    context.close()

    # The police unit sees the lead, downloads it and marks it received.
    context, page = log_in(browser, live_desk, "demo-polisi")
    expect(page).to_have_url(re.compile(r"/desk/lead"))
    expect(page.locator("table.leads")).to_contain_text("Perekrut admin online Kamboja")
    page.goto(lead_url)
    # How a unit checks the package with what it has: standard tools, explained in Indonesian, never our CLI.
    checks = page.locator("body")
    expect(checks).to_contain_text("sha256sum -c SHA256SUMS")
    expect(checks).to_contain_text("openssl pkeyutl -verify -pubin -inkey lokerwatch-pub.pem")
    expect(checks).to_contain_text("Setiap unduhan adalah paket baru")
    expect(checks).not_to_contain_text("lokerwatch lead verify")
    page.select_option("select[name=status]", "received")
    page.fill("form[action$='/status'] textarea[name=note]", "Diterima unit, dipelajari.")
    page.click("form[action$='/status'] button[type=submit]")
    expect(page.locator(".flash-ok")).to_contain_text("Status lead diperbarui")
    # Police have no queue: case data stays with the desk.
    response = page.goto(f"{live_desk.url}/desk/antrean")
    assert response is not None and response.status == 403
    context.close()


def test_hostile_ad_text_is_shown_as_text_and_never_runs(browser: Browser, hostile_desk: LiveDesk) -> None:
    """The hostile post is the tests' own (conftest's HOSTILE_CHANNEL_PAGE): the demo a newcomer sees has none."""
    context, page = log_in(browser, hostile_desk, "demo")
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    page.goto(f"{hostile_desk.url}/desk/antrean?bebas=1")
    hostile = page.locator("#queue a.ad-link", has_text="<script>")
    expect(hostile).to_have_count(1)
    hostile.click()
    expect(page.locator("#ad-text")).to_contain_text("<script>alert('xss')</script>")
    expect(page.locator("pre.snapshot-own")).to_contain_text("<script>alert('xss')</script>")  # its own post, as text
    assert page.locator("#ad-text script").count() == 0
    assert page.locator("main script").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == []
    context.close()


def test_screenshots_of_the_main_pages(browser: Browser, live_desk: LiveDesk, screenshot_dir: Path) -> None:
    """Also checks that no page breaks its own Content-Security-Policy (no inline script or style)."""
    console_errors: list[str] = []

    def watch(page: Page) -> None:
        page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)

    for device, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
        page = context.new_page()
        page.goto(f"{live_desk.url}/desk/masuk")
        capture(page, str(screenshot_dir / f"login-{device}.png"))
        context.close()
        context, page = log_in(browser, live_desk, "demo", viewport)
        watch(page)
        capture(page, str(screenshot_dir / f"queue-{device}.png"))
        first = queue_ids(page)[0]
        page.goto(f"{live_desk.url}/desk/iklan/{first}")
        capture(page, str(screenshot_dir / f"detail-{device}.png"), device == "laptop")
        page.goto(f"{live_desk.url}/desk/dasbor")
        assert page.locator("svg.chart").count() >= 4
        capture(page, str(screenshot_dir / f"dashboard-{device}.png"), True)
        context.close()
        context, page = log_in(browser, live_desk, "demo-supervisor", viewport)
        watch(page)
        page.goto(f"{live_desk.url}/desk/lead")
        capture(page, str(screenshot_dir / f"leads-{device}.png"), device == "laptop")
        context.close()
    assert not [e for e in console_errors if "Content Security Policy" in e or "Refused" in e], console_errors
    for name in ("login", "queue", "detail", "dashboard", "leads"):
        for device, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
            picture = screenshot_dir / f"{name}-{device}.png"
            width, height = png_size(picture)
            assert width == viewport["width"] and height >= viewport["height"], (picture.name, width, height)
            assert picture.stat().st_size > 5_000  # a rendered page, not a blank one
