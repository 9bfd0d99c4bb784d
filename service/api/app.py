"""Builds the FastAPI application around one opened store."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError

from service import __version__
from service.api.body_limit import BodySizeLimitMiddleware
from service.api.metrics import install_request_metrics
from service.api.routes import admin, ads, auth, exports, health, intake, leads, links, queue
from service.audit import bind_head_file
from service.auth.tokens import signing_key
from service.errors import DeskError
from service.review.queue_sync import sync_queue
from service.settings import Settings
from service.store.session import Store, open_store
from service.web.desk import install_web


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """The API; tests pass their own store, `serve` lets it open the configured one."""
    signing_key(settings)  # refuse to start without a signing key (outside development mode)
    app = FastAPI(title="lokerwatch", version=__version__,
                  description="Review desk for suspicious Indonesian job ads (scam and TPPO risk).")
    app.state.settings = settings
    app.state.store = store or open_store(settings)
    bind_head_file(app.state.store.engine, settings.audit_head_path)
    with app.state.store.session_factory() as session:
        # The queue follows scores where they are made; at start-up it also takes up a changed review threshold.
        sync_queue(session, settings.review_threshold)
    app.add_middleware(BodySizeLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    install_request_metrics(app)
    app.add_exception_handler(DeskError, _desk_error)
    app.add_exception_handler(OverflowError, _out_of_range)
    app.add_exception_handler(DataError, _out_of_range)
    app.include_router(health.router)
    app.include_router(auth.router)
    app.include_router(ads.router)
    app.include_router(queue.router)
    app.include_router(intake.router)
    app.include_router(admin.router)
    app.include_router(links.router)
    app.include_router(leads.router)
    app.include_router(exports.router)
    install_web(app)  # the analysts' web desk (issue 6): pages under /desk
    return app


async def _out_of_range(request: Request, exc: Exception) -> JSONResponse:
    """A number or value the store cannot hold (e.g. an id past 64 bits) is the caller's error, not a 500."""
    return JSONResponse({"detail": "a value in the request is out of range for the store"}, status_code=422)


async def _desk_error(request: Request, exc: Exception) -> JSONResponse:
    """Domain errors become their 4xx with the message that says what to do; the session rolls back."""
    status = exc.http_status if isinstance(exc, DeskError) else 400
    return JSONResponse({"detail": str(exc)}, status_code=status)
