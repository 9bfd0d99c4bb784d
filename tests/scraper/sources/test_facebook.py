"""Saved Facebook group pages and data exports: the parser on real captures (tests/fixtures/facebook)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from scraper.sources.facebook import parse_export_json, parse_saved_html

# What the source-contract and never-crash tests feed this source: (page URL, fixture file).
SOURCE_PARAMS: dict[str, str] = {}
SAMPLE_PAGES = [
    ("file:///saved/permalink.html", "facebook/fbscraper_m_facebook_group_permalink_1629606003787605.html"),
    ("file:///saved/your_posts_in_groups.json", "facebook/your_posts_in_groups.json"),
]


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


def test_facebook_shared_posts_keep_the_text_of_the_post_they_share(fixtures_dir: Path) -> None:
    # Five posts of this page only share another post: their text sits in the nested story_body_container.
    body = (fixtures_dir / "facebook/fbscraper_m_facebook_group_117507531664134.html").read_bytes()
    posts = {p.source_ad_id: p for p in parse_saved_html(body).posts}

    assert [i for i, p in posts.items() if not p.text.strip()] == []
    shared = posts["3994622007285981"]  # "Omar U. Florez shared a post." with no words of his own
    assert shared.text.startswith("Programa de becas #AceleraPerú")
    assert shared.author == "Omar U. Florez" and shared.extra["shared_from"] == "StartUp Perú"
    # A share with a comment keeps both: the sharer's words first, then the post shared.
    commented = posts["3973450876069761"]
    own, _, quoted = commented.text.partition("\n\n")
    assert own == "Descuentos de estudios para estudiar en Canada." and len(quoted) > 100
    assert commented.extra["shared_from"] == "Pronabec Perú"
    assert "shared_from" not in posts["4008975265850655"].extra  # a post of its own shares nothing
