"""The desk's pages without a browser: CSRF refusals, escaping of hostile ads, the sanitised snapshot, roles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from model.rule_scorer import RuleScorer
from scraper.records import JobPost, RawPage
from service.api.app import create_app
from service.auth.users import add_user
from service.demo.setup import DEMO_PAGES, import_demo_pages, shift_dates
from service.review.queue_sync import sync_queue
from service.review.snapshot_text import render_snapshot
from service.scoring.score import score_unscored
from service.scoring.threshold import review_threshold
from service.settings import Settings
from service.store.ads import upsert_job_post
from service.store.evidence import store_snapshot
from service.store.session import Store
from service.store.tables import Ad, Review, Snapshot
from service.web import charts
from service.web.explain import highlight

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
PASSWORD = "kata-sandi-yang-panjang"
HTML = {"accept": "text/html"}
HOSTILE_TEXT = ("Kerja Kamboja gaji 20jt, visa turis diurus, tiket ditanggung. <script>alert('ad')</script>"
                "<img src=x onerror=alert('img')> WA 0812-7788-1201")
HOSTILE_PAGE = (b"<html><head><script>window.stolen = document.cookie</script><style>body{display:none}</style>"
                b"<link rel=stylesheet href=https://evil.example/x.css></head><body>"
                b"<div class='tgme_widget_message_text'>Loker admin Kamboja <b>gaji 20jt</b></div>"
                b"<iframe src='https://evil.example/frame'></iframe><img src='https://evil.example/pixel.gif'>"
                b"<a href=\"javascript:alert('link')\">klik</a><script src='https://evil.example/x.js'></script>"
                b"</body></html>")


@dataclass
class Desk:
    client: TestClient
    store: Store
    ad_id: int


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def log_in(client: TestClient, username: str) -> None:
    token = csrf_of(client.get("/desk/masuk", headers=HTML).text)
    response = client.post("/desk/masuk", data={"username": username, "password": PASSWORD, "csrf_token": token},
                           headers=HTML, follow_redirects=False)
    assert response.status_code == 303, response.text


@pytest.fixture
def desk(settings: Settings, store: Store, tmp_path: Path) -> Iterator[Desk]:
    settings = settings.model_copy(update={"audit_head_path": tmp_path / "audit-head.log", "review_threshold": 0.3})
    with store.session_factory() as session:
        add_user(session, "ana", PASSWORD, "analyst")
        add_user(session, "polisi", PASSWORD, "police", "PPA Polres Singkawang")
        add_user(session, "budi", PASSWORD, "analyst")
        page = RawPage(url="https://t.me/s/lokerhostile", final_url="https://t.me/s/lokerhostile", status=200,
                       headers={"content-type": "text/html; charset=utf-8"}, body=HOSTILE_PAGE,
                       fetched_at=datetime(2026, 11, 20, tzinfo=UTC), fetcher_version="test")
        snapshot = store_snapshot(session, page, "telegram:lokerhostile")
        upsert_job_post(session, JobPost(source="telegram", source_ad_id="lokerhostile/7", text=HOSTILE_TEXT,
                                         title="<b>LOKER</b> <script>alert('title')</script>"), snapshot.id)
        session.commit()
    score_unscored(store.session_factory, RuleScorer())
    with store.session_factory() as session:
        sync_queue(session, review_threshold(session, settings))
        ad_id = session.scalar(select(Ad.id).where(Ad.source_ad_id == "lokerhostile/7"))
    assert ad_id is not None
    with TestClient(create_app(settings, store), base_url="http://127.0.0.1") as client:
        yield Desk(client, store, ad_id)


@SQLITE
def test_login_sets_an_httponly_samesite_strict_session_cookie(desk: Desk) -> None:
    token = csrf_of(desk.client.get("/desk/masuk", headers=HTML).text)
    response = desk.client.post("/desk/masuk", data={"username": "ana", "password": PASSWORD, "csrf_token": token},
                                headers=HTML, follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("lw_session=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")


@SQLITE
def test_login_without_csrf_token_is_refused(desk: Desk) -> None:
    desk.client.get("/desk/masuk", headers=HTML)
    response = desk.client.post("/desk/masuk", data={"username": "ana", "password": PASSWORD}, headers=HTML,
                                follow_redirects=False)
    assert response.status_code == 403
    assert "lw_session" not in response.headers.get("set-cookie", "")


@SQLITE
def test_decision_without_or_with_a_forged_csrf_token_is_refused_and_not_recorded(desk: Desk) -> None:
    log_in(desk.client, "ana")
    for data in ({"decision": "benign"}, {"decision": "benign", "csrf_token": "0" * 64}):
        response = desk.client.post(f"/desk/iklan/{desk.ad_id}/keputusan", data=data, headers=HTML,
                                    follow_redirects=False)
        assert response.status_code == 403
    with desk.store.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Review)) == 0
    token = csrf_of(desk.client.get(f"/desk/iklan/{desk.ad_id}", headers=HTML).text)
    response = desk.client.post(f"/desk/iklan/{desk.ad_id}/keputusan", data={"decision": "scam", "csrf_token": token},
                                headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    with desk.store.session_factory() as session:
        assert [r.decision for r in session.scalars(select(Review))] == ["scam"]


@SQLITE
def test_next_ad_is_claimed_and_another_analyst_cannot_decide_it(desk: Desk) -> None:
    log_in(desk.client, "ana")
    token = csrf_of(desk.client.get("/desk/antrean", headers=HTML).text)
    response = desk.client.post("/desk/antrean/ambil", data={"csrf_token": token}, headers=HTML,
                                follow_redirects=False)
    assert response.headers["location"] == f"/desk/iklan/{desk.ad_id}?pesan=diklaim"
    assert "Diklaim <strong>Anda</strong>" in desk.client.get(f"/desk/iklan/{desk.ad_id}", headers=HTML).text
    with TestClient(desk.client.app, base_url="http://127.0.0.1") as other:
        log_in(other, "budi")
        page = other.get(f"/desk/iklan/{desk.ad_id}", headers=HTML).text
        assert "Diklaim <strong>ana</strong>" in page and 'id="decide-form"' not in page
        response = other.post(f"/desk/iklan/{desk.ad_id}/keputusan",
                              data={"decision": "benign", "csrf_token": csrf_of(page)}, headers=HTML,
                              follow_redirects=False)
        assert response.headers["location"].endswith("pesan=diklaim-lain")
    with desk.store.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Review)) == 0


@SQLITE
def test_hostile_ad_text_is_escaped_on_queue_and_detail(desk: Desk) -> None:
    log_in(desk.client, "ana")
    for path in ("/desk/antrean", f"/desk/iklan/{desk.ad_id}"):
        page = desk.client.get(path, headers=HTML)
        assert page.status_code == 200
        assert "&lt;script&gt;alert(" in page.text
        assert "<script>alert" not in page.text
        assert "<img src=x" not in page.text and "<b>LOKER</b>" not in page.text
        assert page.headers["content-security-policy"].startswith("default-src 'self'")


@SQLITE
def test_snapshot_is_shown_as_text_only_without_scripts_frames_or_remote_loads(desk: Desk) -> None:
    with desk.store.session_factory() as session:
        snapshot = session.scalars(select(Snapshot)).one()
        safe = render_snapshot(snapshot)
    assert "Loker admin Kamboja gaji 20jt" in safe.text
    assert "document.cookie" not in safe.text and "display:none" not in safe.text
    assert "javascript:alert('link')" in safe.links  # listed as inert text for the analyst
    log_in(desk.client, "ana")
    page = desk.client.get(f"/desk/iklan/{desk.ad_id}", headers=HTML).text
    assert "Loker admin Kamboja gaji 20jt" in page
    for forbidden in ("<iframe", "evil.example/pixel.gif'", "document.cookie", 'href="javascript:',
                      "evil.example/x.js'"):
        assert forbidden not in page
    assert set(re.findall(r'<script src="([^"]+)"', page)) == {"/desk/static/desk.js"}


@SQLITE
def test_unauthenticated_browser_goes_to_login_and_scripts_get_401(desk: Desk) -> None:
    response = desk.client.get("/desk/antrean", headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/desk/masuk?next=/desk/antrean"
    assert desk.client.get("/desk/antrean", follow_redirects=False).status_code == 401


@SQLITE
def test_police_cannot_open_the_queue_or_an_ad(desk: Desk) -> None:
    log_in(desk.client, "polisi")
    assert desk.client.get("/desk/antrean", headers=HTML).status_code == 403
    assert desk.client.get(f"/desk/iklan/{desk.ad_id}", headers=HTML).status_code == 403
    assert desk.client.get("/desk/lead", headers=HTML).status_code == 200


@SQLITE
def test_login_never_redirects_to_another_site(desk: Desk) -> None:
    token = csrf_of(desk.client.get("/desk/masuk", headers=HTML).text)
    for target in ("https://evil.example/desk/", "//evil.example/desk/antrean", "/desk\\@evil.example"):
        response = desk.client.post("/desk/masuk", data={"username": "ana", "password": PASSWORD,
                                                         "csrf_token": token, "next": target},
                                    headers=HTML, follow_redirects=False)
        assert response.headers["location"] == "/desk/antrean"


@SQLITE
def test_dashboard_draws_svg_charts(desk: Desk) -> None:
    log_in(desk.client, "ana")
    page = desk.client.get("/desk/dasbor", headers=HTML)
    assert page.status_code == 200
    assert page.text.count('<svg class="chart"') >= 4


def test_overlapping_indicator_spans_each_keep_their_words() -> None:
    text = "visa turis diurus"
    segments = highlight(text, [{"name": "visit_visa", "start": 0, "end": 10, "text": "visa turis"},
                                {"name": "passport_arranged", "start": 5, "end": 17, "text": "turis diurus"},
                                {"name": "stale", "start": 0, "end": 4, "text": "paspor"}])
    assert "".join(s.text for s in segments) == text
    assert [(s.text, s.names) for s in segments] == [
        ("visa ", ("visit_visa",)), ("turis", ("passport_arranged", "visit_visa")), (" diurus", ("passport_arranged",))]


def test_chart_labels_are_escaped() -> None:
    svg = charts.horizontal_bars("<x>", {"<script>alert(1)</script>": 3})
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_demo_dates_move_forward_by_whole_days() -> None:
    page = '<time datetime="2026-11-23T03:25:00+00:00" class="time">'
    chat = "[24/11/26 07.45.13] Bang Rudi: halo"
    assert shift_dates(page, 3) == '<time datetime="2026-11-26T03:25:00+00:00" class="time">'
    assert shift_dates(chat, 8) == "[02/12/26 07.45.13] Bang Rudi: halo"
    assert date(2026, 12, 2).strftime("%d/%m/%y") == "02/12/26"


def test_quickstart_gives_a_fresh_checkout_its_own_keys_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from service.demo.quickstart import GENERATED_KEYS, ensure_local_secrets

    for key in GENERATED_KEYS:
        monkeypatch.delenv(key, raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text("LOKERWATCH_LOG_LEVEL=DEBUG", encoding="utf-8")
    quiet = Console(file=open(tmp_path / "out.txt", "w"))  # noqa: SIM115
    assert ensure_local_secrets(env_file, quiet) == list(GENERATED_KEYS)
    first = env_file.read_text(encoding="utf-8")
    assert first.startswith("LOKERWATCH_LOG_LEVEL=DEBUG\n")
    keys = dict(line.split("=", 1) for line in first.splitlines() if line.startswith("LOKERWATCH_") and "=" in line)
    assert len(keys["LOKERWATCH_SECRET_KEY"]) >= 60
    assert keys["LOKERWATCH_SECRET_KEY"] != keys["LOKERWATCH_PSEUDONYM_KEY"]
    assert ensure_local_secrets(env_file, quiet) == []
    assert env_file.read_text(encoding="utf-8") == first


@SQLITE
def test_demo_pages_go_through_the_real_parsers_without_a_parse_error(store: Store, tmp_path: Path) -> None:
    summaries = import_demo_pages(store.session_factory, tmp_path / "pages", today=date(2026, 12, 1))
    assert [s.status for s in summaries] == ["ok"] * len(DEMO_PAGES)
    assert sum(s.new_ads for s in summaries) == 177 and sum(s.errors for s in summaries) == 0
    with store.session_factory() as session:
        sources = {row[0]: row[1] for row in session.execute(select(Ad.source, func.count()).group_by(Ad.source))}
        newest = session.scalar(select(func.max(Ad.posted_at)))
    assert sources == {"telegram": 90, "whatsapp": 87}
    assert newest is not None and newest.date() == date(2026, 12, 1)


@SQLITE
def test_queue_filters_by_day_and_source(desk: Desk) -> None:
    log_in(desk.client, "ana")
    row = f'data-ad-id="{desk.ad_id}"'
    assert row in desk.client.get("/desk/antrean?sejak=2000-01-01&sumber=telegram", headers=HTML).text
    assert row not in desk.client.get("/desk/antrean?sejak=2099-01-01", headers=HTML).text
    assert row not in desk.client.get("/desk/antrean?sumber=olx", headers=HTML).text
    assert desk.client.get("/desk/antrean?sejak=bukan-tanggal", headers=HTML).status_code == 422
    # The filter form as a browser submits it: every empty field is sent, and an empty one filters nothing.
    assert row in desk.client.get("/desk/antrean?sumber=&modus=&indikator=&wilayah=&status=&sejak=", headers=HTML).text
