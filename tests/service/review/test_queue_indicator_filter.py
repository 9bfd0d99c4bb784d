"""The queue filtered by a red flag, read in queue order from the flag's own index: the same ads in the same order
as the whole queue with the others left out, page after page, for claim-next too, and after a rescore or reopening."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import select

from service.auth.roles import Role
from service.review.queue_sync import sync_queue
from service.scoring.threshold import review_threshold
from service.settings import Settings
from service.store.engine import make_engine
from service.store.migrate import upgrade
from service.store.session import open_store
from service.store.tables import QueueEntry, QueueIndicator, ScoreRow
from tests.service.desk import T0, Desk, add_scored_ad

ANALYST, SUPERVISOR = Role.ANALYST, Role.SUPERVISOR


def _queue(desk: Desk, **params: str | int | bool) -> dict[str, Any]:
    response = desk.client.get("/queue", params=params, headers=desk.headers(ANALYST))
    assert response.status_code == 200, response.text
    return response.json()


def _all_pages(desk: Desk, **params: str | int) -> list[int]:
    seen: list[int] = []
    cursor = None
    while True:
        page = _queue(desk, limit=4, **params, **({"cursor": cursor} if cursor else {}))
        seen += [item["ad_id"] for item in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            return seen


def _seed(desk: Desk) -> dict[int, list[str]]:
    """30 queued ads of both kinds and many risks (some equal), every third with `visa_turis`."""
    flags: dict[int, list[str]] = {}
    with desk.store.session_factory() as session:
        for n in range(30):
            names = ["visa_turis"] if n % 3 == 0 else ["deposit"]
            if n % 5 == 0:
                names.append("paspor_ditahan")
            p_scam, p_traf = (0.1, 0.5 + (n % 4) / 10) if n % 2 else (0.5 + (n % 4) / 10, 0.05)
            ad_id = add_scored_ad(session, f"f{n}", f"iklan {n}", p_scam, p_traf, indicators=names)
            flags[ad_id] = names
        session.commit()
        sync_queue(session, review_threshold(session, desk.settings))
    return flags


def test_a_flag_filter_lists_the_queue_in_order_page_by_page(desk: Desk) -> None:
    flags = _seed(desk)
    everything = _all_pages(desk)
    for name in ("visa_turis", "paspor_ditahan", "deposit"):
        expected = [ad for ad in everything if name in flags[ad]]
        assert expected and _all_pages(desk, indicator=name) == expected, name
    assert _queue(desk, indicator="tidak_ada")["items"] == []
    with_source = _queue(desk, indicator="visa_turis", source="telegram", limit=200)["items"]  # with another filter
    assert [i["ad_id"] for i in with_source] == [ad for ad in everything if "visa_turis" in flags[ad]]


def test_claim_next_with_a_flag_takes_the_first_flagged_ad_in_queue_order(desk: Desk) -> None:
    flags = _seed(desk)
    flagged = [ad for ad in _all_pages(desk) if "visa_turis" in flags[ad]]
    taken = []
    for _ in range(3):
        response = desk.client.post("/queue/claim-next", params={"indicator": "visa_turis"},
                                    headers=desk.headers(ANALYST))
        assert response.status_code == 200, response.text
        taken.append(response.json()["ad_id"])
    assert taken == flagged[:3]


def test_a_rescore_moves_the_ad_in_the_filtered_queue_too(desk: Desk) -> None:
    flags = _seed(desk)
    last = _all_pages(desk, indicator="visa_turis")[-1]
    with desk.store.session_factory() as session:  # a new model version scores it far higher
        old = session.scalars(select(ScoreRow).where(ScoreRow.ad_id == last)).one()
        session.add(ScoreRow(ad_id=last, model_version="test-2", content_hash=old.content_hash, p_scam=0.0,
                             p_trafficking=0.99, risk=0.99, indicators=old.indicators, top_features=[],
                             scored_at=T0))
        session.commit()
        sync_queue(session, review_threshold(session, desk.settings))
    filtered = _all_pages(desk, indicator="visa_turis")
    assert filtered[0] == last and filtered == [ad for ad in _all_pages(desk) if "visa_turis" in flags[ad]]


def _flagged_ads(desk: Desk) -> set[int]:
    with desk.store.session_factory() as session:
        return set(session.scalars(select(QueueIndicator.ad_id)))


def test_only_queued_ads_keep_flag_rows_so_the_filter_never_walks_past_decided_ones(desk: Desk) -> None:
    flags = _seed(desk)
    top = _all_pages(desk, indicator="visa_turis")
    assert _flagged_ads(desk) == set(flags)
    decided, asked = top[0], top[1]
    for ad, decision in ((decided, "trafficking"), (asked, "need_info")):
        response = desk.client.post(f"/ads/{ad}/decisions", json={"decision": decision}, headers=desk.headers(ANALYST))
        assert response.status_code == 201, response.text
    assert decided not in _flagged_ads(desk) and asked in _flagged_ads(desk)  # need_info stays in the queue
    assert _all_pages(desk, indicator="visa_turis") == [ad for ad in top if ad != decided]
    reopened = desk.client.post(f"/ads/{decided}/reopen", json={"note": "dibuka lagi"},
                                headers=desk.headers(SUPERVISOR))
    assert reopened.status_code == 201 and decided in _flagged_ads(desk)


def test_a_new_threshold_moves_the_flag_rows_with_the_queue(desk: Desk) -> None:
    flags = _seed(desk)
    with desk.store.session_factory() as session:
        sync_queue(session, 0.75)  # a stricter model: ads between the thresholds leave the queue
        kept = set(session.scalars(select(QueueEntry.ad_id).where(QueueEntry.in_queue.is_(True))))
        assert set(flags) > kept and _flagged_ads(desk) == kept
        sync_queue(session, review_threshold(session, desk.settings))
    assert _flagged_ads(desk) == set(flags)


def test_an_ad_reopened_from_outside_the_queue_is_found_by_its_flag(desk: Desk) -> None:
    with desk.store.session_factory() as session:
        quiet = add_scored_ad(session, "q1", "Kerja ke Malaysia, paspor diurus di sana", 0.05, 0.1,
                              indicators=["paspor_diurus_agen"])  # under the threshold: never queued
        session.commit()
        sync_queue(session, review_threshold(session, desk.settings))
    assert _queue(desk, indicator="paspor_diurus_agen")["items"] == []
    decided = desk.client.post(f"/ads/{quiet}/decisions", json={"decision": "benign"}, headers=desk.headers(ANALYST))
    assert decided.status_code == 201
    reopened = desk.client.post(f"/ads/{quiet}/reopen", json={"note": "agen sama dengan kasus TPPO"},
                                headers=desk.headers(SUPERVISOR))
    assert reopened.status_code == 201
    assert [i["ad_id"] for i in _queue(desk, indicator="paspor_diurus_agen")["items"]] == [quiet]


def test_migration_0009_gives_existing_flag_rows_their_place_in_the_queue(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    upgrade(engine, "0008")
    with engine.begin() as connection:
        ad_id = connection.execute(sa.text(
            "INSERT INTO ads (source, source_ad_id, title, text, contact_handles, extra, content_hash, first_seen_at, "
            "last_seen_at) VALUES ('telegram', 'm1', '', 'Loker', '[]', '{}', 'h', :t, :t) RETURNING id"),
            {"t": T0}).scalar_one()
        orphan = connection.execute(sa.text(
            "INSERT INTO ads (source, source_ad_id, title, text, contact_handles, extra, content_hash, first_seen_at, "
            "last_seen_at) VALUES ('telegram', 'm2', '', 'Loker', '[]', '{}', 'h', :t, :t) RETURNING id"),
            {"t": T0}).scalar_one()
        decided = connection.execute(sa.text(
            "INSERT INTO ads (source, source_ad_id, title, text, contact_handles, extra, content_hash, first_seen_at, "
            "last_seen_at) VALUES ('telegram', 'm3', '', 'Loker', '[]', '{}', 'h', :t, :t) RETURNING id"),
            {"t": T0}).scalar_one()
        connection.execute(sa.text(
            "INSERT INTO queue_entries (ad_id, score_id, risk, p_scam, p_trafficking, kind, kind_rank, status, "
            "in_queue, source, seen_at, entered_at, indicator_names) VALUES (:a, 1, 0.8, 0.1, 0.7, 'trafficking', 1, "
            "'open', :yes, 'telegram', :t, :t, '[\"visa_turis\"]')"), {"a": ad_id, "t": T0, "yes": True})
        connection.execute(sa.text(
            "INSERT INTO queue_entries (ad_id, score_id, risk, p_scam, p_trafficking, kind, kind_rank, status, "
            "in_queue, source, seen_at, entered_at, indicator_names) VALUES (:a, 2, 0.9, 0.1, 0.8, 'trafficking', 1, "
            "'decided', :no, 'telegram', :t, :t, '[\"visa_turis\"]')"), {"a": decided, "t": T0, "no": False})
        connection.execute(sa.text("INSERT INTO queue_indicators (ad_id, name) VALUES (:a, 'visa_turis'), "
                                   "(:o, 'visa_turis'), (:d, 'visa_turis')"), {"a": ad_id, "o": orphan, "d": decided})
    engine.dispose()
    store = open_store(settings)
    try:
        with store.session_factory() as session:
            rows = session.execute(select(QueueIndicator.ad_id, QueueIndicator.kind_rank, QueueIndicator.risk)).all()
            assert [tuple(row) for row in rows] == [(ad_id, 1, 0.8)]  # no rows of no entry or of a decided one
            assert session.get(QueueEntry, ad_id) is not None
    finally:
        store.dispose()
