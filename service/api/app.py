"""Builds the FastAPI application around one opened store."""

from __future__ import annotations

from fastapi import FastAPI

from service import __version__
from service.api.body_limit import BodySizeLimitMiddleware
from service.api.routes import ads, health
from service.settings import Settings
from service.store.session import Store, open_store


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """The API; tests pass their own store, `serve` lets it open the configured one."""
    app = FastAPI(title="lokerwatch", version=__version__,
                  description="Review desk for suspicious Indonesian job ads (scam and TPPO risk).")
    app.state.settings = settings
    app.state.store = store or open_store(settings)
    app.add_middleware(BodySizeLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    app.include_router(health.router)
    app.include_router(ads.router)
    return app
