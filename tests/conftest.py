"""Test-wide fixtures: every store test runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.settings import Settings
from service.store.session import Store, open_store
from tests.pg_server import PostgresServer

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES_DIR = REPO_ROOT / "tests" / "fixtures"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # "No tests collected" means the suite is broken, never that it passed.
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'lokerwatch.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.create_database()


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=db_url, model_dir=tmp_path / "models", dev_mode=True,
                    secret_key="test-signing-key-not-for-production", _env_file=None,  # type: ignore[call-arg]
                    audit_head_path=tmp_path / "audit-head.log", signing_key_path=tmp_path / "signing-key.pem")


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    opened = open_store(settings)
    yield opened
    opened.dispose()


@pytest.fixture(scope="session")
def small_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small model trained once per run (tests/trained.py); copy it with `tests.trained.install_model`."""
    from tests.trained import train_small_model

    return train_small_model(tmp_path_factory.mktemp("small-model"))


@pytest.fixture
def fixtures_dir() -> Path:
    """tests/fixtures: real captures (with their licences) and team-written pages in the real formats."""
    return FIXTURES_DIR
