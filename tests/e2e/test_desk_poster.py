"""A photo-only ad on the desk: the poster image sits beside (laptop) or above (phone) its highlighted OCR text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from service.store.tables import Ad
from tests.e2e.conftest import LiveDesk, serve_desk
from tests.e2e.pages import LAPTOP, PHONE, log_in, visible_text
from tests.ocr_posters import PosterStyle, render_poster
from tests.scraper.poster_pages import TRAFFICKING_POSTER

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def poster_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveDesk]:
    folder = tmp_path_factory.mktemp("posters")
    poster = render_poster(TRAFFICKING_POSTER, PosterStyle(width=900, height=700, font_size=34, seed=11))
    (folder / "poster-kamboja.png").write_bytes(poster.image)
    with serve_desk(tmp_path_factory.mktemp("poster-desk"), poster_folder=folder) as desk:
        yield desk


def poster_ad_id(desk: LiveDesk) -> int:
    with desk.store.session_factory() as session:
        return session.scalars(select(Ad.id).where(Ad.source == "images")).one()


def open_poster_ad(browser: Browser, desk: LiveDesk, viewport: dict[str, int]) -> Page:
    _, page = log_in(browser, desk, "demo", viewport)
    page.goto(f"{desk.url}/desk/iklan/{poster_ad_id(desk)}")
    image = page.locator("#poster img.poster-image")
    expect(image).to_have_count(1)
    page.wait_for_function("() => document.querySelector('#poster img.poster-image').complete")
    return page


def test_on_a_laptop_the_poster_is_shown_beside_its_highlighted_ocr_text(browser: Browser,
                                                                       poster_desk: LiveDesk) -> None:
    page = open_poster_ad(browser, poster_desk, LAPTOP)
    image = page.locator("#poster img.poster-image")
    assert page.evaluate("() => document.querySelector('#poster img.poster-image').naturalWidth") == 900
    text = page.locator("#poster-text")
    expect(text).to_contain_text("paspor dipegang agen")
    marked = text.locator("mark.hl")
    assert marked.count() >= 2  # the poster's red flags, marked where OCR read them
    expect(marked.filter(has_text="visa turis")).to_have_count(1)
    picture, words = image.bounding_box(), text.bounding_box()
    assert picture is not None and words is not None and picture["width"] > 200
    assert picture["x"] + picture["width"] <= words["x"] + 1  # side by side
    assert abs(picture["y"] - words["y"]) < 40
    assert "Gambar poster iklan" in str(image.get_attribute("alt"))
    said = visible_text(page)
    assert "Teks pada gambar (OCR)" in said and "keyakinan OCR" in said
    page.context.close()


def test_on_a_phone_the_poster_comes_above_its_ocr_text(browser: Browser, poster_desk: LiveDesk) -> None:
    page = open_poster_ad(browser, poster_desk, PHONE)
    assert page.evaluate("() => document.querySelector('#poster img.poster-image').naturalWidth") > 0
    picture = page.locator("#poster img.poster-image").bounding_box()
    words = page.locator("#poster-text").bounding_box()
    assert picture is not None and words is not None
    assert picture["y"] + picture["height"] <= words["y"] + 1  # stacked: image first
    assert picture["width"] <= PHONE["width"]  # fits the screen
    page.context.close()


def test_the_image_is_served_only_to_a_logged_in_desk_user(browser: Browser, poster_desk: LiveDesk) -> None:
    page = open_poster_ad(browser, poster_desk, LAPTOP)
    source = f"{poster_desk.url}{page.locator('#poster img.poster-image').get_attribute('src')}"
    answer = page.context.request.get(source)
    assert answer.status == 200 and answer.headers["content-type"] == "image/png"
    assert answer.headers["cache-control"].startswith("private")
    page.context.close()
    stranger = browser.new_context()
    refused = stranger.request.get(source, max_redirects=0)
    assert refused.status in (401, 303) and refused.body()[:4] != b"\x89PNG"
    stranger.close()
