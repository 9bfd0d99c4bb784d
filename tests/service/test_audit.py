"""The audit log is a hash chain with its head kept outside the store: edits and deletions are both detected."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from service.audit import (
    bind_head_file,
    chain_head,
    commit_with_audit,
    record_audit,
    recorded_heads,
    verify_audit_log,
)
from service.settings import Settings, get_settings
from service.store.app_state import put_state
from service.store.session import Store
from service.store.tables import AppState, AuditEntry


def _append(store: Store, settings: Settings, count: int, actor: str = "ana") -> None:
    bind_head_file(store.engine, settings.audit_head_path)
    for number in range(count):
        with store.session_factory() as session:
            record_audit(session, actor, "ad.read", "ad", number, {"n": number, "note": "gaji 15 jt ✓"})
            session.commit()


def test_an_untouched_chain_verifies_and_reaches_the_recorded_head(settings: Settings, store: Store) -> None:
    _append(store, settings, 5)
    with store.session_factory() as session:
        report = verify_audit_log(session, settings.audit_head_path)
        head = chain_head(session)
    assert report.ok, report.problems
    assert report.entries == 5
    assert head is not None and report.recorded_head == head
    assert len(recorded_heads(settings.audit_head_path)) == 5


def test_an_edited_entry_breaks_the_chain(settings: Settings, store: Store) -> None:
    _append(store, settings, 4)
    with store.session_factory() as session:
        second = session.scalars(select(AuditEntry).order_by(AuditEntry.id).offset(1).limit(1)).one()
        session.execute(update(AuditEntry).where(AuditEntry.id == second.id).values(actor="someone-else"))
        session.commit()
        report = verify_audit_log(session, settings.audit_head_path)
    assert not report.ok
    assert any(f"entry {second.id}" in p and "edited" in p for p in report.problems)


def test_deleting_the_newest_entries_is_detected_through_the_head_file(settings: Settings, store: Store) -> None:
    _append(store, settings, 5)
    with store.session_factory() as session:
        newest = session.scalar(select(func.max(AuditEntry.id)))
        session.execute(delete(AuditEntry).where(AuditEntry.id >= (newest or 0) - 1))
        session.commit()
        inside_only = verify_audit_log(session, None)
        report = verify_audit_log(session, settings.audit_head_path)
    assert inside_only.ok  # the remaining rows alone still chain correctly ...
    assert not report.ok  # ... which is exactly why the head is kept outside the store
    assert any("missing from the log" in p for p in report.problems)


def test_a_removed_head_file_is_reported(settings: Settings, store: Store) -> None:
    _append(store, settings, 2)
    settings.audit_head_path.unlink()
    with store.session_factory() as session:
        report = verify_audit_log(session, settings.audit_head_path)
    assert any("no recorded head" in p for p in report.problems)


def test_a_rolled_back_entry_leaves_no_trace_in_the_head_file(settings: Settings, store: Store) -> None:
    _append(store, settings, 1)
    with store.session_factory() as session:
        record_audit(session, "ana", "ad.decide", "ad", 7, {})
        session.rollback()
    with store.session_factory() as session:
        assert verify_audit_log(session, settings.audit_head_path).ok
    assert len(recorded_heads(settings.audit_head_path)) == 1


def test_concurrent_writers_never_fork_the_chain(settings: Settings, store: Store) -> None:
    bind_head_file(store.engine, settings.audit_head_path)
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            start.wait()
            for number in range(5):
                with store.session_factory() as session:
                    record_audit(session, name, "ad.read", "ad", number, {})
                    session.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"analyst{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    with store.session_factory() as session:
        report = verify_audit_log(session, settings.audit_head_path)
        prev_hashes = session.scalars(select(AuditEntry.prev_hash)).all()
    assert report.ok, report.problems
    assert report.entries == 20
    assert len(set(prev_hashes)) == 20


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_cli_audit_head_and_verify_report_the_chain(settings: Settings, store: Store, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from service.cli.audit import audit_app as app

    _append(store, settings, 3)
    monkeypatch.setenv("LOKERWATCH_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LOKERWATCH_AUDIT_HEAD_PATH", str(settings.audit_head_path))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        head = runner.invoke(app, ["head"])
        assert head.exit_code == 0, head.output
        with store.session_factory() as session:
            stored = chain_head(session)
        assert stored is not None and head.output.count(stored[1]) == 2
        assert runner.invoke(app, ["verify"]).exit_code == 0
        with store.session_factory() as session:
            session.execute(delete(AuditEntry).where(AuditEntry.id == stored[0]))
            session.commit()
        broken = runner.invoke(app, ["verify"])
        assert broken.exit_code != 0
        assert "missing from the log" in broken.output
    finally:
        get_settings.cache_clear()


def test_the_stored_hash_is_the_one_verify_recomputes_for_any_details(settings: Settings, store: Store) -> None:
    # On PostgreSQL the store hashes the entry under the chain's lock: its bytes must be exactly Python's.
    bind_head_file(store.engine, settings.audit_head_path)
    awkward = {"note": 'kata "kutip" \\ garis\nbaru, emoji 🚢, Rp 5.000.000',
               "nested": {"b": [1, 2.5, None], "a": True}}
    with store.session_factory() as session:
        written = record_audit(session, "ana", "ad.read", "ad", None, awkward)
        session.commit()
    with store.session_factory() as session:
        report = verify_audit_log(session, settings.audit_head_path)
        stored = session.get(AuditEntry, written.id)
    assert report.ok, report.problems
    assert stored is not None and stored.entry_hash == written.entry_hash and stored.prev_hash == written.prev_hash


def test_a_write_and_its_entry_commit_together_and_reach_the_head_file(settings: Settings, store: Store) -> None:
    bind_head_file(store.engine, settings.audit_head_path)
    _append(store, settings, 2)
    with store.session_factory() as session:
        put_state(session, "audit-test", {"done": True})
        written = commit_with_audit(session, "ana", "ad.decide", "ad", 7, {"decision": "scam"})
        assert not session.in_transaction()
    with store.session_factory() as session:
        assert session.get(AppState, "audit-test") is not None  # the work is durable with its entry
        stored = session.get(AuditEntry, written.id)
        report = verify_audit_log(session, settings.audit_head_path)
    assert stored is not None and (stored.action, stored.entry_hash) == ("ad.decide", written.entry_hash)
    assert report.ok and report.entries == 3 and report.recorded_head == (written.id, written.entry_hash)
    _append(store, settings, 1)  # the session and its connection go on working after the combined commit
    with store.session_factory() as session:
        assert verify_audit_log(session, settings.audit_head_path).entries == 4


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_write_whose_entry_cannot_be_appended_is_not_committed(settings: Settings, store: Store) -> None:
    bind_head_file(store.engine, settings.audit_head_path)
    with store.engine.begin() as connection:  # the chain cannot be appended to (as if the store were broken)
        connection.execute(text("DROP FUNCTION lokerwatch_audit_append"))
    with store.session_factory() as session:
        put_state(session, "audit-test", {"done": True})
        with pytest.raises(DBAPIError):
            commit_with_audit(session, "ana", "ad.decide", "ad", 7, {})
        session.rollback()
    with store.session_factory() as session:
        assert session.get(AppState, "audit-test") is None  # no work without its entry
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    assert recorded_heads(settings.audit_head_path) == []
