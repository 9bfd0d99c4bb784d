"""Opening the store: one engine and session factory per process, schema brought up to date."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from service.settings import Settings
from service.store.engine import make_engine, make_session_factory
from service.store.migrate import ensure_schema


@dataclass
class Store:
    engine: Engine
    session_factory: sessionmaker[Session]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(settings: Settings, migrate: bool = True) -> Store:
    """Connect to the configured database; on an empty (or older) store, run the migrations first."""
    engine = make_engine(settings.database_url, settings.sqlite_busy_timeout_ms)
    if migrate:
        ensure_schema(engine)
    return Store(engine, make_session_factory(engine))


def store_answers(session: Session) -> None:
    """A trivial query: raises when the store cannot be reached (the health check's whole job)."""
    session.execute(text("SELECT 1"))
