"""FastAPI dependencies every router uses to say who may call it.

    user: Annotated[Principal, Depends(require_role(Role.ANALYST, Role.SUPERVISOR))]

Every endpoint declares a policy: `require_role(...)` or, for the few open ones, `public_endpoint`.
`route_policy` reads it back from a route, so a test can prove that no endpoint lacks one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import OAuth2PasswordBearer

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


def current_user(request: Request, token: Annotated[str | None, Depends(oauth2_scheme)]) -> Principal:
    """The caller behind the bearer token (access token or API token); 401 if none or not valid.

    The user is looked up on every request in a session of its own, so a disabled account stops
    at once and the endpoint's own session starts clean (its first statement may be BEGIN IMMEDIATE).
    """
    if not token:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "not authenticated: send 'Authorization: Bearer <token>'",
                            headers=_UNAUTHENTICATED)
    settings: Settings = request.app.state.settings
    store: Store = request.app.state.store
    with store.session_factory() as session:
        user: User | None
        via = "access_token"
        if looks_like_api_token(token):
            user, via = user_for_api_token(session, token, utc_now()), "api_token"
        else:
            claims = decode_access_token(settings, token)
            user = session.get(User, claims.user_id) if claims else None
        if user is None or user.disabled:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid, expired or revoked token; log in again",
                                headers=_UNAUTHENTICATED)
        principal = principal_of(user, via)
    request.state.principal = principal
    return principal


class RoleRequirement:
    """A dependency admitting only the named roles (403 for the others); returns the caller."""

    def __init__(self, roles: Iterable[Role]) -> None:
        self.roles = frozenset(roles)
        if not self.roles:
            raise ValueError("require_role needs at least one role")

    def __call__(self, user: Annotated[Principal, Depends(current_user)]) -> Principal:
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
