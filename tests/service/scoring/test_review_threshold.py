"""The review threshold is the ACTIVE model's own (its thresholds.json), the setting only an override, and the
queue's sync, its decisions and the desk all use that one value; rules-0 keeps 0.5."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select

from model.artifact import THRESHOLDS_FILE
from scraper.records import JobPost
from service.api.app import create_app
from service.auth.roles import Role
from service.errors import LokerwatchError
from service.review.queue_sync import sync_queue, synced_threshold
from service.scoring.pipeline import score_and_queue
from service.scoring.registry import activate, load_active_scorer
from service.scoring.threshold import RULES_REVIEW_THRESHOLD, review_threshold
from service.settings import Settings
from service.store.ads import upsert_job_post
from service.store.session import Store
from service.store.tables import QueueEntry, ScoreRow
from tests.service.desk import Desk, add_scored_ad, make_users
from tests.trained import install_model

# Real ads of the demo's kinds: an admin job in Cambodia, a fake state-firm recruitment, an event job, a cashier.
TEXTS = {
    "kamboja": "Info loker admin online Kamboja, gaji 20jt, tiket & visa turis ditanggung. Chat WA 0812-7788-1201",
    "pertamina": "REKRUTMEN PT PERTAMINA (PERSERO) 2026 UNTUK LULUSAN SMA/D3/S1. PENEMPATAN SELURUH INDONESIA. "
                 "DAFTAR DI recruitment-pertamina.info, BIAYA SERAGAM 350RB TRANSFER KE ADMIN",
    "spg": "SPG Event akhir tahun – Mall Nagoya Hill. Wanita 18-28 th, berpenampilan menarik, fee 150rb/hari.",
    "kasir": "Dibutuhkan kasir toko bangunan di Singkawang, pria/wanita, gaji UMK, BPJS. Lamaran ke kantor.",
}


def _model_threshold(settings: Settings, version: str) -> float:
    return float(json.loads((settings.model_dir / version / THRESHOLDS_FILE).read_text(encoding="utf-8"))["review"])


def _activate(store: Store, settings: Settings, small_model: Path) -> str:
    version = install_model(small_model, settings.model_dir)
    with store.session_factory() as session:
        activate(session, settings, version)
    return version


def test_without_a_trained_model_rules_0_keeps_half(store: Store, settings: Settings) -> None:
    assert settings.review_threshold is None
    with store.session_factory() as session:
        assert review_threshold(session, settings) == RULES_REVIEW_THRESHOLD == 0.5
        assert review_threshold(session, settings.model_copy(update={"review_threshold": 0.3})) == 0.3


def test_scoring_queues_exactly_the_ads_at_or_over_the_active_model_s_own_threshold(
        store: Store, settings: Settings, small_model: Path) -> None:
    version = _activate(store, settings, small_model)
    threshold = _model_threshold(settings, version)
    assert threshold != RULES_REVIEW_THRESHOLD
    with store.session_factory() as session, session.begin():
        for name, text in TEXTS.items():
            upsert_job_post(session, JobPost(source="telegram", source_ad_id=name, text=text), None)
    with store.session_factory() as session:
        scorer = load_active_scorer(session, settings)
    assert score_and_queue(store.session_factory, settings, scorer) == (4, 4)
    with store.session_factory() as session:
        assert review_threshold(session, settings) == threshold == synced_threshold(session)
        risks = {ad: risk for ad, risk in session.execute(select(ScoreRow.ad_id, ScoreRow.risk))}
        queued = set(session.scalars(select(QueueEntry.ad_id).where(QueueEntry.in_queue.is_(True))))
    assert queued == {ad for ad, risk in risks.items() if risk >= threshold}
    assert queued and len(queued) < len(risks)


@pytest.fixture
def scored(store: Store, settings: Settings, small_model: Path) -> tuple[float, dict[str, int]]:
    """The small model active, and ads with scores just over, just under and well under its threshold."""
    threshold = _model_threshold(settings, _activate(store, settings, small_model))
    with store.session_factory() as session:
        ids = {"over": add_scored_ad(session, "over", "iklan 1", 0.02, threshold - 0.01, modus="ship_crew"),
               "under": add_scored_ad(session, "under", "iklan 2", 0.01, threshold - 0.05, modus="bride_trafficking"),
               "low": add_scored_ad(session, "low", "iklan 3", 0.05, 0.1, modus="fee_fraud")}
        session.commit()
    assert threshold - 0.05 >= RULES_REVIEW_THRESHOLD  # under the model's threshold, over rules-0's
    return threshold, ids


def _queue(client: TestClient, headers: dict[str, str], **params: str) -> list[dict[str, object]]:
    response = client.get("/queue", params=params, headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["items"]
    return items


def test_the_api_starts_with_the_queue_at_the_model_s_threshold_and_decides_with_it(
        store: Store, settings: Settings, scored: tuple[float, dict[str, int]]) -> None:
    _, ids = scored
    with store.session_factory() as session:
        analyst = make_users(session)["analyst"]
    with TestClient(create_app(settings, store)) as client:  # start-up brings the queue in step
        desk = Desk(client, client.app, settings, store, {"analyst": analyst})  # type: ignore[arg-type]
        headers = desk.headers(Role.ANALYST)
        assert [(i["ad_id"], i["modus"]) for i in _queue(client, headers)] == [(ids["over"], "ship_crew")]
        # An analyst asks for more on an ad under the threshold: it stays queued, with no modus shown for it.
        response = client.post(f"/ads/{ids['under']}/decisions", json={"decision": "need_info"}, headers=headers)
        assert response.status_code == 201, response.text
        listed = {i["ad_id"]: i for i in _queue(client, headers)}
        assert set(listed) == {ids["over"], ids["under"]} and listed[ids["under"]]["modus"] is None
        assert [i["ad_id"] for i in _queue(client, headers, modus="ship_crew")] == [ids["over"]]
        assert _queue(client, headers, modus="bride_trafficking") == []


def test_the_setting_overrides_the_model_and_a_changed_threshold_re_applies_membership_and_modus(
        store: Store, settings: Settings, scored: tuple[float, dict[str, int]]) -> None:
    _, ids = scored
    with store.session_factory() as session:
        sync_queue(session, review_threshold(session, settings))
        lower = settings.model_copy(update={"review_threshold": 0.5})
        assert review_threshold(session, lower) == 0.5
        sync_queue(session, review_threshold(session, lower))
        entries = {e.ad_id: (e.in_queue, e.modus) for e in session.scalars(select(QueueEntry))}
    assert entries == {ids["over"]: (True, "ship_crew"), ids["under"]: (True, "bride_trafficking")}
    with store.session_factory() as session:
        sync_queue(session, review_threshold(session, settings))  # the override removed: the model's again
        entries = {e.ad_id: (e.in_queue, e.modus) for e in session.scalars(select(QueueEntry))}
    assert entries == {ids["over"]: (True, "ship_crew"), ids["under"]: (False, None)}


def test_an_unreadable_threshold_file_is_a_clear_error_and_the_desk_keeps_the_queue_s_own(
        store: Store, settings: Settings, scored: tuple[float, dict[str, int]]) -> None:
    threshold, ids = scored
    with store.session_factory() as session:
        analyst = make_users(session)["analyst"]
    with TestClient(create_app(settings, store)) as client:  # the queue is built at the model's threshold
        for folder in settings.model_dir.iterdir():
            (folder / THRESHOLDS_FILE).write_text("{not json", encoding="utf-8")
        with store.session_factory() as session, pytest.raises(LokerwatchError, match=r"thresholds\.json"):
            review_threshold(session, settings)
        desk = Desk(client, client.app, settings, store, {"analyst": analyst})  # type: ignore[arg-type]
        response = client.post(f"/ads/{ids['under']}/decisions", json={"decision": "need_info"},
                               headers=desk.headers(Role.ANALYST))
        assert response.status_code == 201, response.text
    with store.session_factory() as session:
        entry = session.get(QueueEntry, ids["under"])
        assert synced_threshold(session) == threshold
    # Decided against the queue's own threshold (the model's), not rules-0's 0.5: under it, no modus is shown.
    assert entry is not None and entry.in_queue and entry.modus is None
    with pytest.raises(LokerwatchError, match="activate another"):
        create_app(settings, store)  # `serve` stops with one line saying what to do


def test_a_threshold_outside_zero_to_one_is_refused() -> None:
    for bad in (-0.1, 1.5):
        with pytest.raises(ValidationError, match="review_threshold"):
            Settings(review_threshold=bad, _env_file=None)  # type: ignore[call-arg]
