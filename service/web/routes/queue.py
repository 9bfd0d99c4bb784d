"""The queue page: 5a's ordering, filters and claims, shown as a table analysts move through by keyboard."""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.api.deps import get_session, get_settings_dep
from service.api.desk_deps import get_write_session
from service.audit import record_audit
from service.auth.roles import DESK_ROLES
from service.auth.users import Principal
from service.desk_errors import DeskError
from service.queue import QueueFilters, claim_next_ad, list_queue, sync_queue
from service.settings import Settings
from service.store.tables import QueueEntry, QueueIndicator
from service.web.flash import flash_message, flash_url
from service.web.security import DESK_PREFIX, require_page_role
from service.web.templating import page_zone, render

router = APIRouter(include_in_schema=False)
DeskUser = Annotated[Principal, Depends(require_page_role(*DESK_ROLES))]
DeskPoster = Annotated[Principal, Depends(require_page_role(*DESK_ROLES, csrf=True))]
PAGE_SIZE = 50
STATUSES = ("open", "need_info", "reopened")


def _filters(sumber: str | None, modus: str | None, indikator: str | None, wilayah: str | None,
             status: str | None, bebas: bool, sejak: date | None, klaster: int | None, zone: tzinfo) -> QueueFilters:
    # A day typed by an analyst means that day in the desk's zone (WIB unless configured), from midnight.
    since = datetime.combine(sejak, time(0, 0), tzinfo=zone) if sejak else None
    return QueueFilters(source=sumber or None, modus=modus or None, indicator=indikator or None,
                        region=wilayah or None, status=status if status in STATUSES else None, unclaimed=bebas,
                        since=since, cluster_id=klaster)


def _options(session: Session) -> dict[str, list[str]]:
    """What the filter drop-downs offer: values present in the queue now."""
    live = QueueEntry.in_queue.is_(True)
    return {
        "sources": sorted(s for s in session.scalars(select(QueueEntry.source).where(live).distinct()) if s),
        "modus": sorted(m for m in session.scalars(select(QueueEntry.modus).where(live).distinct()) if m),
        "indicators": sorted(session.scalars(select(QueueIndicator.name).join(
            QueueEntry, QueueEntry.ad_id == QueueIndicator.ad_id).where(live).distinct())),
    }


@router.get(f"{DESK_PREFIX}/antrean")
def queue_page(request: Request, user: DeskUser, session: Annotated[Session, Depends(get_session)],
               settings: Annotated[Settings, Depends(get_settings_dep)],
               sumber: Annotated[str | None, Query(max_length=40)] = None,
               modus: Annotated[str | None, Query(max_length=60)] = None,
               indikator: Annotated[str | None, Query(max_length=100)] = None,
               wilayah: Annotated[str | None, Query(max_length=100)] = None,
               status: Annotated[str | None, Query(max_length=20)] = None,
               bebas: bool = False,
               sejak: date | None = None,
               klaster: Annotated[int | None, Query(ge=1)] = None,
               cursor: Annotated[str | None, Query(max_length=200)] = None,
               pesan: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    sync_queue(session, settings.review_threshold)
    filters = _filters(sumber, modus, indikator, wilayah, status, bebas, sejak, klaster, page_zone(request))
    try:
        items, next_cursor = list_queue(session, filters, cursor, PAGE_SIZE)
    except DeskError:
        return RedirectResponse(f"{DESK_PREFIX}/antrean", status_code=303)
    session.commit()  # end the read (and sync); the audit append takes the write lock on its own
    record_audit(session, user.actor, "queue.list", "ad", None,
                 {"via": "desk", "filters": {k: str(v) for k, v in filters.__dict__.items() if v},
                  "ad_ids": [item.entry.ad_id for item in items]})
    session.commit()
    query = {k: v for k, v in {"sumber": sumber, "modus": modus, "indikator": indikator, "wilayah": wilayah,
                               "status": status, "bebas": "1" if bebas else None,
                               "sejak": sejak.isoformat() if sejak else None,
                               "klaster": str(klaster) if klaster else None}.items() if v}
    return render(request, "queue.html", {
        "items": items, "next_cursor": next_cursor, "filters": query, "options": _options(session),
        "flash": flash_message(pesan), "statuses": STATUSES,
    })


@router.post(f"{DESK_PREFIX}/antrean/ambil")
def claim_next(user: DeskPoster, session: Annotated[Session, Depends(get_write_session)],
               settings: Annotated[Settings, Depends(get_settings_dep)]) -> Response:
    """Claim the first unclaimed ad in queue order and open it."""
    claim = claim_next_ad(session, user, QueueFilters(), settings.claim_lease_seconds)
    if claim is None:
        return RedirectResponse(flash_url(f"{DESK_PREFIX}/antrean", "kosong"), status_code=303)
    return RedirectResponse(flash_url(f"{DESK_PREFIX}/iklan/{claim.ad_id}", "diklaim"), status_code=303)
