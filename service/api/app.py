"""Builds the FastAPI application around one opened store."""

from __future__ import annotations

from fastapi import FastAPI

from service import __version__
from service.api.body_limit import BodySizeLimitMiddleware
from service.api.errors import install_error_handlers
from service.api.metrics import install_request_metrics
from service.api.openapi_doc import install_openapi
from service.api.routes import admin, ads, auth, exports, health, intake, leads, links, queue
from service.audit import bind_head_file
from service.auth.tokens import signing_key
from service.review.queue_sync import sync_queue
from service.scoring.threshold import review_threshold
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
        sync_queue(session, review_threshold(session, settings))
    app.add_middleware(BodySizeLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    install_request_metrics(app)
    install_error_handlers(app)  # one error shape (ErrorOut) for every error; before the desk wraps it
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
    install_openapi(app)  # every error status documented, as ErrorOut
    return app

