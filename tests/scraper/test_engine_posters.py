"""Posters in the crawl: images attached to Telegram posts fetched politely, kept as evidence, read with OCR.

A real Telegram source, fetcher and Tesseract against the local fault server, with an in-memory sink.
"""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from scraper import sources
from scraper.engine import RunSummary, crawl
from scraper.fetcher import Fetcher, FetchPolicy
from scraper.ocr import OcrConfig
from scraper.posters import PosterPolicy
from scraper.records import PosterText, sha256_hex
from scraper.sources.base import WebSource
from tests.scraper.fault_server import FaultServer, Reply
from tests.scraper.poster_pages import PhotoPost, serve_images, serve_photo_channel
from tests.scraper.test_engine import MemorySink

CHANNEL = "lokerjkt"


@dataclass
class PosterMemorySink(MemorySink):
    """The engine tests' sink, which also answers which posts already have a poster text."""

    def stored_posters(self, source: str, source_ad_ids: Sequence[str]) -> Mapping[str, PosterText]:
        return {ad_id: post.poster for ad_id in source_ad_ids
                if (post := self.posts.get(ad_id)) is not None and post.poster is not None}


def run(server: FaultServer, policy: FetchPolicy, sink: PosterMemorySink, posters: PosterPolicy | None = PosterPolicy(),
        cursor: Mapping[str, Any] | None = None) -> RunSummary:
    def build(position: Mapping[str, Any]) -> WebSource:
        source = sources.create("telegram", {"channel": CHANNEL, "base_url": server.base_url}, position)
        assert isinstance(source, WebSource)
        return source

    async def go() -> RunSummary:
        async with Fetcher(policy) as fetcher:
            return await crawl(build, cursor or {}, fetcher, sink, RunSummary("telegram"), posters=posters)

    return asyncio.run(go())


def problems_of(sink: PosterMemorySink) -> dict[str, tuple[int, str]]:
    """Each problem by the post it names: (snapshot id, parser)."""
    found = {}
    for snapshot_id, parser, problem in sink.problems:
        post_id = problem.split("'")[1]
        found[f"{post_id} {problem}"] = (snapshot_id, parser)
    return found


def test_a_photo_only_post_is_judged_on_its_poster_and_the_image_is_kept_as_evidence(
        server: FaultServer, fast_policy: FetchPolicy) -> None:
    images = serve_images(server)
    serve_photo_channel(server, CHANNEL, [PhotoPost(1, "", ("/img/poster.png",))])
    sink = PosterMemorySink()

    summary = run(server, fast_policy, sink)

    assert (summary.status, summary.new_ads, summary.images, summary.errors) == ("ok", 1, 1, 0), summary.messages
    post = sink.posts[f"{CHANNEL}/1"]
    assert post.text == "" and post.poster is not None
    for words in ("Kamboja", "visa turis", "paspor dipegang agen", "potong gaji"):
        assert words in post.poster.text
    assert 0.8 < post.poster.confidence <= 1 and post.poster.engine_version.startswith("tesseract")
    # The image is a snapshot of its own, stored before the posts, bytes and type exactly as served.
    assert [kind for kind, _ in sink.events] == ["snapshot", "snapshot", "posts", "page_done", "cursor"]
    (image_snapshot,) = post.poster.snapshot_ids
    stored = sink.pages[image_snapshot]
    assert stored.body == images["/img/poster.png"] and stored.sha256 == sha256_hex(images["/img/poster.png"])
    assert stored.headers["content-type"] == "image/png"
    assert post.contact_handles == ["0812-3456-7890"]  # the number printed on the poster
    (request,) = server.requests_to("/img/poster.png")
    assert request.headers["user-agent"] == fast_policy.user_agent


def test_bad_images_are_problems_beside_their_snapshots_and_never_end_a_run(
        server: FaultServer, fast_policy: FetchPolicy) -> None:
    serve_images(server)
    serve_photo_channel(server, CHANNEL, [
        PhotoPost(1, "Loker satpam Depok, gaji UMK", ()),  # the channel's first post: the walk ends on this page
        PhotoPost(2, "Loker admin gudang, kirim CV ke hrd@example.co.id", ("/img/corrupt.jpg",)),
        PhotoPost(3, "", ("/img/bomb.png",)),  # photo-only, and its photo is a decompression bomb
        PhotoPost(4, "Loker kurir Bekasi, gaji UMK", ("/img/page.png",)),
        PhotoPost(5, "Loker kasir Bogor", ("/img/missing.png",)),
        PhotoPost(6, "", ("/img/poster.png",)),
        PhotoPost(7, "", ("/img/huge.png",)),  # over the fetcher's size cap: refused before it is downloaded
    ])
    server.route("/img/huge.png", Reply(200, b"\x89PNG\r\n\x1a\n" + b"\0" * fast_policy.max_body_bytes,
                                        {"Content-Type": "image/png"}))
    sink = PosterMemorySink()

    started = time.monotonic()
    summary = run(server, fast_policy, sink)

    assert time.monotonic() - started < 30  # the bomb is refused from its header, not unpacked
    assert summary.status == "partial" and summary.images == 6
    assert summary.frontier == []  # nothing here gets better on a later run: no page is kept to read again
    assert sorted(sink.posts) == [f"{CHANNEL}/{i}" for i in (1, 2, 4, 5, 6)]
    assert sink.posts[f"{CHANNEL}/2"].poster is None and sink.posts[f"{CHANNEL}/6"].poster is not None
    by_image = {page.url.rsplit("/", 1)[-1]: snapshot_id for snapshot_id, page in sink.pages.items()}
    expected = {
        "corrupt.jpg": "image refused (corrupt)",
        "bomb.png": "image refused (too_many_pixels)",
        "page.png": "image refused (not_an_image)",
        "missing.png": "HTTP 404: not read",
    }
    for image, words in expected.items():
        matching = [(snapshot_id, parser) for snapshot_id, parser, problem in sink.problems
                    if image in problem and words in problem]
        assert matching == [(by_image[image], "ocr")], (image, sink.problems)
    # The channel page's snapshot (a slow machine may fetch it twice: a retried page is a second snapshot).
    page_snapshots = {snapshot_id for snapshot_id, page in sink.pages.items() if page.url.endswith(f"/{CHANNEL}")}
    for post in (3, 7):
        assert any(snapshot_id in page_snapshots and parser == "telegram"
                   and problem == f"post '{CHANNEL}/{post}': no text; not stored"
                   for snapshot_id, parser, problem in sink.problems), sink.problems
    assert "huge.png" not in by_image  # nothing of it was stored: the problem is kept beside the page
    assert any(snapshot_id in page_snapshots and "huge.png: not fetched" in problem and "over 200000 bytes" in problem
               for snapshot_id, _, problem in sink.problems), sink.problems
    assert summary.errors == len(sink.problems) == 7


def test_images_obey_robots_txt_and_the_hosts_pacing(server: FaultServer, fast_policy: FetchPolicy) -> None:
    serve_images(server)
    server.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /img/private/\n", {"Content-Type": "text/plain"}))
    server.route("/img/private/poster.png", Reply(200, b"never served"))
    serve_photo_channel(server, CHANNEL, [
        PhotoPost(1, "Loker admin", ("/img/private/poster.png",)),
        PhotoPost(2, "", ("/img/poster.png",)),
    ])
    sink = PosterMemorySink()
    policy = replace(fast_policy, min_interval=0.4)

    summary = run(server, policy, sink)

    assert server.requests_to("/img/private/poster.png") == []
    assert any("/img/private/poster.png: not fetched" in problem and "robots" in problem
               for _, _, problem in sink.problems), sink.problems
    assert sorted(sink.posts) == [f"{CHANNEL}/1", f"{CHANNEL}/2"] and summary.images == 2
    times = [request.at for request in server.log if request.path != "/robots.txt"]
    assert len(times) == 2 and times[1] - times[0] >= 0.4 * 0.95


def test_a_poster_read_once_is_not_fetched_again(server: FaultServer, fast_policy: FetchPolicy) -> None:
    serve_images(server)
    serve_photo_channel(server, CHANNEL, [PhotoPost(1, "", ("/img/poster.png",))])
    sink = PosterMemorySink()
    first = run(server, fast_policy, sink)
    read_first = sink.posts[f"{CHANNEL}/1"].poster

    both = [PhotoPost(1, "", ("/img/poster.png",)), PhotoPost(2, "", ("/img/poster.png",))]
    serve_photo_channel(server, CHANNEL, both)
    second = run(server, fast_policy, sink, cursor=sink.cursor)

    assert (first.images, second.images) == (1, 1)  # only the new post's image
    assert len(server.requests_to("/img/poster.png")) == 2
    assert read_first is not None and sink.posts[f"{CHANNEL}/1"].poster == read_first
    assert second.errors == 0 and second.new_ads == 1


def test_without_a_poster_policy_no_image_is_fetched(server: FaultServer, fast_policy: FetchPolicy) -> None:
    serve_images(server)
    serve_photo_channel(server, CHANNEL, [PhotoPost(1, "", ("/img/poster.png",))])
    sink = PosterMemorySink()

    summary = run(server, fast_policy, sink, posters=None)

    assert server.requests_to("/img/poster.png") == [] and summary.images == 0
    assert sink.posts == {} and [p for _, _, p in sink.problems] == [f"post '{CHANNEL}/1': no text; not stored"]


def test_a_photo_only_post_whose_image_failed_to_arrive_is_read_by_the_next_run(
        server: FaultServer, fast_policy: FetchPolicy) -> None:
    images = serve_images(server)
    failing = [Reply(503, b"busy")] * (fast_policy.max_retries + 1)
    server.route("/img/poster.png", *failing, Reply(200, images["/img/poster.png"], {"Content-Type": "image/png"}))
    serve_photo_channel(server, CHANNEL, [PhotoPost(1, "", ("/img/poster.png",)), PhotoPost(2, "Loker kasir", ())])
    sink = PosterMemorySink()

    first = run(server, fast_policy, sink)

    assert sorted(sink.posts) == [f"{CHANNEL}/2"] and first.status == "partial"
    assert first.frontier == [server.url(f"/s/{CHANNEL}")]  # the page is kept to resume from
    second = run(server, fast_policy, sink, cursor=sink.cursor)

    poster = sink.posts[f"{CHANNEL}/1"].poster
    assert second.new_ads == 1 and poster is not None and "Kamboja" in poster.text
    assert second.frontier == [] and sink.cursor is not None and "resume" not in sink.cursor


def test_an_olx_search_asked_for_images_reads_each_new_ads_first_photo(
        server: FaultServer, fast_policy: FetchPolicy, fixtures_dir: Path) -> None:
    images = serve_images(server)
    page0 = (fixtures_dir / "olx/search_lowongan_page0.json").read_bytes()
    page0 = page0.replace(b"https://apollo-singapore.akamaized.net", server.base_url.encode())
    search = "/api/relevance/v4/search?query=admin&page={}&sorting=desc-creation"
    server.route(search.format(0), Reply(200, page0, {"Content-Type": "application/json"}))
    server.route(search.format(1), Reply(200, b'{"data": [], "metadata": {}}', {"Content-Type": "application/json"}))
    server.route("/v1/files/x9023456710-ID/image", Reply(200, images["/img/poster.png"], {"Content-Type": "image/png"}))
    sink = PosterMemorySink()

    async def go() -> RunSummary:
        def build(position: Mapping[str, Any]) -> WebSource:
            source = sources.create("olx", {"query": "admin", "images": True, "base_url": server.base_url}, position)
            assert isinstance(source, WebSource)
            return source

        async with Fetcher(fast_policy) as fetcher:
            return await crawl(build, {}, fetcher, sink, RunSummary("olx"), posters=PosterPolicy())

    summary = asyncio.run(go())

    assert summary.new_ads == 3 and summary.images == 3
    poster = sink.posts["902345671"].poster
    assert poster is not None and "paspor dipegang agen" in poster.text
    # The other two ads' photos are not on the server: a problem each, the ads (with their own text) kept.
    assert sum("HTTP 404: not read" in problem for _, _, problem in sink.problems) == 2


def test_without_tesseract_a_run_says_so_once_and_the_next_run_reads_the_posters(
        server: FaultServer, fast_policy: FetchPolicy, tmp_path: Path) -> None:
    serve_images(server)
    photo_only = [PhotoPost(i, "", ("/img/poster.png",)) for i in (1, 2)]
    serve_photo_channel(server, CHANNEL, [*photo_only, PhotoPost(3, "Loker kasir", ())])
    sink = PosterMemorySink()
    missing = PosterPolicy(ocr=OcrConfig(tesseract_cmd=str(tmp_path / "no-tesseract")))

    first = run(server, fast_policy, sink, posters=missing)

    assert sorted(sink.posts) == [f"{CHANNEL}/3"] and first.images == 1  # the second image is not even fetched
    unavailable = [problem for _, parser, problem in sink.problems if parser == "ocr"]
    assert len(unavailable) == 1 and "OCR unavailable" in unavailable[0] and "tesseract-ocr" in unavailable[0]
    assert any(message.startswith("images not read after: OCR unavailable") for message in first.messages)
    assert first.frontier == [server.url(f"/s/{CHANNEL}")]

    second = run(server, fast_policy, sink, cursor=sink.cursor)

    assert second.new_ads == 2 and all(sink.posts[f"{CHANNEL}/{i}"].poster is not None for i in (1, 2))


def test_a_poster_that_needs_more_cpu_time_than_allowed_is_a_problem_beside_its_snapshot(
        server: FaultServer, fast_policy: FetchPolicy) -> None:
    rng = np.random.default_rng(3)
    speckle = Image.fromarray((rng.random((2400, 2400)) > 0.5).astype(np.uint8) * 255).convert("1")
    served = io.BytesIO()
    speckle.save(served, format="PNG")  # about 3 s of Tesseract's CPU time
    server.route("/img/speckle.png", Reply(200, served.getvalue(), {"Content-Type": "image/png"}))
    serve_photo_channel(server, CHANNEL, [PhotoPost(1, "Loker admin, detail di gambar", ("/img/speckle.png",))])
    sink = PosterMemorySink()

    summary = run(server, replace(fast_policy, max_body_bytes=2_000_000), sink,
                  posters=PosterPolicy(ocr=OcrConfig(cpu_seconds=1)))

    assert summary.new_ads == 1 and sink.posts[f"{CHANNEL}/1"].poster is None  # the caption is kept
    (image_snapshot,) = [snapshot_id for snapshot_id, page in sink.pages.items() if page.url.endswith("speckle.png")]
    assert [(snapshot_id, parser) for snapshot_id, parser, _ in sink.problems] == [(image_snapshot, "ocr")]
    assert "OCR failed: Tesseract used more than 1 s of CPU time" in sink.problems[0][2]
