"""GET requests only read (and audit what they read): the queue and the links change where scores and links
are made, never because someone looked. Checked on the JSON API and the desk's pages alike."""

from __future__ import annotations

from sqlalchemy import func, select

from scraper.records import JobPost
from service.auth.roles import Role
from service.scoring.pipeline import process_new_ads
from service.store.ads import upsert_job_post
from service.store.session import Store
from service.store.tables import Ad, AuditEntry, Base, QueueEntry
from tests.service.desk import Desk, add_scored_ad

PHONE = "WA 0812-4444-5555"


def fingerprint(store: Store) -> dict[str, list[str]]:
    """Every row of every table but the audit log (which a read is meant to grow)."""
    with store.session_factory() as session:
        return {table.name: sorted(repr(tuple(row)) for row in session.execute(select(table)))
                for table in Base.metadata.sorted_tables if table.name != "audit_log"}


def audit_entries(store: Store) -> int:
    with store.session_factory() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_no_get_changes_the_store_even_with_scores_and_links_waiting(desk: Desk) -> None:
    with desk.store.session_factory() as session:
        first = add_scored_ad(session, "r1", f"Kerja di Kamboja, visa turis. {PHONE}", 0.1, 0.8)
        add_scored_ad(session, "r2", f"Admin ke Myanmar, tiket ditanggung. {PHONE}", 0.2, 0.7)
        session.commit()
    processed = process_new_ads(desk.store.session_factory, desk.settings)
    assert processed is not None and processed.linked == 2
    with desk.store.session_factory() as session:  # a score made since: not yet in the queue, not linked
        late = add_scored_ad(session, "r3", f"Operator ke Laos, kontak {PHONE}", 0.2, 0.7)
        session.commit()
    cluster = desk.client.get(f"/ads/{first}/related", headers=desk.headers(Role.ANALYST)).json()["cluster_id"]
    before, audited = fingerprint(desk.store), audit_entries(desk.store)

    analyst, supervisor = desk.headers(Role.ANALYST), desk.headers(Role.SUPERVISOR)
    reads = ["/queue", "/queue/stats", "/ads", f"/ads/{first}", f"/ads/{late}", f"/ads/{late}/related",
             f"/clusters/{cluster}", "/desk/antrean", f"/desk/iklan/{late}", f"/desk/iklan/{first}", "/desk/dasbor"]
    for path in reads:
        assert desk.client.get(path, headers=analyst).status_code == 200, path
    for path in ("/leads", "/desk/lead", "/audit/verify"):
        assert desk.client.get(path, headers=supervisor).status_code == 200, path

    assert fingerprint(desk.store) == before
    assert audit_entries(desk.store) > audited  # the reads of case data were audited all the same
    queued = [item["ad_id"] for item in desk.client.get("/queue", headers=analyst).json()["items"]]
    assert late not in queued
    assert desk.client.get(f"/ads/{late}/related", headers=analyst).json()["pending_links"] == 1


def test_the_queue_and_the_links_follow_scoring_without_any_read(desk: Desk) -> None:
    with desk.store.session_factory() as session:
        for n in range(3):  # stored, not scored: the pipeline scores them with the active scorer (rules-0)
            upsert_job_post(session, JobPost(source="telegram", source_ad_id=f"p{n}", title="Lowongan", text=(
                f"Dicari admin online {n} penempatan Kamboja, visa turis diurus agen, paspor ditahan. {PHONE}")),
                None)
        session.commit()
        ids = list(session.scalars(select(Ad.id).order_by(Ad.id)))
        assert session.scalar(select(func.count()).select_from(QueueEntry)) == 0

    process_new_ads(desk.store.session_factory, desk.settings)

    with desk.store.session_factory() as session:
        entries = list(session.scalars(select(QueueEntry).order_by(QueueEntry.ad_id)))
    assert [e.ad_id for e in entries] == ids and all(e.in_queue for e in entries)
    assert len({e.cluster_id for e in entries}) == 1 and entries[0].cluster_id is not None  # tagged by linking
