"""Manual intake: an analyst adds an ad by its text, or by a URL on a configured source host."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status

from service.api.deps import AuditedRead, AuditedWrite, SettingsDep
from service.api.schemas import IntakeOut, TextIntakeIn, UrlIntakeIn
from service.auth.dependencies import require_role
from service.auth.roles import DESK_ROLES
from service.auth.users import Principal
from service.collect.intake import IntakeResult, intake_text, intake_url

router = APIRouter(prefix="/intake", tags=["intake"])
Desk = Annotated[Principal, Depends(require_role(*DESK_ROLES))]


def _out(result: IntakeResult) -> IntakeOut:
    return IntakeOut(ad_id=result.ad_id, outcome=result.outcome, snapshot_id=result.snapshot_id, risk=result.risk,
                     in_queue=result.in_queue)


@router.post("/text", response_model=IntakeOut, status_code=status.HTTP_201_CREATED)
def post_text(body: TextIntakeIn, user: Desk, desk: AuditedWrite, settings: SettingsDep) -> IntakeOut:
    """Add an ad from its pasted text (nothing is fetched, even if a URL is given)."""
    return _out(intake_text(desk.session, settings, user, body.text, body.title, body.source, body.url, body.location))


@router.post("/url", response_model=IntakeOut, status_code=status.HTTP_201_CREATED,
             responses={403: {"description": "URL refused (not an allow-listed source host), or its page could not "
                                             "be fetched or read"}})
def post_url(body: UrlIntakeIn, user: Desk, desk: AuditedRead, settings: SettingsDep) -> IntakeOut:
    """Fetch an ad page from a configured source host, keep it as evidence, and add the ad.

    The session takes its write lock only after the page is fetched, so none is held over the network.
    """
    return _out(intake_url(desk.session, settings, user, body.url))
