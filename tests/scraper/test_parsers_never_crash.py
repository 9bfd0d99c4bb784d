"""Property: whatever bytes arrive (garbled, truncated, spliced real pages), a parser returns or says why.

A parser may raise PageParseError (the run stores that as a parse error); any other exception would
be a crash that stops a run, and that must never happen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper.errors import PageParseError
from scraper.records import JobPost
from scraper.sources.facebook import parse_export_json, parse_saved_html
from scraper.sources.olx import parse_item_page, parse_search_json
from scraper.sources.telegram import parse_channel_page
from scraper.sources.whatsapp import parse_chat_export

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

SAMPLES: dict[str, bytes] = {
    "telegram": (FIXTURES / "telegram/any2feed_message_media_forwarded_from.html").read_bytes(),
    "telegram_full": (FIXTURES / "telegram/any2feed_full.html").read_bytes()[:40_000],
    "olx_search": (FIXTURES / "olx/search_lowongan_page0.json").read_bytes(),
    "olx_search_full": (FIXTURES / "olx/search_lowongan_full_response.json").read_bytes()[:40_000],
    "olx_item": (FIXTURES / "olx/item_loker_jepang_iid_902345560.html").read_bytes(),
    "fb_html": (FIXTURES / "facebook/fbscraper_m_facebook_group_permalink_1629606003787605.html").read_bytes()[:60_000],
    "fb_json": (FIXTURES / "facebook/your_posts_in_groups.json").read_bytes(),
    "whatsapp": (FIXTURES / "whatsapp/WhatsApp Chat with Loker Surabaya & Sidoarjo.txt").read_bytes(),
}

PARSERS: dict[str, Callable[[bytes], object]] = {
    "telegram": lambda b: parse_channel_page(b, "https://t.me/s/x"),
    "olx_search": parse_search_json,
    "olx_item": parse_item_page,
    "fb_html": parse_saved_html,
    "fb_json": parse_export_json,
    "whatsapp": parse_chat_export,
}


@st.composite
def garbled(draw: st.DrawFn) -> bytes:
    """A real page with random cuts, splices of random bytes and of markup fragments."""
    data = bytearray(SAMPLES[draw(st.sampled_from(sorted(SAMPLES)))])
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        position = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["cut", "insert", "truncate", "markup", "flip"]))
        if action == "cut":
            del data[position : position + draw(st.integers(1, 400))]
        elif action == "insert":
            data[position:position] = draw(st.binary(max_size=40))
        elif action == "truncate":
            del data[position:]
        elif action == "markup":
            data[position:position] = draw(st.sampled_from(
                [b"<", b">", b"</div>", b'"', b"{", b"}", b"[", b"\\u00", b"data-post=\"x/\"", b"<time datetime=\"x\">",
                 b'"ad_id": null', b"\xff\xfe", b"\x00", b"31/02/23 25.61 - A: b", b"[99/99/99 9.99.99] A: b"]))
        else:
            data[position] ^= draw(st.integers(1, 255))
    return bytes(data)


def _check(result: object) -> None:
    posts = result.posts if hasattr(result, "posts") else [result]
    for post in posts:
        assert isinstance(post, JobPost)
        assert post.source_ad_id and isinstance(post.text, str)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=garbled(), parser=st.sampled_from(sorted(PARSERS)))
def test_garbled_pages_never_crash_a_parser(body: bytes, parser: str) -> None:
    try:
        result = PARSERS[parser](body)
    except PageParseError:
        return
    _check(result)


@settings(max_examples=150, deadline=None)
@given(body=st.binary(max_size=2000) | st.text(max_size=500).map(str.encode),
       parser=st.sampled_from(sorted(PARSERS)))
def test_arbitrary_bytes_never_crash_a_parser(body: bytes, parser: str) -> None:
    try:
        result = PARSERS[parser](body)
    except PageParseError:
        return
    _check(result)
