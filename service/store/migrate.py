"""Schema migrations: Alembic is the only way lokerwatch's schema is created or changed."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from service.errors import StoreUnavailableError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads; merge them: {heads}")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except OperationalError as exc:
        raise StoreUnavailableError(f"cannot open the store at {engine.url!r}: {exc.orig}") from exc


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the store's schema to `revision` (all migrations by default)."""
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except OperationalError as exc:
        raise StoreUnavailableError(f"cannot migrate the store at {engine.url!r}: {exc.orig}") from exc


def ensure_schema(engine: Engine) -> None:
    """Run the migrations if the store is behind; every command except `db upgrade` calls this."""
    if current_revision(engine) != head_revision():
        upgrade(engine)
