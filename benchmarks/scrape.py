"""Scraper benchmark: parser throughput on saved pages, and the polite fetcher's overhead over bare httpx.

Run: `.venv/bin/python benchmarks/scrape.py [--requests 300] [--seconds 2]`. The fetcher is measured
with its pacing interval set to zero (pacing is a deliberate wait, not overhead); everything else —
robots.txt check, host slot, deadline, streaming size check, RawPage hashing — stays on.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scraper.fetcher import Fetcher, FetchPolicy  # noqa: E402
from scraper.sources.facebook import parse_export_json, parse_saved_html  # noqa: E402
from scraper.sources.olx import parse_search_json  # noqa: E402
from scraper.sources.telegram import parse_channel_page  # noqa: E402
from scraper.sources.whatsapp import parse_chat_export  # noqa: E402
from tests.scraper.fault_server import Reply, running_server  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"


def _count(result: object) -> int:
    posts = getattr(result, "posts", None)
    return len(posts) if posts is not None else 1


PAGES: list[tuple[str, Path, Callable[[bytes], object]]] = [
    ("telegram t.me/s (real)", FIXTURES / "telegram/any2feed_full.html", lambda b: parse_channel_page(b, "")),
    ("facebook m. group feed (real)", FIXTURES / "facebook/fbscraper_m_facebook_group_117507531664134.html",
     parse_saved_html),
    ("olx panamera full response (own)", FIXTURES / "olx/search_lowongan_full_response.json",
     parse_search_json),
    ("olx lowongan search (own)", FIXTURES / "olx/search_lowongan_page0.json", parse_search_json),
    ("facebook export json (own)", FIXTURES / "facebook/your_posts_in_groups.json", parse_export_json),
    ("whatsapp android id (own)", FIXTURES / "whatsapp/Chat WhatsApp dengan INFO LOKER JABODETABEK.txt",
     parse_chat_export),
]


def parse_throughput(seconds: float) -> None:
    print("parse throughput (posts per second, single core):")
    total_posts = 0
    total_time = 0.0
    for label, path, parser in PAGES:
        body = path.read_bytes()
        posts, runs, started = 0, 0, time.perf_counter()
        while time.perf_counter() - started < seconds or runs < 3:
            posts += _count(parser(body))
            runs += 1
        elapsed = time.perf_counter() - started
        total_posts += posts
        total_time += elapsed
        print(f"  {label:34s} {len(body) / 1024:8.0f} KiB  {posts / elapsed:9.0f} posts/s  "
              f"{runs / elapsed:7.1f} pages/s")
    print(f"  {'all pages':34s} {'':13s}{total_posts / total_time:9.0f} posts/s")


async def _bare_loop(base_url: str, requests: int) -> float:
    async with httpx.AsyncClient() as client:
        started = time.perf_counter()
        for i in range(requests):
            response = await client.get(f"{base_url}/page{i % 50}")
            response.raise_for_status()
        return time.perf_counter() - started


async def _fetcher_loop(base_url: str, requests: int) -> float:
    policy = FetchPolicy(min_interval=0.0, max_retries=0)
    async with Fetcher(policy) as fetcher:
        started = time.perf_counter()
        for i in range(requests):
            page = await fetcher.fetch(f"{base_url}/page{i % 50}")
            assert page.status == 200
        return time.perf_counter() - started


def fetcher_overhead(requests: int) -> None:
    body = (FIXTURES / "telegram/any2feed_message_text.html").read_bytes() * 4
    with running_server() as server:
        server.route("/robots.txt", Reply(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"}))
        for i in range(50):
            server.route(f"/page{i}", Reply(200, body))
        asyncio.run(_bare_loop(server.base_url, 20))  # warm up both paths
        asyncio.run(_fetcher_loop(server.base_url, 20))
        bare = min(asyncio.run(_bare_loop(server.base_url, requests)) for _ in range(3))
        polite = min(asyncio.run(_fetcher_loop(server.base_url, requests)) for _ in range(3))
    print(f"fetcher overhead on 127.0.0.1 ({requests} sequential GETs of {len(body) / 1024:.0f} KiB, best of 3):")
    print(f"  bare httpx loop     {bare:7.3f} s  ({requests / bare:7.0f} req/s)")
    print(f"  lokerwatch Fetcher  {polite:7.3f} s  ({requests / polite:7.0f} req/s)")
    print(f"  ratio fetcher/bare  {polite / bare:7.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=2.0, help="time per parser")
    args = parser.parse_args()
    parse_throughput(args.seconds)
    fetcher_overhead(args.requests)


if __name__ == "__main__":
    main()
