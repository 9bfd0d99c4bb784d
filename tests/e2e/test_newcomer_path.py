"""A newcomer's first hour after `make run`, on a laptop and on a phone, in a real browser (issue #10).

Queue, an ad whose snapshot is a whole channel page, the dashboard and the leads page: times in WIB the
Indonesian way and one meaning per time word, the ad's own post first, risk explained and coloured by
level, one colour per class in every chart, charts that fit a phone, the decision right after the text
on a phone, and no hostile demo post.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from model.risk import risk_level as level
from service.display.local_time import display_zone, local_time
from service.store.tables import Ad
from tests.e2e.conftest import LiveDesk
from tests.e2e.pages import ISO_8601, LAPTOP, LOCAL_TIME, PHONE, log_in, visible_text

pytestmark = pytest.mark.browser
DEVICES = pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
WIB = display_zone("Asia/Jakarta")
# lokerbatamkepri/5886 is the fifth of seven posts on its channel page, which opens with a factory job.
AD_IN_THE_MIDDLE = "lokerbatamkepri/5886"
FIRST_POST_ON_ITS_PAGE = "PT Batamindo Elektronik"


def ad_by_source_id(desk: LiveDesk, source_ad_id: str) -> Ad:
    with desk.store.session_factory() as session:
        ad = session.scalars(select(Ad).where(Ad.source_ad_id == source_ad_id)).one()
        session.expunge(ad)
        return ad


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not shown"
    return found


def fits_the_screen(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"


def test_the_bundled_demo_has_no_hostile_post(live_desk: LiveDesk) -> None:
    with live_desk.store.session_factory() as session:
        texts = list(session.scalars(select(Ad.text)))
    assert len(texts) == 177
    assert not [t for t in texts if "<script" in t.lower() or "alert(" in t]


@DEVICES
def test_the_queue_shows_posting_times_in_wib_and_explains_risk_levels(
        browser: Browser, live_desk: LiveDesk, viewport: dict[str, int]) -> None:
    context, page = log_in(browser, live_desk, "demo", viewport)
    expect(page).to_have_url(re.compile(r"/desk/antrean"))
    rows = page.locator("#queue tr.row")
    assert rows.count() >= 10
    assert "<script" not in page.locator("#queue").inner_text()

    # "Diposting" is the source's posting time, and only that: each row shows its ad's posted_at in WIB.
    if viewport == LAPTOP:
        headers = page.locator("#queue thead th").all_inner_texts()
        assert "Diposting" in headers and "Pertama terlihat" not in headers
    with live_desk.store.session_factory() as session:
        posted = {ad_id: at for ad_id, at in session.execute(select(Ad.id, Ad.posted_at))}
    for row in rows.all():
        ad_id = int(row.get_attribute("data-ad-id") or 0)
        cell = row.locator("td.posted").inner_text()
        assert cell == local_time(posted[ad_id], WIB) and LOCAL_TIME.fullmatch(cell), (ad_id, cell)

    # Risk: one line says what it is; each pill's colour class and word follow its level.
    expect(page.locator("#risk-note")).to_be_visible()
    expect(page.locator("#risk-note")).to_contain_text("Risiko = peluang TPPO + peluang penipuan")
    words = {"low": "rendah", "mid": "sedang", "high": "tinggi"}
    for pill in page.locator("#queue .risk-pill").all():
        expected = level(float(pill.get_attribute("data-risk") or 0), live_desk.review_threshold)
        assert f"risk-{expected}" in (pill.get_attribute("class") or "")
        assert words[expected] in pill.inner_text()
    assert not ISO_8601.search(visible_text(page))
    fits_the_screen(page, viewport["width"])
    context.close()


@DEVICES
def test_an_ad_shows_its_own_post_first_both_times_labelled_and_a_coloured_risk_bar(
        browser: Browser, live_desk: LiveDesk, viewport: dict[str, int]) -> None:
    ad = ad_by_source_id(live_desk, AD_IN_THE_MIDDLE)
    context, page = log_in(browser, live_desk, "demo", viewport)
    page.goto(f"{live_desk.url}/desk/iklan/{ad.id}")

    # Two times, two words: when the source says it was posted, when lokerwatch first stored it.
    times = page.locator("#ad-times")
    expect(times.locator("dt").nth(0)).to_have_text("Diposting")
    expect(times.locator("dt").nth(1)).to_have_text("Pertama terlihat")
    expect(page.locator("#posted-at")).to_contain_text(local_time(ad.posted_at, WIB))
    expect(page.locator("#first-seen-at")).to_contain_text(local_time(ad.first_seen_at, WIB))
    assert local_time(ad.posted_at, WIB) != local_time(ad.first_seen_at, WIB)

    # The evidence opens on the ad's own post, highlighted; the whole channel page is one click away.
    snapshot = page.locator("#snapshots details.snapshot[open]").first
    first_block = snapshot.locator("pre.snapshot-text").first
    expect(first_block).to_have_class(re.compile(r"\bsnapshot-own\b"))
    expect(first_block).to_be_visible()
    expect(first_block).to_contain_text(ad.text.splitlines()[0])
    expect(first_block).not_to_contain_text(FIRST_POST_ON_ITS_PAGE)
    own_background = first_block.evaluate("e => getComputedStyle(e).backgroundColor")
    whole_page = snapshot.locator("details.snapshot-full pre.snapshot-text")
    expect(whole_page).to_be_hidden()
    snapshot.locator("details.snapshot-full > summary").click()
    expect(whole_page).to_be_visible()
    expect(whole_page).to_contain_text(FIRST_POST_ON_ITS_PAGE)
    assert whole_page.evaluate("e => getComputedStyle(e).backgroundColor") != own_background

    # Risk: explained in one line where it is shown, and the bar's colour follows the level, not green.
    risk_value = float(page.locator("#risk-pill").get_attribute("data-risk") or 0)
    expected = level(risk_value, live_desk.review_threshold)
    expect(page.locator("#risk-pill")).to_have_class(re.compile(rf"\brisk-{expected}\b"))
    expect(page.locator("#risk-note")).to_contain_text("Risiko = peluang TPPO")
    risk_bar = page.locator(".score-card svg.risk-bar").first
    expect(risk_bar).to_have_class(re.compile(rf"\brisk-{expected}\b"))
    fill = risk_bar.locator("rect.fill").evaluate("e => getComputedStyle(e).fill")
    assert fill == _rgb(page, f"var(--risk-{expected})") != _rgb(page, "var(--benign)")

    if viewport == PHONE:  # the decision comes right after the ad's text, long before the snapshot
        text, decision, evidence = box(page, ".text-card"), box(page, ".decide-card"), box(page, ".snapshot-card")
        assert decision["y"] < evidence["y"]
        assert 0 <= decision["y"] - (text["y"] + text["height"]) < 40
        assert decision["y"] < 1_200, decision
    assert not ISO_8601.search(visible_text(page))
    fits_the_screen(page, viewport["width"])
    context.close()


def test_a_whatsapp_ad_shows_its_own_message_lines_first(browser: Browser, live_desk: LiveDesk) -> None:
    with live_desk.store.session_factory() as session:
        ad = session.scalars(select(Ad).where(Ad.source == "whatsapp", Ad.author == "HRD PLN")).one()
    context, page = log_in(browser, live_desk, "demo")
    page.goto(f"{live_desk.url}/desk/iklan/{ad.id}")
    own = page.locator("#snapshots pre.snapshot-own").first
    expect(own).to_contain_text("HRD PLN: LOWONGAN PT PLN (PERSERO)")
    assert own.inner_text().count("\n") == 0  # one message: its one line, not the chat around it
    context.close()


def _rgb(page: Page, colour: str) -> str:
    return str(page.evaluate("c => { const e = document.createElement('i'); e.style.color = c; document.body.append(e);"
                             " const v = getComputedStyle(e).color; e.remove(); return v; }", colour))


@DEVICES
def test_the_dashboard_uses_one_colour_per_class_and_fits_the_screen(
        browser: Browser, live_desk: LiveDesk, viewport: dict[str, int]) -> None:
    context, page = log_in(browser, live_desk, "demo", viewport)
    badge = {kind: page.locator(f"#queue .badge-{kind}").first.evaluate("e => getComputedStyle(e).color")
             for kind in ("trafficking", "scam")}
    page.goto(f"{live_desk.url}/desk/dasbor")

    def fills(selector: str) -> set[str]:
        return set(page.locator(selector).evaluate_all(
            "els => els.filter(e => e.getBoundingClientRect().width > 0).map(e => getComputedStyle(e).fill)"))

    for kind in ("trafficking", "scam"):  # the modus chart, the queue-by-kind chart and the badges agree
        in_modus = fills(f"#chart-modus svg.chart rect.tone-{kind}:not(.shade-1):not(.shade-2):not(.shade-3)")
        in_queue = fills(f"#chart-queue svg.chart rect.tone-{kind}")
        assert in_modus == in_queue == {badge[kind]}, (kind, in_modus, in_queue, badge[kind])
    below = fills("#chart-modus svg.chart rect.tone-below-threshold")
    sources = fills("#chart-source svg.chart rect[class*=tone-source]")
    classes = {badge["trafficking"], badge["scam"], _rgb(page, "var(--benign)")}
    assert len(below) == 1 and not below & (sources | classes)  # "below threshold" is its own grey
    assert len(sources) >= 2 and not sources & classes  # a source never looks like a class

    charts = page.locator("svg.chart").evaluate_all(
        "els => els.filter(e => e.getBoundingClientRect().width > 0).map(e => e.getBoundingClientRect().right)")
    assert len(charts) >= 5 and max(charts) <= viewport["width"], charts
    fits_the_screen(page, viewport["width"])
    heights = page.locator("svg.chart text.value, svg.chart text.axis, svg.chart text.label").evaluate_all(
        "els => els.filter(e => e.getBoundingClientRect().width > 0).map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) >= 10, min(heights)  # values stay readable, not shrunk to fit
    assert not ISO_8601.search(visible_text(page))
    context.close()
