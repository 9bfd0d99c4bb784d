"""The review queue over HTTP: order, filters, cursor pages, claims, decisions, reopening, counts, detail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from service.auth.roles import Role
from service.review.queue_sync import sync_queue
from service.scoring.threshold import review_threshold
from service.store.tables import AuditEntry, Review
from tests.service.desk import T0, Desk, add_scored_ad

ANALYST, SUPERVISOR = Role.ANALYST, Role.SUPERVISOR


def _seed(desk: Desk) -> dict[str, int]:
    with desk.store.session_factory() as session:
        ids = {
            "scam_high": add_scored_ad(session, "s1", "Kerja online, bayar deposit dulu", 0.9, 0.05, source="olx",
                                       location="Jakarta Barat", indicators=["deposit"], modus="deposit"),
            "traf_mid": add_scored_ad(session, "t1", "Kerja di Kamboja, visa turis, paspor ditahan", 0.1, 0.6,
                                      location="Singkawang, Kalbar", indicators=["visa_turis", "paspor_ditahan"],
                                      modus="online_scam_compound", seen=T0 + timedelta(days=3)),
            "traf_high": add_scored_ad(session, "t2", "Admin ke Myanmar, tiket ditanggung", 0.05, 0.9,
                                       location="Pontianak", indicators=["visa_turis"], seen=T0 + timedelta(days=5)),
            "scam_low": add_scored_ad(session, "s2", "Reseller, modal kecil", 0.4, 0.05),
            "benign": add_scored_ad(session, "b1", "Dicari kasir toko, BPJS", 0.05, 0.01),
        }
        session.commit()
        sync_queue(session, review_threshold(session, desk.settings))  # what scoring does after it stores scores
    return ids


def _queue(desk: Desk, **params: str | int | bool) -> dict[str, Any]:
    response = desk.client.get("/queue", params=params, headers=desk.headers(ANALYST))
    assert response.status_code == 200, response.text
    return response.json()


def test_queue_holds_ads_over_the_threshold_trafficking_first_then_by_risk(desk: Desk) -> None:
    ids = _seed(desk)
    items = _queue(desk)["items"]
    assert [i["ad_id"] for i in items] == [ids["traf_high"], ids["traf_mid"], ids["scam_high"]]
    assert items[0]["kind"] == "trafficking" and items[2]["kind"] == "scam"
    assert items[1]["indicators"] == ["paspor_ditahan", "visa_turis"]


def test_queue_filters_by_source_indicator_modus_region_and_date(desk: Desk) -> None:
    ids = _seed(desk)
    assert [i["ad_id"] for i in _queue(desk, source="olx")["items"]] == [ids["scam_high"]]
    assert [i["ad_id"] for i in _queue(desk, indicator="visa_turis")["items"]] == [ids["traf_high"], ids["traf_mid"]]
    assert [i["ad_id"] for i in _queue(desk, modus="deposit")["items"]] == [ids["scam_high"]]
    assert [i["ad_id"] for i in _queue(desk, region="kalbar")["items"]] == [ids["traf_mid"]]
    window = {"since": (T0 + timedelta(days=2)).isoformat(), "until": (T0 + timedelta(days=4)).isoformat()}
    assert [i["ad_id"] for i in _queue(desk, **window)["items"]] == [ids["traf_mid"]]
    assert _queue(desk, cluster_id=99)["items"] == []


def test_cursor_pages_cover_the_queue_once_in_order(desk: Desk) -> None:
    with desk.store.session_factory() as session:
        for number in range(23):
            add_scored_ad(session, f"ad-{number}", f"iklan {number}", 0.5 + (number % 5) / 10, 0.3 * (number % 2))
        session.commit()
        sync_queue(session, review_threshold(session, desk.settings))
    seen: list[int] = []
    cursor = None
    while True:
        page = _queue(desk, limit=5, **({"cursor": cursor} if cursor else {}))
        seen += [i["ad_id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    full = [i["ad_id"] for i in _queue(desk, limit=200)["items"]]
    assert seen == full and len(full) == 23 and len(set(full)) == 23


def test_a_bad_cursor_is_a_clear_404(desk: Desk) -> None:
    response = desk.client.get("/queue", params={"cursor": "bm90LWEtY3Vyc29y"}, headers=desk.headers(ANALYST))
    assert response.status_code == 404  # a cursor names a page; one the API never gave out names none
    assert "cursor" in response.json()["detail"]


def test_claimed_ad_cannot_be_claimed_or_decided_by_another_analyst(desk: Desk) -> None:
    ad = _seed(desk)["traf_high"]
    first = desk.client.post(f"/ads/{ad}/claim", headers=desk.headers(ANALYST))
    assert first.status_code == 200 and first.json()["username"] == "ana"
    second = desk.client.post(f"/ads/{ad}/claim", headers=desk.headers("analyst2"))
    assert second.status_code == 409 and "claimed by ana" in second.json()["detail"]
    decided = desk.client.post(f"/ads/{ad}/decisions", json={"decision": "benign"}, headers=desk.headers("analyst2"))
    assert decided.status_code == 409
    listed = {i["ad_id"]: i for i in _queue(desk)["items"]}
    assert listed[ad]["claim"]["username"] == "ana"
    assert ad not in [i["ad_id"] for i in _queue(desk, unclaimed=True)["items"]]


def test_an_expired_claim_can_be_taken_over(desk: Desk) -> None:
    from service.review.decisions import claim_ad
    from service.store.types import utc_now

    ad = _seed(desk)["traf_high"]
    with desk.store.session_factory() as session:
        sync_queue(session, review_threshold(session, desk.settings))
        claim_ad(session, desk.users["analyst"], ad, lease_seconds=10, now=utc_now() - timedelta(seconds=60))
    taken = desk.client.post(f"/ads/{ad}/claim", headers=desk.headers("analyst2"))
    assert taken.status_code == 200 and taken.json()["username"] == "budi"


def test_claim_next_takes_the_top_unclaimed_ad(desk: Desk) -> None:
    ids = _seed(desk)
    first = desk.client.post("/queue/claim-next", headers=desk.headers(ANALYST)).json()
    second = desk.client.post("/queue/claim-next", headers=desk.headers("analyst2")).json()
    assert (first["ad_id"], second["ad_id"]) == (ids["traf_high"], ids["traf_mid"])
    desk.client.post("/queue/claim-next", headers=desk.headers(SUPERVISOR))
    assert desk.client.post("/queue/claim-next", headers=desk.headers(SUPERVISOR)).status_code == 204


def test_decisions_are_appended_and_decided_ads_leave_the_queue(desk: Desk) -> None:
    ids = _seed(desk)
    ad = ids["traf_high"]
    desk.client.post(f"/ads/{ad}/claim", headers=desk.headers(ANALYST))
    need = desk.client.post(f"/ads/{ad}/decisions", json={"decision": "need_info", "note": "cek nomor WA"},
                            headers=desk.headers(ANALYST))
    assert need.status_code == 201
    assert ad in [i["ad_id"] for i in _queue(desk)["items"]]  # need_info stays in the queue
    final = desk.client.post(f"/ads/{ad}/decisions", json={"decision": "trafficking", "note": "pola TPPO"},
                             headers=desk.headers(ANALYST)).json()
    assert final["supersedes_id"] == need.json()["id"]
    assert ad not in [i["ad_id"] for i in _queue(desk)["items"]]
    detail = desk.client.get(f"/ads/{ad}", headers=desk.headers(ANALYST)).json()
    assert [r["decision"] for r in detail["reviews"]] == ["need_info", "trafficking"]
    assert detail["queue_status"] == "decided" and detail["claim"] is None


def test_a_supervisor_reopens_a_decided_ad(desk: Desk) -> None:
    ad = _seed(desk)["scam_high"]
    desk.client.post(f"/ads/{ad}/decisions", json={"decision": "benign"}, headers=desk.headers(ANALYST))
    assert ad not in [i["ad_id"] for i in _queue(desk)["items"]]
    assert desk.client.post(f"/ads/{ad}/reopen", json={"note": "x"}, headers=desk.headers(ANALYST)).status_code == 403
    reopened = desk.client.post(f"/ads/{ad}/reopen", json={"note": "nomor sama dengan iklan TPPO"},
                                headers=desk.headers(SUPERVISOR))
    assert reopened.status_code == 201 and reopened.json()["decision"] == "reopened"
    items = {i["ad_id"]: i for i in _queue(desk)["items"]}
    assert items[ad]["status"] == "reopened"
    again = desk.client.post(f"/ads/{ad}/reopen", json={"note": "lagi"}, headers=desk.headers(SUPERVISOR))
    assert again.status_code == 409


def test_bad_decision_payloads_are_4xx_and_write_nothing(desk: Desk) -> None:
    ad = _seed(desk)["scam_high"]
    with desk.store.session_factory() as session:
        audit_before = session.scalar(select(func.count()).select_from(AuditEntry))
    bad = [{"decision": "guilty"}, {"note": "no decision"}, {"decision": "scam", "note": "x" * 10_001},
           {"decision": "scam", "extra": 1}, []]
    for payload in bad:
        response = desk.client.post(f"/ads/{ad}/decisions", json=payload, headers=desk.headers(ANALYST))
        assert response.status_code == 422, payload
        assert response.json()["detail"], payload
    missing = desk.client.post("/ads/999999/decisions", json={"decision": "scam"}, headers=desk.headers(ANALYST))
    assert missing.status_code == 404 and "no ad 999999" in missing.json()["detail"]
    not_json = desk.client.post(f"/ads/{ad}/decisions", content=b"{oops", headers={
        **desk.headers(ANALYST), "content-type": "application/json"})
    assert not_json.status_code == 422
    with desk.store.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Review)) == 0
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit_before


def test_ad_detail_shows_indicators_entities_history_and_is_audited(desk: Desk) -> None:
    ad = _seed(desk)["traf_mid"]
    response = desk.client.get(f"/ads/{ad}", headers=desk.headers(SUPERVISOR))
    assert response.status_code == 200
    detail = response.json()
    assert detail["score"]["p_trafficking"] == 0.6
    assert {i["name"] for i in detail["indicators"]} == {"visa_turis", "paspor_ditahan"}
    assert any(m["value"] for m in detail["entities"]["destinations"])
    with desk.store.session_factory() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
    assert (entry.actor, entry.action, entry.object_id) == ("sari", "ad.read", str(ad))
    assert desk.client.get("/ads/424242", headers=desk.headers(ANALYST)).status_code == 404


def test_queue_counts_and_daily_throughput(desk: Desk) -> None:
    ids = _seed(desk)
    for key, decision in (("traf_high", "trafficking"), ("scam_high", "scam")):
        desk.client.post(f"/ads/{ids[key]}/decisions", json={"decision": decision}, headers=desk.headers(ANALYST))
    desk.client.post(f"/ads/{ids['traf_mid']}/claim", headers=desk.headers("analyst2"))
    stats = desk.client.get("/queue/stats", headers=desk.headers(SUPERVISOR)).json()
    assert stats["counts"] == {"open": 1, "need_info": 0, "claimed": 1, "decided": 2, "by_kind": {"trafficking": 1}}
    assert [(row["reviewer"], row["decisions"]) for row in stats["throughput"]] == [("ana", 2)]


def test_reading_the_queue_and_ads_is_audited(desk: Desk) -> None:
    _seed(desk)
    _queue(desk)
    desk.client.get("/ads", headers=desk.headers(ANALYST))
    with desk.store.session_factory() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["queue.list", "ads.list"]
