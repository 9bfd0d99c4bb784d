"""One way to serialise read-then-write transactions on both stores.

SQLite: `BEGIN IMMEDIATE` takes the database's write lock before the first read, so two writers
cannot both read the same state and both act on it. PostgreSQL: a transaction-level advisory lock
on a named key, released at commit or rollback.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.orm import Session

from service.store.engine import immediate


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for `pg_advisory_xact_lock` from a readable name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def write_lock(session: Session, name: str) -> Session:
    """Serialise this transaction against others taking the same lock (call before the first read).

    On SQLite the lock is the whole database's write lock, so `name` does not matter there; if the
    session's transaction has already begun, SQLite's lock is only taken at the first write.
    """
    if session.get_bind().dialect.name == "sqlite":
        if not session.in_transaction():
            immediate(session)
        return session
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(name)})
    return session


def begin_work_sharing(session: Session) -> Session:
    """Start a transaction that reads candidates, then takes one of them with `try_write_lock` (call first).

    SQLite has no finer lock than the database's, and a transaction that reads before it writes must hold it from
    BEGIN, so it is taken here; PostgreSQL needs nothing until `try_write_lock`.
    """
    if session.get_bind().dialect.name == "sqlite":
        write_lock(session, "work-sharing")
    return session


def try_write_lock(session: Session, name: str) -> bool:
    """Take the lock `name` if no other transaction holds it, without waiting (SQLite: `write_lock`, which waits).

    For work sharing across processes: each worker skips what another is busy with, as FOR UPDATE SKIP LOCKED does.
    Held until the transaction ends.
    """
    if session.get_bind().dialect.name == "sqlite":
        write_lock(session, name)
        return True
    return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": lock_key(name)}))
