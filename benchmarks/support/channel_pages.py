"""Telegram t.me/s channel pages holding synthetic ads, in the markup the real parser reads, for the benchmarks
that start from stored pages (the scrape writer of `desk_load.py`, `pipeline.py`).

The message markup is the part of a real t.me/s page the parser uses (`tgme_widget_message` with its
`data-post`, the message text, the `time` element); the ads are `synthetic_store` bodies with their phones.
"""

from __future__ import annotations

import hashlib
import html
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from scraper.records import RawPage
from support.synthetic_store import ScoredBody, synthetic_ads

FETCHER_VERSION = "bench-pages-1"
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _message(channel: str, post_id: int, text: str, posted_at: datetime) -> str:
    body = html.escape(text).replace("\n", "<br/>")
    return (f'<div class="tgme_widget_message_wrap js-widget_message_wrap">'
            f'<div class="tgme_widget_message text_not_supported_wrap js-widget_message" '
            f'data-post="{channel}/{post_id}">'
            f'<div class="tgme_widget_message_bubble"><div class="tgme_widget_message_author accent_color">'
            f'<a class="tgme_widget_message_owner_name" href="https://t.me/{channel}"><span dir="auto">{channel}</span>'
            f'</a></div><div class="tgme_widget_message_text js-message_text" dir="auto">{body}</div>'
            f'<div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info">'
            f'<span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" '
            f'href="https://t.me/{channel}/{post_id}"><time datetime="{posted_at.isoformat()}" class="time">'
            f"{posted_at:%H:%M}</time></a></span></div></div></div></div></div>")


def channel_page(channel: str, posts: list[tuple[int, str]]) -> RawPage:
    """One listing page with these (post id, text) messages, as the fetcher would have stored it."""
    messages = "\n".join(_message(channel, post_id, text, T0 + timedelta(minutes=post_id)) for post_id, text in posts)
    body = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{channel} – Telegram</title></head>'
            f'<body><main class="tgme_main" data-url="/{channel}"><section class="tgme_channel_history '
            f'js-message_history">\n{messages}</section></main></body></html>').encode()
    url = f"https://t.me/s/{channel}?before={posts[-1][0] + 1}" if posts else f"https://t.me/s/{channel}"
    return RawPage(url=url, final_url=url, status=200, headers={"content-type": "text/html; charset=utf-8"},
                   body=body, fetched_at=datetime.now(UTC), fetcher_version=FETCHER_VERSION)


def channel_pages(channel: str, count: int, per_page: int, bodies: list[ScoredBody], seed: int,
                  first_post: int = 1) -> Iterator[RawPage]:
    """`count` ads of one channel as pages of `per_page` messages (posts numbered from `first_post`)."""
    rng = random.Random(seed)
    batch: list[tuple[int, str]] = []
    for ad in synthetic_ads(count, bodies, seed, first_id=first_post):
        # A few words of the ad's own, as real posts differ beyond their template, so reposts stay the exception.
        tail = hashlib.sha256(f"{seed}-{ad.ad_id}".encode()).hexdigest()[:6]
        batch.append((ad.ad_id, f"{ad.title}\n{ad.text} (kode {tail}, {rng.choice(['DM', 'WA', 'chat'])})"))
        if len(batch) == per_page:
            yield channel_page(channel, batch)
            batch = []
    if batch:
        yield channel_page(channel, batch)
