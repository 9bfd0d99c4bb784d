"""Every desk page and the police summary speak Bahasa Indonesia: no indicator code, no English UI word,
no ISO-8601 time in what people read (issue #10).

The desk runs the demo scored by a real (small) trained model, so the catalogue's indicators, the deciding
facts, the legal checklist, the model's reasons, its modus, its held-out figures and its training time all
reach the pages, as after `make run`. Each page is
read in the browser; words quoted from the ads themselves (marked data-source-text) are evidence and
are left out.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from model.facts import FACT_INFO
from model.indicators.catalogue import catalogue
from model.legal_checklist import REQUIREMENTS, STATUS_LABELS
from model.rule_scorer import RULES
from service.demo.setup import DEMO_UNIT
from service.display import labels
from service.display.citations import CITATIONS
from service.store.ads import latest_scores
from service.store.tables import Ad
from tests.e2e.conftest import LiveDesk, serve_desk
from tests.e2e.pages import ISO_8601, LOCAL_TIME, log_in, visible_text

pytestmark = pytest.mark.browser
# Every code a person could be shown: indicator names and categories, rules-0 names, modus, state codes,
# fact keys (`visa:visit`), legal requirements and their statuses, public source ids.
CODES = sorted({spec.name for spec in catalogue()} | {spec.category for spec in catalogue()}
               | {rule.name for rule in RULES} | {rule.category for rule in RULES} | set(labels.MODUS_LABELS)
               | {"need_info", "in_progress", "near_duplicate"} | set(FACT_INFO)
               | {requirement.code for requirement in REQUIREMENTS} | set(STATUS_LABELS) | set(CITATIONS))
# English the desk used to show, found while walking it for issue #10 (and their close relatives), and the
# words of the model's fact and checklist codes.
ENGLISH = ["recall", "macro-F1", "F1", "FPR", "precision", "threshold", "score", "scored", "phone", "email",
           "handle", "trafficking", "scam", "benign", "legit", "need info", "unknown", "posted", "first seen",
           "last seen", "views", "subscribers", "text/html", "snapshot", "Not Found", "dashboard", "queue",
           "illegal", "lawful", "negated", "denied", "overseas", "text", "ECE", "baseline"]
# Codes whose words, spaced, are Indonesian themselves: a public source's id is its organisation's name
# ("kementerian_bumn"), and "job order" is the term Indonesian placement rules use (the model's own label
# "Ada job order / SIP2MI"). Their raw codes are still caught.
INDONESIAN_AS_SPACED = set(CITATIONS) | {"job_order"}
SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
# A model's reason as it names it (`fact=visa:visit`, `pay_monthly_juta=>=50`) or a bare fact key (`visa:visit`).
FEATURE_CODE = re.compile(r"\b[a-z_]+=\S+|\b[a-z_]+:[a-z_]+\b")


def untranslated(text: str) -> list[str]:
    """Codes, English words and ISO-8601 times in a page's visible text."""
    found = [m.group(0) for m in ISO_8601.finditer(text)]
    for code in CODES:
        for form in {code} if code in INDONESIAN_AS_SPACED else {code, code.replace("_", " ")}:
            found += [m.group(0) for m in re.finditer(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text, re.IGNORECASE)]
    for word in ENGLISH:
        found += [m.group(0) for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE)]
    words = [w for w in text.split() if "/" not in w and "@" not in w and "." not in w]  # paths are not words
    found += [m.group(0) for w in words for m in SNAKE_CASE.finditer(w)]
    found += [m.group(0) for w in words for m in FEATURE_CODE.finditer(w)]
    return found


def test_the_checker_catches_what_the_newcomer_saw() -> None:
    seen = ("recall TPPO · macro-F1 · FPR iklan wajar · dilatih 2026-12-01T21:04:36+00:00 · Tangkapan #1 · "
            "2026-12-01T21:56:57+00:00 · online_scam_job job_type · chat_only_contact · phone · online scam job")
    assert set(untranslated(seen)) == {"2026-12-01T21:04:36+00:00", "2026-12-01T21:56:57+00:00", "recall",
                                       "macro-F1", "FPR", "online_scam_job", "job_type", "chat_only_contact",
                                       "phone", "online scam job", "scam"}
    assert untranslated("dilatih 2 Des 2026 04.04 WIB · TPPO yang tertangkap 92% · Nomor telepon · "
                        "file:///tmp/telegram_loker_batam.html") == []
    model_codes = "+ fact=visa:visit · − visa:work · pay_monthly_juta=>=50 · contradicted · Sumber: uu18_2017 · text"
    # `fact` is caught on its own too: it is rules-0's category of fact rules, a code in its own right.
    assert set(untranslated(model_codes)) == {"fact=visa:visit", "fact", "visa:visit", "visa:work",
                                              "pay_monthly_juta=>=50", "pay_monthly_juta", "contradicted",
                                              "uu18_2017", "text"}
    assert untranslated("+ Berangkat dengan visa turis · bertentangan · Sumber: UU 18/2017 (Republik Indonesia) · "
                        "Kata-kata iklan · Skor gabungan 0,79 · Selisih kalibrasi 0,09 · Ada job order / SIP2MI · "
                        "Peringatan rekrutmen palsu atas nama BUMN (Kementerian BUMN)") == []
    assert set(untranslated("Syarat: job_order · Sumber: kementerian_bumn")) == {"job_order", "kementerian_bumn"}


@pytest.fixture(scope="module")
def trained_desk(tmp_path_factory: pytest.TempPathFactory, small_model: Path) -> Iterator[LiveDesk]:
    with serve_desk(tmp_path_factory.mktemp("trained-desk"), model=small_model) as desk:
        yield desk


class Reader:
    """Opens pages and collects what each says that is not Bahasa Indonesia."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page  # the reader moves on to the next user's page
        self.base = base
        self.read = 0
        self.problems: dict[str, list[str]] = {}

    def check(self, name: str) -> str:
        text = visible_text(self.page)
        self.read += 1
        if found := untranslated(text):
            self.problems[name] = sorted(set(found))
        return text

    def open(self, path: str) -> str:
        self.page.goto(f"{self.base}{path}")
        return self.check(path)


def ringkasan_of(page: Page) -> str:
    """The summary inside the case package the lead page hands out."""
    with page.expect_download() as download:
        page.click("#download-package")
    with zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes())) as package:
        return package.read("ringkasan.html").decode("utf-8")


def test_every_desk_page_and_the_police_summary_are_in_bahasa_indonesia(
        browser: Browser, trained_desk: LiveDesk) -> None:
    desk = trained_desk
    with desk.store.session_factory() as session:
        ads = list(session.scalars(select(Ad).order_by(Ad.id)))
        hits = {ad_id: score.indicators for ad_id, score in latest_scores(session, [a.id for a in ads]).items()}
    assert {hit["name"] for ids in hits.values() for hit in ids} - {rule.name for rule in RULES}, \
        "the trained model's catalogue indicators should reach the pages"

    context = browser.new_context()
    reader = Reader(context.new_page(), desk.url)
    reader.open("/desk/masuk")
    reader.page.fill("input[name=username]", "demo")
    reader.page.fill("input[name=password]", "bukan-kata-sandinya")
    reader.page.click("button[type=submit]")
    reader.check("log-in refused")
    context.close()

    context, page = log_in(browser, desk, "demo")
    reader.page = page
    queue = reader.open("/desk/antrean")
    assert LOCAL_TIME.search(queue)
    for option in page.locator("select[name=indikator] option").all()[1:]:
        assert option.inner_text() in {labels.indicator_label(n) for n in CODES}, option.inner_text()
    for ad in ads:  # every ad's page, with each of its red flags named and explained in Bahasa
        text = reader.open(f"/desk/iklan/{ad.id}")
        for hit in hits.get(ad.id, []):
            assert labels.indicator_label(hit["name"], hit.get("category")) in text, (ad.id, hit["name"])
    reader.open("/desk/antrean")
    chosen = [row.get_attribute("data-ad-id") for row in page.locator("#queue tr.row").all()[:2]]
    for ad_id, decision in zip(chosen, ("trafficking", "scam"), strict=True):
        page.goto(f"{desk.url}/desk/iklan/{ad_id}")
        page.click("text=Klaim iklan ini")
        reader.check("claimed")
        page.fill("textarea[name=note]", "Nomor sama dengan laporan masyarakat.")
        page.click(f"button.decide-{decision}")
        reader.check("decided")
    reader.open(f"/desk/iklan/{chosen[0]}")
    for days in (7, 14, 30):
        dashboard = reader.open(f"/desk/dasbor?hari={days}")
        # The small model was tested on unseen writers only (its plan holds no real ads): no empty section.
        assert "Pada penulis yang tidak pernah dilihat model" in dashboard and "Pada iklan nyata" not in dashboard
        assert "Skor gabungan" in dashboard and "dilatih" in dashboard and LOCAL_TIME.search(dashboard)
    reader.open("/desk/iklan/999999")
    reader.open("/desk/halaman-yang-tidak-ada")
    context.close()

    context, page = log_in(browser, desk, "demo-supervisor")
    reader.page = page
    reader.open("/desk/lead")
    for ad_id in chosen:
        page.check(f"#ad-{ad_id}")
    page.fill("input[name=unit]", DEMO_UNIT)
    page.fill("input[name=title]", "Perekrut admin daring Kamboja")
    page.click("#lead-form button[type=submit]")
    expect(page.locator(".flash-ok")).to_contain_text("Lead dibuat")
    reader.check("lead")
    summary = ringkasan_of(page)
    page.set_content(summary)
    police_summary = reader.check("ringkasan.html")
    assert len(LOCAL_TIME.findall(police_summary)) >= 5
    chosen_hits = [hit for ad_id in chosen for hit in hits.get(int(ad_id or 0), [])]
    assert chosen_hits and all(labels.indicator_label(h["name"], h.get("category")) in police_summary
                               for h in chosen_hits)
    lead_url = page.url
    context.close()

    context, page = log_in(browser, desk, "demo-polisi")
    reader.page = page
    reader.open("/desk/lead")
    reader.open(lead_url.removeprefix(desk.url))
    reader.open("/desk/antrean")  # not for police: the refusal is in Bahasa too
    context.close()

    assert reader.read >= len(ads) + 15
    assert not reader.problems, json.dumps(reader.problems, ensure_ascii=False, indent=1)
