"""The queue shows the active model's scores: after a switch, and after a rollback to a model that scored earlier
(before, the newest score of any model won, so a rollback kept the replaced model's risks)."""

from __future__ import annotations

from sqlalchemy import select

from scraper.records import JobPost
from service.review.queue_sync import sync_queue
from service.scoring.registry import ACTIVE_MODEL_KEY
from service.store.ads import upsert_job_post
from service.store.app_state import put_state
from service.store.session import Store
from service.store.tables import Ad, QueueEntry, ScoreRow
from service.store.types import utc_now

THRESHOLD = 0.5


def _ad(store: Store, key: str, text: str) -> int:
    with store.session_factory() as session, session.begin():
        upsert_job_post(session, JobPost(source="telegram", source_ad_id=key, text=text), None)
    with store.session_factory() as session:
        return int(session.scalars(select(Ad.id).where(Ad.source_ad_id == key)).one())


def _score(store: Store, ad_id: int, version: str, risk: float) -> None:
    with store.session_factory() as session, session.begin():
        ad = session.get(Ad, ad_id)
        assert ad is not None
        session.add(ScoreRow(ad_id=ad_id, model_version=version, content_hash=ad.content_hash, p_scam=risk,
                             p_trafficking=0.0, risk=risk, indicators=[], top_features=[], scored_at=utc_now()))


def _activate(store: Store, version: str | None) -> None:
    with store.session_factory() as session, session.begin():
        put_state(session, ACTIVE_MODEL_KEY, {"version": version} if version else {})


def _queue(store: Store) -> dict[int, tuple[float, bool]]:
    with store.session_factory() as session:
        sync_queue(session, THRESHOLD)
        return {entry.ad_id: (entry.risk, entry.in_queue) for entry in session.scalars(select(QueueEntry))}


def test_the_queue_follows_the_active_model_through_a_switch_and_a_rollback(store: Store) -> None:
    ad = _ad(store, "a1", "Dicari admin online ke Kamboja, visa turis")
    _activate(store, "model-a")
    _score(store, ad, "model-a", 0.9)
    assert _queue(store) == {ad: (0.9, True)}
    _score(store, ad, "model-b", 0.2)  # a candidate scores it; it is not active: the queue keeps model-a's risk
    assert _queue(store) == {ad: (0.9, True)}
    _activate(store, "model-b")
    assert _queue(store) == {ad: (0.2, False)}
    _activate(store, "model-a")  # the rollback: model-a's earlier score comes back, not model-b's newer one
    assert _queue(store) == {ad: (0.9, True)}


def test_a_fallback_score_for_new_text_replaces_the_active_models_score_for_old_text(store: Store) -> None:
    ad = _ad(store, "a2", "Loker kasir toko roti")
    _activate(store, "model-a")
    _score(store, ad, "model-a", 0.1)
    assert _queue(store) == {}  # under the threshold: never queued
    _ad(store, "a2", "Loker kasir toko roti. Kerja di Kamboja, paspor ditahan agen")  # the post was edited
    _score(store, ad, "rules-0", 0.8)  # the model could not load: the rules scored the new text
    assert _queue(store) == {ad: (0.8, True)}


def test_without_an_active_model_rules_0_is_preferred(store: Store) -> None:
    ad = _ad(store, "a3", "Dicari admin online ke Kamboja")
    _activate(store, None)
    _score(store, ad, "rules-0", 0.7)
    _score(store, ad, "model-x", 0.3)  # a model that was never activated
    assert _queue(store) == {ad: (0.7, True)}
