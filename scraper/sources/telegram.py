"""Public Telegram channels through their web preview, https://t.me/s/<channel>.

Structure (Telegram's own class names, seen in tests/fixtures/telegram): each post is a
`div.tgme_widget_message[data-post="<channel>/<id>"]`; its text is `.tgme_widget_message_text`
(a reply quote and link previews carry their own text blocks, which are not the post's), the time is
`a.tgme_widget_message_date > time[datetime]`, views `.tgme_widget_message_views` ("37.2K").
Older posts are at `?before=<smallest id on the page>` (`a.tme_messages_more[data-before]`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import parse_qs, quote, urlsplit

from bs4 import Tag

from scraper.contacts import find_contacts
from scraper.errors import PageParseError
from scraper.htmltext import soup_of, text_of
from scraper.records import JobPost, RawPage
from scraper.sources import register
from scraper.sources.base import ParseResult, SourceParam

DEFAULT_BASE_URL = "https://t.me"
_BACKGROUND_URL = re.compile(r"background-image:\s*url\(['\"]?([^'\")]+)")
_POST_ID = re.compile(r"[A-Za-z0-9_]{1,64}/[0-9]{1,12}")  # a post's data-post value, as the parser stores it
_VIEWS = re.compile(r"^\s*([\d.,]+)\s*([KkMm]?)\s*$")


@dataclass
class TelegramPage:
    """One t.me/s page: its posts (oldest first, as shown) and the id to page back from."""

    channel: str | None
    posts: list[JobPost] = field(default_factory=list)
    before: int | None = None
    problems: list[str] = field(default_factory=list)


def parse_channel_page(body: bytes, page_url: str = "", content_type: str | None = None) -> TelegramPage:
    """Every post on a t.me/s page (or a single saved message wrap)."""
    soup = soup_of(body, content_type)
    messages = soup.select("div.tgme_widget_message[data-post]")
    known_page = soup.select_one(".tgme_channel_history, .tgme_channel_info, .tgme_page, .tgme_widget_message")
    if not messages and known_page is None:
        raise PageParseError("no Telegram posts and no channel page markup (tgme_*) in the page")
    page = TelegramPage(channel=_channel_from_url(page_url))
    for message in messages:
        try:
            post = _parse_message(message)
        except (ValueError, KeyError) as exc:
            page.problems.append(f"post {message.get('data-post')!r}: {exc}")
            continue
        page.posts.append(post)
        page.channel = page.channel or post.source_ad_id.split("/")[0]
    page.before = _before_id(soup, page.posts)
    return page


def _parse_message(message: Tag) -> JobPost:
    data_post = str(message.get("data-post", ""))
    channel, _, post_id = data_post.rpartition("/")
    if not channel or not post_id.isdigit():
        raise ValueError(f"data-post {data_post!r} is not <channel>/<number>")
    bubble = message.select_one(".tgme_widget_message_bubble") or message
    text_node = _own_text_node(bubble)
    text = text_of(text_node)
    date_link = bubble.select_one("a.tgme_widget_message_date")
    time_tag = bubble.select_one("a.tgme_widget_message_date time[datetime]") or bubble.select_one("time[datetime]")
    posted_at = datetime.fromisoformat(str(time_tag["datetime"])) if time_tag else None
    owner = bubble.select_one(".tgme_widget_message_owner_name")
    signed = bubble.select_one(".tgme_widget_message_from_author")
    links = [str(a["href"]) for a in text_node.select("a[href]")] if text_node else []
    photos = [
        m.group(1)
        for wrap in bubble.select(".tgme_widget_message_photo_wrap")
        if (m := _BACKGROUND_URL.search(str(wrap.get("style", ""))))
    ]
    extra: dict[str, object] = {
        "channel": channel,
        "post_id": int(post_id),
        "views": _views(bubble.select_one(".tgme_widget_message_views")),
        "links": links,
        "has_photo": bool(bubble.select_one(".tgme_widget_message_photo_wrap")),
        "photo_urls": photos,
        "has_video": bool(bubble.select_one(".tgme_widget_message_video_player, .tgme_widget_message_video")),
    }
    forwarded = bubble.select_one(".tgme_widget_message_forwarded_from_name")
    if forwarded is not None:
        extra["forwarded_from"] = text_of(forwarded)
        if forwarded.get("href"):
            extra["forwarded_from_url"] = str(forwarded["href"])
    preview = bubble.select_one("a.tgme_widget_message_link_preview")
    if preview is not None:
        extra["link_preview"] = {
            "url": str(preview.get("href", "")),
            "title": text_of(preview.select_one(".link_preview_title")),
            "description": text_of(preview.select_one(".link_preview_description")),
        }
    url = str(date_link["href"]) if date_link and date_link.get("href") else f"https://t.me/{channel}/{post_id}"
    author = text_of(signed) if signed is not None else (text_of(owner) if owner is not None else None)
    return JobPost(
        source="telegram",
        source_ad_id=f"{channel}/{post_id}",
        text=text,
        url=url,
        posted_at=posted_at,
        author=author or None,
        contact_handles=find_contacts(" ".join([text, *links])),
        extra=extra,
        image_urls=photos,  # a loker poster often carries the whole ad: the engine reads these with OCR
    )


def _own_text_node(bubble: Tag) -> Tag | None:
    """The post's own text block, skipping the quoted text of a reply and link-preview descriptions."""
    for node in bubble.select(".tgme_widget_message_text"):
        if node.find_parent(class_=["tgme_widget_message_reply", "tgme_widget_message_link_preview"]) is None:
            return node
    return None


def _views(node: Tag | None) -> int | None:
    """'37.2K' -> 37200; Telegram abbreviates large counts."""
    if node is None:
        return None
    match = _VIEWS.match(node.get_text())
    if not match:
        return None
    number = float(match.group(1).replace(",", ""))
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    return round(number * scale)


def _before_id(soup: Tag, posts: list[JobPost]) -> int | None:
    more = soup.select_one("a.tme_messages_more[data-before]")
    if more is not None and str(more["data-before"]).isdigit():
        return int(str(more["data-before"]))
    prev = soup.select_one("link[rel=prev][href]")
    if prev is not None:
        values = parse_qs(urlsplit(str(prev["href"])).query).get("before", [])
        if values and values[0].isdigit():
            return int(values[0])
    ids = [int(str(p.extra["post_id"])) for p in posts]
    return min(ids) if ids else None


def _channel_from_url(url: str) -> str | None:
    parts = [p for p in urlsplit(url).path.split("/") if p]
    return parts[1] if len(parts) >= 2 and parts[0] == "s" else None


@register
class TelegramSource:
    """A channel, walked backwards from the newest post until the newest one a previous run stored."""

    name: ClassVar[str] = "telegram"
    kind: ClassVar[str] = "web"
    label: ClassVar[str] = "Telegram"
    params: ClassVar[tuple[SourceParam, ...]] = (
        SourceParam("channel", "Public channel name (t.me/s/NAME).", required=True, identifies=True),
    )

    @staticmethod
    def focus_style(source_ad_ids: Sequence[str]) -> str | None:
        """CSS that leaves only these posts visible on a stored channel page (t.me/s lists about twenty): a lead
        package's screenshot then shows the case's own posts, not whichever posts happened to be at the top."""
        posts = [post for post in source_ad_ids if _POST_ID.fullmatch(post)]
        if not posts:
            return None
        wanted = ", ".join(f'.tgme_widget_message[data-post="{post}"]' for post in posts)
        return f".tgme_widget_message_wrap:not(:has({wanted})) {{ display: none !important; }}"

    def __init__(self, params: Mapping[str, Any], cursor: Mapping[str, Any]) -> None:
        channel = str(params.get("channel", "")).strip().lstrip("@")
        if not re.fullmatch(r"[A-Za-z0-9_]{3,64}", channel):
            raise ValueError("telegram needs a channel name (letters, digits, underscore)")
        self.channel = channel
        self.base_url = str(params.get("base_url") or DEFAULT_BASE_URL).rstrip("/")
        self.last_id = int(cursor.get("last_id", 0))

    def start_urls(self) -> list[str]:
        return [f"{self.base_url}/s/{quote(self.channel)}"]

    def parse(self, page: RawPage) -> ParseResult:
        parsed = parse_channel_page(page.body, page.final_url, page.headers.get("content-type"))
        ids = [int(str(p.extra["post_id"])) for p in parsed.posts]
        result = ParseResult(posts=parsed.posts, problems=parsed.problems)
        reached_stored = bool(ids) and min(ids) <= self.last_id
        if ids and parsed.before and not reached_stored and parsed.before > 1:
            result.next_urls.append(f"{self.base_url}/s/{quote(self.channel)}?before={min(parsed.before, min(ids))}")
        return result

    def next_cursor(self, cursor: Mapping[str, Any], posts: list[JobPost]) -> dict[str, Any]:
        ids = [int(str(p.extra["post_id"])) for p in posts if p.extra.get("channel") == self.channel]
        return {**cursor, "last_id": max([self.last_id, *ids])}
