"""Named deployment-wide values in `app_state` (active model, queue sync point, leader lease)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from service.store.tables import AppState
from service.store.types import utc_now


def put_state(session: Session, key: str, value: dict[str, Any], expires_at: datetime | None = None) -> AppState:
    """Insert or replace one value in the caller's transaction (the caller commits)."""
    row = session.get(AppState, key)
    if row is None:
        row = AppState(key=key)
        session.add(row)
    row.value = value
    row.expires_at = expires_at
    row.updated_at = utc_now()
    return row
