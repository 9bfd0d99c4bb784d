"""Log-in (OAuth2 password flow), the caller's identity, and API tokens for scripts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.orm import Session

from service.api.deps import AuditedRead, AuditedWrite, SettingsDep, get_session
from service.api.schemas import ApiTokenIn, ApiTokenOut, MeOut, NewApiTokenOut, TokenId, TokenOut
from service.auth.dependencies import principal_cache, public_endpoint, require_role
from service.auth.roles import ALL_ROLES
from service.auth.throttle import LoginLocked
from service.auth.users import (
    InvalidCredentials,
    Principal,
    issue_api_token,
    list_api_tokens,
    log_in,
    revoke_own_api_token,
)

router = APIRouter(prefix="/auth", tags=["auth"])
AnyUser = Annotated[Principal, Depends(require_role(*ALL_ROLES))]


@router.post("/token", response_model=TokenOut, dependencies=[Depends(public_endpoint)],
             responses={401: {"description": "Wrong username or password"}, 429: {"description": "Throttled"}})
def post_token(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()],
               session: Annotated[Session, Depends(get_session)], settings: SettingsDep) -> TokenOut:
    """Exchange a username and password for a short-lived access token."""
    try:
        grant = log_in(session, settings, form.username, form.password,
                       request.client.host if request.client else "unknown")
    except LoginLocked as exc:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, str(exc),
                            headers={"Retry-After": str(exc.retry_after_seconds)}) from exc
    except InvalidCredentials as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc), headers={"WWW-Authenticate": "Bearer"}) from exc
    return TokenOut(access_token=grant.access_token, expires_in=grant.lifetime_seconds)


@router.get("/me", response_model=MeOut)
def me(user: AnyUser) -> MeOut:
    return MeOut(id=user.id, username=user.username, role=user.role.value, unit=user.unit, via=user.via)


@router.post("/api-tokens", response_model=NewApiTokenOut, status_code=status.HTTP_201_CREATED)
def post_api_token(body: ApiTokenIn, user: AnyUser, desk: AuditedWrite) -> NewApiTokenOut:
    """A token for scripts, shown once."""
    row, token = issue_api_token(desk.session, user, body.name, body.days)
    return NewApiTokenOut(id=row.id, name=row.name, created_at=row.created_at, expires_at=row.expires_at,
                          revoked_at=None, token=token)


@router.get("/api-tokens", response_model=list[ApiTokenOut])
def get_api_tokens(user: AnyUser, desk: AuditedRead) -> list[ApiTokenOut]:
    return [ApiTokenOut(id=t.id, name=t.name, created_at=t.created_at, expires_at=t.expires_at,
                        revoked_at=t.revoked_at) for t in list_api_tokens(desk.session, user.id)]


@router.delete("/api-tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_api_token(token_id: TokenId, request: Request, user: AnyUser, desk: AuditedWrite) -> Response:
    if not revoke_own_api_token(desk.session, user, token_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"you have no active API token {token_id}")
    principal_cache(request).clear()  # this process stops trusting it at once; others within USER_RECHECK_SECONDS
    return Response(status_code=status.HTTP_204_NO_CONTENT)
