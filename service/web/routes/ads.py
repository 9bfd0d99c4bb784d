"""The ad page: highlighted red flags and deciding facts, the legal checklist of an overseas ad, scores and
what moved them, entities, the poster images beside their OCR text, a safe snapshot view, links, and decisions.

The page's data is one core read (`service.review.ad_page.read_ad_page`, built on the API's own ad,
related-ads and cluster functions); the writes are the API's claim, release, decide and reopen. This
module only shapes pages and redirects.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from service.api.deps import DeskRead, DeskWrite, ReviewThreshold, SettingsDep
from service.auth.roles import DESK_ROLES, Role
from service.auth.users import Principal
from service.display.reasons import reasons
from service.errors import ConflictError, DeskError, NotFoundError
from service.links.views import ClusterView, TimelineEvent
from service.review.ad_page import read_ad_page
from service.review.decisions import claim_ad, decide, release_claim, reopen
from service.review.poster_images import read_poster_image
from service.web import explain
from service.web.flash import flash_message, flash_url
from service.web.security import DESK_PREFIX, PRIVATE_CACHE, require_page_role
from service.web.templating import render

router = APIRouter(include_in_schema=False)
DeskUser = Annotated[Principal, Depends(require_page_role(*DESK_ROLES))]
DeskPoster = Annotated[Principal, Depends(require_page_role(*DESK_ROLES, csrf=True))]
SupervisorPoster = Annotated[Principal, Depends(require_page_role(Role.SUPERVISOR, csrf=True))]
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
def ad_page(ad_id: int, request: Request, user: DeskUser, desk: DeskRead,
            pesan: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    try:
        page = read_ad_page(desk, ad_id, MAX_RELATED_SHOWN, MAX_SNAPSHOTS_SHOWN)
    except NotFoundError as exc:
        raise HTTPException(404, "Iklan tidak ditemukan.") from exc
    detail = page.detail
    segments = explain.highlight(detail.full_text, detail.indicators, detail.facts)
    ad_segments, poster_segments = explain.split_at_poster(segments, detail.full_text, detail.ocr_text)
    return render(request, "ad.html", {
        "ad": detail, "segments": ad_segments, "poster_segments": poster_segments, "posters": page.posters,
        "indicators": explain.unique_hits(detail.indicators), "facts": explain.fact_rows(detail.facts),
        "reasons": reasons(detail.score.top_features) if detail.score else [],
        "fact_tone_labels": explain.FACT_TONE_LABELS,
        "related": page.related.related[:MAX_RELATED_SHOWN], "related_total": len(page.related.related),
        "excerpts": page.excerpts, "cluster": page.cluster, "timeline": _timeline(page.cluster),
        "snapshots": page.snapshots, "decision_buttons": DECISION_BUTTONS, "link_reasons": LINK_REASONS,
        "timeline_events": TIMELINE_EVENTS, "flash": flash_message(pesan),
        "mine": detail.claim is not None and detail.claim.username == user.username,
        "is_supervisor": user.role is Role.SUPERVISOR,
    })


@router.get(f"{DESK_PREFIX}/iklan/{{ad_id}}/gambar/{{snapshot_id}}")
def poster_image(ad_id: int, snapshot_id: int, user: DeskUser, desk: DeskRead) -> Response:
    """A poster image of the ad, from its evidence snapshot (the page shows it beside the OCR text)."""
    try:
        poster = read_poster_image(desk, ad_id, snapshot_id)
    except NotFoundError as exc:
        raise HTTPException(404, "Gambar tidak ditemukan: iklan ini tidak punya gambar dengan nomor itu.") from exc
    return Response(poster.body, media_type=poster.image.media_type, headers={"cache-control": PRIVATE_CACHE})


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
def claim(ad_id: int, user: DeskPoster, desk: DeskWrite, settings: SettingsDep) -> Response:
    try:
        claim_ad(desk.session, user, ad_id, settings.claim_lease_seconds)
    except DeskError as exc:
        return RedirectResponse(flash_url(_ad_url(ad_id), _conflict_code(exc)), status_code=303)
    return RedirectResponse(flash_url(_ad_url(ad_id), "diklaim"), status_code=303)


@router.post(f"{DESK_PREFIX}/iklan/{{ad_id}}/lepas")
def release(ad_id: int, user: DeskPoster, desk: DeskWrite) -> Response:
    try:
        release_claim(desk.session, user, ad_id)
    except DeskError as exc:
        return RedirectResponse(flash_url(_ad_url(ad_id), _conflict_code(exc)), status_code=303)
    return RedirectResponse(flash_url(_ad_url(ad_id), "dilepas"), status_code=303)


@router.post(f"{DESK_PREFIX}/iklan/{{ad_id}}/keputusan")
def decide_ad(ad_id: int, user: DeskPoster, desk: DeskWrite, threshold: ReviewThreshold,
              decision: Annotated[Literal["trafficking", "scam", "benign", "need_info"], Form()],
              note: Annotated[str, Form(max_length=10_000)] = "",
              kembali: Annotated[str, Form(max_length=20)] = "") -> Response:
    """Record a decision; back to the queue (the ad has left it) unless the analyst came from elsewhere."""
    try:
        decide(desk.session, user, ad_id, decision, note, threshold)
    except DeskError as exc:
        return RedirectResponse(flash_url(_ad_url(ad_id), _conflict_code(exc)), status_code=303)
    code = "perlu-info" if decision == "need_info" else "diputuskan"
    if kembali == "iklan":
        return RedirectResponse(flash_url(_ad_url(ad_id), code), status_code=303)
    return RedirectResponse(flash_url(f"{DESK_PREFIX}/antrean", code), status_code=303)


@router.post(f"{DESK_PREFIX}/iklan/{{ad_id}}/buka-lagi")
def reopen_ad(ad_id: int, user: SupervisorPoster, desk: DeskWrite, threshold: ReviewThreshold,
              note: Annotated[str, Form(min_length=1, max_length=10_000)]) -> Response:
    try:
        reopen(desk.session, user, ad_id, note, threshold)
    except DeskError as exc:
        return RedirectResponse(flash_url(_ad_url(ad_id), _conflict_code(exc)), status_code=303)
    return RedirectResponse(flash_url(_ad_url(ad_id), "dibuka"), status_code=303)
