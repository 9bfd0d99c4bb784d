"""Leads pages: supervisors build a lead from confirmed ads and download its case package; police see
and update only their own unit's leads. All rules and the package itself are 5b's (`service.leads`,
`service.lead_package`); this module shapes pages and audits reads and exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.api.deps import get_session, get_settings_dep
from service.api.desk_deps import get_write_session
from service.audit import record_audit
from service.auth.roles import Role
from service.auth.users import Principal
from service.lead_package import build_lead_package
from service.leads import (
    CONFIRMED_DECISIONS,
    POLICE_STATUSES,
    LeadAccessDenied,
    LeadNotFound,
    LeadRuleError,
    Viewer,
    create_lead,
    get_lead,
    latest_decisions,
    lead_ad_ids,
    lead_events,
    list_leads,
    set_status,
)
from service.settings import Settings
from service.store.ads import latest_scores
from service.store.tables import Ad, LeadAd, LeadExport, Review, User
from service.web.flash import flash_message, flash_url
from service.web.security import DESK_PREFIX, require_page_role
from service.web.templating import render

router = APIRouter(include_in_schema=False)
LeadReader = Annotated[Principal, Depends(require_page_role(Role.SUPERVISOR, Role.POLICE))]
LeadMaker = Annotated[Principal, Depends(require_page_role(Role.SUPERVISOR, csrf=True))]
PackageTaker = Annotated[Principal, Depends(require_page_role(Role.SUPERVISOR, Role.POLICE, csrf=True))]
PolicePoster = Annotated[Principal, Depends(require_page_role(Role.POLICE, csrf=True))]
MAX_CANDIDATES = 200


def viewer_of(user: Principal) -> Viewer:
    return Viewer(user.username, user.role.value, user.unit)


@dataclass(frozen=True)
class Candidate:
    """A confirmed ad a supervisor may put into a lead."""

    ad: Ad
    review: Review
    in_lead: bool
    risk: float | None


def _candidates(session: Session) -> list[Candidate]:
    """Ads whose latest decision is trafficking or scam, newest decision first, with whether a lead has them."""
    reviewed = list(session.scalars(select(Review.ad_id).where(Review.decision.in_(CONFIRMED_DECISIONS))
                                    .distinct().order_by(Review.ad_id.desc()).limit(MAX_CANDIDATES * 2)))
    decisions = {ad_id: r for ad_id, r in latest_decisions(session, reviewed).items()
                 if r.decision in CONFIRMED_DECISIONS}
    ads = {ad.id: ad for ad in session.scalars(select(Ad).where(Ad.id.in_(list(decisions))))}
    in_leads = set(session.scalars(select(LeadAd.ad_id).where(LeadAd.ad_id.in_(list(decisions)))))
    scores = latest_scores(session, list(decisions))
    rows = [Candidate(ads[ad_id], review, ad_id in in_leads, scores[ad_id].risk if ad_id in scores else None)
            for ad_id, review in decisions.items() if ad_id in ads]
    rows.sort(key=lambda r: (r.in_lead, -r.review.id))
    return rows[:MAX_CANDIDATES]


def _units(session: Session) -> list[str]:
    return sorted(u for u in session.scalars(select(User.unit).where(User.role == Role.POLICE.value).distinct()) if u)


@router.get(f"{DESK_PREFIX}/lead")
def leads_page(request: Request, user: LeadReader, session: Annotated[Session, Depends(get_session)],
               pesan: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    leads = list_leads(session, viewer_of(user), limit=500)
    counts = {lead.id: len(lead_ad_ids(session, lead.id)) for lead in leads}
    is_supervisor = user.role is Role.SUPERVISOR
    candidates = _candidates(session) if is_supervisor else []
    session.commit()
    record_audit(session, user.actor, "leads.list", "lead", None, {"via": "desk", "lead_ids": [x.id for x in leads]})
    session.commit()
    return render(request, "leads.html", {
        "leads": sorted(leads, key=lambda x: -x.id), "counts": counts, "candidates": candidates,
        "units": _units(session) if is_supervisor else [], "is_supervisor": is_supervisor,
        "is_police": user.role is Role.POLICE, "flash": flash_message(pesan), "error": None, "form": {},
    })


@router.post(f"{DESK_PREFIX}/lead")
def build_lead(request: Request, user: LeadMaker, session: Annotated[Session, Depends(get_write_session)],
               unit: Annotated[str, Form(max_length=200)] = "", title: Annotated[str, Form(max_length=500)] = "",
               note: Annotated[str, Form(max_length=10_000)] = "",
               ad_ids: Annotated[list[int] | None, Form(alias="ad_id")] = None) -> Response:
    try:
        lead = create_lead(session, user.actor, unit, ad_ids or [], title, note)
    except (LeadRuleError, LeadNotFound) as exc:
        session.rollback()
        leads = list_leads(session, viewer_of(user), limit=500)
        return render(request, "leads.html", {
            "leads": sorted(leads, key=lambda x: -x.id),
            "counts": {x.id: len(lead_ad_ids(session, x.id)) for x in leads}, "candidates": _candidates(session),
            "units": _units(session), "is_supervisor": True, "is_police": False, "flash": None,
            "error": _lead_error(exc), "form": {"unit": unit, "title": title, "note": note,
                                                 "ad_ids": set(ad_ids or [])},
        }, 422)
    session.commit()  # create_lead audited it
    return RedirectResponse(flash_url(f"{DESK_PREFIX}/lead/{lead.id}", "lead-dibuat"), status_code=303)


def _lead_error(exc: Exception) -> str:
    text = str(exc)
    if "police unit" in text:
        return "Isi unit kepolisian tujuan lead."
    if "at least one ad" in text:
        return "Pilih minimal satu iklan terkonfirmasi."
    if "not confirmed" in text:
        return "Hanya iklan yang keputusan terakhirnya TPPO atau Penipuan yang bisa masuk lead."
    return "Lead tidak dapat dibuat."


def _lead_or_404(session: Session, lead_id: int, user: Principal) -> object:
    try:
        return get_lead(session, lead_id, viewer_of(user))
    except LeadNotFound as exc:
        raise HTTPException(404, "Lead tidak ditemukan.") from exc
    except LeadAccessDenied as exc:
        raise HTTPException(403, "Lead ini dikirim ke unit lain.") from exc


@router.get(f"{DESK_PREFIX}/lead/{{lead_id}}")
def lead_page(lead_id: int, request: Request, user: LeadReader, session: Annotated[Session, Depends(get_session)],
              pesan: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    lead = _lead_or_404(session, lead_id, user)
    ad_ids = lead_ad_ids(session, lead_id)
    ads = list(session.scalars(select(Ad).where(Ad.id.in_(ad_ids)).order_by(Ad.id)))
    decisions = latest_decisions(session, ad_ids)
    scores = latest_scores(session, ad_ids)
    exports = list(session.scalars(select(LeadExport).where(LeadExport.lead_id == lead_id).order_by(LeadExport.id)))
    events = lead_events(session, lead_id)
    session.commit()
    record_audit(session, user.actor, "lead.read", "lead", lead_id, {"via": "desk"})
    session.commit()
    return render(request, "lead.html", {
        "lead": lead, "ads": ads, "decisions": decisions, "scores": scores, "exports": exports, "events": events,
        "is_police": user.role is Role.POLICE, "can_download": user.role in (Role.SUPERVISOR, Role.POLICE),
        "police_statuses": [s for s in ("received", "in_progress", "closed") if s in POLICE_STATUSES],
        "flash": flash_message(pesan), "is_desk": user.role in (Role.ANALYST, Role.SUPERVISOR),
    })


@router.post(f"{DESK_PREFIX}/lead/{{lead_id}}/paket")
def download_package(lead_id: int, user: PackageTaker, session: Annotated[Session, Depends(get_write_session)],
                     settings: Annotated[Settings, Depends(get_settings_dep)]) -> Response:
    """The case package ZIP (5b builds it); each download is recorded as an export and audited."""
    _lead_or_404(session, lead_id, user)
    package = build_lead_package(session, lead_id, viewer_of(user), settings.display_timezone)  # audited there
    session.commit()
    return Response(package.data, media_type="application/zip", headers={
        "content-disposition": f'attachment; filename="{package.filename}"', "x-package-sha256": package.sha256})


@router.post(f"{DESK_PREFIX}/lead/{{lead_id}}/status")
def update_status(lead_id: int, user: PolicePoster, session: Annotated[Session, Depends(get_write_session)],
                  status: Annotated[str, Form(max_length=20)],
                  note: Annotated[str, Form(max_length=10_000)] = "") -> Response:
    try:
        set_status(session, lead_id, viewer_of(user), status, note)
    except LeadNotFound as exc:
        raise HTTPException(404, "Lead tidak ditemukan.") from exc
    except LeadAccessDenied as exc:
        raise HTTPException(403, "Lead ini dikirim ke unit lain.") from exc
    except LeadRuleError:
        return RedirectResponse(flash_url(f"{DESK_PREFIX}/lead/{lead_id}", "gagal"), status_code=303)
    session.commit()  # set_status audited it
    return RedirectResponse(flash_url(f"{DESK_PREFIX}/lead/{lead_id}", "status-lead"), status_code=303)
