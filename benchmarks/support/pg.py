"""A PostgreSQL database for a benchmark: a scratch one on the server LOKERWATCH_DATABASE_URL names, or a throw-away
server (initdb + pg_ctl in a temporary folder, as the tests start theirs) when that names none.

A benchmark never writes into the store it is pointed at: it creates its own database beside it and drops it
afterwards, so `LOKERWATCH_DATABASE_URL=postgresql://... make bench` measures that server, not that data.
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import URL, make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for `tests.pg_server`
from tests.pg_server import PostgresServer

DATABASE_URL_VARIABLE = "LOKERWATCH_DATABASE_URL"
SERVER_OPTIONS = "-c shared_buffers=512MB -c maintenance_work_mem=256MB -c max_wal_size=4GB"  # room for 1M ads


@contextmanager
def throwaway_server() -> Iterator[URL]:
    """A private server on 127.0.0.1 for as long as the block runs (the tests' own `PostgresServer`, with more
    memory for a million ads); yields the URL of its `postgres` database. Durability is off: the benchmark
    measures lokerwatch's queries, not this disk."""
    try:
        server = PostgresServer(extra_options=SERVER_OPTIONS, timeout=300)
    except RuntimeError as exc:
        raise SystemExit(f"error: {exc}, or name a server in {DATABASE_URL_VARIABLE}") from exc
    yield from _serving(server)


def _serving(server: PostgresServer) -> Iterator[URL]:
    """Start `server`, yield the URL of its `postgres` database, and stop it however the block ends."""
    server.start()
    try:
        yield URL.create("postgresql+psycopg", username=server.user, host="127.0.0.1", port=server.port,
                         database="postgres")
    finally:
        server.stop()


def _libpq(url: URL, database: str) -> str:
    return url.set(drivername="postgresql", database=database).render_as_string(hide_password=False)


class KeptServer(PostgresServer):
    """A benchmark server whose data directory outlives the run, so a loaded store can be used again."""

    def __init__(self, folder: Path, extra_options: str, timeout: float) -> None:
        super().__init__(extra_options=extra_options, timeout=timeout)
        shutil.rmtree(self.root, ignore_errors=True)  # the parent made a temporary folder; this server keeps `folder`
        self.root = folder.resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.data_dir = self.root / "data"

    def _run(self, *args: str) -> None:
        if args[0] == "initdb" and (self.data_dir / "PG_VERSION").exists():
            return  # made by an earlier run: start it as it is
        super()._run(*args)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "stop")  # a clean shutdown; the data stays


@contextmanager
def kept_server(folder: Path) -> Iterator[URL]:
    """Like `throwaway_server`, but its data lives in `folder` and is there for the next run."""
    yield from _serving(KeptServer(folder, extra_options=SERVER_OPTIONS, timeout=300))


def database_exists(server: URL, name: str) -> bool:
    with psycopg.connect(_libpq(server, server.database or "postgres"), autocommit=True) as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def create_database(server: URL, name: str, template: str | None = None) -> str:
    """A new database on `server` (empty, or a copy of `template`); returns its SQLAlchemy URL."""
    with psycopg.connect(_libpq(server, server.database or "postgres"), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return server.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)


def drop_database(server: URL, name: str) -> None:
    with psycopg.connect(_libpq(server, server.database or "postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def scratch_database(server: URL, template: str | None = None) -> Iterator[str]:
    """A new database on `server` for the block (empty, or a copy of `template`); yields its SQLAlchemy URL and drops
    it afterwards."""
    name = f"lokerwatch_bench_{uuid.uuid4().hex[:10]}"
    url = create_database(server, name, template)
    try:
        yield url
    finally:
        drop_database(server, name)


@contextmanager
def benchmark_database() -> Iterator[str]:
    """A scratch PostgreSQL database: on the server LOKERWATCH_DATABASE_URL names, or on a throw-away one."""
    named = os.environ.get(DATABASE_URL_VARIABLE, "")
    if named and make_url(named).get_backend_name() == "postgresql":
        with scratch_database(make_url(named)) as url:
            yield url
        return
    with throwaway_server() as server, scratch_database(server) as url:
        yield url


def describe(url: str) -> str:
    """The URL without a password, for printing."""
    return make_url(url).render_as_string(hide_password=True)


@contextmanager
def benchmark_store(folder: Path, name: str = "bench.db") -> Iterator[str]:
    """The store a benchmark that also runs on SQLite uses: a scratch database on the PostgreSQL server
    LOKERWATCH_DATABASE_URL names, else a new SQLite file in `folder`."""
    named = os.environ.get(DATABASE_URL_VARIABLE, "")
    if named and make_url(named).get_backend_name() == "postgresql":
        with scratch_database(make_url(named)) as url:
            yield url
        return
    yield f"sqlite:///{folder / name}"
