"""Log-in and log-out pages: 5a's password check and database throttling, a signed token in a cookie."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from service.api.deps import get_session, get_settings_dep
from service.auth.dependencies import public_endpoint
from service.auth.roles import ALL_ROLES, Role
from service.auth.throttle import LoginLocked
from service.auth.users import InvalidCredentials, Principal, log_in, principal_of
from service.settings import Settings
from service.web.security import (
    DESK_PREFIX,
    clear_session_cookie,
    require_page_role,
    session_principal,
    set_session_cookie,
    verify_csrf,
)
from service.web.templating import render

router = APIRouter(include_in_schema=False)

HOME_BY_ROLE = {Role.POLICE: f"{DESK_PREFIX}/lead", Role.RESEARCHER: f"{DESK_PREFIX}/dasbor",
                Role.ADMIN: f"{DESK_PREFIX}/dasbor"}


def home_of(principal: Principal) -> str:
    return HOME_BY_ROLE.get(principal.role, f"{DESK_PREFIX}/antrean")


def _safe_next(target: str | None) -> str | None:
    """Only a path inside the desk: never an open redirect to another site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(DESK_PREFIX + "/") or "\\" in target:
        return None
    return target


@router.get("/", dependencies=[Depends(public_endpoint)])
def root() -> RedirectResponse:
    return RedirectResponse(f"{DESK_PREFIX}/antrean", status_code=303)


@router.get(DESK_PREFIX, dependencies=[Depends(public_endpoint)])
def desk_root(request: Request) -> RedirectResponse:
    principal = session_principal(request)
    return RedirectResponse(home_of(principal) if principal else f"{DESK_PREFIX}/masuk", status_code=303)


@router.get(f"{DESK_PREFIX}/masuk", dependencies=[Depends(public_endpoint)])
def login_page(request: Request, next: str | None = None) -> Response:
    principal = session_principal(request)
    if principal is not None:
        return RedirectResponse(_safe_next(next) or home_of(principal), status_code=303)
    return render(request, "login.html", {"next": _safe_next(next) or "", "error": None, "username": ""})


@router.post(f"{DESK_PREFIX}/masuk", dependencies=[Depends(public_endpoint), Depends(verify_csrf)])
def login_submit(request: Request, session: Annotated[Session, Depends(get_session)],
                 settings: Annotated[Settings, Depends(get_settings_dep)],
                 username: Annotated[str, Form(max_length=100)] = "",
                 password: Annotated[str, Form(max_length=1000)] = "",
                 next: Annotated[str, Form(max_length=2000)] = "") -> Response:
    client = request.client.host if request.client else "unknown"
    try:
        grant = log_in(session, settings, username, password, client, audit_action="desk.login")
    except LoginLocked as exc:
        minutes = max(1, round(exc.retry_after_seconds / 60))
        error = f"Terlalu banyak percobaan gagal. Coba lagi dalam {minutes} menit."
        return render(request, "login.html", {"next": next, "error": error, "username": username}, 429)
    except InvalidCredentials:
        return render(request, "login.html", {"next": next, "error": "Nama pengguna atau kata sandi salah.",
                                              "username": username}, 401)
    response = RedirectResponse(_safe_next(next) or home_of(principal_of(grant.user)), status_code=303)
    set_session_cookie(request, response, grant.access_token, grant.lifetime_seconds)
    return response


@router.post(f"{DESK_PREFIX}/keluar")
def logout(request: Request, user: Annotated[Principal, Depends(require_page_role(*ALL_ROLES, csrf=True))]) -> Response:
    request.state.logged_out = True
    response = RedirectResponse(f"{DESK_PREFIX}/masuk", status_code=303)
    clear_session_cookie(request, response)
    return response
