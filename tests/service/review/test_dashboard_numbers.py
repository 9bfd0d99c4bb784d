"""The dashboard's numbers on the model's outputs: queued and decided ads by modus, and how many flagged ads
analysts confirmed."""

from __future__ import annotations

from service.auth.roles import Role
from service.review.dashboard import Confirmed, ModusCount, confirmed_flags, queue_by_modus
from service.review.queue_sync import sync_queue
from tests.service.desk import Desk, add_scored_ad

THRESHOLD = 0.5


def test_queued_and_decided_ads_are_counted_by_modus_and_confirmations_by_decision(desk: Desk) -> None:
    with desk.store.session_factory() as session:
        ids = [add_scored_ad(session, "k1", "Admin Kamboja", 0.05, 0.9, modus="online_scam_compound"),
               add_scored_ad(session, "k2", "Admin Myanmar", 0.05, 0.8, modus="online_scam_compound"),
               add_scored_ad(session, "k3", "Admin Laos", 0.1, 0.7, modus="online_scam_compound"),
               add_scored_ad(session, "f1", "Bayar seragam dulu", 0.8, 0.1, modus="fee_fraud"),
               add_scored_ad(session, "r1", "Like dan subscribe", 0.9, 0.0),  # a scorer that names no modus
               add_scored_ad(session, "low", "Kasir toko", 0.1, 0.1, modus="fee_fraud")]
        session.commit()
        sync_queue(session, THRESHOLD)
    for ad_id, decision in zip(ids, ("trafficking", "benign", "need_info", "scam"), strict=False):
        response = desk.client.post(f"/ads/{ad_id}/decisions", json={"decision": decision},
                                    headers=desk.headers(Role.ANALYST))
        assert response.status_code == 201, response.text
    with desk.store.session_factory() as session:
        counts = sorted(queue_by_modus(session), key=lambda c: (c.modus or "", c.kind))
        confirmed = confirmed_flags(session, THRESHOLD)
        stricter = confirmed_flags(session, 0.92)
    assert counts == [ModusCount(None, "scam", 1, 0), ModusCount("fee_fraud", "scam", 0, 1),
                      ModusCount("online_scam_compound", "trafficking", 1, 2)]
    # need_info is no decision; of the three decided, trafficking and scam confirm the flag, benign does not.
    assert confirmed == Confirmed(decided=3, confirmed=2) and confirmed.share == 2 / 3
    assert stricter == Confirmed(decided=1, confirmed=1)  # only the 0.95 ad is flagged at 0.92
    assert Confirmed(0, 0).share is None
