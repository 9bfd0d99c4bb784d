"""The queue page: the API's ordering, filters and claims, shown as a table analysts move through by keyboard."""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from service.api.deps import DeskRead, DeskWrite, SettingsDep
from service.auth.roles import DESK_ROLES
from service.auth.users import Principal
from service.errors import DeskError
from service.review.decisions import claim_next_ad
from service.review.queue import QueueFilters, read_queue
from service.web.flash import flash_message, flash_url
from service.web.security import DESK_PREFIX, require_page_role
from service.web.templating import page_zone, render

router = APIRouter(include_in_schema=False)
DeskUser = Annotated[Principal, Depends(require_page_role(*DESK_ROLES))]
DeskPoster = Annotated[Principal, Depends(require_page_role(*DESK_ROLES, csrf=True))]
PAGE_SIZE = 50
STATUSES = ("open", "need_info", "reopened")


def _day(value: str | None) -> date | None:
    """The filter form's date: its empty field (sent as `sejak=` by every browser) means no date filter."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise HTTPException(422, "Tanggal saringan tidak dikenali; tulis seperti 2026-12-01.") from exc


def _filters(sumber: str | None, modus: str | None, indikator: str | None, wilayah: str | None,
             status: str | None, bebas: bool, sejak: date | None, klaster: int | None, zone: tzinfo) -> QueueFilters:
    # A day typed by an analyst means that day in the desk's zone (WIB unless configured), from midnight.
    since = datetime.combine(sejak, time(0, 0), tzinfo=zone) if sejak else None
    return QueueFilters(source=sumber or None, modus=modus or None, indicator=indikator or None,
                        region=wilayah or None, status=status if status in STATUSES else None, unclaimed=bebas,
                        since=since, cluster_id=klaster)


@router.get(f"{DESK_PREFIX}/antrean")
def queue_page(request: Request, user: DeskUser, desk: DeskRead,
               sumber: Annotated[str | None, Query(max_length=40)] = None,
               modus: Annotated[str | None, Query(max_length=60)] = None,
               indikator: Annotated[str | None, Query(max_length=100)] = None,
               wilayah: Annotated[str | None, Query(max_length=100)] = None,
               status: Annotated[str | None, Query(max_length=20)] = None,
               bebas: bool = False,
               sejak: Annotated[str | None, Query(max_length=10)] = None,
               klaster: Annotated[int | None, Query(ge=1)] = None,
               cursor: Annotated[str | None, Query(max_length=200)] = None,
               pesan: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    day = _day(sejak)
    filters = _filters(sumber, modus, indikator, wilayah, status, bebas, day, klaster, page_zone(request))
    try:
        page = read_queue(desk, filters, cursor, PAGE_SIZE, with_options=True)
    except DeskError:
        return RedirectResponse(f"{DESK_PREFIX}/antrean", status_code=303)
    query = {k: v for k, v in {"sumber": sumber, "modus": modus, "indikator": indikator, "wilayah": wilayah,
                               "status": status, "bebas": "1" if bebas else None,
                               "sejak": day.isoformat() if day else None,
                               "klaster": str(klaster) if klaster else None}.items() if v}
    return render(request, "queue.html", {
        "items": page.items, "next_cursor": page.next_cursor, "filters": query, "options": page.options,
        "flash": flash_message(pesan), "statuses": STATUSES,
    })


@router.post(f"{DESK_PREFIX}/antrean/ambil")
def claim_next(user: DeskPoster, desk: DeskWrite, settings: SettingsDep) -> Response:
    """Claim the first unclaimed ad in queue order and open it."""
    claim = claim_next_ad(desk.session, user, QueueFilters(), settings.claim_lease_seconds)
    if claim is None:
        return RedirectResponse(flash_url(f"{DESK_PREFIX}/antrean", "kosong"), status_code=303)
    return RedirectResponse(flash_url(f"{DESK_PREFIX}/iklan/{claim.ad_id}", "diklaim"), status_code=303)
