"""Request-scoped dependencies: the store, the settings, plain sessions and the one audited session.

Routes over case data take an `AuditedSession` (`AuditedRead`, `AuditedWrite`; the desk's pages use the
`via="desk"` ones): the use case notes what it read, and the dependency appends those entries and commits
after the route returns but before the answer is sent (`scope="function"`), so no route writes the
commit -> record_audit -> commit steps itself, and an answer whose audit entry failed is never sent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, TypeAdapter
from sqlalchemy.orm import Session

from service.api.schemas import MAX_ID
from service.audit import AuditedSession
from service.auth.users import Principal
from service.errors import DeskError, LokerwatchError, NotFoundError
from service.review.queue import decode_cursor
from service.review.queue_sync import synced_threshold
from service.scoring.threshold import RULES_REVIEW_THRESHOLD, review_threshold
from service.settings import Settings
from service.store.engine import immediate
from service.store.session import Store

log = logging.getLogger("lokerwatch.api")


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_review_threshold(request: Request) -> float:
    """The review threshold in force (`service.scoring.threshold`), read once per request.

    If the active model's thresholds cannot be read, the desk keeps working with the threshold the queue
    was last built with (what it shows is what the queue holds), and says so in the log.
    """
    cached: float | None = getattr(request.state, "review_threshold", None)
    if cached is not None:
        return cached
    with get_store(request).session_factory() as session:
        try:
            threshold = review_threshold(session, request.app.state.settings)
        except LokerwatchError as exc:
            threshold = synced_threshold(session) or RULES_REVIEW_THRESHOLD
            log.warning("event=review_threshold_fallback threshold=%s reason=%r", threshold, str(exc))
    request.state.review_threshold = threshold
    return threshold


async def queue_cursor(cursor: Annotated[str | None, Query(max_length=200, description="`next_cursor` of the previous "
                                                    "page")] = None) -> str | None:
    """A cursor names a place in the queue; one the API never gave out names no page: 404, like a missing id."""
    if cursor:
        try:
            rank, _, ad_id = decode_cursor(cursor)
        except DeskError as exc:
            raise NotFoundError(f"no such queue page: {exc}") from exc
        if not (abs(rank) <= MAX_ID and 0 <= ad_id <= MAX_ID):
            raise NotFoundError("no such queue page: cursor is not one this API gave out; start again without it")
    return cursor


def get_session(request: Request) -> Iterator[Session]:
    with get_store(request).session_factory() as session:
        yield session


def _caller(request: Request) -> str:
    """The actor of the request's audit entries: set by the route's role dependency before the route runs."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None:
        raise RuntimeError("an audited session needs a route that declares who may call it (require_role)")
    return principal.actor


class AuditedSessionDependency:
    """Yields the request's `AuditedSession`; `write=True` takes SQLite's write lock at BEGIN (claims, decisions:
    two requests must not both act on the same state), `via` names where the reads were made."""

    def __init__(self, *, write: bool = False, via: str | None = None) -> None:
        self.write = write
        self.via = via

    def __call__(self, request: Request) -> Iterator[AuditedSession]:
        store = get_store(request)
        with store.session_factory() as session:
            if self.write and store.dialect == "sqlite":
                immediate(session)
            audited = AuditedSession(session, lambda: _caller(request), via=self.via)
            yield audited
            audited.finish()  # only when the route returned: a failed request rolls back and audits nothing


def audited_session(*, write: bool = False, via: str | None = None) -> Any:
    """`Depends(...)` for an audited session, ended before the response is sent."""
    return Depends(AuditedSessionDependency(write=write, via=via), scope="function")


AuditedRead = Annotated[AuditedSession, audited_session()]
AuditedWrite = Annotated[AuditedSession, audited_session(write=True)]
# The desk's pages: the same dependency, the entries say the reads were made at the desk.
DeskRead = Annotated[AuditedSession, audited_session(via="desk")]
DeskWrite = Annotated[AuditedSession, audited_session(write=True, via="desk")]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
ReviewThreshold = Annotated[float, Depends(get_review_threshold)]
QueueCursor = Annotated[str | None, Depends(queue_cursor)]


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _adapter(kind: type) -> TypeAdapter[Any]:
    if kind not in _ADAPTERS:
        _ADAPTERS[kind] = TypeAdapter(kind)
    return _ADAPTERS[kind]


def json_response(value: Any) -> Response:
    """A value already shaped by the route, serialised once (FastAPI would validate it a second time).

    The route still names its `response_model`, so the OpenAPI schema is unchanged.
    """
    body = value.model_dump_json() if isinstance(value, BaseModel) else _adapter(type(value)).dump_json(value)
    return Response(content=body, media_type="application/json")
