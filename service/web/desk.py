"""Puts the desk into the API app.

`install_web(app)` is the one line `create_app` needs: it adds the page routers, the vendored static
files, the security headers and the handlers that turn "not logged in" into the log-in page.
"""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.web.routes import ads, dashboard, leads, login, queue
from service.web.security import DESK_PREFIX, DeskHeadersMiddleware, LoginRequired, PageForbidden
from service.web.templating import STATIC_DIR, render

# Starlette's own English phrases ("Not Found") said in Bahasa Indonesia; our own details already are.
STATUS_MESSAGES = {404: "Halaman tidak ditemukan.", 405: "Halaman ini tidak dapat dibuka dengan cara itu.",
                   413: "Kiriman terlalu besar.", 429: "Terlalu banyak permintaan; coba lagi sebentar lagi."}


def _error_message(exc: StarletteHTTPException) -> str:
    detail = str(exc.detail)
    try:
        default = HTTPStatus(exc.status_code).phrase
    except ValueError:
        default = ""
    if detail == default:
        return STATUS_MESSAGES.get(exc.status_code, "Permintaan tidak dapat diproses.")
    return detail


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


async def _login_required(request: Request, exc: Exception) -> Response:
    if not _wants_html(request):
        return JSONResponse({"detail": "not authenticated: log in at /desk/masuk"}, status_code=401)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{DESK_PREFIX}/masuk?next={quote(target)}", status_code=303)


async def _forbidden(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageForbidden)
    request.state.principal = exc.principal
    if not _wants_html(request):
        return JSONResponse({"detail": str(exc)}, status_code=403)
    return render(request, "error.html", {"title": "Akses ditolak",
                                          "message": "Halaman ini bukan untuk peran Anda."}, 403)


def install_web(app: FastAPI) -> None:
    """Add the desk to the API app (pages under /desk, `/` redirects to the queue)."""
    for router in (login.router, queue.router, ads.router, leads.router, dashboard.router):
        app.include_router(router)
    app.mount(f"{DESK_PREFIX}/static", StaticFiles(directory=str(STATIC_DIR)), name="desk-static")
    app.add_middleware(DeskHeadersMiddleware)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(PageForbidden, _forbidden)
    _html_http_errors(app)


def _html_http_errors(app: FastAPI) -> None:
    """Desk pages answer errors (404, 403 CSRF) with a page; the JSON API keeps FastAPI's JSON."""
    from fastapi.exception_handlers import http_exception_handler

    previous = app.exception_handlers.get(StarletteHTTPException, http_exception_handler)

    async def handler(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if request.url.path.startswith(DESK_PREFIX) and _wants_html(request):
            return render(request, "error.html", {"title": "Permintaan tidak dapat diproses",
                                                  "message": _error_message(exc)}, exc.status_code)
        response = previous(request, exc)
        return await response if hasattr(response, "__await__") else response

    app.add_exception_handler(StarletteHTTPException, handler)

