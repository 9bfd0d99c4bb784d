"""Reading the images attached to posts (loker posters) during a crawl: fetch, keep as evidence, OCR.

Most loker ads on Telegram are a photo with a short caption or none at all. For every post that has
`image_urls`, the engine hands the post to a `PosterReader`: each image is fetched through the run's own
polite fetcher (robots.txt, pacing, retries, the size cap), stored as a snapshot *before* anything decodes
it, then decoded and read (`scraper.ocr.read_poster`, `scraper.ocr_text.tidy_ocr_text`). The text goes into
`post.poster`, apart from the post's own text. A bad image (corrupt, a decompression bomb, an HTML error
page, too big) is a problem kept beside its snapshot, never a crash; the post is still stored when it has
text of its own.

Images an earlier run already read are not fetched again: the sink says which posts have a poster text
(`PosterSink.stored_posters`) and the reader carries that text over. When a photo-only post's image could
not be read for a reason a later run may not meet (a failed fetch, a pause, no OCR engine, the run's image
limit), `read_posts` says so, and the engine keeps the page to resume from: the post is not lost for good.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol
from urllib.parse import urljoin, urlsplit

from scraper.contacts import find_contacts
from scraper.errors import BodyTooLarge, FetchError, RobotsDisallowed, SourcePaused, TooManyRedirects
from scraper.fetcher import Fetcher
from scraper.images import ImageLimits, ImageRejected
from scraper.ocr import OcrConfig, OcrError, OcrUnavailable, read_poster
from scraper.ocr_records import OcrResult
from scraper.ocr_text import tidy_ocr_text
from scraper.records import EvidenceSink, JobPost, PosterText

log = logging.getLogger("lokerwatch.scraper.posters")

PARSER_NAME = "ocr"  # how image problems are labelled beside their snapshot (ParseError.parser)


@dataclass(frozen=True)
class PosterPolicy:
    """How many images a run reads and how. A Telegram post holds up to 10 photos; the first few carry the ad."""

    max_per_post: int = 3
    max_per_run: int = 200
    ocr: OcrConfig = field(default_factory=OcrConfig)
    limits: ImageLimits = field(default_factory=ImageLimits)


class PosterSink(EvidenceSink, Protocol):
    """What the reader needs from the caller's store: snapshots, problems and the posters already read."""

    def record_problems(self, snapshot_id: int, parser: str, problems: Sequence[str]) -> None: ...

    def stored_posters(self, source: str, source_ad_ids: Sequence[str]) -> Mapping[str, PosterText]:
        """The poster text already stored for each of these posts that has one."""
        ...


@dataclass
class ImageReading:
    """One image's outcome: its snapshot (None when it was never fetched) and its OCR result or problem."""

    url: str
    snapshot_id: int | None
    result: OcrResult | None = None
    problem: str | None = None
    retry: bool = False  # not read for a reason a later run may not meet


def read_image_bytes(data: bytes, policy: PosterPolicy) -> OcrResult:
    """Decode and OCR one image's bytes, then apply the measured text repairs (docs/ocr.md).

    Raises `ImageRejected` for a bad file and `OcrError` when the engine fails.
    """
    result = read_poster(data, policy.ocr, policy.limits)
    return replace(result, text=tidy_ocr_text(result.text))


def combine(readings: Sequence[ImageReading]) -> PosterText | None:
    """The post's poster text: every image that gave text, in order; None when none did."""
    read = [r for r in readings if r.result is not None and r.result.text.strip()]
    if not read:
        return None
    results = [r.result for r in read if r.result is not None]
    return PosterText(
        text="\n\n".join(result.text.strip() for result in results),
        confidence=round(sum(result.confidence for result in results) / len(results), 4),
        engine_version=results[0].engine_version,
        snapshot_ids=tuple(r.snapshot_id for r in read if r.snapshot_id is not None),
    )


def _is_http(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


class PosterReader:
    """Reads the posters of one run's posts; counts what it read and every problem for the run summary."""

    def __init__(self, fetcher: Fetcher, sink: PosterSink, policy: PosterPolicy | None = None) -> None:
        self.fetcher = fetcher
        self.sink = sink
        self.policy = policy or PosterPolicy()
        self.images_read = 0  # images fetched this run, readable or not
        self.problems: list[tuple[int, str]] = []  # (snapshot id, problem), for the run summary
        self.stopped: str | None = None  # why the reader stopped for the rest of the run (pause, no OCR engine)

    async def read_posts(self, source: str, posts: Sequence[JobPost], page_url: str, page_snapshot_id: int) -> bool:
        """Give each post with images its `poster`; problems go to the sink beside the snapshot they concern.

        True when a post with no text of its own is left without a poster for a reason a later run may not
        meet: the page should be read again.
        """
        wanting = [post for post in posts if post.image_urls and post.poster is None]
        if not wanting:
            return False
        known = self.sink.stored_posters(source, [post.source_ad_id for post in wanting])
        read_again = False
        for post in wanting:
            if post.source_ad_id in known:
                post.poster = known[post.source_ad_id]
            else:
                readings = [await self._read(post, urljoin(page_url, url), page_snapshot_id)
                            for url in post.image_urls[: self.policy.max_per_post]]
                post.poster = combine(readings)
                read_again |= not post.has_text and any(reading.retry for reading in readings)
            if post.poster is not None:  # a number printed on the poster is the ad's contact too
                post.contact_handles += [handle for handle in find_contacts(post.poster.text)
                                         if handle not in post.contact_handles]
        return read_again

    async def _read(self, post: JobPost, url: str, page_snapshot_id: int) -> ImageReading:
        if self.stopped or self.images_read >= self.policy.max_per_run:
            return ImageReading(url, None, problem=self.stopped or "the run's image limit", retry=True)
        if not _is_http(url):
            self._problem(page_snapshot_id, post, url, "not an http(s) URL; not fetched")
            return ImageReading(url, None, problem="not http")
        self.images_read += 1
        try:
            page = await self.fetcher.fetch(url)
        except SourcePaused as exc:
            self.stopped = f"paused: {exc}"
            self._problem(page_snapshot_id, post, url, f"not fetched, source paused: {exc}")
            return ImageReading(url, None, problem=str(exc), retry=True)
        except FetchError as exc:
            self._problem(page_snapshot_id, post, url, f"not fetched: {exc}")
            lasting = isinstance(exc, (RobotsDisallowed, BodyTooLarge, TooManyRedirects))  # the same next run
            return ImageReading(url, None, problem=str(exc), retry=not lasting)
        snapshot_id = self.sink.save_snapshot(page)  # evidence first, also for a bad or hostile file
        if not 200 <= page.status < 300:
            return self._failed(snapshot_id, post, url, f"HTTP {page.status}: not read")
        try:
            result = await asyncio.to_thread(read_image_bytes, page.body, self.policy)
        except ImageRejected as exc:
            return self._failed(snapshot_id, post, url, f"image refused ({exc.kind}): {exc.reason}")
        except OcrUnavailable as exc:
            self.stopped = f"OCR unavailable: {exc}"
            reading = self._failed(snapshot_id, post, url, f"not read, OCR unavailable: {exc}")
            return replace(reading, retry=True)
        except OcrError as exc:
            return self._failed(snapshot_id, post, url, f"OCR failed: {exc}")
        except Exception as exc:  # a reader bug must not end the run or lose the image
            log.exception("OCR crashed on snapshot %s", snapshot_id)
            return self._failed(snapshot_id, post, url, f"OCR crashed: {type(exc).__name__}: {exc}")
        return ImageReading(url, snapshot_id, result=result)

    def _failed(self, snapshot_id: int, post: JobPost, url: str, reason: str) -> ImageReading:
        self._problem(snapshot_id, post, url, reason)
        return ImageReading(url, snapshot_id, problem=reason)

    def _problem(self, snapshot_id: int, post: JobPost, url: str, reason: str) -> None:
        problem = f"post {post.source_ad_id!r}: image {url}: {reason}"
        self.sink.record_problems(snapshot_id, PARSER_NAME, [problem])
        self.problems.append((snapshot_id, problem))
