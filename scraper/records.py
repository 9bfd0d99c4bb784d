"""Plain records the scraper hands to its caller: fetched pages and parsed job posts."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


def sha256_hex(data: bytes) -> str:
    """SHA-256 of raw bytes, the digest every evidence snapshot is identified by."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class RawPage:
    """One HTTP response (or imported file) exactly as received: the evidence a parse runs on."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    fetcher_version: str
    sha256: str = ""

    def __post_init__(self) -> None:
        digest = sha256_hex(self.body)
        if self.sha256 and self.sha256 != digest:
            raise ValueError(f"sha256 given for {self.url} does not match its body")
        object.__setattr__(self, "sha256", digest)


@dataclass(frozen=True)
class PosterText:
    """What OCR read from the images attached to one post, kept apart from the post's own text.

    `text` joins the readable images' texts (a blank line between images); `confidence` is their mean word
    confidence (0-1); `snapshot_ids` are the stored image snapshots the text was read from (empty when the text
    was read on an earlier run and is carried over).
    """

    text: str
    confidence: float
    engine_version: str
    snapshot_ids: tuple[int, ...] = ()

    @property
    def has_text(self) -> bool:
        return _says_something(self.text)


def _says_something(text: str) -> bool:
    """Whether `text` holds anything beyond blanks and invisible characters."""
    return any(not char.isspace() and unicodedata.category(char) != "Cf" for char in text)


@dataclass
class JobPost:
    """One ad as a source shows it. `source_ad_id` is stable across re-fetches of the same ad.

    `image_urls` are images attached to the post that may carry the ad's text (a Telegram photo); the crawl
    engine reads them with OCR into `poster`.
    """

    source: str
    source_ad_id: str
    text: str
    title: str = ""
    url: str | None = None
    posted_at: datetime | None = None
    location: str | None = None
    salary_text: str | None = None
    author: str | None = None
    contact_handles: list[str] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)
    image_urls: list[str] = field(default_factory=list)
    poster: PosterText | None = None

    @property
    def has_text(self) -> bool:
        """Whether the ad says anything to judge: a title, text or poster text beyond blanks and invisible
        characters."""
        return _says_something(self.title + self.text) or (self.poster is not None and self.poster.has_text)


class EvidenceSink(Protocol):
    """Where raw pages go before anything parses them; returns the stored snapshot's id."""

    def save_snapshot(self, page: RawPage) -> int: ...
