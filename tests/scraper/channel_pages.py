"""Telegram t.me/s pages for run tests, rendered with the markup of the real capture in tests/fixtures/telegram.

The message wrap is the real `any2feed_message_text.html` with its id, time, views and text swapped,
and the page skeleton (`tgme_channel_history`, `tme_messages_more[data-before]`) is the real full page's.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

_TELEGRAM_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "telegram"
_WRAP = (_TELEGRAM_FIXTURES / "any2feed_message_text.html").read_text(encoding="utf-8")
_TEXT_BLOCK = re.compile(r'(<div class="tgme_widget_message_text js-message_text" dir="auto">).*?(</div>)', re.S)

ADS = [
    "LOWONGAN KERJA ADMIN GUDANG ✅\nPenempatan Cikarang – Bekasi\nGaji UMK + lembur\n"
    "Kirim CV: hrd.gudang{n}@example.co.id",
    "Dibutuhkan {n} orang TKW ke Taiwan, tanpa biaya, paspor diurus.\nWA 0812-0000-{n:04d}",
    "Kerja online paruh waktu, komisi 200rb/hari, deposit awal 100rb (iklan #{n})",
    "Loker barista Bandung, shift pagi/malam, gaji 3,5jt. Lamar via t.me/kopi_bdg_{n}",
]


@dataclass(frozen=True)
class ChannelPost:
    channel: str
    post_id: int

    @property
    def text(self) -> str:
        return ADS[self.post_id % len(ADS)].format(n=self.post_id)

    @property
    def posted_at(self) -> datetime:
        return datetime(2023, 11, 1, tzinfo=UTC) + timedelta(hours=self.post_id)


def message_html(post: ChannelPost) -> str:
    wrap = _WRAP.replace("topwar_official/70991", f"{post.channel}/{post.post_id}")
    wrap = wrap.replace("2023-02-28T08:48:01+00:00", post.posted_at.isoformat())
    wrap = wrap.replace(">33.4K<", f">{post.post_id * 10}<")
    body = html.escape(post.text).replace("\n", "<br/>")
    return _TEXT_BLOCK.sub(lambda m: m.group(1) + body + m.group(2), wrap, count=1)


def channel_page(channel: str, post_ids: list[int]) -> bytes:
    """A t.me/s page showing `post_ids` (oldest first), with the "load older" link Telegram puts on top."""
    oldest = min(post_ids) if post_ids else 0
    more = (f'<div class="tgme_widget_message_centered js-messages_more_wrap"><a href="/s/{channel}?before={oldest}" '
            f'class="tme_messages_more js-messages_more" data-before="{oldest}"></a></div>') if oldest > 1 else ""
    messages = "\n".join(message_html(ChannelPost(channel, i)) for i in sorted(post_ids))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{channel} – Telegram</title></head>'
            f'<body><main class="tgme_main" data-url="/{channel}"><div class="tgme_container">'
            f'<section class="tgme_channel_history js-message_history">{more}\n{messages}</section>'
            f"</div></main></body></html>").encode()


def serve_channel(server: object, channel: str, newest: int, per_page: int = 10) -> dict[str, bytes]:
    """Routes for a channel whose posts are 1..newest, `per_page` a page, as t.me/s pages them."""
    from tests.scraper.fault_server import FaultServer, Reply

    assert isinstance(server, FaultServer)
    pages: dict[str, bytes] = {}
    top = newest
    path = f"/s/{channel}"
    while top >= 1:
        ids = list(range(max(1, top - per_page + 1), top + 1))
        pages[path] = channel_page(channel, ids)
        server.route(path, Reply(200, pages[path]))
        path = f"/s/{channel}?before={ids[0]}"
        top = ids[0] - 1
    return pages
