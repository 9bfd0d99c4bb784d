"""The desk's browser session: signed-token cookie, CSRF tokens, role checks and security headers.

The cookie holds the same signed access token the JSON API issues (5a's `issue_access_token`), so a
page and an API call agree on who is logged in and a disabled account stops at once. It is HttpOnly
and SameSite=Strict; forms also carry a CSRF token (an HMAC of a random per-browser nonce kept in its
own cookie), so a request forged from another site fails even where SameSite is not enforced.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import HTTPException, Request, Response, status
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.auth.dependencies import RoleRequirement, principal_cache
from service.auth.roles import Role
from service.auth.tokens import AccessClaims, decode_access_token, issue_access_token, signing_key
from service.auth.users import Principal, principal_of
from service.settings import Settings
from service.store.session import Store
from service.store.tables import User

DESK_PREFIX = "/desk"
SESSION_COOKIE = "lw_session"
CSRF_COOKIE = "lw_csrf"
CSRF_FIELD = "csrf_token"
# Scraped text is shown as text only; nothing on a desk page may load or run from elsewhere.
CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}
# A page may ask for this instead of no-store (poster images: the browser may keep its own copy, no shared cache).
PRIVATE_CACHE = "private, max-age=300"


class LoginRequired(Exception):
    """No valid session: browsers go to the log-in page, scripts get 401."""


class PageForbidden(Exception):
    """Logged in, but this page is not for the user's role."""

    def __init__(self, principal: Principal, roles: frozenset[Role]) -> None:
        super().__init__(f"role {principal.role.value} may not open this page")
        self.principal = principal
        self.roles = roles


def _cookie_kwargs(request: Request) -> dict[str, Any]:
    return {"httponly": True, "samesite": "strict", "secure": request.url.scheme == "https", "path": DESK_PREFIX}


def set_session_cookie(request: Request, response: Response, token: str, lifetime_seconds: int) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=lifetime_seconds, **_cookie_kwargs(request))


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, **_cookie_kwargs(request))


def _session_token(request: Request) -> str | None:
    token = request.cookies.get(SESSION_COOKIE)
    header = request.headers.get("authorization", "")
    if not token and header.lower().startswith("bearer "):
        token = header[7:].strip()
    return token or None


def _user_from_store(request: Request, token: str, claims: AccessClaims) -> Principal | None:
    store: Store = request.app.state.store
    with store.session_factory() as session:
        user = session.get(User, claims.user_id)
        if user is None or user.disabled:
            return None
        principal = principal_of(user)
    principal_cache(request).put(token, principal, claims.expires_at)
    return principal


def _claims(request: Request) -> tuple[str, AccessClaims] | None:
    """The session's token and its claims, if it is a valid access token of ours (API tokens open no page)."""
    token = _session_token(request)
    claims = decode_access_token(request.app.state.settings, token) if token else None
    return (token, claims) if token and claims else None


def _renewed(request: Request, principal: Principal | None, claims: AccessClaims) -> Principal | None:
    # Sliding session: past half its life the token is replaced, so a working analyst stays logged in
    # while an idle browser is logged out after `access_token_minutes`.
    settings: Settings = request.app.state.settings
    remaining = claims.expires_at - datetime.now(UTC)
    if principal is not None and request.cookies.get(SESSION_COOKIE) \
            and remaining < timedelta(minutes=settings.access_token_minutes) / 2:
        request.state.renewed_session = issue_access_token(settings, principal.id, principal.role.value)
    return principal


def session_principal(request: Request) -> Principal | None:
    """The user behind the session cookie (or a bearer token, so scripts and the role test can call pages).

    The user row is trusted for a few seconds from the same per-process cache as the API's (`PrincipalCache`),
    so a page costs no user read.
    """
    if (found := _claims(request)) is None:
        return None
    token, claims = found
    return _renewed(request, principal_cache(request).get(token) or _user_from_store(request, token, claims), claims)


async def session_principal_async(request: Request) -> Principal | None:
    """`session_principal` for async dependencies: the store is read on a worker thread, never on the event loop."""
    if (found := _claims(request)) is None:
        return None
    token, claims = found
    principal = principal_cache(request).get(token) or await run_in_threadpool(_user_from_store, request, token, claims)
    return _renewed(request, principal, claims)


class PageRoleRequirement(RoleRequirement):
    """`require_role` for pages: same declaration (5a's `route_policy` reads it), cookie-based caller.

    With `csrf=True` (every POST) a caller logged in by cookie must also send the form's CSRF token;
    a script sending its own bearer header cannot be forged by another site, so it needs none.
    """

    def __init__(self, roles: Iterable[Role], csrf: bool = False) -> None:
        super().__init__(roles)
        self.csrf = csrf

    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]
        principal = await session_principal_async(request)
        if principal is None:
            raise LoginRequired()
        if principal.role not in self.roles:
            raise PageForbidden(principal, self.roles)
        if self.csrf and request.cookies.get(SESSION_COOKIE):
            await verify_csrf(request)
        request.state.principal = principal
        return principal


def require_page_role(*roles: Role, csrf: bool = False) -> PageRoleRequirement:
    return PageRoleRequirement(roles, csrf)


# --- CSRF --------------------------------------------------------------------------------------------


def _csrf_digest(settings: Settings, nonce: str) -> str:
    return hmac.new(signing_key(settings).encode(), f"csrf|{nonce}".encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The token forms on this page carry; creates the browser's nonce on first use."""
    nonce = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf_nonce", None)
    if not nonce:
        nonce = secrets.token_urlsafe(32)
        request.state.new_csrf_nonce = nonce
    return _csrf_digest(request.app.state.settings, nonce)


async def verify_csrf(request: Request) -> None:
    """Dependency of every POST: the form's token must match this browser's nonce cookie."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    nonce = request.cookies.get(CSRF_COOKIE)
    if not isinstance(sent, str) or not nonce or not hmac.compare_digest(sent, _csrf_digest(
            request.app.state.settings, nonce)):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "CSRF token tidak sah: muat ulang halaman lalu coba lagi")


# --- headers ------------------------------------------------------------------------------------------


class DeskHeadersMiddleware:
    """Adds CSP and friends to desk pages, and sets renewed session / new CSRF cookies (pure ASGI)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == "/" or path.startswith(DESK_PREFIX)):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                own = [(k, v) for k, v in message.get("headers", [])]
                private = [(k, v) for k, v in own if k.decode().lower() == "cache-control"
                           and v.decode() == PRIVATE_CACHE]
                headers = [(k, v) for k, v in own if k.decode().lower() not in SECURITY_HEADERS]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()
                            if not (k == "cache-control" and private)]
                headers += private
                headers += _pending_cookies(scope)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _pending_cookies(scope: Scope) -> list[tuple[bytes, bytes]]:
    state = scope.get("state") or {}
    secure = "; Secure" if scope.get("scheme") == "https" else ""
    cookies: list[tuple[bytes, bytes]] = []
    nonce = state.get("new_csrf_nonce")
    if nonce:
        cookies.append((b"set-cookie", f"{CSRF_COOKIE}={nonce}; HttpOnly; SameSite=Strict; Path={DESK_PREFIX}"
                                       f"{secure}".encode()))
    renewed = state.get("renewed_session")
    if renewed and not state.get("logged_out"):
        token, lifetime = renewed
        cookies.append((b"set-cookie", f"{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path={DESK_PREFIX}; "
                                       f"Max-Age={lifetime}{secure}".encode()))
    return cookies
