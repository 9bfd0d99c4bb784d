"""The model's outputs on the desk, in a real browser at laptop and phone width (issue #11): the modus in the
queue and its filter, the deciding facts highlighted on an ad with the legal checklist and its sources, the
reasons in Bahasa, and the dashboard's honest model panel and modus chart.

The desk is the demo scored by a small trained model with no threshold setting: the queue starts at the
model's own review threshold, as after `make run`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from model.artifact import CARD_JSON
from model.facts import FACT_INFO
from service.display import labels
from service.review.dashboard import confirmed_flags
from service.scoring.registry import active_version
from service.store.tables import Ad, QueueEntry, ScoreRow
from service.web.routes.queue import PAGE_SIZE
from tests.e2e.conftest import LiveDesk, serve_desk
from tests.e2e.pages import LAPTOP, PHONE, log_in, visible_text

pytestmark = pytest.mark.browser
DEVICES = pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
KAMBOJA = "Info loker admin online Kamboja"  # the demo's illegal offer: tourist visa, Cambodia
G_TO_G = "Program G to G Korea"  # the demo's lawful one: BP2MI, EPS-TOPIK, "Waspada calo!"


@pytest.fixture(scope="module")
def model_desk(tmp_path_factory: pytest.TempPathFactory, small_model: Path) -> Iterator[LiveDesk]:
    with serve_desk(tmp_path_factory.mktemp("model-desk"), model=small_model, threshold=None) as desk:
        yield desk


def percent(value: float) -> str:
    return f"{round(value * 100):d}%"


def card_of(desk: LiveDesk) -> dict[str, object]:
    with desk.store.session_factory() as session:
        version = active_version(session)
    assert version is not None
    card: dict[str, object] = json.loads((desk.settings.model_dir / version / CARD_JSON).read_text(encoding="utf-8"))
    return card


def ad_id_of(desk: LiveDesk, start: str) -> int:
    with desk.store.session_factory() as session:
        found = session.scalar(select(Ad.id).where(Ad.text.startswith(start)))
    assert found is not None, start
    return found


def fits_the_screen(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"


def style(page: Page, selector: str, prop: str) -> str:
    return str(page.locator(selector).first.evaluate(f"e => getComputedStyle(e).{prop}"))


@DEVICES
def test_the_queue_shows_each_ad_s_modus_at_the_model_s_threshold_and_filters_by_it(
        browser: Browser, model_desk: LiveDesk, viewport: dict[str, int]) -> None:
    threshold = model_desk.review_threshold
    assert model_desk.settings.review_threshold is None and threshold != 0.5  # the model's own threshold
    with model_desk.store.session_factory() as session:
        queued = {e.ad_id: e for e in session.scalars(select(QueueEntry).where(QueueEntry.in_queue.is_(True)))}
    assert queued and all(e.risk >= threshold for e in queued.values())
    context, page = log_in(browser, model_desk, "demo", viewport)
    expect(page.locator("#risk-note")).to_contain_text(f"Masuk antrean mulai {percent(threshold)}")
    rows = page.locator("#queue tr.row")
    expect(rows).to_have_count(min(len(queued), PAGE_SIZE))  # the first page of the queue
    shown = {}
    for row in rows.all():
        entry = queued[int(row.get_attribute("data-ad-id") or 0)]
        cell = row.locator("td.modus")
        expect(cell).to_be_visible()
        assert cell.inner_text() == (labels.modus_label(entry.modus) if entry.modus else "-")
        shown[entry.modus] = shown.get(entry.modus, 0) + 1
    assert len([m for m in shown if m]) >= 3, shown

    chosen = max((m for m in shown if m), key=lambda m: (shown[m], m))
    if viewport == PHONE:  # on a phone the filters start folded, under the queue's first screen
        page.click("#filter-box summary")
    page.select_option("select[name=modus]", value=chosen)
    page.click("form.filters button[type=submit]")
    expect(page).to_have_url(re.compile(rf"modus={chosen}"))
    expect(rows).to_have_count(min(PAGE_SIZE, sum(entry.modus == chosen for entry in queued.values())))
    assert set(page.locator("#queue td.modus").all_inner_texts()) == {labels.modus_label(chosen)}
    expect(page.locator("select[name=modus] option:checked")).to_have_text(labels.modus_label(chosen))
    fits_the_screen(page, viewport["width"])
    context.close()


@DEVICES
def test_an_overseas_ad_highlights_its_deciding_facts_and_checks_the_legal_requirements_with_sources(
        browser: Browser, model_desk: LiveDesk, viewport: dict[str, int]) -> None:
    ad_id = ad_id_of(model_desk, KAMBOJA)
    with model_desk.store.session_factory() as session:
        score = session.scalars(select(ScoreRow).where(ScoreRow.ad_id == ad_id)).one()
    assert score.modus and score.risk >= model_desk.review_threshold
    context, page = log_in(browser, model_desk, "demo", viewport)
    page.goto(f"{model_desk.url}/desk/iklan/{ad_id}")

    # The tourist visa is marked red in the text, named in Bahasa, and listed as an illegal fact.
    visa = page.locator("#ad-text mark.fact-illegal[data-facts~='visa:visit']")
    expect(visa).to_contain_text("visa turis")
    assert FACT_INFO["visa:visit"].label in (visa.get_attribute("title") or "")
    assert style(page, "#ad-text mark.fact-illegal", "backgroundColor") == \
        style(page, "#fact-legend .swatch.fact-illegal", "backgroundColor")
    fact = page.locator("#facts li[data-fact='visa:visit']")
    expect(fact).to_contain_text(FACT_INFO["visa:visit"].label)
    expect(fact).to_contain_text("melanggar aturan")

    # The checklist: each requirement with its status in Bahasa, the deciding words and the public source.
    checklist = page.locator("#checklist")
    expect(checklist.locator("h2")).to_have_text("Syarat penempatan resmi")
    visa_rule = checklist.locator("li[data-requirement=work_visa]")
    expect(visa_rule.locator(".req-status")).to_have_text("bertentangan")
    expect(visa_rule.locator("q")).to_contain_text("visa turis")
    expect(visa_rule.locator(".source")).to_contain_text("UU 18/2017")
    destination = checklist.locator("li[data-requirement=open_destination]")
    expect(destination.locator(".req-status")).to_have_text("bertentangan")
    expect(destination.locator(".source")).to_contain_text("Kepmenaker 260/2015")
    expect(checklist.locator("li[data-requirement=job_order] .req-status")).to_have_text("tidak disebut")
    assert style(page, "#checklist li.status-contradicted", "borderLeftColor") != \
        style(page, "#checklist li.status-missing", "borderLeftColor")

    # The score: its modus (the model's, over the threshold) and what moved risk, signed, in Bahasa.
    expect(page.locator("#score-modus")).to_contain_text(labels.modus_label(score.modus))
    reasons = page.locator("#reasons li")
    assert reasons.count() >= 1
    for reason in reasons.all():
        assert re.match(r"^[+−] \S", reason.inner_text()), reason.inner_text()
    assert "fact=" not in visible_text(page) and "visa:visit" not in visible_text(page)
    if viewport == PHONE:  # the checklist comes after the text and the decision, before the evidence
        text_box = page.locator(".text-card").bounding_box()
        checklist_box = checklist.bounding_box()
        evidence_box = page.locator(".snapshot-card").bounding_box()
        assert text_box and checklist_box and evidence_box
        assert text_box["y"] < checklist_box["y"] < evidence_box["y"]
    fits_the_screen(page, viewport["width"])
    context.close()


def test_a_lawful_overseas_ad_shows_what_it_states_in_green_and_a_warning_in_grey(
        browser: Browser, model_desk: LiveDesk) -> None:
    ad_id = ad_id_of(model_desk, G_TO_G)
    context, page = log_in(browser, model_desk, "demo")
    page.goto(f"{model_desk.url}/desk/iklan/{ad_id}")
    lawful = page.locator("#ad-text mark.fact-lawful[data-facts~='channel:licensed_agency']")
    expect(lawful.first).to_be_visible()
    denied = page.locator("#ad-text mark.fact-denied")
    expect(denied).to_have_text("calo")  # "Waspada calo!": a warning against a broker, not a broker
    colours = {tone: style(page, f"#ad-text mark.fact-{tone}", "backgroundColor") for tone in ("lawful", "denied")}
    colours["illegal"] = style(page, "#fact-legend .swatch.fact-illegal", "backgroundColor")
    assert len(set(colours.values())) == 3, colours
    expect(page.locator("#facts li[data-fact='channel:broker_mentioned']")).to_contain_text("disangkal")
    licensed = page.locator("#checklist li[data-requirement=licensed_channel]")
    expect(licensed.locator(".req-status")).to_have_text("ditunjukkan")
    expect(licensed.locator(".source")).to_contain_text("UU 18/2017")
    expect(page.locator("#checklist .status-contradicted")).to_have_count(0)
    expect(page.locator("#reasons li.lowers").first).to_contain_text("−")
    context.close()


@DEVICES
def test_the_dashboard_shows_the_held_out_model_panel_and_the_queue_by_modus(
        browser: Browser, model_desk: LiveDesk, viewport: dict[str, int]) -> None:
    card = card_of(model_desk)
    written = card["held_out"]["test"]["out_of_author"]  # type: ignore[index]
    baseline = card["baseline"]["test"]["out_of_author"]  # type: ignore[index]
    context, page = log_in(browser, model_desk, "demo", viewport)
    badge = style(page, "#queue .badge-trafficking", "color")
    page.goto(f"{model_desk.url}/desk/dasbor")
    panel = page.locator("#model-card")
    expect(panel.locator("#panel-written")).to_have_text("Pada penulis yang tidak pernah dilihat model")

    def figure(key: str) -> str:
        return panel.locator(f"[data-figure={key}] .figure-value").inner_text()

    assert figure("macro_f1") == f"{written['macro_f1']:.2f}".replace(".", ",")
    assert figure("suspicious_recall") == percent(written["suspicious_recall"])
    assert figure("legit_fpr") == percent(written["legit_fpr"])
    assert figure("modus_macro_f1") == f"{written['modus']['macro_f1']:.2f}".replace(".", ",")
    assert figure("ece") == f"{written['ece']:.2f}".replace(".", ",")
    assert figure("baseline_macro_f1") == f"{baseline['macro_f1']:.2f}".replace(".", ",")
    assert figure("threshold") == percent(model_desk.review_threshold)
    rule = card["thresholds"]  # the budget the model chose its threshold by; the small plan holds no real ads
    chosen_by = panel.locator("[data-figure=threshold] dd .muted").inner_text()
    assert f"{percent(rule['max_written_legit_fpr'])} iklan wajar tulisan" in chosen_by  # type: ignore[index]
    assert "lowongan nyata" not in chosen_by, chosen_by
    for key in ("macro_f1", "suspicious_recall", "legit_fpr", "pairs", "modus_macro_f1", "ece", "confirmed"):
        meaning = panel.locator(f"[data-figure={key}] dd .muted").inner_text()
        assert len(meaning.split()) >= 6, (key, meaning)  # each figure says what it means
    with model_desk.store.session_factory() as session:
        confirmed = confirmed_flags(session, model_desk.review_threshold)
    assert figure("confirmed") == ("—" if not confirmed.decided else percent(confirmed.share or 0.0))

    # Queued and decided ads by modus: one bar per modus, coloured by its class like the badges.
    chart = page.locator("#chart-modus-queue svg.chart >> visible=true")
    expect(chart).to_have_count(1)
    trafficking = chart.locator("rect.tone-trafficking:not(.shade-2)")
    assert trafficking.count() >= 2
    assert set(trafficking.evaluate_all("els => els.map(e => getComputedStyle(e).fill)")) == {badge}
    labels_drawn = chart.locator("text.label").all_text_contents()  # SVG text has no innerText
    assert labels.modus_label("online_scam_compound") in labels_drawn
    fits_the_screen(page, viewport["width"])
    widths = page.locator("svg.chart").evaluate_all(
        "els => els.filter(e => e.getBoundingClientRect().width > 0).map(e => e.getBoundingClientRect().right)")
    assert max(widths) <= viewport["width"]
    context.close()


def test_the_panel_counts_what_analysts_confirmed_once_they_decide(browser: Browser, model_desk: LiveDesk) -> None:
    context, page = log_in(browser, model_desk, "demo")
    first = page.locator("#queue tr.row").first.get_attribute("data-ad-id")
    page.goto(f"{model_desk.url}/desk/iklan/{first}")
    page.click("text=Klaim iklan ini")
    page.click("button.decide-trafficking")
    expect(page).to_have_url(re.compile(r"/desk/antrean"))
    with model_desk.store.session_factory() as session:
        confirmed = confirmed_flags(session, model_desk.review_threshold)
    assert confirmed.decided >= 1
    page.goto(f"{model_desk.url}/desk/dasbor")
    value = page.locator("#model-card [data-figure=confirmed] .figure-value")
    expect(value).to_have_text(percent(confirmed.share or 0.0))
    expect(page.locator("#model-card [data-figure=confirmed]")).to_contain_text(
        f"Dari {confirmed.decided} iklan di atas ambang")
    context.close()
