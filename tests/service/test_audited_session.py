"""One audited session for every read of case data: entries appended after the read, never for a failed one."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from service.audit import AuditedSession, bind_head_file, record_audit, recorded_heads, verify_audit_log
from service.auth.roles import Role
from service.settings import Settings
from service.store.session import Store
from service.store.tables import AuditEntry
from tests.service.desk import Desk


def _entries(store: Store) -> list[AuditEntry]:
    with store.session_factory() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_noted_reads_are_chained_after_the_read_with_where_they_were_made(store: Store, settings: Settings) -> None:
    bind_head_file(store.engine, settings.audit_head_path)
    with store.session_factory() as session:
        desk = AuditedSession(session, lambda: "ana", via="desk")
        desk.audit("ad.read", "ad", 7)
        desk.audit("queue.list", "ad", None, {"ad_ids": [7, 8]})
        assert _entries(store) == []  # nothing is written before the request's read has ended
        desk.finish()
    entries = _entries(store)
    assert [(e.actor, e.action, e.object_id, e.details) for e in entries] == [
        ("ana", "ad.read", "7", {"via": "desk"}), ("ana", "queue.list", None, {"via": "desk", "ad_ids": [7, 8]})]
    with store.session_factory() as session:
        assert verify_audit_log(session, settings.audit_head_path).ok


def test_a_read_that_fails_is_not_audited_and_one_that_succeeds_is(desk: Desk) -> None:
    with desk.store.session_factory() as session:
        before = session.scalar(select(func.count()).select_from(AuditEntry))
    assert desk.client.get("/ads/999999", headers=desk.headers(Role.ANALYST)).status_code == 404
    assert desk.client.get("/desk/iklan/999999", headers=desk.headers(Role.ANALYST)).status_code == 404
    assert len(_entries(desk.store)) == before
    assert desk.client.get("/ads", headers=desk.headers(Role.ANALYST)).status_code == 200
    assert [e.action for e in _entries(desk.store)][before:] == ["ads.list"]


def test_concurrent_audited_reads_and_writes_keep_one_chain_with_every_head_recorded(store: Store,
                                                                                     settings: Settings) -> None:
    # Reads append outside their transaction (PostgreSQL: one autocommit call each), writes inside theirs.
    bind_head_file(store.engine, settings.audit_head_path)
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def analyst(name: str, writes: bool) -> None:
        try:
            start.wait()
            for number in range(5):
                with store.session_factory() as session:
                    if writes:
                        record_audit(session, name, "ad.claim", "ad", number, {})
                        session.commit()
                    else:
                        desk = AuditedSession(session, name)
                        desk.audit("ad.read", "ad", number)
                        desk.audit("ad.related.read", "ad", number)
                        desk.finish()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=analyst, args=(f"analis{n}", n % 2 == 0)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    with store.session_factory() as session:
        report = verify_audit_log(session, settings.audit_head_path)
    assert report.ok, report.problems
    assert report.entries == 2 * 5 + 2 * 10
    assert len(recorded_heads(settings.audit_head_path)) == report.entries
