"""Stored ads: the cursor listing with latest scores, and one ad's detail. Desk roles only; every read audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.orm import Session

from service.ad_detail import ad_detail
from service.ad_views import ad_record
from service.api.deps import get_session
from service.api.desk_deps import json_response
from service.api.desk_schemas import AdDetailOut, AdId
from service.api.schemas import AdOut, AdPage
from service.audit import record_audit
from service.auth.dependencies import require_role
from service.auth.roles import DESK_ROLES
from service.auth.users import Principal
from service.store.ads import ads_page

router = APIRouter(prefix="/ads", tags=["ads"])
Desk = Annotated[Principal, Depends(require_role(*DESK_ROLES))]


@router.get("", response_model=AdPage)
def list_ads(
    user: Desk,
    session: Annotated[Session, Depends(get_session)],
    after: Annotated[int, Query(ge=0, description="Cursor: the last id of the previous page")] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> AdPage:
    page = ads_page(session, after, limit)
    items = [AdOut.model_validate(ad_record(item)) for item in page]
    next_cursor = page[-1].ad.id if len(page) == limit else None
    session.commit()  # end the read; the audit append takes the write lock on its own
    record_audit(session, user.actor, "ads.list", "ad", None, {"ad_ids": [item.id for item in items]})
    session.commit()
    return AdPage(items=items, next_cursor=next_cursor)


@router.get("/{ad_id}", response_model=AdDetailOut, responses={404: {"description": "No such ad"}})
def get_ad(ad_id: AdId, user: Desk, session: Annotated[Session, Depends(get_session)]) -> Response:
    """One ad with its score, red flags (with spans), entities, evidence snapshots and decision history."""
    detail = ad_detail(session, ad_id)
    session.commit()
    record_audit(session, user.actor, "ad.read", "ad", ad_id, {})
    session.commit()
    return json_response(detail)
