"""Read-only listing of stored ads with their latest scores."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from service.ad_views import ad_record
from service.api.deps import get_session
from service.api.schemas import AdOut, AdPage
from service.store.ads import ads_page

router = APIRouter(prefix="/ads", tags=["ads"])


@router.get("", response_model=AdPage)
def list_ads(
    session: Annotated[Session, Depends(get_session)],
    after: Annotated[int, Query(ge=0, description="Cursor: the last id of the previous page")] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> AdPage:
    page = ads_page(session, after, limit)
    items = [AdOut.model_validate(ad_record(item)) for item in page]
    next_cursor = page[-1].ad.id if len(page) == limit else None
    return AdPage(items=items, next_cursor=next_cursor)
