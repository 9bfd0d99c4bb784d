"""Telegram posts with photos, and the images a local server serves for them, for the poster (OCR) crawl tests.

The message markup is `channel_pages.message_html` (the real capture's wrap) with Telegram's real photo
markup (`tgme_widget_message_photo_wrap` with a `background-image:url(...)` style, as in
tests/fixtures/telegram/any2feed_full.html) put in its bubble; a photo-only post has no text block at all,
as on t.me. The posters are drawn by tests/ocr_posters.py, so what OCR should read is known.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from tests.ocr_posters import clean_style, render_poster
from tests.scraper.channel_pages import _TEXT_BLOCK, ChannelPost, message_html
from tests.scraper.fault_server import FaultServer, Reply
from tests.scraper.test_images import png_bomb

# A poster that says everything a trafficking recruiter's poster says, and a caption that says nothing.
TRAFFICKING_POSTER = (
    "LOWONGAN KERJA LUAR NEGERI\nDibutuhkan 20 wanita usia 18-25 tahun\nKerja di Kamboja, gaji 15 juta/bulan\n"
    "Berangkat pakai visa turis, paspor dipegang agen\nTanpa pengalaman, biaya diganti potong gaji\n"
    "Hubungi WA 0812-3456-7890")
CORRUPT_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40  # a JPEG cut off inside its first segment
HTML_AS_IMAGE = b"<!DOCTYPE html><html><body>404 Not Found</body></html>"


@dataclass(frozen=True)
class PhotoPost:
    post_id: int
    caption: str  # "" for a photo-only post
    photo_paths: tuple[str, ...]


def photo_message_html(channel: str, post: PhotoPost, base_url: str) -> str:
    wrap = message_html(ChannelPost(channel, post.post_id))
    if post.caption:
        body = html.escape(post.caption).replace("\n", "<br/>")
        wrap = _TEXT_BLOCK.sub(lambda m: m.group(1) + body + m.group(2), wrap, count=1)
    else:
        wrap = _TEXT_BLOCK.sub("", wrap, count=1)
    photos = "".join(
        f'<a class="tgme_widget_message_photo_wrap 5470060672080528430 1273597747_456246318" '
        f'href="https://t.me/{channel}/{post.post_id}" '
        f"style=\"width:800px;background-image:url('{base_url}{path}')\">"
        f'<div class="tgme_widget_message_photo" style="padding-top:58.625%"></div></a>'
        for path in post.photo_paths)
    return wrap.replace('<div class="tgme_widget_message_bubble">', f'<div class="tgme_widget_message_bubble">{photos}',
                        1)


def photo_channel_page(channel: str, posts: list[PhotoPost], base_url: str) -> bytes:
    """A t.me/s page with these posts and no older page to load."""
    messages = "\n".join(photo_message_html(channel, post, base_url) for post in sorted(posts, key=lambda p: p.post_id))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{channel} – Telegram</title></head>'
            f'<body><main class="tgme_main" data-url="/{channel}"><div class="tgme_container">'
            f'<section class="tgme_channel_history js-message_history">\n{messages}</section>'
            f"</div></main></body></html>").encode()


def poster_png(text: str = TRAFFICKING_POSTER, seed: int = 3) -> bytes:
    """A clean rendered poster (PNG) of `text`."""
    return render_poster(text, clean_style(seed)).image


def serve_photo_channel(server: FaultServer, channel: str, posts: list[PhotoPost]) -> None:
    server.route(f"/s/{channel}", Reply(200, photo_channel_page(channel, posts, server.base_url)))


def serve_images(server: FaultServer) -> dict[str, bytes]:
    """The images the tests' posts point at: a readable poster and four bad files (and one missing)."""
    images = {
        "/img/poster.png": poster_png(),
        "/img/corrupt.jpg": CORRUPT_JPEG,
        "/img/bomb.png": png_bomb(20_000, 20_000),
        "/img/page.png": HTML_AS_IMAGE,
    }
    types = {"/img/poster.png": "image/png", "/img/corrupt.jpg": "image/jpeg", "/img/bomb.png": "image/png",
             "/img/page.png": "text/html"}
    for path, body in images.items():
        server.route(path, Reply(200, body, {"Content-Type": types[path]}))
    return images
