"""Fixtures of the review-desk tests (helpers live in tests/service/desk.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.settings import Settings
from service.store.session import Store
from tests.service.desk import Desk, make_users


@pytest.fixture
def desk(settings: Settings, store: Store) -> Iterator[Desk]:
    """The API on the test store with one user per role (and a second analyst)."""
    with store.session_factory() as session:
        users = make_users(session)
    app = create_app(settings, store)
    with TestClient(app) as client:
        yield Desk(client, app, settings, store, users)
