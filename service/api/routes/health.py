"""Liveness and readiness: answers without touching case data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from service import __version__
from service.api.deps import get_session
from service.auth.dependencies import public_endpoint
from service.store.session import store_answers

router = APIRouter(tags=["health"])


@router.get("/healthz", dependencies=[Depends(public_endpoint)])
def healthz(session: Annotated[Session, Depends(get_session)]) -> dict[str, str]:
    """OK when the store answers a trivial query."""
    store_answers(session)
    return {"status": "ok", "version": __version__}
