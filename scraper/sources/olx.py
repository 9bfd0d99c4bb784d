"""OLX Indonesia job ads (Lowongan), from the JSON the site's own pages load and from ad pages.

olx.co.id runs on OLX's "Panamera" platform. Its search pages call `/api/relevance/v4/search`,
whose response is `{"data": [ad, ...], "metadata": {"next_page_url": ...}}`; an ad carries `ad_id`,
`title`, `description`, `price.value.display`, `locations_resolved.*_name`, `parameters[]`,
`user_id`, `created_at` (structure from a real letgo Turkey capture, see tests/fixtures/olx/README.md). An ad page
(`/item/<slug>-iid-<ad_id>`) embeds the same ad in `window.__APP`, under
`states.items.elements[<ad_id>]`, with the seller in `states.users.elements[<user_id>]`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlencode, urlsplit

from scraper.charset import decode_body
from scraper.contacts import find_contacts
from scraper.errors import PageParseError
from scraper.records import JobPost, RawPage
from scraper.sources import register
from scraper.sources.base import ParseResult, SourceParam

DEFAULT_BASE_URL = "https://www.olx.co.id"
SEARCH_PATH = "/api/relevance/v4/search"
_APP_STATE = re.compile(r"window\.__APP\s*=\s*")
_SLUG = re.compile(r"[^a-z0-9]+")
_SALARY_KEYS = ("salary", "gaji")
_LOCATION_LEVELS = ("SUBLOCALITY_LEVEL_1_name", "ADMIN_LEVEL_3_name", "ADMIN_LEVEL_1_name")


@dataclass
class OlxSearchPage:
    """One page of search results."""

    posts: list[JobPost] = field(default_factory=list)
    next_page_url: str | None = None
    total_ads: int | None = None
    problems: list[str] = field(default_factory=list)


def parse_search_json(body: bytes, site_url: str = DEFAULT_BASE_URL) -> OlxSearchPage:
    """The ads in one `relevance/v4/search` response (similar/suggested ads are other searches: skipped)."""
    document = _load_json(body)
    ads = document.get("data")
    if not isinstance(ads, list):
        raise PageParseError("search response has no 'data' list")
    metadata: dict[str, Any] = document["metadata"] if isinstance(document.get("metadata"), dict) else {}
    page = OlxSearchPage(next_page_url=metadata.get("next_page_url"), total_ads=metadata.get("total_ads"))
    for ad in ads:
        try:
            page.posts.append(post_from_ad(ad, site_url))
        except (KeyError, TypeError, ValueError) as exc:
            ad_id = ad.get("ad_id") if isinstance(ad, dict) else None
            page.problems.append(f"ad {ad_id!r}: {type(exc).__name__}: {exc}")
    return page


def parse_item_page(body: bytes, site_url: str = DEFAULT_BASE_URL, content_type: str | None = None) -> JobPost:
    """The ad on an item page, read from the `window.__APP` state the page is rendered from."""
    text = decode_body(body, content_type)
    match = _APP_STATE.search(text)
    if match is None:
        raise PageParseError("item page has no window.__APP state")
    try:
        state, _ = json.JSONDecoder().raw_decode(text, match.end())
    except json.JSONDecodeError as exc:
        raise PageParseError(f"window.__APP is not valid JSON: {exc.msg}") from exc
    try:
        states = state["states"]
        items = states["items"]["elements"]
        ad_id = str(states.get("item", {}).get("id") or next(iter(items)))
        ad = items[ad_id]
    except (KeyError, TypeError, StopIteration, AttributeError) as exc:
        raise PageParseError("window.__APP has no states.items.elements entry") from exc
    users = states.get("users", {}).get("elements", {}) if isinstance(states.get("users"), dict) else {}
    seller = users.get(str(ad.get("user_id")), {}) if isinstance(users, dict) else {}
    try:
        return post_from_ad(ad, site_url, seller_name=seller.get("name") if isinstance(seller, dict) else None)
    except (KeyError, TypeError, ValueError) as exc:
        raise PageParseError(f"ad {ad_id}: {type(exc).__name__}: {exc}") from exc


def post_from_ad(ad: Mapping[str, Any], site_url: str = DEFAULT_BASE_URL, seller_name: str | None = None) -> JobPost:
    """One Panamera ad object as a JobPost."""
    ad_id = str(ad["ad_id"] if "ad_id" in ad else ad["id"])
    if not ad_id.isdigit():
        raise ValueError(f"ad id {ad_id!r} is not numeric")
    title = str(ad.get("title") or "").strip()
    description = str(ad.get("description") or "").strip()
    parameters = {
        str(p.get("key")): str(p.get("formatted_value") or p.get("value_name") or p.get("value") or "")
        for p in ad.get("parameters") or []
        if isinstance(p, dict) and p.get("key")
    }
    created = ad.get("created_at_first") or ad.get("created_at") or ad.get("display_date")
    return JobPost(
        source="olx",
        source_ad_id=ad_id,
        title=title,
        text=description,
        url=item_url(site_url, ad_id, title),
        posted_at=_parse_time(created) if created else None,
        location=_location(ad.get("locations_resolved") or {}),
        salary_text=_salary(ad, parameters),
        author=seller_name or (str(ad["user_id"]) if ad.get("user_id") else None),
        contact_handles=find_contacts(f"{title}\n{description}"),
        extra={
            "seller_id": str(ad["user_id"]) if ad.get("user_id") else None,
            "seller_name": seller_name,
            "user_type": ad.get("user_type"),
            "category_id": ad.get("category_id"),
            "status": (ad.get("status") or {}).get("status") if isinstance(ad.get("status"), dict) else None,
            "parameters": parameters,
            "images": len(ad.get("images") or []),
        },
        image_urls=[str(image["url"]) for image in ad.get("images") or []
                    if isinstance(image, dict) and isinstance(image.get("url"), str)],
    )


def item_url(site_url: str, ad_id: str, title: str) -> str:
    """OLX's ad URL shape: /item/<slug of the title>-iid-<ad id> (the id alone decides the ad)."""
    slug = _SLUG.sub("-", title.lower()).strip("-")[:80] or "iklan"
    return f"{site_url.rstrip('/')}/item/{slug}-iid-{ad_id}"


def _salary(ad: Mapping[str, Any], parameters: Mapping[str, str]) -> str | None:
    salary = {key: value for key, value in parameters.items() if any(k in key.lower() for k in _SALARY_KEYS) and value}
    period = next((salary.pop(key) for key in list(salary) if "period" in key.lower()), None)
    if salary:
        return " – ".join(salary.values()) + (f" / {period}" if period else "")
    price = ad.get("price")
    if isinstance(price, dict) and isinstance(price.get("value"), dict):
        display = price["value"].get("display")
        return str(display) if display else None
    return None


def _location(resolved: Mapping[str, Any]) -> str | None:
    names = [str(resolved[level]) for level in _LOCATION_LEVELS if resolved.get(level)]
    return ", ".join(names) or None


def _parse_time(value: object) -> datetime:
    text = str(value).strip()
    # "2023-10-30T20:55:43+0000" (display_date) has no colon in its offset
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text).replace("Z", "+00:00")
    return datetime.fromisoformat(text)


def _load_json(body: bytes) -> dict[str, Any]:
    try:
        document = json.loads(decode_body(body, "application/json"))
    except json.JSONDecodeError as exc:
        raise PageParseError(f"not JSON: {exc.msg} at line {exc.lineno}") from exc
    if not isinstance(document, dict):
        raise PageParseError("search response is not a JSON object")
    return document


@register
class OlxSource:
    """A search query, newest first, back to the newest ad a previous run stored."""

    name: ClassVar[str] = "olx"
    kind: ClassVar[str] = "web"
    label: ClassVar[str] = "OLX"
    params: ClassVar[tuple[SourceParam, ...]] = (
        SourceParam("query", "Search words, e.g. 'lowongan admin'.", required=True, identifies=True),
        SourceParam("details", "Also fetch each new ad's page.", type=bool),
        SourceParam("category", "OLX category id (e.g. the Lowongan category)."),
        SourceParam("location", "OLX location id (e.g. 4000030 for Jakarta)."),
        SourceParam("images", "Also read each new ad's first photo with OCR (for ads that are a poster).", type=bool),
    )

    def __init__(self, params: Mapping[str, Any], cursor: Mapping[str, Any]) -> None:
        self.query = str(params.get("query", "")).strip()
        if not self.query:
            raise ValueError("olx needs a search query")
        self.base_url = str(params.get("base_url") or DEFAULT_BASE_URL).rstrip("/")
        self.category = params.get("category")
        self.location = params.get("location")
        self.details = bool(params.get("details", False))
        self.read_images = bool(params.get("images", False))
        newest = cursor.get("newest_created_at")
        self.newest_stored = _parse_time(newest) if newest else None

    def search_url(self, page: int) -> str:
        query: dict[str, str] = {"query": self.query, "page": str(page), "sorting": "desc-creation"}
        if self.category:
            query["category"] = str(self.category)
        if self.location:
            query["location"] = str(self.location)
        return f"{self.base_url}{SEARCH_PATH}?{urlencode(query)}"

    def start_urls(self) -> list[str]:
        return [self.search_url(0)]

    def parse(self, page: RawPage) -> ParseResult:
        if "/item/" in urlsplit(page.final_url).path:
            item = parse_item_page(page.body, self.base_url, page.headers.get("content-type"))
            item.image_urls = []  # its photo was read (or not) with the search listing that led here
            return ParseResult(posts=[item])
        parsed = parse_search_json(page.body, self.base_url)
        result = ParseResult(posts=parsed.posts, problems=parsed.problems)
        fresh = [p for p in parsed.posts if self._is_new(p)]
        for post in parsed.posts:
            # Most OLX photos show an office or a product, not the ad: only the first of a new ad, and only on request.
            post.image_urls = post.image_urls[:1] if self.read_images and post in fresh else []
        if self.details:
            result.detail_urls.extend(p.url for p in fresh if p.url)
        page_no = int(_query_value(page.url, "page") or 0)
        # Newest first: a page with any ad already stored is where the last run stopped.
        if parsed.next_page_url and len(fresh) == len(parsed.posts) > 0:
            result.next_urls.append(self.search_url(page_no + 1))
        return result

    def next_cursor(self, cursor: Mapping[str, Any], posts: list[JobPost]) -> dict[str, Any]:
        times = [p.posted_at for p in posts if p.posted_at is not None]
        if self.newest_stored is not None:
            times.append(self.newest_stored)
        return {**cursor, "newest_created_at": max(times).isoformat()} if times else dict(cursor)

    def _is_new(self, post: JobPost) -> bool:
        return self.newest_stored is None or post.posted_at is None or post.posted_at > self.newest_stored


def _query_value(url: str, key: str) -> str | None:
    values = parse_qs(urlsplit(url).query).get(key)
    return values[0] if values else None
