"""The desk serves a poster image only to the desk's roles, only for its own ad, only when the bytes are an image,
and audits the read; the ad page shows it beside the poster's highlighted OCR text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from model.rule_scorer import RuleScorer
from scraper.records import PosterText, RawPage
from service.auth.roles import Role
from service.scoring.score import score_unscored
from service.store.evidence import store_snapshot
from service.store.tables import AuditEntry
from tests.ocr_posters import PosterStyle, render_poster
from tests.service.api.test_reads_never_write import fingerprint
from tests.service.desk import Desk
from tests.service.lead_data import CAPTURED, add_ad

POSTER_TEXT = "LOKER ADMIN KAMBOJA\nvisa turis diurus agen, paspor dipegang perusahaan"
ERROR_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script>404 Not Found</body></html>"


@dataclass(frozen=True)
class PosterAds:
    ad_id: int
    image_id: int
    page_id: int  # the ad's HTML snapshot, sent by its site as image/png
    other_ad_id: int
    other_image_id: int
    image: bytes


def _store_file(desk: Desk, body: bytes, url: str, content_type: str) -> int:
    page = RawPage(url=url, final_url=url, status=200, body=body, fetched_at=CAPTURED,
                   headers={"Content-Type": content_type}, fetcher_version="lokerwatch-test/1")
    with desk.store.session_factory() as session, session.begin():
        return store_snapshot(session, page, source_name="telegram").id


def seed(desk: Desk) -> PosterAds:
    image = render_poster(POSTER_TEXT, PosterStyle(width=600, height=420, font_size=30, seed=5)).image
    image_id = _store_file(desk, image, "https://cdn.example/poster.png", "image/png")
    page_id = _store_file(desk, ERROR_PAGE, "https://cdn.example/lost.png", "image/png")
    other_image_id = _store_file(desk, image, "https://cdn.example/other.png", "image/png")
    with desk.store.session_factory() as session, session.begin():
        ad_id = add_ad(session, "501", "Info lengkap di gambar", page_id,
                       poster=PosterText(POSTER_TEXT, 0.91, "tesseract 5.3.0", (image_id,))).id
        other_ad_id = add_ad(session, "502", "Loker lain", None,
                             poster=PosterText("LOKER KASIR", 0.9, "tesseract 5.3.0", (other_image_id,))).id
    score_unscored(desk.store.session_factory, RuleScorer())
    return PosterAds(ad_id, image_id, page_id, other_ad_id, other_image_id, image)


def poster_reads(desk: Desk) -> list[AuditEntry]:
    with desk.store.session_factory() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == "ad.poster_image.read")
                                    .order_by(AuditEntry.id)))


def test_an_analyst_gets_the_posters_bytes_with_the_desks_headers_and_the_read_is_audited(desk: Desk) -> None:
    ads = seed(desk)
    before = fingerprint(desk.store)

    answer = desk.client.get(f"/desk/iklan/{ads.ad_id}/gambar/{ads.image_id}", headers=desk.headers(Role.ANALYST))

    assert answer.status_code == 200 and answer.content == ads.image
    assert answer.headers["content-type"] == "image/png"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["cache-control"].startswith("private") and "no-store" not in answer.headers["cache-control"]
    assert fingerprint(desk.store) == before  # a GET writes nothing but its audit entry
    (entry,) = poster_reads(desk)
    assert (entry.actor, entry.object_type, entry.object_id) == ("ana", "snapshot", str(ads.image_id))
    assert entry.details["ad_id"] == ads.ad_id and entry.details["via"] == "desk"
    assert desk.client.get(f"/desk/iklan/{ads.ad_id}", headers=desk.headers(Role.ANALYST)).headers[
        "cache-control"] == "no-store"  # pages stay uncached


def test_another_ads_image_a_page_sent_as_an_image_and_a_missing_snapshot_are_not_found(desk: Desk) -> None:
    ads = seed(desk)
    analyst = desk.headers(Role.ANALYST)
    for ad_id, snapshot_id in ((ads.ad_id, ads.other_image_id), (ads.other_ad_id, ads.image_id),
                               (ads.ad_id, ads.page_id), (ads.ad_id, 999_999), (999_999, ads.image_id)):
        answer = desk.client.get(f"/desk/iklan/{ad_id}/gambar/{snapshot_id}", headers=analyst)
        assert answer.status_code == 404, (ad_id, snapshot_id)
        assert answer.json()["detail"] == "Gambar tidak ditemukan: iklan ini tidak punya gambar dengan nomor itu."
        assert b"<script>" not in answer.content
    page = desk.client.get(f"/desk/iklan/{ads.ad_id}/gambar/{ads.page_id}", headers={**analyst, "Accept": "text/html"})
    assert page.status_code == 404 and "Gambar tidak ditemukan" in page.text
    assert poster_reads(desk) == []  # nothing was read, so nothing is audited


def test_only_the_desks_roles_may_see_a_poster(desk: Desk) -> None:
    ads = seed(desk)
    path = f"/desk/iklan/{ads.ad_id}/gambar/{ads.image_id}"
    assert desk.client.get(path).status_code == 401
    to_login = desk.client.get(path, headers={"Accept": "text/html"}, follow_redirects=False)
    assert to_login.status_code == 303 and to_login.headers["location"].startswith("/desk/masuk?next=")
    for role in (Role.POLICE, Role.RESEARCHER, Role.ADMIN):
        assert desk.client.get(path, headers=desk.headers(role)).status_code == 403, role
    assert desk.client.get(path, headers=desk.headers(Role.SUPERVISOR)).status_code == 200
    assert [entry.actor for entry in poster_reads(desk)] == ["sari"]


def test_the_ad_page_shows_the_poster_beside_its_highlighted_ocr_text(desk: Desk) -> None:
    ads = seed(desk)
    page = desk.client.get(f"/desk/iklan/{ads.ad_id}", headers=desk.headers(Role.ANALYST)).text

    poster = page[page.index('id="poster"'):]
    image = re.search(r'<img class="poster-image" src="([^"]+)"[^>]*alt="([^"]+)"', poster)
    assert image is not None and image.group(1) == f"/desk/iklan/{ads.ad_id}/gambar/{ads.image_id}"
    assert image.group(2).startswith("Gambar poster iklan")
    text = poster[poster.index('id="poster-text"'):]
    assert re.search(r"<mark [^>]*>visa turis", text, re.IGNORECASE), text[:600]
    caption = page[page.index('id="ad-text"'):page.index('id="poster"')]
    assert "Info lengkap di gambar" in caption and "visa turis" not in caption
    assert f"/gambar/{ads.page_id}" not in page and f"/gambar/{ads.other_image_id}" not in page
