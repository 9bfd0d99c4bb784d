"""Every snapshot in a case package comes with a screenshot rendered by headless Chromium from the stored bytes,
offline (issue #14): a PNG covered by the manifest, SHA256SUMS and both signatures, listed beside its ad in the
summary; when Chromium is missing, fails or hangs, the package is still made and says why."""

from __future__ import annotations

import io
import json
import re
import threading
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from PIL import Image

from scraper.records import RawPage
from scraper.sources import focus_style
from service.leads.package import LeadPackage
from service.leads.package_format import MANIFEST, SUMMARY_FILE, screenshot_path
from service.leads.rules import create_lead
from service.leads.screenshots import (
    MAX_HEIGHT,
    WIDTH,
    CapturedPage,
    ChromiumRenderer,
    offline_document,
)
from service.leads.signing import installation_public_key
from service.leads.verify import verify_package
from service.settings import Settings
from service.store.evidence import store_snapshot
from service.store.session import Store
from service.store.tables import AdSnapshot
from tests.service.lead_data import CAPTURED, add_ad, decide
from tests.service.leads.packages import UNIT, export_package

RED = (208, 0, 0)
BLUE = (0, 64, 200)


@dataclass
class _Requests:
    paths: list[str] = field(default_factory=list)


@contextmanager
def _counting_server() -> Iterator[tuple[str, _Requests]]:
    """A real local web server that records every request it gets (the page's images, scripts, styles)."""
    seen = _Requests()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.paths.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(_png(BLUE))

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def _png(colour: tuple[int, int, int], size: tuple[int, int] = (400, 300)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _page_referencing(base: str) -> bytes:
    """A captured job ad whose HTML pulls in things from the web: none of them may be fetched to render it."""
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Loker Kamboja</title>
<link rel="stylesheet" href="{base}/gaya.css"><script src="{base}/skrip.js"></script>
<style>@font-face {{ font-family: Jauh; src: url({base}/huruf.woff); }} body {{ font-family: Jauh, sans-serif; }}
.latar {{ background-image: url({base}/latar.png); }}</style></head>
<body><div class="latar" style="background-color:rgb{RED};width:600px;height:300px">LOKER ADMIN KAMBOJA</div>
<img src="{base}/foto.jpg" alt="foto"><img src="http://localhost:{base.rsplit(':', 1)[1]}/lewat-nama.jpg">
<iframe src="{base}/bingkai"></iframe><video src="{base}/video.mp4" autoplay></video>
<script>fetch("{base}/fetch"); document.body.style.background = "black";</script>
</body></html>""".encode()


def _lead_with_page_and_poster(store: Store, page: bytes) -> tuple[int, int, int, int]:
    """(lead id, ad id, page snapshot id, poster snapshot id): one ad seen on a page and in a poster image."""
    with store.session_factory() as session, session.begin():
        html = store_snapshot(session, RawPage(
            url="https://t.me/s/lokerkerja/301", final_url="https://t.me/s/lokerkerja/301", status=200,
            headers={"Content-Type": "text/html; charset=utf-8"}, body=page, fetched_at=CAPTURED,
            fetcher_version="lokerwatch-test/1"), source_name="telegram").id
        poster = store_snapshot(session, RawPage(
            url="https://cdn.telegram.org/file/poster.png", final_url="https://cdn.telegram.org/file/poster.png",
            status=200, headers={"Content-Type": "image/png"}, body=_png(BLUE), fetched_at=CAPTURED,
            fetcher_version="lokerwatch-test/1"), source_name="telegram").id
        ad = add_ad(session, "301", "Admin online Kamboja, visa turis diurus agen, paspor ditahan", html)
        session.add(AdSnapshot(ad_id=ad.id, snapshot_id=poster, seen_at=CAPTURED))  # the post's photo
        decide(session, ad, "trafficking", "visa turis")
        lead_id = create_lead(session, "supervisor1", UNIT, [ad.id], "Poster Kamboja", "").id
        return lead_id, ad.id, html, poster


def _members(package: LeadPackage) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package.data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _ad_section(summary: str, ad_id: int) -> str:
    return summary.split(f"<h2>Iklan #{ad_id}", 1)[1].split('<section class="iklan">', 1)[0]


def _share(picture: Image.Image, colour: tuple[int, int, int]) -> float:
    """The share of the picture's pixels within a few levels of `colour`."""
    counts = picture.convert("RGB").getcolors(maxcolors=picture.width * picture.height) or []
    near = sum(n for n, pixel in counts if _near(pixel, colour))
    return near / (picture.width * picture.height)


def _near(pixel: object, colour: tuple[int, int, int]) -> bool:
    return isinstance(pixel, tuple) and all(abs(a - b) <= 8 for a, b in zip(pixel[:3], colour, strict=True))


def test_each_snapshot_is_rendered_from_the_archive_and_nothing_is_fetched(
        store: Store, settings: Settings, tmp_path: Path) -> None:
    with _counting_server() as (base, requests):
        with urllib.request.urlopen(f"{base}/hidup") as answer:  # the server does answer requests
            assert answer.status == 200
        requests.paths.clear()
        lead_id, ad_id, page_id, poster_id = _lead_with_page_and_poster(store, _page_referencing(base))
        package = export_package(store, settings, lead_id)
        assert requests.paths == []  # not one image, script, style, font, frame or fetch was requested

    members = _members(package)
    assert package.screenshots == 2 and package.screenshot_problems == ()
    page_png, poster_png = members[screenshot_path(page_id)], members[screenshot_path(poster_id)]
    with Image.open(io.BytesIO(page_png)) as page:
        assert page.format == "PNG" and page.width == WIDTH and 200 <= page.height <= MAX_HEIGHT
        assert _near(page.getpixel((300, 150)), RED)  # the stored page's own content is drawn...
        assert _share(page, (0, 0, 0)) < 0.5  # ...and its script did not run (it would paint the page black)
    with Image.open(io.BytesIO(poster_png)) as poster:
        assert _share(poster, BLUE) > 0.05  # the poster image snapshot is shown

    manifest = json.loads(members[MANIFEST])
    assert manifest["format"] == "lokerwatch-lead-package/3"
    assert manifest["screenshots"] == [
        {"snapshot_id": page_id, "file": screenshot_path(page_id), "width": WIDTH, "height": page.height,
         "problem": None},
        {"snapshot_id": poster_id, "file": screenshot_path(poster_id), "width": WIDTH, "height": poster.height,
         "problem": None}]
    assert {entry["path"] for entry in manifest["files"]} >= {screenshot_path(page_id), screenshot_path(poster_id)}
    section = _ad_section(members[SUMMARY_FILE].decode(), ad_id)
    assert "Tangkapan layar halaman yang tersimpan" in section and "bukan dari internet" in section
    for snapshot_id in (page_id, poster_id):
        assert screenshot_path(snapshot_id) in section

    path = tmp_path / package.filename
    path.write_bytes(package.data)
    report = verify_package(path, installation_public_key(settings.signing_key_path))
    assert report.ok, report.problems
    assert report.files_checked == 6


def test_without_chromium_the_package_is_made_and_says_why_each_screenshot_is_missing(
        store: Store, settings: Settings, tmp_path: Path) -> None:
    lead_id, ad_id, page_id, poster_id = _lead_with_page_and_poster(store, b"<p>Loker</p>")
    missing = tmp_path / "tidak-ada" / "chromium"
    package = export_package(store, settings.model_copy(update={"chromium_path": missing}), lead_id)

    members = _members(package)
    assert not [name for name in members if name.startswith("tangkapan_layar/")]
    assert package.screenshots == 0 and len(package.screenshot_problems) == 2
    manifest = json.loads(members[MANIFEST])
    for shot, snapshot_id in zip(manifest["screenshots"], (page_id, poster_id), strict=True):
        assert shot == {"snapshot_id": snapshot_id, "file": None, "width": None, "height": None,
                        "problem": f"Chromium tidak ditemukan di {missing}"}
    section = _ad_section(members[SUMMARY_FILE].decode(), ad_id)
    assert section.count("<strong>tidak dapat dibuat</strong>: Chromium tidak ditemukan di") == 2

    path = tmp_path / package.filename
    path.write_bytes(package.data)
    report = verify_package(path, installation_public_key(settings.signing_key_path))
    assert report.ok, report.problems  # a missing screenshot, stated and signed, is not damage


def test_a_browser_that_hangs_is_stopped_and_the_reason_kept() -> None:
    shots = ChromiumRenderer(timeout_seconds=0.05).render([CapturedPage(7, b"<p>Loker</p>", "text/html")])
    assert [(shot.snapshot_id, shot.png) for shot in shots] == [(7, None)]
    assert shots[0].problem == "Chromium tidak selesai dalam 0.05 detik (dihentikan)"


def test_a_browser_that_fails_is_reported_with_its_exit_code(tmp_path: Path) -> None:
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\necho 'Trace/breakpoint trap: renderer crashed' >&2\nexit 5\n")
    broken.chmod(0o755)
    pages = [CapturedPage(snapshot_id, b"<p>Loker</p>", "text/html") for snapshot_id in (1, 2)]
    shots = ChromiumRenderer(broken).render(pages)
    assert [shot.png for shot in shots] == [None, None]
    assert all(shot.problem == "Chromium gagal membuat gambar (kode keluar 5): Trace/breakpoint trap: renderer "
                               "crashed" for shot in shots)


def test_more_snapshots_than_one_sheet_holds_are_all_rendered() -> None:
    pages = [CapturedPage(n, f'<div style="background:rgb{RED};height:{100 + n}px">#{n}</div>'.encode(), "text/html")
             for n in range(1, 11)]  # two Chromium runs: 8 + 2
    shots = ChromiumRenderer().render(pages)
    assert [shot.snapshot_id for shot in shots] == list(range(1, 11))
    for shot in shots:
        assert shot.png is not None and shot.problem is None, shot.problem
        with Image.open(io.BytesIO(shot.png)) as picture:
            assert picture.size == (shot.width, shot.height) and _near(picture.getpixel((20, 50)), RED)


def test_real_captured_pages_on_one_sheet_are_each_drawn(fixtures_dir: Path) -> None:
    # Two real saved pages in one Chromium run: each frame must be drawn, not left blank (frames in another
    # renderer process were sometimes blank on a busy machine before the sheet kept them in its own).
    pages = [CapturedPage(1, (fixtures_dir / "telegram/any2feed_full.html").read_bytes(), "text/html; charset=utf-8"),
             CapturedPage(2, (fixtures_dir / "facebook/fbscraper_m_facebook_group_117507531664134.html").read_bytes(),
                          "text/html")]
    for shot in ChromiumRenderer().render(pages):
        assert shot.png is not None, shot.problem
        with Image.open(io.BytesIO(shot.png)) as picture:
            assert picture.height > 1000 and _share(picture, (255, 255, 255)) < 0.995, shot.snapshot_id


def test_a_stored_page_gets_a_policy_that_loads_nothing_and_other_bytes_are_shown_inert() -> None:
    page = offline_document(CapturedPage(1, b"<!DOCTYPE html><html><head><title>x</title>", "text/html; charset=utf-8"))
    assert re.match(rb'<!DOCTYPE html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" '
                    rb"content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\"><html>", page)
    poster = offline_document(CapturedPage(2, _png(BLUE), "application/octet-stream"))  # sniffed as PNG
    assert b'src="data:image/png;base64,iVBORw0KGgo' in poster and b"Content-Security-Policy" in poster
    text = offline_document(CapturedPage(3, b"<script>alert(1)</script> WA 0812", "text/plain"))
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; WA 0812" in text and b"<script>" not in text


def test_a_channel_page_is_drawn_with_only_the_leads_own_posts(fixtures_dir: Path) -> None:
    """A t.me/s page lists ~20 posts; the case's post may be far down. The screenshot hides the others: it looks
    exactly like the same page with only that post left in it, and not like the top of the page."""
    from bs4 import BeautifulSoup

    from scraper.sources.telegram import parse_channel_page

    body = (fixtures_dir / "telegram/any2feed_full.html").read_bytes()
    posts = parse_channel_page(body).posts
    wanted = posts[-2].source_ad_id  # near the bottom: below the first 1,600 pixels of the page
    style = focus_style("telegram", [wanted])
    assert style is not None and focus_style("olx", [wanted]) is None and focus_style("telegram", ["a\"b/1"]) is None

    soup = BeautifulSoup(body, "html.parser")
    for wrap in soup.select(".tgme_widget_message_wrap"):
        if wrap.select_one(f'.tgme_widget_message[data-post="{wanted}"]') is None:
            wrap.decompose()
    only_the_post = str(soup).encode("utf-8")
    kind = "text/html; charset=utf-8"
    focused, expected, whole = ChromiumRenderer().render([CapturedPage(1, body, kind, style),
                                                          CapturedPage(2, only_the_post, kind),
                                                          CapturedPage(3, body, kind)])
    assert focused.png and expected.png and whole.png, (focused.problem, expected.problem, whole.problem)
    with Image.open(io.BytesIO(focused.png)) as a, Image.open(io.BytesIO(expected.png)) as b, \
            Image.open(io.BytesIO(whole.png)) as c:
        assert a.size == b.size and a.tobytes() == b.tobytes()  # the case's post, as if alone on the page
        assert a.size != c.size or a.tobytes() != c.tobytes()


def test_a_package_marks_the_channel_pages_drawn_with_only_its_own_posts(
        store: Store, settings: Settings, fixtures_dir: Path, tmp_path: Path) -> None:
    from scraper.sources.telegram import parse_channel_page

    body = (fixtures_dir / "telegram/any2feed_full.html").read_bytes()
    wanted = parse_channel_page(body).posts[-2].source_ad_id
    with store.session_factory() as session, session.begin():
        page_id = store_snapshot(session, RawPage(
            url="https://t.me/s/topwar_official", final_url="https://t.me/s/topwar_official", status=200,
            headers={"Content-Type": "text/html; charset=utf-8"}, body=body, fetched_at=CAPTURED,
            fetcher_version="lokerwatch-test/1"), source_name="telegram").id
        ad = add_ad(session, wanted, "Admin online Kamboja, visa turis diurus agen", page_id)
        decide(session, ad, "trafficking", "visa turis")
        lead_id, ad_id = create_lead(session, "supervisor1", UNIT, [ad.id], "Kanal", "").id, ad.id
    package = export_package(store, settings, lead_id)
    members = _members(package)
    section = _ad_section(members[SUMMARY_FILE].decode(), ad_id)
    assert "hanya pesan perkara ini" in section and screenshot_path(page_id) in section
    [focused] = ChromiumRenderer().render([CapturedPage(page_id, body, "text/html; charset=utf-8",
                                                        focus_style("telegram", [wanted]))])
    with Image.open(io.BytesIO(members[screenshot_path(page_id)])) as packaged, \
            Image.open(io.BytesIO(focused.png or b"")) as direct:
        assert packaged.tobytes() == direct.tobytes()  # the package's picture is the focused one
    path = tmp_path / package.filename
    path.write_bytes(package.data)
    assert verify_package(path, installation_public_key(settings.signing_key_path)).ok
