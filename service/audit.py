"""The append-only, hash-chained audit log of reads of case data, decisions and exports.

Call `record_audit(session, actor, action, object_type, object_id, details)` inside the transaction
that does the work (or right after a read); the entry is committed with it. Each entry's hash covers
its content and the previous entry's hash, so editing any entry breaks the chain. After each commit
the new head is appended to a file outside the store (`audit_head_path`), so deleting the newest
rows is detected too: `verify_audit_log` checks the chain and that it still reaches every recorded head.

Appends are serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-level advisory lock), and
`prev_hash` is unique in the schema, so two writers can never fork the chain. On PostgreSQL one server-side call
(`lokerwatch_audit_append`, migration 0007) takes the lock, reads the last hash and inserts the entry, so the lock is
never held across a client round trip; with `commit_with_entries` (audited reads, claims, decisions) the COMMIT
is sent with the appends, so the lock is released as soon as the server has run them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine, event, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from service.store.locking import lock_key, write_lock
from service.store.tables import AuditEntry
from service.store.types import utc_now

log = logging.getLogger("lokerwatch.audit")

GENESIS_HASH = "0" * 64
CHAIN_LOCK = "audit-chain"
_HEAD_FILES: weakref.WeakKeyDictionary[Engine, Path] = weakref.WeakKeyDictionary()
_FILE_LOCK = threading.Lock()
_PENDING = "lokerwatch_audit_heads"
_warned_unbound = False


def bind_head_file(engine: Engine, path: Path) -> None:
    """Say where the chain head of the store behind `engine` is recorded (the API and CLI call this)."""
    _HEAD_FILES[engine] = Path(path)


def _canonical(value: Any) -> Any:
    """Details as the JSON column will give them back, so the hash is the same before and after storing."""
    return json.loads(json.dumps(value if value is not None else {}, default=str, ensure_ascii=False))


def digest_body(at: datetime, actor: str, action: str, object_type: str, object_id: str | None,
                details: dict[str, Any]) -> tuple[bytes, bytes]:
    """The hashed body's UTF-8 bytes before and after the previous entry's hash.

    The body is the entry as sorted, compact JSON with the previous hash under "prev", the last key in sort order:
    so the store can complete and hash it once it knows the previous hash (PostgreSQL does, under the lock).
    """
    body = json.dumps(
        {"at": at.isoformat(timespec="microseconds"), "actor": actor, "action": action,
         "object_type": object_type, "object_id": object_id, "details": details},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )
    return (body[:-1] + ',"prev":"').encode("utf-8"), b'"}'


def entry_digest(prev_hash: str, at: datetime, actor: str, action: str, object_type: str,
                 object_id: str | None, details: dict[str, Any]) -> str:
    head, tail = digest_body(at, actor, action, object_type, object_id, details)
    return hashlib.sha256(head + prev_hash.encode("ascii") + tail).hexdigest()


def record_audit(session: Session, actor: str, action: str, object_type: str, object_id: str | int | None = None,
                 details: dict[str, Any] | None = None) -> AuditEntry:
    """Append one entry to the chain in the session's transaction; the caller commits.

    On SQLite, a transaction that also reads before it writes should start with
    `service.store.engine.immediate(session)`; this function does that itself when the session has
    no transaction yet.
    """
    values = _entry_values(actor, action, object_type, object_id, details)
    if session.get_bind().dialect.name == "postgresql":
        entry_id, prev_hash, entry_hash = _append_on_server(session, values)
    else:
        # Core statements, not ORM flushes: every audited read pays for this append.
        write_lock(session, CHAIN_LOCK)
        last = session.execute(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)).scalar()
        prev_hash = last or GENESIS_HASH
        entry_hash = entry_digest(prev_hash, values["at"], values["actor"], values["action"], values["object_type"],
                                  values["object_id"], values["details"])
        entry_id = session.execute(insert(AuditEntry).values(**values, prev_hash=prev_hash, entry_hash=entry_hash)
                                   .returning(AuditEntry.id)).scalar_one()
    entry = AuditEntry(id=entry_id, entry_hash=entry_hash, prev_hash=prev_hash, **values)
    _note_head(session, entry)
    return entry  # a detached copy of what was written, for callers that want the id or hash


def commit_with_audit(session: Session, actor: str, action: str, object_type: str, object_id: str | int | None = None,
                      details: dict[str, Any] | None = None) -> AuditEntry:
    """Append one entry and commit the session's transaction with it: the work and its entry are durable together.

    For writes whose entry is the last thing they do (claims, decisions); see `commit_with_entries`.
    """
    return commit_with_entries(session, actor, [(action, object_type, object_id, details)])[0]


Noted = tuple[str, str, str | int | None, dict[str, Any] | None]  # action, object type, object id, details


def commit_with_entries(session: Session, actor: str, entries: list[Noted]) -> list[AuditEntry]:
    """Append `entries` and commit the session's transaction with them.

    On PostgreSQL the appends and the COMMIT go to the server in one round trip (psycopg pipeline mode), so the
    chain's lock is held only while the server appends and commits, never while this process waits for a CPU between
    statements; elsewhere it is `record_audit` for each, then `commit`.
    """
    if session.get_bind().dialect.name != "postgresql":
        written = [record_audit(session, actor, *entry) for entry in entries]
        session.commit()
        return written
    session.flush()
    values = [_entry_values(actor, *entry) for entry in entries]
    parameters = [_append_parameters(value) for value in values]
    driver = session.connection().connection.driver_connection
    try:
        with driver.pipeline():  # type: ignore[union-attr]
            cursors = [driver.cursor() for _ in parameters]  # type: ignore[union-attr]
            for cursor, parameter in zip(cursors, parameters, strict=True):
                cursor.execute(_APPEND_DRIVER, parameter)
            driver.commit()  # type: ignore[union-attr]
            rows = [cursor.fetchone() for cursor in cursors]
    except psycopg.Error as exc:  # the server rolled the whole transaction back; say so as SQLAlchemy would
        raise DBAPIError.instance(_APPEND_DRIVER, parameters, exc, psycopg.Error) from exc
    written = [AuditEntry(id=int(row[0]), prev_hash=str(row[1]), entry_hash=str(row[2]), **value)
               for row, value in zip(rows, values, strict=True)]
    for entry in written:
        _note_head(session, entry)
    session.commit()  # the server has committed: this ends the session's transaction and records the heads
    return written


def _entry_values(actor: str, action: str, object_type: str, object_id: str | int | None,
                  details: dict[str, Any] | None) -> dict[str, Any]:
    return {"at": utc_now(), "actor": actor[:100], "action": action[:60], "object_type": object_type[:40],
            "object_id": None if object_id is None else str(object_id)[:100], "details": _canonical(details)}


def _note_head(session: Session, entry: AuditEntry) -> None:
    """The entry's hash goes to the head file once its transaction has committed (`_append_heads`)."""
    path = _HEAD_FILES.get(session.get_bind())  # type: ignore[arg-type]
    if path is None:
        _warn_unbound()
    else:
        session.info.setdefault(_PENDING, []).append((path, entry.id, entry.entry_hash))


def _append_parameters(values: dict[str, Any]) -> dict[str, Any]:
    head, tail = digest_body(values["at"], values["actor"], values["action"], values["object_type"],
                             values["object_id"], values["details"])
    return {**values, "details": json.dumps(values["details"], ensure_ascii=False), "lock_key": lock_key(CHAIN_LOCK),
            "body_head": head, "body_tail": tail}


_APPEND_DRIVER = ("SELECT entry_id, entry_prev_hash, entry_digest FROM lokerwatch_audit_append(%(lock_key)s::bigint, "
                  "%(at)s::timestamptz, %(actor)s::varchar, %(action)s::varchar, %(object_type)s::varchar, "
                  "%(object_id)s::varchar, %(details)s::json, %(body_head)s::bytea, %(body_tail)s::bytea)")
_APPEND = text("SELECT entry_id, entry_prev_hash, entry_digest FROM lokerwatch_audit_append(:lock_key, :at, :actor, "
              ":action, :object_type, :object_id, CAST(:details AS json), :body_head, :body_tail)")


def _append_on_server(session: Session, values: dict[str, Any]) -> tuple[int, str, str]:
    """Lock, read the last hash, hash and insert in one PostgreSQL call: (id, previous hash, hash)."""
    row = session.execute(_APPEND, _append_parameters(values)).one()
    return int(row[0]), str(row[1]), str(row[2])


def _warn_unbound() -> None:
    global _warned_unbound
    if not _warned_unbound:
        _warned_unbound = True
        log.warning("event=audit_head_unbound message=%r", "no audit head file bound to this store; "
                    "the chain is kept but deletions of the newest entries cannot be detected")


class AuditedSession:
    """A session whose reads are audited: the use case says what it read, `finish()` records it and commits.

    Reads are appended to the chain when their own transaction ends: on SQLite a read transaction cannot take the
    write lock an append needs, so the order is read -> commit -> append -> commit; on PostgreSQL the appends and
    the read's COMMIT go in one round trip (`commit_with_entries`). The
    API's and the desk's one audited-session dependency calls `finish()` before the answer leaves, so no
    route repeats that order, and a read whose audit entry cannot be written is never answered.
    Writes that are audited record their entry in their own transaction (`record_audit`), as before.
    """

    def __init__(self, session: Session, actor: str | Callable[[], str], via: str | None = None) -> None:
        self.session = session
        self._actor = actor
        self.via = via  # where the read was made ("desk" for the web pages), kept in each entry's details
        self._pending: list[tuple[str, str, str | int | None, dict[str, Any]]] = []

    @property
    def actor(self) -> str:
        """Who is reading, as the audit log names them (resolved when first needed)."""
        return self._actor() if callable(self._actor) else self._actor

    def audit(self, action: str, object_type: str, object_id: str | int | None = None,
              details: dict[str, Any] | None = None) -> None:
        """Note a read of case data; it is appended to the chain by `finish()`."""
        self._pending.append((action, object_type, object_id, {**({"via": self.via} if self.via else {}),
                                                                **(details or {})}))

    def finish(self) -> None:
        """End the request's transaction with every noted read appended to the chain."""
        if not self._pending:
            self.session.commit()
            return
        if self.session.get_bind().dialect.name == "postgresql":
            # The entries commit with the read's own transaction, appended and committed in one round trip.
            commit_with_entries(self.session, self.actor, list(self._pending))
        else:
            self.session.commit()
            for action, object_type, object_id, details in self._pending:
                record_audit(self.session, self.actor, action, object_type, object_id, details)
            self.session.commit()
        self._pending.clear()


@event.listens_for(Session, "after_commit")
def _append_heads(session: Session) -> None:
    """After the entries are durable, append their hashes to the head file (never before)."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    with _FILE_LOCK:
        by_path: dict[Path, list[str]] = {}
        for path, entry_id, entry_hash in pending:
            by_path.setdefault(path, []).append(f"{entry_id} {entry_hash}\n")
        for path, lines in by_path.items():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                # One write of whole lines in append mode: lines from several workers never interleave.
                fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
                try:
                    os.write(fd, "".join(lines).encode())
                finally:
                    os.close(fd)
            except OSError:
                log.exception("event=audit_head_write_failed path=%s", path)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


def chain_head(session: Session) -> tuple[int, str] | None:
    head = session.execute(select(AuditEntry.id, AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    return (head[0], head[1]) if head else None


def recorded_heads(path: Path) -> list[tuple[int, str]]:
    """Every head written to the file, in file order (malformed lines are reported by verify)."""
    if not path.exists():
        return []
    heads = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0].isdigit():
            heads.append((int(parts[0]), parts[1]))
    return heads


@dataclass
class AuditReport:
    entries: int = 0
    head: tuple[int, str] | None = None
    recorded_head: tuple[int, str] | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _entries(session: Session, batch: int = 2000) -> Iterator[AuditEntry]:
    last = 0
    while rows := list(session.scalars(select(AuditEntry).where(AuditEntry.id > last).order_by(AuditEntry.id)
                                       .limit(batch))):
        yield from rows
        last = rows[-1].id
        session.expunge_all()


def verify_audit_log(session: Session, head_path: Path | None) -> AuditReport:
    """Re-hash every entry, check each links to the one before, and that every recorded head is still there."""
    report = AuditReport()
    prev_hash = GENESIS_HASH
    hashes: dict[int, str] = {}
    for entry in _entries(session):
        report.entries += 1
        if entry.prev_hash != prev_hash:
            report.problems.append(f"entry {entry.id}: does not follow the entry before it (an entry was removed "
                                   "or inserted)")
        expected = entry_digest(entry.prev_hash, entry.at, entry.actor, entry.action, entry.object_type,
                                entry.object_id, entry.details)
        if expected != entry.entry_hash:
            report.problems.append(f"entry {entry.id}: content does not match its hash (it was edited)")
        prev_hash = entry.entry_hash
        hashes[entry.id] = entry.entry_hash
        report.head = (entry.id, entry.entry_hash)
    if head_path is None:
        return report
    recorded = recorded_heads(head_path)
    if not recorded:
        if report.entries:
            report.problems.append(f"{head_path}: no recorded head, yet the log has {report.entries} entries "
                                   "(the head file is missing or was emptied)")
        return report
    report.recorded_head = max(recorded)
    for entry_id, entry_hash in recorded:
        stored = hashes.get(entry_id)
        if stored is None:
            report.problems.append(f"recorded head {entry_id} is missing from the log (newest entries deleted?)")
        elif stored != entry_hash:
            report.problems.append(f"recorded head {entry_id} has a different hash in the log (entry replaced)")
    return report
