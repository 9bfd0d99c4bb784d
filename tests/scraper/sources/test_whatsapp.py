"""WhatsApp chat exports, Android and iOS, Indonesian and English (tests/fixtures/whatsapp)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.errors import PageParseError
from scraper.sources.whatsapp import chat_name_from_path, parse_chat_export

# What the source-contract and never-crash tests feed this source: (page URL, fixture file).
SOURCE_PARAMS: dict[str, str] = {}
SAMPLE_PAGES = [
    ("file:///saved/WhatsApp%20Chat%20with%20Loker%20Surabaya.txt",
     "whatsapp/WhatsApp Chat with Loker Surabaya & Sidoarjo.txt"),
]


@pytest.mark.parametrize(
    ("file_name", "chat", "count", "first_author", "first_time"),
    [
        ("Chat WhatsApp dengan INFO LOKER JABODETABEK.txt", "INFO LOKER JABODETABEK", 5, "+62 812-0000-1111",
         "2023-10-31T09:02:00+07:00"),
        ("WhatsApp Chat with Loker Surabaya & Sidoarjo.txt", "Loker Surabaya & Sidoarjo", 4, "Dewi HRD",
         "2023-10-30T21:02:00+07:00"),
        ("WhatsApp Chat - Loker Bali Official.txt", "Loker Bali Official", 3, "Made Surya",
         "2023-10-30T20:31:45+07:00"),
        ("WhatsApp Chat - Info Loker Medan.txt", "Info Loker Medan", 2, "Info Loker Medan",
         "2023-10-30T20:40:11+07:00"),
    ],
)
def test_whatsapp_exports_in_every_format(fixtures_dir: Path, file_name: str, chat: str, count: int,
                                          first_author: str, first_time: str) -> None:
    path = fixtures_dir / "whatsapp" / file_name
    assert chat_name_from_path(str(path)) == chat
    result = parse_chat_export(path.read_bytes(), chat=chat)
    assert len(result.posts) == count, [p.text for p in result.posts]
    assert result.posts[0].author == first_author
    assert result.posts[0].posted_at is not None and result.posts[0].posted_at.isoformat() == first_time
    texts = "\n".join(p.text for p in result.posts)
    for noise in ("terenkripsi", "end-to-end", "omitted", "tidak disertakan", "dihapus", "deleted"):
        assert noise not in texts


def test_whatsapp_multi_line_message_and_12_hour_clock(fixtures_dir: Path) -> None:
    body = (fixtures_dir / "whatsapp/WhatsApp Chat with Loker Surabaya & Sidoarjo.txt").read_bytes()
    posts = parse_chat_export(body, chat="x").posts
    assert posts[0].text == ("Lowongan Staff Admin Keuangan\nPenempatan: Sidoarjo\nPendidikan min D3 Akuntansi\n"
                             "Gaji Rp 4.500.000 - Rp 5.200.000\nEmail: rekrutmen@example.com")
    midnight = next(p for p in posts if p.author == "Budi")
    assert midnight.posted_at is not None and midnight.posted_at.hour == 12  # "12:30 PM" is noon
    assert posts[-1].posted_at is not None and posts[-1].posted_at.month == 11  # US month/day order


def test_whatsapp_message_after_an_omitted_attachment_keeps_its_text(fixtures_dir: Path) -> None:
    body = (fixtures_dir / "whatsapp/Chat WhatsApp dengan INFO LOKER JABODETABEK.txt").read_bytes()
    last = parse_chat_export(body, chat="x").posts[-1]
    assert last.text.startswith("Kerja online dari rumah") and last.extra["had_attachment"] is True


def test_whatsapp_rejects_a_file_that_is_not_an_export() -> None:
    with pytest.raises(PageParseError):
        parse_chat_export(b"Ini bukan ekspor chat.\nHanya catatan.")
