"""FastAPI dependencies every router uses to say who may call it.

    user: Annotated[Principal, Depends(require_role(Role.ANALYST, Role.SUPERVISOR))]

Every endpoint declares a policy: `require_role(...)` or, for the few open ones, `public_endpoint`.
`route_policy` reads it back from a route, so a test can prove that no endpoint lacks one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import OAuth2PasswordBearer
from starlette.concurrency import run_in_threadpool

from service.auth.roles import Role
from service.auth.tokens import decode_access_token, looks_like_api_token
from service.auth.users import Principal, principal_of, user_for_api_token
from service.settings import Settings
from service.store.session import Store
from service.store.tables import User
from service.store.types import utc_now

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False,
                                     description="An access token from /auth/token, or an API token (lw_...).")

_UNAUTHENTICATED = {"WWW-Authenticate": "Bearer"}


# How long one API process goes on trusting a token's user without reading the store again: disabling an account,
# changing its role or revoking an API token takes effect on every process within this many seconds.
USER_RECHECK_SECONDS = 5.0
_CACHE_LIMIT = 10_000  # distinct tokens remembered per process; past it the cache starts empty again


class PrincipalCache:
    """Who each bearer token stood for when last checked in the store, per process, for `USER_RECHECK_SECONDS`.

    Reading the user row took its own session, transaction and query on every request (a fifth of a desk
    request's statements); a few seconds of trust is the bound stated above, and an access token is never
    trusted past its own expiry.
    """

    def __init__(self, seconds: float = USER_RECHECK_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._entries: dict[str, tuple[Principal, float, datetime | None]] = {}

    def get(self, token: str) -> Principal | None:
        found = self._entries.get(token)
        if found is None:
            return None
        principal, checked_at, expires_at = found
        if self.clock() - checked_at >= self.seconds or (expires_at is not None and expires_at <= utc_now()):
            self._entries.pop(token, None)
            return None
        return principal

    def put(self, token: str, principal: Principal, expires_at: datetime | None) -> None:
        if len(self._entries) >= _CACHE_LIMIT:
            self._entries.clear()
        self._entries[token] = (principal, self.clock(), expires_at)

    def clear(self) -> None:
        self._entries.clear()


def principal_cache(request: Request) -> PrincipalCache:
    """The app's cache (one per process and app, so tests with their own app never share one)."""
    cache: PrincipalCache | None = getattr(request.app.state, "principal_cache", None)
    if cache is None:
        cache = request.app.state.principal_cache = PrincipalCache()
    return cache


async def current_user(request: Request, token: Annotated[str | None, Depends(oauth2_scheme)]) -> Principal:
    """The caller behind the bearer token (access token or API token); 401 if none or not valid.

    The user is read in a session of its own (the endpoint's own session starts clean: its first statement may
    be BEGIN IMMEDIATE), at most every `USER_RECHECK_SECONDS` per token and process (`PrincipalCache`). Async, so
    a token found in the cache costs no hop to a worker thread; the store is read in one.
    """
    if not token:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "not authenticated: send 'Authorization: Bearer <token>'",
                            headers=_UNAUTHENTICATED)
    cache = principal_cache(request)
    principal = cache.get(token)
    if principal is None:
        principal = await run_in_threadpool(_principal_from_store, request, token, cache)
    request.state.principal = principal
    return principal


def _principal_from_store(request: Request, token: str, cache: PrincipalCache) -> Principal:
    settings: Settings = request.app.state.settings
    store: Store = request.app.state.store
    expires_at: datetime | None = None
    with store.session_factory() as session:
        user: User | None
        via = "access_token"
        if looks_like_api_token(token):
            user, via = user_for_api_token(session, token, utc_now()), "api_token"
        else:
            claims = decode_access_token(settings, token)
            user = session.get(User, claims.user_id) if claims else None
            expires_at = claims.expires_at if claims else None
        if user is None or user.disabled:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid, expired or revoked token; log in again",
                                headers=_UNAUTHENTICATED)
        principal = principal_of(user, via)
    cache.put(token, principal, expires_at)
    return principal


class RoleRequirement:
    """A dependency admitting only the named roles (403 for the others); returns the caller."""

    def __init__(self, roles: Iterable[Role]) -> None:
        self.roles = frozenset(roles)
        if not self.roles:
            raise ValueError("require_role needs at least one role")

    async def __call__(self, user: Annotated[Principal, Depends(current_user)]) -> Principal:
        if user.role not in self.roles:
            allowed = ", ".join(sorted(role.value for role in self.roles))
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                f"role {user.role.value!r} may not do this (allowed: {allowed})")
        return user

    def __repr__(self) -> str:
        return f"require_role({', '.join(sorted(r.value for r in self.roles))})"


def require_role(*roles: Role) -> RoleRequirement:
    return RoleRequirement(roles)


def public_endpoint() -> None:
    """Marks an endpoint as open to anyone (health check, log-in): an explicit choice, not an omission."""


def _walk(dependant: Dependant) -> Iterable[Dependant]:
    for sub in dependant.dependencies:
        yield sub
        yield from _walk(sub)


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    dependant: Dependant


def iter_endpoints(app: FastAPI) -> Iterator[Endpoint]:
    """Every (method, path) the app serves with its resolved dependencies, router-level ones included."""
    try:  # FastAPI >= 0.16x keeps included routers lazily; this resolves them as requests would see them
        from fastapi.routing import iter_route_contexts

        contexts: Iterable[Any] = iter_route_contexts(app.routes)
    except ImportError:
        contexts = app.routes
    for context in contexts:
        dependant = getattr(context, "dependant", None)
        if not isinstance(dependant, Dependant):
            continue
        for method in sorted(getattr(context, "methods", None) or ()):
            yield Endpoint(method, str(context.path), dependant)


def route_policy(route: APIRoute | Endpoint) -> frozenset[Role] | Literal["public"] | None:
    """The roles a route admits, "public", or None when it declares nothing (a bug)."""
    roles: frozenset[Role] | None = None
    for sub in _walk(route.dependant):
        if isinstance(sub.call, RoleRequirement):
            roles = sub.call.roles if roles is None else roles & sub.call.roles
        elif sub.call is public_endpoint:
            return "public"
    return roles
