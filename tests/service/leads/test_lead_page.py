"""The lead page tells a police unit how to check a package with standard tools, publishes the installation's
public key, and lists every download with its own SHA-256 (issue #10, issue #13); reading it writes nothing
but the audit record: the key is made by the first package, a POST (issue #12's rule)."""

from __future__ import annotations

import hashlib
import io
import re
import stat
import zipfile
from pathlib import Path

from sqlalchemy import func, select

from service.auth.roles import Role
from service.leads.package_format import PUBLIC_KEY_FILE
from service.leads.signing import load_or_create_signer
from service.store.tables import AuditEntry, LeadExport, ScoreRow
from tests.service.desk import Desk
from tests.service.leads.packages import create_test_lead, seed_lead_data

HTML = {"accept": "text/html"}
OPENSSL_STEP = ("openssl pkeyutl -verify -pubin -inkey lokerwatch-pub.pem -rawin -in manifest.json -sigfile "
                "manifest.json.sig")


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def _download(desk: Desk, lead_id: int, who: Role) -> bytes:
    headers = {**HTML, **desk.headers(who)}
    page = desk.client.get(f"/desk/lead/{lead_id}", headers=headers)
    response = desk.client.post(f"/desk/lead/{lead_id}/paket", data={"csrf_token": _csrf(page.text)}, headers=headers)
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip", response.text
    return response.content


def test_the_lead_page_shows_the_checks_the_key_and_every_download(desk: Desk, fixtures_dir: Path) -> None:
    lead_id = create_test_lead(desk.store, seed_lead_data(desk.store, fixtures_dir))
    signer = load_or_create_signer(desk.settings.signing_key_path)
    packages = [_download(desk, lead_id, Role.SUPERVISOR), _download(desk, lead_id, Role.POLICE)]
    assert packages[0] != packages[1]

    page = desk.client.get(f"/desk/lead/{lead_id}", headers={**HTML, **desk.headers(Role.POLICE)}).text
    assert "lokerwatch lead verify" not in page  # a tool police units do not have
    assert OPENSSL_STEP in page and "sha256sum -c SHA256SUMS" in page and "sha256sum lokerwatch-pub.pem" in page
    assert "Setiap unduhan adalah paket baru" in page
    assert f'id="key-fingerprint">{signer.fingerprint}<' in page
    for package in packages:  # each download listed with its own SHA-256, not only the latest
        assert hashlib.sha256(package).hexdigest() in page
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            assert archive.read(PUBLIC_KEY_FILE) == signer.public_pem
    assert "Riwayat unduhan (2×)" in page

    leads = desk.client.get("/desk/lead", headers={**HTML, **desk.headers(Role.SUPERVISOR)}).text
    assert signer.fingerprint in leads and 'href="/desk/kunci-publik.pem"' in leads


def test_reading_leads_and_the_key_writes_nothing_and_the_first_package_makes_the_key(
        desk: Desk, fixtures_dir: Path) -> None:
    lead_id = create_test_lead(desk.store, seed_lead_data(desk.store, fixtures_dir))
    key_path = desk.settings.signing_key_path
    for role in (Role.SUPERVISOR, Role.POLICE):
        headers = {**HTML, **desk.headers(role)}
        for url in ("/desk/lead", f"/desk/lead/{lead_id}"):
            page = desk.client.get(url, headers=headers)
            assert page.status_code == 200 and 'id="key-missing"' in page.text, url
        for url in ("/desk/kunci-publik.pem", "/leads/public-key"):
            assert desk.client.get(url, headers=desk.headers(role)).status_code == 404, url
        assert desk.client.get(f"/leads/{lead_id}/package", headers=desk.headers(role)).status_code == 405
    assert not key_path.exists()
    with desk.store.session_factory() as session:
        assert session.scalars(select(LeadExport)).first() is None
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "lead.export")) == 0

    package = _download(desk, lead_id, Role.SUPERVISOR)  # the POST that builds the first package makes the key
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    signer = load_or_create_signer(key_path)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert archive.read(PUBLIC_KEY_FILE) == signer.public_pem
    shown = desk.client.get(f"/desk/lead/{lead_id}", headers={**HTML, **desk.headers(Role.POLICE)}).text
    assert f'id="key-fingerprint">{signer.fingerprint}<' in shown and 'id="key-missing"' not in shown


def test_the_public_key_is_published_to_supervisors_and_police_only(desk: Desk) -> None:
    published = load_or_create_signer(desk.settings.signing_key_path).public_pem
    for role in (Role.SUPERVISOR, Role.POLICE):
        for url in ("/desk/kunci-publik.pem", "/leads/public-key"):
            response = desk.client.get(url, headers=desk.headers(role))
            assert response.status_code == 200 and response.content == published, (role, url)
            assert PUBLIC_KEY_FILE in response.headers["content-disposition"]
    for role in (Role.ANALYST, Role.RESEARCHER):
        assert desk.client.get("/leads/public-key", headers=desk.headers(role)).status_code == 403


def test_the_summary_names_the_modus_the_model_gave(desk: Desk, fixtures_dir: Path) -> None:
    seeded = seed_lead_data(desk.store, fixtures_dir)
    with desk.store.session_factory() as session:
        score = session.query(ScoreRow).filter_by(ad_id=seeded["trafficking"]).one()
        score.modus, score.modus_probability = "online_scam_compound", 0.9
        session.commit()
    package = _download(desk, create_test_lead(desk.store, seeded), Role.SUPERVISOR)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        summary = archive.read("ringkasan.html").decode("utf-8")
    assert "Modus (menurut model)" in summary and "Kompleks penipuan daring" in summary
    assert "online_scam_compound" not in summary
