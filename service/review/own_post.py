"""The ad's own post inside a captured page, so the analyst reads it first.

A t.me/s channel page holds about twenty posts and a WhatsApp export a whole chat; the ad was parsed
from one of them. Telegram posts are found by their `data-post` (the ad's source id), WhatsApp messages
by the header line that starts the ad's text. Other sources (or a post no longer on the page) give None,
and the desk shows the whole snapshot instead. Like the snapshot view, only text comes out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import Tag

from scraper.charset import decode_body
from scraper.htmltext import soup_of, text_of

# The date that starts every message line of an Android or iOS export (`31/12/23 21.05 - `, `[31/12/2023, ...`);
# the exact shapes are the WhatsApp parser's business, here a line only has to be told from a continuation.
_WHATSAPP_HEADER = re.compile(r"^\u200e?\[?\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4},?\s+\d{1,2}[:.]\d{2}")
_DIRECTION_MARKS = str.maketrans("", "", "\u200e\u202a\u202c")  # exports wrap names and numbers in them


@dataclass(frozen=True)
class OwnPost:
    text: str
    posts_on_page: int


def find_own_post(body: bytes, content_type: str, source: str, source_ad_id: str, ad_text: str,
                  author: str | None = None) -> OwnPost | None:
    """The ad's own post in the page's readable text, or None when it cannot be told apart."""
    if source == "telegram":
        return _telegram_post(body, content_type, source_ad_id)
    if source == "whatsapp":
        return _whatsapp_message(decode_body(body, content_type or "text/plain; charset=utf-8"), ad_text, author)
    return None


def _telegram_post(body: bytes, content_type: str, source_ad_id: str) -> OwnPost | None:
    soup = soup_of(body, content_type or None)
    messages = [m for m in soup.select("div.tgme_widget_message[data-post]") if isinstance(m, Tag)]
    for message in messages:
        if str(message.get("data-post", "")) == source_ad_id:
            wrap = message.find_parent("div", class_="tgme_widget_message_wrap")
            text = text_of(wrap if isinstance(wrap, Tag) else message)
            return OwnPost(text, len(messages)) if text else None
    return None


def _whatsapp_message(export: str, ad_text: str, author: str | None) -> OwnPost | None:
    lines = export.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    headers = [i for i, line in enumerate(lines) if _WHATSAPP_HEADER.match(line)]
    first = next((line.strip() for line in ad_text.split("\n") if line.strip()), "")
    if not first or not headers:
        return None
    for index, line in enumerate(lines):
        if first not in line.translate(_DIRECTION_MARKS):
            continue
        start = max((h for h in headers if h <= index), default=None)
        if start is None or (author and author not in lines[start].translate(_DIRECTION_MARKS)):
            continue
        end = min((h for h in headers if h > start), default=len(lines))
        return OwnPost("\n".join(lines[start:end]).strip(), len(headers))
    return None
