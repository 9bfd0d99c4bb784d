"""Stored ads: the cursor listing with latest scores, and one ad's detail. Desk roles only; every read audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from service.api.deps import AuditedRead, json_response
from service.api.schemas import AdId, AdPage, AfterId
from service.auth.dependencies import require_role
from service.auth.roles import DESK_ROLES
from service.auth.users import Principal
from service.review.ad_detail import AdDetail, read_ad
from service.review.ad_records import list_ads

router = APIRouter(prefix="/ads", tags=["ads"])
Desk = Annotated[Principal, Depends(require_role(*DESK_ROLES))]


@router.get("", response_model=AdPage)
def get_ads(
    user: Desk,
    desk: AuditedRead,
    after: AfterId = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> AdPage:
    page = list_ads(desk, after, limit)
    return AdPage(items=page.items, next_cursor=page.next_cursor)


@router.get("/{ad_id}", response_model=AdDetail, responses={404: {"description": "No such ad"}})
def get_ad(ad_id: AdId, user: Desk, desk: AuditedRead) -> Response:
    """One ad with its score, red flags (with spans), entities, evidence snapshots and decision history."""
    return json_response(read_ad(desk, ad_id))
