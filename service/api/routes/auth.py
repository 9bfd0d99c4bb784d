"""Log-in (OAuth2 password flow), the caller's identity, and API tokens for scripts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.orm import Session

from service.api.deps import get_session, get_settings_dep
from service.api.desk_deps import get_write_session
from service.api.desk_schemas import ApiTokenIn, ApiTokenOut, MeOut, NewApiTokenOut, TokenId, TokenOut
from service.audit import record_audit
from service.auth.dependencies import public_endpoint, require_role
from service.auth.roles import ALL_ROLES
from service.auth.throttle import LoginLocked
from service.auth.tokens import issue_access_token
from service.auth.users import (
    InvalidCredentials,
    Principal,
    authenticate,
    create_api_token,
    list_api_tokens,
    revoke_api_token,
)
from service.settings import Settings
from service.store.tables import User

router = APIRouter(prefix="/auth", tags=["auth"])
AnyUser = Annotated[Principal, Depends(require_role(*ALL_ROLES))]


@router.post("/token", response_model=TokenOut, dependencies=[Depends(public_endpoint)],
             responses={401: {"description": "Wrong username or password"}, 429: {"description": "Throttled"}})
def log_in(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()],
           session: Annotated[Session, Depends(get_session)],
           settings: Annotated[Settings, Depends(get_settings_dep)]) -> TokenOut:
    """Exchange a username and password for a short-lived access token."""
    client = request.client.host if request.client else "unknown"
    try:
        user = authenticate(session, settings, form.username, form.password, client)
    except LoginLocked as exc:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, str(exc),
                            headers={"Retry-After": str(exc.retry_after_seconds)}) from exc
    except InvalidCredentials as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc), headers={"WWW-Authenticate": "Bearer"}) from exc
    token, lifetime = issue_access_token(settings, user.id, user.role)
    return TokenOut(access_token=token, expires_in=lifetime)


@router.get("/me", response_model=MeOut)
def me(user: AnyUser) -> MeOut:
    return MeOut(id=user.id, username=user.username, role=user.role.value, unit=user.unit, via=user.via)


@router.post("/api-tokens", response_model=NewApiTokenOut, status_code=status.HTTP_201_CREATED)
def new_api_token(body: ApiTokenIn, user: AnyUser,
                  session: Annotated[Session, Depends(get_write_session)]) -> NewApiTokenOut:
    """A token for scripts, shown once."""
    owner = session.get(User, user.id)
    assert owner is not None  # current_user just loaded it
    row, token = create_api_token(session, owner, body.name, body.days)
    record_audit(session, user.actor, "api_token.create", "api_token", row.id, {"name": row.name})
    session.commit()
    return NewApiTokenOut(id=row.id, name=row.name, created_at=row.created_at, expires_at=row.expires_at,
                          revoked_at=None, token=token)


@router.get("/api-tokens", response_model=list[ApiTokenOut])
def api_tokens(user: AnyUser, session: Annotated[Session, Depends(get_session)]) -> list[ApiTokenOut]:
    return [ApiTokenOut(id=t.id, name=t.name, created_at=t.created_at, expires_at=t.expires_at,
                        revoked_at=t.revoked_at) for t in list_api_tokens(session, user.id)]


@router.delete("/api-tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke(token_id: TokenId, user: AnyUser, session: Annotated[Session, Depends(get_write_session)]) -> Response:
    if not revoke_api_token(session, user.id, token_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"you have no active API token {token_id}")
    record_audit(session, user.actor, "api_token.revoke", "api_token", token_id, {})
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
