"""Leads for police: supervisors create them, police of the lead's unit read, download and update them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status
from sqlalchemy.orm import Session

from service.api.deps import get_session, get_settings_dep
from service.api.desk_deps import get_write_session
from service.api.lead_schemas import LeadDetailOut, LeadIn, LeadOut, LeadPage, LeadStatusIn
from service.audit import record_audit
from service.auth.dependencies import require_role
from service.auth.roles import Role
from service.auth.users import Principal
from service.lead_package import build_lead_package
from service.leads import Viewer, create_lead, get_lead, lead_ad_ids, lead_events, list_leads, set_status
from service.settings import Settings

router = APIRouter(prefix="/leads", tags=["leads"])
Supervisor = Annotated[Principal, Depends(require_role(Role.SUPERVISOR))]
LeadReader = Annotated[Principal, Depends(require_role(Role.SUPERVISOR, Role.POLICE))]
Police = Annotated[Principal, Depends(require_role(Role.POLICE))]
ReadSession = Annotated[Session, Depends(get_session)]
WriteSession = Annotated[Session, Depends(get_write_session)]
NOT_YOURS: dict[int | str, dict[str, Any]] = {403: {"description": "The lead was sent to another unit"},
                                              404: {"description": "No such lead"}}


def _viewer(user: Principal) -> Viewer:
    return Viewer(user.actor, user.role.value, user.unit)


def _detail(session: Session, lead_id: int, viewer: Viewer) -> LeadDetailOut:
    lead = get_lead(session, lead_id, viewer)
    return LeadDetailOut.model_validate({
        **LeadOut.model_validate(lead).model_dump(), "ad_ids": lead_ad_ids(session, lead.id),
        "history": lead_events(session, lead.id)}, from_attributes=True)


@router.post("", response_model=LeadDetailOut, status_code=status.HTTP_201_CREATED,
             responses={404: {"description": "No such ad"}, 409: {"description": "An ad is not confirmed"}})
def post_lead(body: LeadIn, user: Supervisor, session: WriteSession) -> LeadDetailOut:
    """Turn ads whose latest decision is trafficking or scam into a lead for one police unit."""
    lead = create_lead(session, user.actor, body.unit, body.ad_ids, body.title, body.note)
    detail = _detail(session, lead.id, _viewer(user))
    session.commit()
    return detail


@router.get("", response_model=LeadPage)
def get_leads(user: LeadReader, session: ReadSession,
              after: Annotated[int, Query(ge=0, description="Cursor: the last id of the previous page")] = 0,
              limit: Annotated[int, Query(ge=1, le=500)] = 100) -> LeadPage:
    """Leads in id order; police see only their own unit's."""
    leads = list_leads(session, _viewer(user), limit, after)
    items = [LeadOut.model_validate(lead) for lead in leads]
    session.commit()
    record_audit(session, user.actor, "leads.list", "lead", None, {"lead_ids": [item.id for item in items]})
    session.commit()
    return LeadPage(items=items, next_cursor=items[-1].id if len(items) == limit else None)


@router.get("/{lead_id}", response_model=LeadDetailOut, responses=NOT_YOURS)
def get_one_lead(lead_id: int, user: LeadReader, session: ReadSession) -> LeadDetailOut:
    """One lead with its ads and its status history."""
    detail = _detail(session, lead_id, _viewer(user))
    session.commit()
    record_audit(session, user.actor, "lead.read", "lead", lead_id, {"unit": detail.unit})
    session.commit()
    return detail


@router.get("/{lead_id}/package", response_class=Response, responses={
    **NOT_YOURS, 200: {"content": {"application/zip": {}}, "description": "The case package (ZIP)"}})
def get_package(lead_id: int, user: LeadReader, session: WriteSession,
                settings: Annotated[Settings, Depends(get_settings_dep)]) -> Response:
    """The case package: manifest with SHA-256s, ads, WARC of the snapshots, summary in Bahasa Indonesia."""
    package = build_lead_package(session, lead_id, _viewer(user), settings.display_timezone)
    session.commit()
    return Response(package.data, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{package.filename}"', "X-Package-SHA256": package.sha256})


@router.post("/{lead_id}/status", response_model=LeadDetailOut,
             responses={**NOT_YOURS, 409: {"description": "Status cannot go back; closed is final"}})
def post_status(lead_id: int, body: LeadStatusIn, user: Police, session: WriteSession) -> LeadDetailOut:
    """Police of the lead's unit mark it received, in progress or closed, with a note."""
    viewer = _viewer(user)
    set_status(session, lead_id, viewer, body.status, body.note)
    detail = _detail(session, lead_id, viewer)
    session.commit()
    return detail
