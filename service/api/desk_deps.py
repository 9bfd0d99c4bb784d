"""Sessions for endpoints that write: serialised from their first statement (see service.store.locking)."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from service.store.engine import immediate
from service.store.session import Store


def get_write_session(request: Request) -> Iterator[Session]:
    """A session whose transaction takes SQLite's write lock at BEGIN (a no-op on PostgreSQL).

    Endpoints that read then write (claims, decisions, audit appends after a read) use it so that
    two requests cannot both act on the same state, and SQLite never has to upgrade a read lock.
    """
    store: Store = request.app.state.store
    with store.session_factory() as session:
        if store.dialect == "sqlite":
            immediate(session)
        yield session


def json_response(model: BaseModel) -> Response:
    """A model already validated by the route, serialised once (FastAPI would validate it a second time).

    The route still names its `response_model`, so the OpenAPI schema is unchanged.
    """
    return Response(content=model.model_dump_json(), media_type="application/json")
