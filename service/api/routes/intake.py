"""Manual intake: an analyst adds an ad by its text, or by a URL on a configured source host."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from sqlalchemy.orm import Session

from service.api.deps import get_session, get_settings_dep
from service.api.desk_deps import get_write_session
from service.api.desk_schemas import IntakeOut, TextIntakeIn, UrlIntakeIn
from service.auth.dependencies import require_role
from service.auth.roles import DESK_ROLES
from service.auth.users import Principal
from service.intake import IntakeResult, fetch_for_intake, page_as_post, store_intake, text_post
from service.settings import Settings
from service.store.engine import immediate

router = APIRouter(prefix="/intake", tags=["intake"])
Desk = Annotated[Principal, Depends(require_role(*DESK_ROLES))]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def _out(result: IntakeResult) -> IntakeOut:
    return IntakeOut(ad_id=result.ad_id, outcome=result.outcome, snapshot_id=result.snapshot_id, risk=result.risk,
                     in_queue=result.in_queue)


@router.post("/text", response_model=IntakeOut, status_code=status.HTTP_201_CREATED)
def intake_text(body: TextIntakeIn, user: Desk, session: Annotated[Session, Depends(get_write_session)],
                settings: SettingsDep) -> IntakeOut:
    """Add an ad from its pasted text (nothing is fetched, even if a URL is given)."""
    post = text_post(body.text, body.title, body.source, body.url, body.location)
    return _out(store_intake(session, settings, user, post, None, {"via": "text"}))


@router.post("/url", response_model=IntakeOut, status_code=status.HTTP_201_CREATED,
             responses={422: {"description": "URL refused (not an allow-listed source host) or unreadable"}})
def intake_url(body: UrlIntakeIn, user: Desk, session: Annotated[Session, Depends(get_session)],
               settings: SettingsDep) -> IntakeOut:
    """Fetch an ad page from a configured source host, keep it as evidence, and add the ad."""
    page = fetch_for_intake(settings, body.url)  # before any transaction: no lock is held over the network
    post = page_as_post(page)
    if session.get_bind().dialect.name == "sqlite":
        immediate(session)
    return _out(store_intake(session, settings, user, post, page, {"via": "url", "url": body.url}))
