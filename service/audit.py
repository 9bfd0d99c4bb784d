"""The append-only, hash-chained audit log of reads of case data, decisions and exports.

Call `record_audit(session, actor, action, object_type, object_id, details)` inside the transaction
that does the work (or right after a read); the entry is committed with it. Each entry's hash covers
its content and the previous entry's hash, so editing any entry breaks the chain. After each commit
the new head is appended to a file outside the store (`audit_head_path`), so deleting the newest
rows is detected too: `verify_audit_log` checks the chain and that it still reaches every recorded head.

Appends are serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-level advisory lock), and
`prev_hash` is unique in the schema, so two writers can never fork the chain.
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

from sqlalchemy import Engine, event, insert, select
from sqlalchemy.orm import Session

from service.store.locking import write_lock
from service.store.tables import AuditEntry
from service.store.types import utc_now

log = logging.getLogger("lokerwatch.audit")

GENESIS_HASH = "0" * 64
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


def entry_digest(prev_hash: str, at: datetime, actor: str, action: str, object_type: str,
                 object_id: str | None, details: dict[str, Any]) -> str:
    body = json.dumps(
        {"prev": prev_hash, "at": at.isoformat(timespec="microseconds"), "actor": actor, "action": action,
         "object_type": object_type, "object_id": object_id, "details": details},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def record_audit(session: Session, actor: str, action: str, object_type: str, object_id: str | int | None = None,
                 details: dict[str, Any] | None = None) -> AuditEntry:
    """Append one entry to the chain in the session's transaction; the caller commits.

    On SQLite, a transaction that also reads before it writes should start with
    `service.store.engine.immediate(session)`; this function does that itself when the session has
    no transaction yet.
    """
    write_lock(session, "audit-chain")
    # Core statements, not ORM flushes: every audited read pays for this append.
    prev_hash = session.execute(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)).scalar()
    prev_hash = prev_hash or GENESIS_HASH
    at = utc_now()
    clean = _canonical(details)
    oid = None if object_id is None else str(object_id)[:100]
    values = {"at": at, "actor": actor[:100], "action": action[:60], "object_type": object_type[:40],
              "object_id": oid, "details": clean, "prev_hash": prev_hash}
    entry_hash = entry_digest(prev_hash, at, values["actor"], values["action"], values["object_type"], oid, clean)
    entry_id = session.execute(insert(AuditEntry).values(**values, entry_hash=entry_hash)
                               .returning(AuditEntry.id)).scalar_one()
    entry = AuditEntry(id=entry_id, entry_hash=entry_hash, **values)
    path = _HEAD_FILES.get(session.get_bind())  # type: ignore[arg-type]
    if path is None:
        _warn_unbound()
    else:
        session.info.setdefault(_PENDING, []).append((path, entry_id, entry_hash))
    return entry  # a detached copy of what was written, for callers that want the id or hash


def _warn_unbound() -> None:
    global _warned_unbound
    if not _warned_unbound:
        _warned_unbound = True
        log.warning("event=audit_head_unbound message=%r", "no audit head file bound to this store; "
                    "the chain is kept but deletions of the newest entries cannot be detected")


class AuditedSession:
    """A session whose reads are audited: the use case says what it read, `finish()` records it and commits.

    Reads are appended to the chain after their own transaction ends: on SQLite a read transaction cannot
    take the write lock an append needs, so the order is always read -> commit -> append -> commit. The
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
        """End the request's transaction, then append every noted read and commit them."""
        self.session.commit()
        if not self._pending:
            return
        for action, object_type, object_id, details in self._pending:
            record_audit(self.session, self.actor, action, object_type, object_id, details)
        self._pending.clear()
        self.session.commit()


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
