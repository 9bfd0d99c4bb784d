"""The ad page: highlighted red flags, scores, entities, a safe snapshot view, links, and decisions.

Reads go through 5a's `ad_detail` and 5b's `related_ads`/`cluster_view`; writes through 5a's
`claim_ad`, `release_claim`, `decide` and `reopen`. This module only shapes pages and audits the read.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from model.records import AdText
from service.ad_detail import ad_detail
from service.api.deps import get_session, get_settings_dep, get_store
from service.api.desk_deps import get_write_session
from service.audit import record_audit
from service.auth.roles import DESK_ROLES, Role
from service.auth.users import Principal
from service.desk_errors import ConflictError, DeskError, NotFoundError
from service.link_views import ClusterView, TimelineEvent, cluster_view, related_ads
from service.linking import link_pending
from service.metrics import DECISIONS_TOTAL
from service.queue import claim_ad, decide, release_claim, reopen
from service.settings import Settings
from service.store.session import Store
from service.store.tables import Ad, Snapshot
from service.web import explain
from service.web.flash import flash_message, flash_url
from service.web.security import DESK_PREFIX, require_page_role
from service.web.snapshot import render_snapshot
from service.web.templating import render

router = APIRouter(include_in_schema=False)
DeskUser = Annotated[Principal, Depends(require_page_role(*DESK_ROLES))]
DeskPoster = Annotated[Principal, Depends(require_page_role(*DESK_ROLES, csrf=True))]
SupervisorPoster = Annotated[Principal, Depends(require_page_role(Role.SUPERVISOR, csrf=True))]
WriteSession = Annotated[Session, Depends(get_write_session)]
MAX_SNAPSHOTS_SHOWN = 3
MAX_RELATED_SHOWN = 30
MAX_TIMELINE_SHOWN = 60
# Key, decision, label: the order is the keyboard's 1-4.
DECISION_BUTTONS = (("1", "trafficking", "TPPO"), ("2", "scam", "Penipuan"), ("3", "benign", "Wajar"),
                    ("4", "need_info", "Perlu info"))
LINK_REASONS = {"phone": "nomor telepon sama", "email": "e-mail sama", "handle": "akun sama",
                "near_duplicate": "teks hampir sama"}
TIMELINE_EVENTS = {"posted": "diposting", "first_seen": "pertama terlihat", "seen": "terlihat lagi",
                   "decision": "keputusan"}


def _ad_url(ad_id: int) -> str:
    return f"{DESK_PREFIX}/iklan/{ad_id}"


@router.get(f"{DESK_PREFIX}/iklan/{{ad_id}}")
def ad_page(ad_id: int, request: Request, user: DeskUser, session: Annotated[Session, Depends(get_session)],
            store: Annotated[Store, Depends(get_store)], settings: Annotated[Settings, Depends(get_settings_dep)],
            pesan: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    # Link what is new first (cheap when nothing is stale), so related ads are never behind the store.
    link_pending(store.session_factory, settings.near_duplicate_threshold, limit=200)
    try:
        detail = ad_detail(session, ad_id)
    except NotFoundError as exc:
        raise HTTPException(404, "Iklan tidak ditemukan.") from exc
    related = related_ads(session, ad_id)
    cluster: ClusterView | None = cluster_view(session, related.cluster_id) if related.cluster_id else None
    timeline = _timeline(cluster)
    related_ids = [r.id for r in related.related[:MAX_RELATED_SHOWN]]
    excerpts: dict[int, str] = {row[0]: row[1] for row in session.execute(
        select(Ad.id, func.substr(Ad.text, 1, 90)).where(Ad.id.in_(related_ids)))}
    snapshot_ids = [s.id for s in detail.snapshots][-MAX_SNAPSHOTS_SHOWN:]
    ad_row = session.get(Ad, ad_id)  # the ad's own post is looked for in each snapshot
    snapshots = [render_snapshot(s, ad_row) for s in session.scalars(
        select(Snapshot).where(Snapshot.id.in_(snapshot_ids)).order_by(Snapshot.id.desc()))]
    session.commit()  # end the read; the audit append takes the write lock on its own
    record_audit(session, user.actor, "ad.read", "ad", ad_id, {"via": "desk"})
    session.commit()
    full_text = AdText(ad_id=str(ad_id), title=detail.title or "", text=detail.text).full_text
    return render(request, "ad.html", {
        "ad": detail, "segments": explain.highlight(full_text, detail.indicators),
        "indicators": explain.unique_hits(detail.indicators),
        "related": related.related[:MAX_RELATED_SHOWN], "related_total": len(related.related),
        "excerpts": excerpts, "cluster": cluster, "timeline": timeline,
        "snapshots": snapshots, "decision_buttons": DECISION_BUTTONS, "link_reasons": LINK_REASONS,
        "timeline_events": TIMELINE_EVENTS, "flash": flash_message(pesan),
        "mine": detail.claim is not None and detail.claim.username == user.username,
        "is_supervisor": user.role is Role.SUPERVISOR,
    })


def _timeline(cluster: ClusterView | None) -> list[TimelineEvent]:
    """The cluster's story for a person: postings and decisions, and a sighting only for ads with no post date.

    Re-sightings of the same ad in later snapshots matter to evidence (the lead package keeps them),
    not to an analyst reading who posted what when.
    """
    if cluster is None:
        return []
    posted = {e.ad_id for e in cluster.timeline if e.event == "posted"}
    kept = [e for e in cluster.timeline
            if e.event in ("posted", "decision") or (e.event == "first_seen" and e.ad_id not in posted)]
    return kept[-MAX_TIMELINE_SHOWN:]


def _conflict_code(exc: DeskError) -> str:
    if isinstance(exc, NotFoundError):
        return "tidak-ada"
    if isinstance(exc, ConflictError):
        return "diklaim-lain" if "claimed" in str(exc) else "tidak-di-antrean"
    return "gagal"


@router.post(f"{DESK_PREFIX}/iklan/{{ad_id}}/klaim")
def claim(ad_id: int, user: DeskPoster, session: WriteSession,
          settings: Annotated[Settings, Depends(get_settings_dep)]) -> Response:
    try:
        claim_ad(session, user, ad_id, settings.claim_lease_seconds)
    except DeskError as exc:
        return RedirectResponse(flash_url(_ad_url(ad_id), _conflict_code(exc)), status_code=303)
    return RedirectResponse(flash_url(_ad_url(ad_id), "diklaim"), status_code=303)


@router.post(f"{DESK_PREFIX}/iklan/{{ad_id}}/lepas")
def release(ad_id: int, user: DeskPoster, session: WriteSession) -> Response:
    try:
        release_claim(session, user, ad_id)
    except DeskError as exc:
        return RedirectResponse(flash_url(_ad_url(ad_id), _conflict_code(exc)), status_code=303)
    return RedirectResponse(flash_url(_ad_url(ad_id), "dilepas"), status_code=303)


@router.post(f"{DESK_PREFIX}/iklan/{{ad_id}}/keputusan")
def decide_ad(ad_id: int, user: DeskPoster, session: WriteSession,
              settings: Annotated[Settings, Depends(get_settings_dep)],
              decision: Annotated[Literal["trafficking", "scam", "benign", "need_info"], Form()],
              note: Annotated[str, Form(max_length=10_000)] = "",
              kembali: Annotated[str, Form(max_length=20)] = "") -> Response:
    """Record a decision; back to the queue (the ad has left it) unless the analyst came from elsewhere."""
    try:
        decide(session, user, ad_id, decision, note, settings.review_threshold)
    except DeskError as exc:
        return RedirectResponse(flash_url(_ad_url(ad_id), _conflict_code(exc)), status_code=303)
    DECISIONS_TOTAL.labels(decision=decision).inc()
    code = "perlu-info" if decision == "need_info" else "diputuskan"
    if kembali == "iklan":
        return RedirectResponse(flash_url(_ad_url(ad_id), code), status_code=303)
    return RedirectResponse(flash_url(f"{DESK_PREFIX}/antrean", code), status_code=303)


@router.post(f"{DESK_PREFIX}/iklan/{{ad_id}}/buka-lagi")
def reopen_ad(ad_id: int, user: SupervisorPoster, session: WriteSession,
              settings: Annotated[Settings, Depends(get_settings_dep)],
              note: Annotated[str, Form(min_length=1, max_length=10_000)]) -> Response:
    try:
        reopen(session, user, ad_id, note, settings.review_threshold)
    except DeskError as exc:
        return RedirectResponse(flash_url(_ad_url(ad_id), _conflict_code(exc)), status_code=303)
    return RedirectResponse(flash_url(_ad_url(ad_id), "dibuka"), status_code=303)
