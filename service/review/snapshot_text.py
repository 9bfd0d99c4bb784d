"""A safe look at a captured page: its readable text only, never its markup.

Scraped HTML is hostile input. Rather than trusting a sanitiser's allow-list, the desk shows the text a
reader would see (scripts, styles and templates dropped by `scraper.htmltext`) and lists link targets
as inert text; the template escapes all of it, and the page's CSP forbids loading anything else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bs4 import Tag

from scraper.charset import decode_body
from scraper.htmltext import soup_of, text_of
from service.review.own_post import find_own_post
from service.review.poster_images import sniff_image
from service.store.evidence import snapshot_body
from service.store.tables import Ad, Snapshot

MAX_CHARS = 20_000
MAX_LINKS = 50
_HTML_TYPES = ("text/html", "application/xhtml")
IMAGE_KIND = "gambar"  # a poster: the ad page shows the image itself beside its OCR text


@dataclass(frozen=True)
class SafeSnapshot:
    """What the desk shows of one snapshot: metadata, plain text, and link targets as strings.

    `own_post` is the ad's own post in it (None: the page could not be split, show `text` alone).
    """

    id: int
    url: str
    fetched_at: datetime
    sha256: str
    size_bytes: int
    kind: str
    text: str
    truncated: bool
    links: list[str] = field(default_factory=list)
    own_post: str | None = None
    posts_on_page: int = 0


def _content_type(snapshot: Snapshot) -> str:
    headers = {str(k).lower(): str(v) for k, v in (snapshot.headers or {}).items()}
    return headers.get("content-type", "")


def looks_like_html(body: bytes, content_type: str) -> bool:
    if any(t in content_type.lower() for t in _HTML_TYPES):
        return True
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<div", b"<body", b"<head"))


def safe_text(body: bytes, content_type: str) -> tuple[str, list[str]]:
    """Readable text and link targets of a page (HTML reduced to text; anything else decoded as text)."""
    if looks_like_html(body, content_type):
        soup = soup_of(body, content_type or None)
        root = soup.body or soup
        links = []
        for anchor in root.select("a[href]") if isinstance(root, Tag) else []:
            href = str(anchor.get("href", "")).strip()
            if href and href not in links:
                links.append(href)
        return text_of(root if isinstance(root, Tag) else None), links[:MAX_LINKS]
    return decode_body(body, content_type or None), []


def kind_of(body: bytes, content_type: str) -> str:
    """What the capture is, in words (a MIME type means nothing to an analyst)."""
    if sniff_image(body) is not None:
        return IMAGE_KIND
    if looks_like_html(body, content_type):
        return "halaman web"
    if not content_type or content_type.lower().startswith("text/"):
        return "teks"
    return "berkas lain"


def render_snapshot(snapshot: Snapshot, ad: Ad | None = None) -> SafeSnapshot:
    """The snapshot as text; with `ad`, also that ad's own post in it."""
    content_type = _content_type(snapshot)
    body = snapshot_body(snapshot)
    kind = kind_of(body, content_type)
    text, links = ("", []) if kind == IMAGE_KIND else safe_text(body, content_type)  # an image's bytes are no text
    own = find_own_post(body, content_type, ad.source, ad.source_ad_id, ad.text, ad.author) if ad else None
    return SafeSnapshot(id=snapshot.id, url=snapshot.final_url or snapshot.url, fetched_at=snapshot.fetched_at,
                        sha256=snapshot.sha256, size_bytes=snapshot.size_bytes, kind=kind,
                        text=text[:MAX_CHARS], truncated=len(text) > MAX_CHARS, links=links,
                        own_post=own.text[:MAX_CHARS] if own else None, posts_on_page=own.posts_on_page if own else 0)
