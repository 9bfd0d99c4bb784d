"""OLX search JSON and ad pages: the parser on our pages in the real Panamera structure (tests/fixtures/olx)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.errors import PageParseError
from scraper.sources.olx import parse_item_page, parse_search_json

# What the source-contract and never-crash tests feed this source: (page URL, fixture file).
SOURCE_PARAMS = {"query": "contoh"}
SAMPLE_PAGES = [
    ("https://www.olx.co.id/api/relevance/v4/search?query=contoh&page=0", "olx/search_lowongan_page0.json"),
    ("https://www.olx.co.id/api/relevance/v4/search?query=contoh&page=0", "olx/search_lowongan_full_response.json"),
    ("https://www.olx.co.id/item/loker-kerja-di-jepang-tanpa-biaya-iid-902345560",
     "olx/item_loker_jepang_iid_902345560.html"),
]


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


def test_olx_ads_name_their_photos_and_the_source_reads_only_a_new_ads_first_one_on_request(
        fixtures_dir: Path) -> None:
    from datetime import datetime

    from scraper.records import RawPage
    from scraper.sources.olx import OlxSource

    body = (fixtures_dir / "olx/search_lowongan_page0.json").read_bytes()
    assert [len(post.image_urls) for post in parse_search_json(body).posts] == [1, 2, 1]
    url = "https://www.olx.co.id/api/relevance/v4/search?query=admin&page=0&sorting=desc-creation"
    page = RawPage(url, url, 200, {"content-type": "application/json"}, body, datetime.now(), "test")

    def read(params: dict[str, object], cursor: dict[str, object]) -> list[list[str]]:
        return [post.image_urls for post in OlxSource({"query": "admin", **params}, cursor).parse(page).posts]

    assert read({}, {}) == [[], [], []]
    with_images = read({"images": True}, {})
    assert [len(urls) for urls in with_images] == [1, 1, 1]
    assert with_images[0] == ["https://apollo-singapore.akamaized.net/v1/files/x9023456710-ID/image"]
    # An ad a previous run stored (not newer than the cursor) is not read again.
    stored_up_to = {"newest_created_at": "2023-11-20T08:40:03+07:00"}
    assert [len(urls) for urls in read({"images": True}, stored_up_to)] == [1, 0, 0]
