"""Facebook group posts an analyst saved: m.facebook.com pages ("Save page as") and the JSON data export.

No login automation and no live fetching: Facebook's terms forbid it and the patrol team works from
what it has seen. Structures:
- HTML (real captures in tests/fixtures/facebook): each post is an element with a `data-ft` JSON
  attribute holding `top_level_post_id` and `page_insights.<id>.post_context.publish_time`, wrapping a
  `.story_body_container` whose `header h3 strong a` is the author and `div._5rgt` the text. A shared
  post nests the post it shares in a second `.story_body_container` with its own header and `div._5rgt`;
  the sharer's `div._5rgt` is then often empty, so the post's text is the sharer's words (if any) followed
  by the shared post's.
- "Download your information" JSON (`your_posts_in_groups.json`, `group_posts_and_comments.json`,
  `your_posts_1.json`): entries `{"timestamp", "title": "<name> posted in <group>.", "data":
  [{"post": text}], "attachments": [...]}`. Facebook writes these files with every UTF-8 byte escaped as
  its own \\u00XX character ("mojibake"), which is undone here.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from bs4 import Tag

from scraper.charset import decode_body
from scraper.contacts import find_contacts
from scraper.errors import PageParseError
from scraper.htmltext import soup_of, text_of
from scraper.records import JobPost, RawPage
from scraper.sources import register
from scraper.sources.base import ParseResult, SourceParam

MOBILE_SITE = "https://m.facebook.com"
_TITLE = re.compile(
    r"^(?P<author>.+?) (?:posted in|wrote in|shared .+? (?:in|to)|memposting di|menulis di|membagikan .+? di) "
    r"(?P<group>.+?)\.?$"
)
_EXPORT_KEYS = ("group_posts_v2", "group_posts", "posts_in_groups", "your_posts_in_groups")


def parse_saved_html(body: bytes, page_url: str = MOBILE_SITE, content_type: str | None = None) -> ParseResult:
    """Posts on a saved m.facebook.com group feed or permalink page."""
    soup = soup_of(body, content_type)
    containers = soup.select(".story_body_container")
    if not containers:
        if soup.select_one("[data-ft]") is None:
            raise PageParseError("no Facebook story markup (story_body_container / data-ft) in the page")
        return ParseResult()
    result = ParseResult()
    seen: set[str] = set()
    for container in containers:
        if container.find_parent(class_="story_body_container") is not None:
            continue  # a shared post quoted inside another post: part of that post, not one of its own
        story = container.find_parent(attrs={"data-ft": re.compile("top_level_post_id")})
        if not isinstance(story, Tag):
            result.problems.append("story_body_container without a data-ft parent")
            continue
        try:
            post = _post_from_story(story, container, page_url)
        except (ValueError, KeyError) as exc:
            result.problems.append(f"story: {exc}")
            continue
        if post.source_ad_id not in seen:
            seen.add(post.source_ad_id)
            result.posts.append(post)
    return result


def _post_from_story(story: Tag, container: Tag, page_url: str) -> JobPost:
    data_ft = json.loads(str(story["data-ft"]))
    post_id = str(data_ft.get("top_level_post_id") or data_ft.get("mf_story_key") or "")
    if not post_id.isdigit():
        raise ValueError("data-ft has no top_level_post_id")
    group_id = str(data_ft.get("page_id") or "")
    header = container.find("header")
    author_link = header.select_one("h3 strong a") if isinstance(header, Tag) else None
    shared = container.select_one(".story_body_container")
    text = "\n\n".join(part for part in (text_of(_own_text_node(container)), text_of(_own_text_node(shared))) if part)
    permalink = None
    if isinstance(header, Tag):
        link = header.select_one('a[href*="/permalink/"]')
        if link is not None:
            permalink = _keep_query(urljoin(MOBILE_SITE, str(link["href"])), ())
        elif (link := header.select_one('a[href*="story.php"]')) is not None:
            permalink = _keep_query(urljoin(MOBILE_SITE, str(link["href"])), ("story_fbid", "id"))
    time_node = header.find("abbr") if isinstance(header, Tag) else None
    extra: dict[str, object] = {
        "group_id": group_id or None,
        "time_shown": text_of(time_node) if isinstance(time_node, Tag) else None,
        "headline": text_of(header.find("h3")) if isinstance(header, Tag) else None,
        "saved_from": page_url,
    }
    if shared is not None:  # who wrote the post shared: its header's first name link ("X is with Y", "X was live")
        shared_author = shared.select_one("header h3 strong a") or shared.select_one("header h3")
        extra["shared_from"] = text_of(shared_author) or None
    return JobPost(
        source="facebook",
        source_ad_id=post_id,
        text=text,
        url=permalink or f"{MOBILE_SITE}/groups/{group_id}/permalink/{post_id}/",
        posted_at=_publish_time(data_ft),
        author=text_of(author_link) or None,
        contact_handles=find_contacts(text),
        extra=extra,
    )


def _own_text_node(container: Tag | None) -> Tag | None:
    """A story's text block, not one inside a post it shares (that one belongs to the nested container)."""
    if container is None:
        return None
    for selector in ("div._5rgt", '[data-ft*="*s"]'):
        for node in container.select(selector):
            if node.find_parent(class_="story_body_container") is container:
                return node
    return None


def _publish_time(data_ft: Mapping[str, Any]) -> datetime | None:
    insights = data_ft.get("page_insights")
    if not isinstance(insights, dict):
        return None
    for value in insights.values():
        context = value.get("post_context") if isinstance(value, dict) else None
        if isinstance(context, dict) and isinstance(context.get("publish_time"), int | float):
            return datetime.fromtimestamp(context["publish_time"], UTC)
    return None


def _keep_query(url: str, keys: tuple[str, ...]) -> str:
    """Drop tracking parameters (refid, _ft_, __tn__) but keep the ones that name the post."""
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query) if k in keys]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept), ""))


def parse_export_json(body: bytes) -> ParseResult:
    """Posts in a Facebook "Download your information" JSON file about groups."""
    try:
        document = json.loads(decode_body(body, "application/json"))
    except json.JSONDecodeError as exc:
        raise PageParseError(f"not JSON: {exc.msg}") from exc
    entries = list(_export_entries(document))
    if not entries and not _looks_like_export(document):
        raise PageParseError("JSON has none of the keys of a Facebook group-posts export")
    result = ParseResult()
    for entry in entries:
        try:
            post = _post_from_export_entry(entry)
        except (ValueError, KeyError, TypeError) as exc:
            result.problems.append(f"entry: {type(exc).__name__}: {exc}")
            continue
        if post is not None:
            result.posts.append(post)
    return result


def _export_entries(document: object) -> Iterator[Mapping[str, Any]]:
    if isinstance(document, list):
        yield from (e for e in document if isinstance(e, dict))
    elif isinstance(document, dict):
        for key in _EXPORT_KEYS:
            if isinstance(document.get(key), list):
                yield from (e for e in document[key] if isinstance(e, dict))


def _looks_like_export(document: object) -> bool:
    return isinstance(document, list) or (isinstance(document, dict) and any(k in document for k in _EXPORT_KEYS))


def _post_from_export_entry(entry: Mapping[str, Any]) -> JobPost | None:
    timestamp = entry.get("timestamp")
    texts = [_unmojibake(str(d["post"])) for d in entry.get("data") or [] if isinstance(d, dict) and d.get("post")]
    urls = [
        str(ctx["url"])
        for attachment in entry.get("attachments") or []
        for item in (attachment.get("data") or [] if isinstance(attachment, dict) else [])
        if isinstance(item, dict) and isinstance(ctx := item.get("external_context"), dict) and ctx.get("url")
    ]
    if not texts:
        return None
    text = "\n".join(texts)
    title = _unmojibake(str(entry.get("title") or ""))
    match = _TITLE.match(title)
    posted_at = datetime.fromtimestamp(int(timestamp), UTC) if timestamp is not None else None
    # The export gives no post id: the time and text identify a post stably across re-imports.
    digest = hashlib.sha256(f"{timestamp}\n{text}".encode()).hexdigest()[:16]
    return JobPost(
        source="facebook",
        source_ad_id=f"export-{timestamp}-{digest}",
        text=text,
        url=urls[0] if urls else None,
        posted_at=posted_at,
        author=match.group("author") if match else None,
        contact_handles=find_contacts(text),
        extra={"group": match.group("group") if match else None, "title": title, "links": urls},
    )


def _unmojibake(text: str) -> str:
    """Undo Facebook's export encoding (UTF-8 bytes written as Latin-1 code points); leave real text alone."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


@register
class FacebookSource:
    """Imported files only: HTML saved from m.facebook.com, or the JSON data export."""

    name: ClassVar[str] = "facebook"
    kind: ClassVar[str] = "file"
    label: ClassVar[str] = "Facebook"
    params: ClassVar[tuple[SourceParam, ...]] = ()

    def __init__(self, params: Mapping[str, Any], cursor: Mapping[str, Any]) -> None:
        pass  # nothing to configure: the file says what it is

    def parse(self, page: RawPage) -> ParseResult:
        head = page.body.lstrip()[:1]
        if head in (b"{", b"["):
            return parse_export_json(page.body)
        return parse_saved_html(page.body, page.final_url, page.headers.get("content-type"))
