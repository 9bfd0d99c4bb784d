"""Leads pages: supervisors build a lead from confirmed ads and download its case package; police see
and update only their own unit's leads. The rules, the reads and the package are the core's
(`service.leads`), the same the API's lead endpoints use; this module shapes pages and redirects.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from service.api.deps import DeskRead, DeskWrite, SettingsDep
from service.auth.roles import Role
from service.auth.users import Principal
from service.leads.desk import lead_dossier, leads_form_again, leads_overview
from service.leads.package import build_lead_package
from service.leads.package_format import PUBLIC_KEY_FILE
from service.leads.rules import (
    POLICE_STATUSES,
    LeadAccessDenied,
    LeadNotFound,
    LeadRuleError,
    Viewer,
    open_lead,
    update_lead_status,
)
from service.leads.screenshots import renderer_for
from service.leads.signing import existing_signer, load_or_create_signer
from service.settings import Settings
from service.web.flash import flash_message, flash_url
from service.web.security import DESK_PREFIX, require_page_role
from service.web.templating import render

router = APIRouter(include_in_schema=False)
LeadReader = Annotated[Principal, Depends(require_page_role(Role.SUPERVISOR, Role.POLICE))]
LeadMaker = Annotated[Principal, Depends(require_page_role(Role.SUPERVISOR, csrf=True))]
PackageTaker = Annotated[Principal, Depends(require_page_role(Role.SUPERVISOR, Role.POLICE, csrf=True))]
PolicePoster = Annotated[Principal, Depends(require_page_role(Role.POLICE, csrf=True))]


KEY_URL = f"{DESK_PREFIX}/kunci-publik.pem"


def _lead_url(lead_id: int) -> str:
    return f"{DESK_PREFIX}/lead/{lead_id}"


def _key_fingerprint(settings: Settings) -> str | None:
    """The signing key's fingerprint, or None before the first package made it (a page view never makes it)."""
    signer = existing_signer(settings.signing_key_path)
    return signer.fingerprint if signer else None


@router.get(KEY_URL)
def public_key(user: LeadReader, settings: SettingsDep) -> Response:
    """The installation's public key, the one every case package is signed with (for units to check them)."""
    signer = existing_signer(settings.signing_key_path)
    if signer is None:
        raise HTTPException(404, "Belum ada kunci tanda tangan: kunci dibuat saat paket kasus pertama diunduh.")
    return Response(signer.public_pem, media_type="application/x-pem-file",
                    headers={"content-disposition": f'attachment; filename="{PUBLIC_KEY_FILE}"'})


@router.get(f"{DESK_PREFIX}/lead")
def leads_page(request: Request, user: LeadReader, desk: DeskRead, settings: SettingsDep,
               pesan: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    overview = leads_overview(desk, Viewer.of(user))
    return render(request, "leads.html", {
        "leads": overview.leads, "counts": overview.ad_counts, "candidates": overview.candidates,
        "units": overview.units, "is_supervisor": user.role is Role.SUPERVISOR,
        "is_police": user.role is Role.POLICE, "flash": flash_message(pesan), "error": None, "form": {},
        "key_fingerprint": _key_fingerprint(settings), "key_url": KEY_URL,
    })


@router.post(f"{DESK_PREFIX}/lead")
def build_lead(request: Request, user: LeadMaker, desk: DeskWrite, settings: SettingsDep,
               unit: Annotated[str, Form(max_length=200)] = "", title: Annotated[str, Form(max_length=500)] = "",
               note: Annotated[str, Form(max_length=10_000)] = "",
               ad_ids: Annotated[list[int] | None, Form(alias="ad_id")] = None) -> Response:
    try:
        detail = open_lead(desk.session, Viewer.of(user), unit, ad_ids or [], title, note)  # audited there
    except (LeadRuleError, LeadNotFound) as exc:
        overview = leads_form_again(desk.session, Viewer.of(user))
        return render(request, "leads.html", {
            "leads": overview.leads, "counts": overview.ad_counts, "candidates": overview.candidates,
            "units": overview.units, "is_supervisor": True, "is_police": False, "flash": None,
            "error": _lead_error(exc), "form": {"unit": unit, "title": title, "note": note,
                                                 "ad_ids": set(ad_ids or [])},
            "key_fingerprint": _key_fingerprint(settings), "key_url": KEY_URL,
        }, 422)
    return RedirectResponse(flash_url(_lead_url(detail.lead.id), "lead-dibuat"), status_code=303)


def _lead_error(exc: Exception) -> str:
    text = str(exc)
    if "police unit" in text:
        return "Isi unit kepolisian tujuan lead."
    if "at least one ad" in text:
        return "Pilih minimal satu iklan terkonfirmasi."
    if "not confirmed" in text:
        return "Hanya iklan yang keputusan terakhirnya TPPO atau Penipuan yang bisa masuk lead."
    return "Lead tidak dapat dibuat."


def _not_for_you(exc: Exception) -> HTTPException:
    if isinstance(exc, LeadAccessDenied):
        return HTTPException(403, "Lead ini dikirim ke unit lain.")
    return HTTPException(404, "Lead tidak ditemukan.")


@router.get(f"{DESK_PREFIX}/lead/{{lead_id}}")
def lead_page(lead_id: int, request: Request, user: LeadReader, desk: DeskRead, settings: SettingsDep,
              pesan: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    try:
        dossier = lead_dossier(desk, lead_id, Viewer.of(user))
    except (LeadNotFound, LeadAccessDenied) as exc:
        raise _not_for_you(exc) from exc
    return render(request, "lead.html", {
        "lead": dossier.detail.lead, "ads": dossier.ads, "decisions": dossier.decisions, "scores": dossier.scores,
        "exports": dossier.exports, "events": dossier.detail.history,
        "is_police": user.role is Role.POLICE, "can_download": user.role in (Role.SUPERVISOR, Role.POLICE),
        "police_statuses": [s for s in ("received", "in_progress", "closed") if s in POLICE_STATUSES],
        "flash": flash_message(pesan), "is_desk": user.role in (Role.ANALYST, Role.SUPERVISOR),
        "key_fingerprint": _key_fingerprint(settings), "key_url": KEY_URL,
    })


@router.post(f"{DESK_PREFIX}/lead/{{lead_id}}/paket")
def download_package(lead_id: int, user: PackageTaker, desk: DeskWrite, settings: SettingsDep) -> Response:
    """The case package ZIP, signed anew; each download is recorded as an export and audited."""
    signer = load_or_create_signer(settings.signing_key_path)
    try:
        package = build_lead_package(desk.session, lead_id, Viewer.of(user), signer, settings.display_timezone,
                                     renderer_for(settings))
    except (LeadNotFound, LeadAccessDenied) as exc:
        raise _not_for_you(exc) from exc
    return Response(package.data, media_type="application/zip", headers={
        "content-disposition": f'attachment; filename="{package.filename}"', "x-package-sha256": package.sha256})


@router.post(f"{DESK_PREFIX}/lead/{{lead_id}}/status")
def update_status(lead_id: int, user: PolicePoster, desk: DeskWrite,
                  status: Annotated[str, Form(max_length=20)],
                  note: Annotated[str, Form(max_length=10_000)] = "") -> Response:
    try:
        update_lead_status(desk.session, lead_id, Viewer.of(user), status, note)  # audited there
    except (LeadNotFound, LeadAccessDenied) as exc:
        raise _not_for_you(exc) from exc
    except LeadRuleError:
        return RedirectResponse(flash_url(_lead_url(lead_id), "gagal"), status_code=303)
    return RedirectResponse(flash_url(_lead_url(lead_id), "status-lead"), status_code=303)
