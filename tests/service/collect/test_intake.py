"""Manual intake: pasted text, and URLs fetched only from configured source hosts (SSRF refused at every hop)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from service.auth.roles import Role
from service.collect.url_guard import UrlRefused, check_resolution, check_url
from service.settings import Settings
from service.store.tables import Ad, AdSnapshot, Snapshot
from tests.scraper.fault_server import FaultServer, Reply, running_server
from tests.service.desk import Desk

ALLOWED = ["olx.co.id", "t.me"]
REFUSED = [
    "http://127.0.0.1/admin", "http://[::1]/", "http://localhost:8000/metrics", "http://api.localhost/",
    "http://2130706433/", "http://0x7f.1/", "http://127.1/", "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/", "file:///etc/passwd", "gopher://olx.co.id/", "ftp://olx.co.id/x",
    "http://user:pw@olx.co.id/", "http://olx.co.id.evil.example/", "http://evilolx.co.id/", "http://olx.co.id:8080/",
    "javascript:alert(1)", "//olx.co.id/relative", "http:///no-host", "https://metadata.google.internal/",
]
AD_PAGE = ("<html><head><title>Lowongan Admin Online Kamboja</title></head><body><p>Dicari admin online, "
           "kerja di Kamboja, visa turis, gaji 15 juta, paspor dipegang agensi. WA 0812-3456-7890</p></body></html>")


def _counts(desk: Desk) -> tuple[int, int]:
    with desk.store.session_factory() as session:
        return (session.scalar(select(func.count()).select_from(Ad)) or 0,
                session.scalar(select(func.count()).select_from(Snapshot)) or 0)


@pytest.mark.parametrize("url", REFUSED)
def test_urls_outside_the_allow_list_are_refused_before_any_request(url: str) -> None:
    with pytest.raises(UrlRefused):
        check_url(url, ALLOWED)


def test_configured_hosts_and_their_subdomains_are_allowed() -> None:
    assert check_url("https://www.olx.co.id/item/loker-jepang-iid-1", ALLOWED) == "www.olx.co.id"
    assert check_url("https://t.me/s/lokerkalbar", ALLOWED) == "t.me"
    assert check_url("https://t.me:443/s/x", ALLOWED) == "t.me"
    assert check_url("http://mirror.test:8081/x", ["mirror.test:8081"]) == "mirror.test"


def test_an_allowed_name_that_resolves_to_an_internal_address_is_refused() -> None:
    name = socket.gethostname()
    if not all(str(info[4][0]).startswith("127.") for info in socket.getaddrinfo(name, 80)):
        pytest.skip(f"{name} does not resolve to loopback on this machine")
    with pytest.raises(UrlRefused, match="internal address"):
        asyncio.run(check_resolution(name, 80, allow_private=False))


@pytest.fixture
def page_server() -> Iterator[FaultServer]:
    with running_server() as server:
        server.route("/robots.txt", Reply(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"}))
        server.route("/iklan/42", Reply(200, AD_PAGE.encode(), {"Content-Type": "text/html; charset=utf-8"}))
        yield server


def _local_settings(desk: Desk, server: FaultServer) -> tuple[Settings, str]:
    """Intake allowed to reach the test server by this machine's host name (it resolves to loopback)."""
    name = socket.gethostname()
    port = server.base_url.rsplit(":", 1)[1]
    settings = desk.settings.model_copy(update={"intake_source_hosts": [f"{name}:{port}"],
                                                "intake_allow_private_addresses": True})
    desk.app.state.settings = settings
    return settings, f"http://{name}:{port}"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_url_on_an_allowed_host_is_fetched_kept_as_evidence_scored_and_queued(desk: Desk,
                                                                                page_server: FaultServer) -> None:
    _, base = _local_settings(desk, page_server)
    response = desk.client.post("/intake/url", json={"url": f"{base}/iklan/42"}, headers=desk.headers(Role.ANALYST))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["outcome"] == "new" and body["risk"] is not None and body["snapshot_id"]
    with desk.store.session_factory() as session:
        ad = session.get(Ad, body["ad_id"])
        link = session.get(AdSnapshot, (body["ad_id"], body["snapshot_id"]))
    assert ad is not None and "Kamboja" in ad.text and ad.title == "Lowongan Admin Online Kamboja"
    assert link is not None


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_redirect_off_the_list_is_refused_at_that_hop(desk: Desk, page_server: FaultServer) -> None:
    _, base = _local_settings(desk, page_server)
    page_server.route("/pindah-meta", Reply(302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"}))
    page_server.route("/pindah-lokal", Reply(302, b"", {"Location": f"{page_server.base_url}/iklan/42"}))
    for path in ("/pindah-meta", "/pindah-lokal"):
        response = desk.client.post("/intake/url", json={"url": f"{base}{path}"}, headers=desk.headers(Role.ANALYST))
        assert response.status_code == 403, response.text  # refused by policy (issue 13: not a 422)
        assert "not fetched" in response.json()["detail"] or "source host" in response.json()["detail"]
    assert page_server.requests_to("/iklan/42") == []
    assert _counts(desk) == (0, 0)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_intake_api_refuses_internal_urls_and_stores_nothing(desk: Desk) -> None:
    for url in ("http://127.0.0.1:8000/metrics", "http://localhost/", "http://169.254.169.254/", "file:///etc/passwd"):
        response = desk.client.post("/intake/url", json={"url": url}, headers=desk.headers(Role.ANALYST))
        assert response.status_code == 403, url
        assert response.json()["detail"]
    assert _counts(desk) == (0, 0)


def test_pasted_text_becomes_a_scored_ad_once(desk: Desk) -> None:
    payload = {"text": "Dicari wanita 18-25 kerja di Malaysia, visa turis, paspor ditahan agensi", "title": "LOKER"}
    first = desk.client.post("/intake/text", json=payload, headers=desk.headers(Role.ANALYST))
    assert first.status_code == 201, first.text
    again = desk.client.post("/intake/text", json=payload, headers=desk.headers(Role.ANALYST))
    assert again.json()["ad_id"] == first.json()["ad_id"] and again.json()["outcome"] == "unchanged"
    assert _counts(desk)[0] == 1


def test_bad_intake_payloads_are_422_with_a_message(desk: Desk) -> None:
    for payload in ({}, {"text": ""}, {"text": "x", "source": "Bad Source!"}, {"text": "x", "unknown": 1},
                    {"text": "x" * 100_001}):
        response = desk.client.post("/intake/text", json=payload, headers=desk.headers(Role.ANALYST))
        assert response.status_code == 422, payload
        assert response.json()["detail"]
    assert _counts(desk) == (0, 0)


def test_analysts_pasting_at_the_same_time_all_get_their_ad_stored(desk: Desk) -> None:
    """Eight analysts paste ads at once: every paste is stored once (SQLite serialises them; none is refused)."""
    def paste(n: int) -> int:
        payload = {"text": f"Loker {n}: kerja di Malaysia, visa turis, paspor ditahan agensi, WA 0812-1111-{n:04d}"}
        return desk.client.post("/intake/text", json=payload, headers=desk.headers(Role.ANALYST)).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(paste, range(32)))
    assert statuses == [201] * 32, statuses
    assert _counts(desk)[0] == 32
