"""A PostgreSQL database for a benchmark: a scratch one on the server LOKERWATCH_DATABASE_URL names, or a throw-away
server (initdb + pg_ctl in a temporary folder, as the tests start theirs) when that names none.

A benchmark never writes into the store it is pointed at: it creates its own database beside it and drops it
afterwards, so `LOKERWATCH_DATABASE_URL=postgresql://... make bench` measures that server, not that data.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import URL, make_url

DATABASE_URL_VARIABLE = "LOKERWATCH_DATABASE_URL"


def _pg_bin_dir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise SystemExit("error: PostgreSQL server binaries not found: install them with `apt-get install -y postgresql`, "
                     f"or name a server in {DATABASE_URL_VARIABLE}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def throwaway_server() -> Iterator[URL]:
    """A private server on 127.0.0.1 for as long as the block runs; yields the URL of its `postgres` database.

    initdb refuses to run as root, so as root the server runs as the `postgres` user. Durability is off
    (fsync, synchronous_commit): the benchmark measures lokerwatch's queries, not this disk.
    """
    bin_dir = _pg_bin_dir()
    root = Path(tempfile.mkdtemp(prefix="lokerwatch-bench-pg-"))
    as_root = os.geteuid() == 0
    user = "postgres" if as_root else pwd.getpwuid(os.geteuid()).pw_name
    port = _free_port()

    def run(*args: str) -> None:
        command = [str(bin_dir / args[0]), *args[1:]]
        if as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=300)

    if as_root:
        os.chmod(root, 0o755)
        shutil.chown(root, "postgres", "postgres")
    data = root / "data"
    run("initdb", "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
    options = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off -c max_connections=200 -c shared_buffers=512MB -c maintenance_work_mem=256MB "
               "-c max_wal_size=4GB")
    run("pg_ctl", "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start")
    try:
        yield URL.create("postgresql+psycopg", username=user, host="127.0.0.1", port=port, database="postgres")
    finally:
        try:
            run("pg_ctl", "-D", str(data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(root, ignore_errors=True)


def _libpq(url: URL, database: str) -> str:
    return url.set(drivername="postgresql", database=database).render_as_string(hide_password=False)


@contextmanager
def scratch_database(server: URL) -> Iterator[str]:
    """A new empty database on `server` for the block; yields its SQLAlchemy URL and drops it afterwards."""
    name = f"lokerwatch_bench_{uuid.uuid4().hex[:10]}"
    admin = _libpq(server, server.database or "postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
