"""Screenshots of captured pages for case packages, rendered by headless Chromium from the stored bytes, offline.

Why the plain `chromium` binary and not Playwright: Playwright is a dev dependency (browser tests) with its own
browser download; production servers have only the Debian `chromium` package. `chromium --headless
--screenshot` needs nothing else, but each launch costs about two seconds, so a package's snapshots are laid
out as same-sized frames on one sheet, shot in one launch, and cut apart with Pillow.

Nothing is fetched while rendering: every stored page is opened from a private temporary folder (file://) in
a sandboxed frame (no scripts, forms or plugins), with a strict Content-Security-Policy injected (images only
as data: URLs, no scripts, styles only inline), and Chromium itself is pointed at a proxy that refuses every
connection, with every host name unresolvable. A page's own images and styles from the internet are therefore
missing from the screenshot: it shows what the archive holds, not what the web shows today.
"""

from __future__ import annotations

import base64
import codecs
import html
import io
import logging
import os
import re
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageChops

if TYPE_CHECKING:
    from service.settings import Settings

log = logging.getLogger("lokerwatch.leads")

DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
DEFAULT_TIMEOUT_SECONDS = 60.0
WIDTH = 1024  # a laptop-wide page; phone layouts (m.facebook.com) still fit
MAX_HEIGHT = 1600  # the top of a page: where a post or a listing's newest ads are; longer pages are cut here
MIN_HEIGHT = 200
PAGES_PER_LAUNCH = 8  # 8 x 1600 px stays well under Chromium's largest window
MAX_TEXT_CHARS = 200_000  # a text snapshot (chat export, JSON) is shown from its start
CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
_SHEET_POLICY = "default-src 'none'; frame-src file:; style-src 'unsafe-inline'"
_IMAGE_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF8", "image/gif"),
                (b"RIFF", "image/webp"))
_DOCUMENT_START = re.compile(rb"\A(\xef\xbb\xbf)?\s*(<\?xml[^>]*>\s*)?(<!doctype[^>]*>)?", re.IGNORECASE)
_CHARSET = re.compile(r"charset=[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class CapturedPage:
    """One stored snapshot to render: its exact bytes and the Content-Type it was captured with."""

    snapshot_id: int
    body: bytes
    content_type: str | None
    # CSS from the page's source that leaves only the case's own posts visible on a listing page (or None).
    focus_style: str | None = None


@dataclass(frozen=True)
class Screenshot:
    """A snapshot's PNG, or why there is none (Bahasa Indonesia: it is printed in the package)."""

    snapshot_id: int
    png: bytes | None
    problem: str | None = None
    width: int | None = None
    height: int | None = None
    blank: bool = False  # all one colour: nothing on the page was drawn


@dataclass(frozen=True)
class ChromiumRenderer:
    """Renders stored snapshots with the Chromium binary at `binary`, each launch stopped after `timeout_seconds`."""

    binary: Path = DEFAULT_CHROMIUM
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS

    def render(self, pages: Sequence[CapturedPage]) -> list[Screenshot]:
        """One screenshot (or one problem) per page, in order; never raises for a page or a browser that fails."""
        if not pages:
            return []
        if not (self.binary.is_file() and os.access(self.binary, os.X_OK)):
            return [_failed(page, f"Chromium tidak ditemukan di {self.binary}") for page in pages]
        shots: list[Screenshot] = []
        with tempfile.TemporaryDirectory(prefix="lokerwatch-tangkapan-") as folder:
            for start in range(0, len(pages), PAGES_PER_LAUNCH):
                batch = pages[start:start + PAGES_PER_LAUNCH]
                made = self._render_batch(Path(folder), str(start), batch)
                if len(batch) > 1:
                    # A frame with nothing drawn may be a page Chromium had not painted yet when the sheet was
                    # shot (seen under heavy load): such a page gets a run of its own.
                    made = [self._render_batch(Path(folder), f"{start}-{page.snapshot_id}", [page])[0]
                            if shot.blank else shot for page, shot in zip(batch, made, strict=True)]
                shots.extend(made)
        return shots

    def _render_batch(self, folder: Path, number: str, pages: Sequence[CapturedPage]) -> list[Screenshot]:
        for page in pages:
            (folder / _page_name(page)).write_bytes(offline_document(page))
        sheet = folder / f"lembar-{number}.html"
        sheet.write_text(_sheet(pages), encoding="utf-8")
        png = folder / f"lembar-{number}.png"
        problem = self._shoot(folder, sheet, png, len(pages))
        if problem is not None:
            return [_failed(page, problem) for page in pages]
        try:
            with Image.open(png) as image:
                image.load()
                if image.size != (WIDTH, MAX_HEIGHT * len(pages)):  # a window Chromium would not open that big
                    return [_failed(page, f"gambar dari Chromium berukuran {image.width}x{image.height}, bukan "
                                          f"{WIDTH}x{MAX_HEIGHT * len(pages)}") for page in pages]
                return [_cut(page, image, index) for index, page in enumerate(pages)]
        except (OSError, ValueError) as exc:  # Pillow: an unreadable or truncated PNG
            return [_failed(page, f"hasil Chromium tidak terbaca ({exc})") for page in pages]

    def _shoot(self, folder: Path, sheet: Path, png: Path, count: int) -> str | None:
        """Run Chromium once on the sheet; None when the PNG was written, else why not (Bahasa Indonesia)."""
        with _refused_port() as port:
            command = [str(self.binary), "--headless", "--disable-gpu", "--hide-scrollbars",
                       "--force-device-scale-factor=1", "--no-first-run", "--no-default-browser-check",
                       "--disable-extensions", "--disable-sync", "--disable-background-networking",
                       "--disable-component-update", "--disable-default-apps", "--mute-audio",
                       # The frames render in the sheet's own process, every compositor stage runs before the
                       # picture is taken, and Chromium lets (virtual) time pass until the pages settle: without
                       # these, some frames of a sheet were still blank when it was shot on a busy machine.
                       "--disable-features=IsolateOrigins,site-per-process", "--run-all-compositor-stages-before-draw",
                       "--virtual-time-budget=5000",
                       f"--user-data-dir={folder / 'profil'}",
                       # Every request Chromium might still make goes to a port that refuses it, and no name
                       # resolves: nothing leaves the machine even if a page slipped past the CSP.
                       f"--proxy-server=http://127.0.0.1:{port}", "--proxy-bypass-list=<-loopback>",
                       "--host-resolver-rules=MAP * ~NOTFOUND",
                       f"--screenshot={png}", f"--window-size={WIDTH},{MAX_HEIGHT * count}", sheet.as_uri()]
            if os.geteuid() == 0:
                command.insert(1, "--no-sandbox")  # Chromium refuses to start as root with its own sandbox
            return _run(command, folder, png, self.timeout_seconds)


def renderer_for(settings: Settings) -> ChromiumRenderer:
    """The renderer the settings name (LOKERWATCH_CHROMIUM_PATH, LOKERWATCH_SCREENSHOT_TIMEOUT_SECONDS)."""
    return ChromiumRenderer(settings.chromium_path, settings.screenshot_timeout_seconds)


def _run(command: list[str], folder: Path, png: Path, timeout: float) -> str | None:
    environment = {**os.environ, "HOME": str(folder)}  # Chromium's caches and settings stay in the temp folder
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env=environment, start_new_session=True)
    except OSError as exc:
        return f"Chromium tidak dapat dijalankan ({exc.strerror})"
    try:
        _, errors = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # its renderer and GPU processes too
        process.communicate()
        return f"Chromium tidak selesai dalam {timeout:g} detik (dihentikan)"
    if process.returncode != 0 or not png.is_file():
        last = next((line for line in reversed(errors.decode("utf-8", "replace").splitlines())
                     if line.strip() and "dbus" not in line), "")
        log.warning("chromium screenshot failed: exit %s: %s", process.returncode, last)
        return f"Chromium gagal membuat gambar (kode keluar {process.returncode}){': ' + last[:200] if last else ''}"
    return None


@contextmanager
def _refused_port() -> Iterator[int]:
    """A local port bound but never listened on: every connection to it is refused while it is held."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        yield int(holder.getsockname()[1])


def _failed(page: CapturedPage, problem: str) -> Screenshot:
    return Screenshot(page.snapshot_id, None, problem)


def _page_name(page: CapturedPage) -> str:
    return f"halaman-{page.snapshot_id}.html"


def _sheet(pages: Sequence[CapturedPage]) -> str:
    frames = "".join(f'<iframe sandbox="" scrolling="no" src="{_page_name(page)}"></iframe>' for page in pages)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_SHEET_POLICY}">'
            f"<style>html,body{{margin:0;padding:0;background:#fff}}"
            f"iframe{{display:block;border:0;margin:0;width:{WIDTH}px;height:{MAX_HEIGHT}px}}</style>"
            f"</head><body>{frames}</body></html>")


def _cut(page: CapturedPage, sheet: Image.Image, index: int) -> Screenshot:
    """The page's frame cut from the sheet, with the empty background below its content trimmed."""
    frame = sheet.crop((0, index * MAX_HEIGHT, WIDTH, (index + 1) * MAX_HEIGHT)).convert("RGB")
    background = Image.new("RGB", frame.size, frame.getpixel((0, MAX_HEIGHT - 1)))
    content = ImageChops.difference(frame, background).getbbox()
    height = max(MIN_HEIGHT, content[3] if content else MIN_HEIGHT)
    frame = frame.crop((0, 0, WIDTH, min(height, MAX_HEIGHT)))
    buffer = io.BytesIO()
    frame.save(buffer, format="PNG")  # no text chunks or times: the same picture gives the same bytes
    return Screenshot(page.snapshot_id, buffer.getvalue(), None, frame.width, frame.height, blank=content is None)


def offline_document(page: CapturedPage) -> bytes:
    """The snapshot as a document that can load nothing: HTML with the CSP injected, an image inlined as a
    data: URL, anything else shown as text."""
    kind = _kind(page)
    if kind == "html":
        return _with_policy(page.body, _charset(page.content_type), page.focus_style)
    if kind.startswith("image/"):
        data = base64.b64encode(page.body).decode("ascii")
        return _wrapper(f'<img alt="" style="max-width:100%;height:auto" src="data:{kind};base64,{data}">')
    text = page.body.decode(_charset(page.content_type) or "utf-8", errors="replace")[:MAX_TEXT_CHARS]
    return _wrapper(f'<pre style="white-space:pre-wrap;font:14px monospace;margin:8px">{html.escape(text)}</pre>')


def _kind(page: CapturedPage) -> str:
    """"html", an image MIME type, or "text", from the captured Content-Type and the bytes themselves."""
    declared = (page.content_type or "").split(";")[0].strip().lower()
    head = page.body[:16]
    for magic, mime in _IMAGE_MAGIC:
        if head.startswith(magic) and (mime != "image/webp" or page.body[8:12] == b"WEBP"):
            return mime
    if declared in ("text/html", "application/xhtml+xml"):
        return "html"
    start = page.body[:1024].lstrip().lower()
    return "html" if start.startswith((b"<!doctype html", b"<html")) else "text"


def _charset(content_type: str | None) -> str | None:
    """The charset the page was captured with, if it names one Python knows."""
    found = _CHARSET.search(content_type or "")
    if found is None:
        return None
    try:
        return codecs.lookup(found.group(1)).name
    except LookupError:
        return None


def _with_policy(body: bytes, charset: str | None, focus_style: str | None = None) -> bytes:
    """The page with the CSP (and the captured charset) as the first elements of its head: right after any
    doctype, so the page keeps its rendering mode; the parser puts a leading <meta> into <head>. A focus style
    (see `CapturedPage`) goes last in the document, after the page's own styles, so it wins over them."""
    start = _DOCUMENT_START.match(body)
    cut = start.end() if start else 0
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
    if charset:
        meta = f'<meta charset="{html.escape(charset)}">' + meta
    style = f"<style>{focus_style}</style>".encode("ascii") if focus_style and "<" not in focus_style else b""
    return body[:cut] + meta.encode("ascii") + body[cut:] + style


def _wrapper(content: str) -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}"></head>'
            f'<body style="margin:0;background:#fff">{content}</body></html>').encode()
