"""Parsers on real saved pages (tests/fixtures, with their licences) and on our own pages in the real structure."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from scraper.errors import PageParseError
from scraper.sources.facebook import parse_export_json, parse_saved_html
from scraper.sources.olx import parse_item_page, parse_search_json
from scraper.sources.telegram import parse_channel_page
from scraper.sources.whatsapp import chat_name_from_path, parse_chat_export


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


def test_olx_full_panamera_search_response(fixtures_dir: Path) -> None:
    # Team-written, but key for key the shape of a real relevance/v4/search response (see olx/README.md).
    body = (fixtures_dir / "olx/search_lowongan_full_response.json").read_bytes()
    page = parse_search_json(body)
    assert len(page.posts) == 20 and page.problems == []
    assert page.total_ads == 1843
    assert page.next_page_url is not None and "page=1" in page.next_page_url
    first = page.posts[0]
    assert first.source_ad_id == "902346001"
    assert first.title == "Lowongan Staff Admin Gudang"
    assert first.location == "Kebayoran Baru, Jakarta Selatan, Jakarta D.K.I."
    assert first.salary_text == "Rp 4.500.000"  # no salary parameter: the ad's price is what it shows
    assert first.extra["seller_id"] == "71235001"
    assert first.posted_at is not None and first.posted_at.isoformat() == "2023-11-20T08:15:02+07:00"
    assert first.url is not None and first.url.endswith("-iid-902346001")
    by_id = {p.source_ad_id: p for p in page.posts}
    reposted = by_id["902346003"]  # bumped 14 hours later: first posting time counts
    assert reposted.posted_at is not None and reposted.posted_at.isoformat() == "2023-11-19T16:40:11+07:00"
    assert by_id["902346004"].location == "Indramayu Kab."  # resolved to the city only
    assert by_id["902346010"].salary_text == "USD 450 – USD 600 / Bulanan"
    assert by_id["902346019"].salary_text is None  # price null, no salary parameter
    # suggested_data / similarads_data belong to other searches
    assert not {"902346041", "902346042"} & set(by_id)


def test_olx_indonesian_job_search_has_salary_location_and_seller(fixtures_dir: Path) -> None:
    page = parse_search_json((fixtures_dir / "olx/search_lowongan_page0.json").read_bytes())
    by_id = {p.source_ad_id: p for p in page.posts}
    ad = by_id["902345671"]
    assert ad.title == "Dibutuhkan Admin Online Shop"
    assert ad.salary_text == "Rp 4.500.000 – Rp 5.500.000 / Bulanan"
    assert ad.location == "Kebayoran Baru, Jakarta Selatan, Jakarta D.K.I."
    assert ad.author == "71234001"
    assert "hrd.tokobaju@example.com" in ad.contact_handles
    assert "\n- Wanita, maks 30 tahun" in ad.text


def test_olx_item_page_reads_the_embedded_app_state_with_seller_name(fixtures_dir: Path) -> None:
    post = parse_item_page((fixtures_dir / "olx/item_loker_jepang_iid_902345560.html").read_bytes())
    assert post.source_ad_id == "902345560"
    assert post.author == "Agensi Kerja Luar Negeri"
    assert post.url == "https://www.olx.co.id/item/loker-kerja-di-jepang-tanpa-biaya-iid-902345560"
    assert "0812-0000-7788" in post.contact_handles


def test_olx_rejects_html_error_page_as_search_json() -> None:
    with pytest.raises(PageParseError, match="not JSON"):
        parse_search_json(b"<html>Akses ditolak</html>")


def test_facebook_saved_group_feed_gives_each_post_once(fixtures_dir: Path) -> None:
    body = (fixtures_dir / "facebook/fbscraper_m_facebook_group_117507531664134.html").read_bytes()
    result = parse_saved_html(body)
    ids = [p.source_ad_id for p in result.posts]
    assert len(ids) == 21 and len(set(ids)) == 21 and result.problems == []
    post = next(p for p in result.posts if p.source_ad_id == "4008975265850655")
    assert post.author == "Alfred Kobayashi"
    assert post.posted_at == datetime.fromtimestamp(1622046501, UTC)
    assert post.url == "https://m.facebook.com/groups/southamericansincomputing/permalink/4008975265850655/"
    assert post.text.startswith("Hola a todos! Les comparto esta nueva Hackathon")


def test_facebook_saved_permalink_page(fixtures_dir: Path) -> None:
    body = (fixtures_dir / "facebook/fbscraper_m_facebook_group_permalink_1629606003787605.html").read_bytes()
    (post,) = parse_saved_html(body).posts
    assert post.source_ad_id == "1629606003787605" and post.author == "Omar U. Florez"
    assert "\n" in post.text and "1. No business advertisement or spam." in post.text
    assert post.extra["time_shown"] == "3 April 2018 at 20:02"


def test_facebook_export_json_undoes_facebooks_mojibake(fixtures_dir: Path) -> None:
    result = parse_export_json((fixtures_dir / "facebook/your_posts_in_groups.json").read_bytes())
    assert len(result.posts) == 2  # the photo-only entry has no text to judge
    first = result.posts[0]
    assert first.text.startswith("📢 LOWONGAN KERJA KAPAL PESIAR 🚢\nGaji USD 1.500 – 2.000")
    assert first.author == "Siti Rahmawati" and first.extra["group"] == "Loker Kapal Pesiar Indonesia"
    assert first.url == "https://forms.gle/AbCdEf123"
    assert first.posted_at == datetime.fromtimestamp(1700457600, UTC)


def test_facebook_export_ids_are_stable_across_imports(fixtures_dir: Path) -> None:
    body = (fixtures_dir / "facebook/your_posts_in_groups.json").read_bytes()
    assert [p.source_ad_id for p in parse_export_json(body).posts] == \
        [p.source_ad_id for p in parse_export_json(body).posts]


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
