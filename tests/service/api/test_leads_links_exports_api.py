"""The 5b endpoints through the real API: roles, police units, packages, exports, related ads, audit."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from model.labelled import parse_labelled_record
from service.api.app import create_app
from service.auth.tokens import issue_access_token
from service.auth.users import Principal, add_user, principal_of
from service.leads.signing import installation_public_key
from service.leads.verify import verify_package
from service.links.linking import link_pending
from service.settings import Settings
from service.store.session import Store
from service.store.tables import AuditEntry, LeadExport, ResearchExport
from tests.service.desk import PASSWORD, make_users
from tests.service.lead_data import add_ad, decide, store_real_page

KAMBOJA = "Dicari admin CS online penempatan Kamboja, visa turis diurus agen, gaji 15 juta. WA 0812-3456-7890"
REPOST = "Lowongan admin ke Kamboja: visa turis diurus, gaji 15jt. Hubungi 08l2 3456 789O"


@dataclass
class Api:
    """The running API with one user per role (the desk tests' users) and their bearer headers."""

    client: TestClient
    settings: Settings
    store: Store
    users: dict[str, Principal]

    def headers(self, who: str) -> dict[str, str]:
        user = self.users[who]
        token, _ = issue_access_token(self.settings, user.id, user.role.value)
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def api(settings: Settings, store: Store) -> Iterator[Api]:
    with store.session_factory() as session:
        users = make_users(session)
    with TestClient(create_app(settings, store)) as client:
        yield Api(client, settings, store, users)


def _seed(api: Api, fixtures_dir: Path) -> dict[str, int]:
    with api.store.session_factory() as session, session.begin():
        snapshot = store_real_page(session, fixtures_dir / "telegram/any2feed_full.html",
                                   "https://t.me/s/lokerkerja")
        first = add_ad(session, "a1", KAMBOJA, snapshot)
        second = add_ad(session, "a2", REPOST, snapshot, source="facebook")
        benign = add_ad(session, "a3", "Kasir toko roti di Singkawang, gaji UMK", snapshot, source="olx")
        decide(session, first, "trafficking", "visa turis")
        decide(session, second, "scam")
        decide(session, benign, "benign")
        ids = {"first": first.id, "second": second.id, "benign": benign.id}
    link_pending(api.store.session_factory, api.settings.near_duplicate_threshold)  # as scoring does after storing
    return ids


def _other_unit_headers(api: Api) -> dict[str, str]:
    with api.store.session_factory() as session:
        other = principal_of(add_user(session, "polisi-ptk", PASSWORD, "police", "PPA Polres Pontianak"))
        session.commit()
    token, _ = issue_access_token(api.settings, other.id, "police")
    return {"Authorization": f"Bearer {token}"}


def _create_lead(api: Api, ids: dict[str, int]) -> int:
    response = api.client.post("/leads", headers=api.headers("supervisor"), json={
        "unit": "PPA Polres Singkawang", "ad_ids": [ids["first"], ids["second"]], "title": "Jaringan Kamboja"})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_supervisor_creates_a_lead_that_only_its_units_police_can_read_and_update(
        api: Api, fixtures_dir: Path, tmp_path: Path) -> None:
    ids = _seed(api, fixtures_dir)
    lead_id = _create_lead(api, ids)
    police, other = api.headers("police"), _other_unit_headers(api)

    assert [lead["id"] for lead in api.client.get("/leads", headers=police).json()["items"]] == [lead_id]
    assert api.client.get("/leads", headers=other).json()["items"] == []
    for method, url, body in (("get", f"/leads/{lead_id}", None), ("post", f"/leads/{lead_id}/package", None),
                              ("post", f"/leads/{lead_id}/status", {"status": "received", "note": ""})):
        refused = api.client.request(method, url, headers=other, json=body)
        assert refused.status_code == 403 and "another unit" in refused.json()["detail"]

    assert api.client.get(f"/leads/{lead_id}/package", headers=police).status_code == 405  # a read never exports
    with api.store.session_factory() as session:
        assert session.scalars(select(LeadExport)).first() is None
    package = api.client.post(f"/leads/{lead_id}/package", headers=police)
    assert package.status_code == 200 and package.headers["content-type"] == "application/zip"
    path = tmp_path / "paket.zip"
    path.write_bytes(package.content)
    report = verify_package(path, installation_public_key(api.settings.signing_key_path))
    assert report.ok and report.package_sha256 == package.headers["x-package-sha256"]

    updated = api.client.post(f"/leads/{lead_id}/status", headers=police,
                               json={"status": "in_progress", "note": "penyelidikan dimulai"})
    assert updated.status_code == 200
    assert [(e["status"], e["actor"]) for e in updated.json()["history"]] == [("new", "sari"),
                                                                              ("in_progress", "polisi")]
    assert api.client.post(f"/leads/{lead_id}/status", headers=police,
                            json={"status": "received"}).status_code == 409
    with api.store.session_factory() as session:
        actions = [(e.action, e.actor) for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert ("lead.create", "sari") in actions and ("lead.export", "polisi") in actions
    assert ("lead.status", "polisi") in actions


def test_a_lead_refuses_unconfirmed_ads_and_roles_other_than_supervisor(api: Api, fixtures_dir: Path) -> None:
    ids = _seed(api, fixtures_dir)
    body = {"unit": "PPA Polres Singkawang", "ad_ids": [ids["first"], ids["benign"]]}
    refused = api.client.post("/leads", headers=api.headers("supervisor"), json=body)
    assert refused.status_code == 409 and f"{ids['benign']} (benign)" in refused.json()["detail"]
    for role in ("analyst", "police", "researcher", "admin"):
        assert api.client.post("/leads", headers=api.headers(role), json=body).status_code == 403
    assert api.client.get("/leads", headers=api.headers("researcher")).status_code == 403
    assert api.client.post("/leads", headers=api.headers("supervisor"),
                            json={"unit": "", "ad_ids": []}).status_code == 422


def test_researchers_get_a_pseudonymised_export_and_nobody_else_does(api: Api, fixtures_dir: Path) -> None:
    _seed(api, fixtures_dir)
    assert api.client.get("/exports/labelled", headers=api.headers("researcher")).status_code == 405  # reads only
    with api.store.session_factory() as session:
        assert session.scalars(select(ResearchExport)).first() is None
    response = api.client.post("/exports/labelled", headers=api.headers("researcher"))
    assert response.status_code == 200, response.text
    records = [parse_labelled_record(json.loads(line), "export") for line in io.StringIO(response.text)]
    assert {r.label for r in records} == {"trafficking", "scam", "legit"}
    tokens = {token for r in records if "Kamboja" in r.text for token in re.findall(r"\[phone:[a-p]{16}\]", r.text)}
    assert len(tokens) == 1  # `0812-3456-7890` and `08l2 3456 789O` are one number, one token
    assert "0812" not in response.text and "08l2" not in response.text
    for role in ("analyst", "supervisor", "police", "admin"):
        assert api.client.post("/exports/labelled", headers=api.headers(role)).status_code == 403
    with api.store.session_factory() as session:
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "export.labelled")).one().actor == "riset"


def test_related_ads_and_clusters_are_for_the_desk_and_audited(api: Api, fixtures_dir: Path) -> None:
    ids = _seed(api, fixtures_dir)
    response = api.client.get(f"/ads/{ids['first']}/related", headers=api.headers("analyst"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert [ad["id"] for ad in body["related"]] == [ids["second"]]
    assert body["related"][0]["reasons"] == [{"kind": "phone", "value": "+6281234567890", "similarity": None}]
    assert body["pending_links"] == 0
    cluster = api.client.get(f"/clusters/{body['cluster_id']}", headers=api.headers("supervisor")).json()
    assert {ad["id"] for ad in cluster["ads"]} == {ids["first"], ids["second"]}
    assert {e["event"] for e in cluster["timeline"]} >= {"first_seen", "seen", "decision"}
    for role in ("police", "researcher", "admin"):
        assert api.client.get(f"/ads/{ids['first']}/related", headers=api.headers(role)).status_code == 403
        assert api.client.get(f"/clusters/{body['cluster_id']}", headers=api.headers(role)).status_code == 403
    assert api.client.get("/ads/999999/related", headers=api.headers("analyst")).status_code == 404
    assert api.client.get("/clusters/999999", headers=api.headers("analyst")).status_code == 404
    with api.store.session_factory() as session:
        actions = {e.action for e in session.scalars(select(AuditEntry))}
        assert {"ad.related.read", "cluster.read"} <= actions
