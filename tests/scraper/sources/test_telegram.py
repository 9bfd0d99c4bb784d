"""Telegram channel pages (t.me/s): the parser on real captures (tests/fixtures/telegram, with its licence)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from scraper.errors import PageParseError
from scraper.sources.telegram import parse_channel_page

# What the source-contract and never-crash tests feed this source: (page URL, fixture file).
SOURCE_PARAMS = {"channel": "contoh"}
SAMPLE_PAGES = [
    ("https://t.me/s/topwar_official", "telegram/any2feed_full.html"),
    ("https://t.me/s/topwar_official", "telegram/any2feed_message_media_forwarded_from.html"),
]


def test_telegram_full_channel_page_gives_every_post_in_order(fixtures_dir: Path) -> None:
    body = (fixtures_dir / "telegram/any2feed_full.html").read_bytes()
    page = parse_channel_page(body, "https://t.me/s/topwar_official")
    ids = [p.source_ad_id for p in page.posts]
    assert len(ids) == 12 and len(set(ids)) == 12
    assert ids[0] == "topwar_official/70989" and ids[-1] == "topwar_official/71008"
    assert page.before == 70989
    assert page.problems == []
    first = page.posts[0]
    assert first.posted_at == datetime(2023, 2, 28, 7, 47, 53, tzinfo=UTC)
    assert first.extra["views"] == 37200
    assert first.extra["has_photo"] is True
    assert first.url == "https://t.me/topwar_official/70989"
    assert first.text.startswith("В Санкт-Петербурге в небо над городом подняли истребители")


def test_telegram_text_keeps_line_breaks(fixtures_dir: Path) -> None:
    page = parse_channel_page((fixtures_dir / "telegram/any2feed_message_text.html").read_bytes())
    (post,) = page.posts
    assert post.source_ad_id == "topwar_official/70991"
    assert post.text.startswith("Неопознанный летающий объект замечен в 160 – 200 км от Петербурга\n\n")
    assert "  " not in post.text  # layout indentation is not content


def test_telegram_forwarded_post_names_its_origin(fixtures_dir: Path) -> None:
    page = parse_channel_page((fixtures_dir / "telegram/any2feed_message_media_forwarded_from.html").read_bytes())
    (post,) = page.posts
    assert post.extra["forwarded_from"] == "Пул N3"
    assert post.extra["has_photo"] is True
    assert post.extra["views"] == 214400


def test_telegram_link_preview_is_kept_apart_from_the_text(fixtures_dir: Path) -> None:
    page = parse_channel_page((fixtures_dir / "telegram/any2feed_message_link_preview.html").read_bytes())
    (post,) = page.posts
    assert post.text == "https://vnnews.ru/georgiy-zotov-okkupaciya-volosatym-kr/"
    assert post.extra["links"] == ["https://vnnews.ru/georgiy-zotov-okkupaciya-volosatym-kr/"]
    preview = post.extra["link_preview"]
    assert isinstance(preview, dict) and preview["title"] == "Георгий Зотов: ОККУПАЦИЯ ВОЛОСАТЫМ КРАБОМ"


def test_telegram_signed_author_and_emoji_as_text(fixtures_dir: Path) -> None:
    page = parse_channel_page((fixtures_dir / "telegram/any2feed_message_with_from_author.html").read_bytes())
    (post,) = page.posts
    assert post.author == "🅰️rkadiy Ivanov"
    assert post.text == "test" and post.extra["views"] == 1


def test_telegram_rejects_a_page_that_is_not_a_channel() -> None:
    with pytest.raises(PageParseError):
        parse_channel_page(b"<html><body><h1>Maintenance</h1></body></html>")
