"""Leads for police: supervisors create them, police of the lead's unit read, download and update them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status

from service.api.deps import AuditedRead, AuditedWrite, SettingsDep
from service.api.schemas import (
    AfterId,
    LeadDetailOut,
    LeadEventOut,
    LeadId,
    LeadIn,
    LeadOut,
    LeadPage,
    LeadStatusIn,
)
from service.auth.dependencies import require_role
from service.auth.roles import Role
from service.auth.users import Principal
from service.leads.package import build_lead_package
from service.leads.package_format import PUBLIC_KEY_FILE
from service.leads.rules import LeadDetail, Viewer, open_lead, read_lead, read_leads, update_lead_status
from service.leads.screenshots import renderer_for
from service.leads.signing import existing_signer, load_or_create_signer

router = APIRouter(prefix="/leads", tags=["leads"])
Supervisor = Annotated[Principal, Depends(require_role(Role.SUPERVISOR))]
LeadReader = Annotated[Principal, Depends(require_role(Role.SUPERVISOR, Role.POLICE))]
Police = Annotated[Principal, Depends(require_role(Role.POLICE))]
NOT_YOURS: dict[int | str, dict[str, Any]] = {403: {"description": "The lead was sent to another unit"},
                                              404: {"description": "No such lead"}}


def _out(detail: LeadDetail) -> LeadDetailOut:
    return LeadDetailOut(**LeadOut.model_validate(detail.lead).model_dump(), ad_ids=detail.ad_ids,
                         history=[LeadEventOut.model_validate(event) for event in detail.history])


@router.post("", response_model=LeadDetailOut, status_code=status.HTTP_201_CREATED,
             responses={404: {"description": "No such ad"}, 409: {"description": "An ad is not confirmed"}})
def post_lead(body: LeadIn, user: Supervisor, desk: AuditedWrite) -> LeadDetailOut:
    """Turn ads whose latest decision is trafficking or scam into a lead for one police unit."""
    return _out(open_lead(desk.session, Viewer.of(user), body.unit, body.ad_ids, body.title, body.note))


@router.get("", response_model=LeadPage)
def get_leads(user: LeadReader, desk: AuditedRead,
              after: AfterId = 0,
              limit: Annotated[int, Query(ge=1, le=500)] = 100) -> LeadPage:
    """Leads in id order; police see only their own unit's."""
    items = [LeadOut.model_validate(lead) for lead in read_leads(desk, Viewer.of(user), limit, after)]
    return LeadPage(items=items, next_cursor=items[-1].id if len(items) == limit else None)


@router.get("/public-key", response_class=Response, responses={
    200: {"content": {"application/x-pem-file": {}}, "description": "Ed25519 public key (PEM)"},
    404: {"description": "No package was built yet, so the installation has no signing key"}})
def get_public_key(user: LeadReader, settings: SettingsDep) -> Response:
    """The public key every case package of this installation is signed with (also inside each package).
    A read never makes the key: it is made with the first package (or by `quickstart`)."""
    signer = existing_signer(settings.signing_key_path)
    if signer is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no signing key yet: it is made with the first case package")
    return Response(signer.public_pem, media_type="application/x-pem-file",
                    headers={"Content-Disposition": f'attachment; filename="{PUBLIC_KEY_FILE}"'})


@router.get("/{lead_id}", response_model=LeadDetailOut, responses=NOT_YOURS)
def get_one_lead(lead_id: LeadId, user: LeadReader, desk: AuditedRead) -> LeadDetailOut:
    """One lead with its ads and its status history."""
    return _out(read_lead(desk, lead_id, Viewer.of(user)))


@router.post("/{lead_id}/package", response_class=Response, responses={
    **NOT_YOURS, 200: {"content": {"application/zip": {}}, "description": "The case package (ZIP)"}})
def post_package(lead_id: LeadId, user: LeadReader, desk: AuditedWrite, settings: SettingsDep) -> Response:
    """A new case package, signed anew and recorded as an export (a POST: it writes): signed manifest with
    SHA-256s, ads, WARC of the snapshots, a screenshot of each snapshot, SHA256SUMS, the public key, summary
    in Bahasa Indonesia."""
    signer = load_or_create_signer(settings.signing_key_path)
    package = build_lead_package(desk.session, lead_id, Viewer.of(user), signer, settings.display_timezone,
                                 renderer_for(settings))
    return Response(package.data, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{package.filename}"', "X-Package-SHA256": package.sha256})


@router.post("/{lead_id}/status", response_model=LeadDetailOut,
             responses={**NOT_YOURS, 409: {"description": "Status cannot go back; closed is final"}})
def post_status(lead_id: LeadId, body: LeadStatusIn, user: Police, desk: AuditedWrite) -> LeadDetailOut:
    """Police of the lead's unit mark it received, in progress or closed, with a note."""
    return _out(update_lead_status(desk.session, lead_id, Viewer.of(user), body.status, body.note))
