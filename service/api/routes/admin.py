"""Operations: Prometheus metrics and the audit chain's state."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy.orm import Session

from service.api.deps import get_session, get_settings_dep
from service.api.metrics import metrics_text
from service.api.schemas import AuditVerifyOut
from service.audit import verify_audit_log
from service.auth.dependencies import require_role
from service.auth.roles import Role
from service.auth.users import Principal
from service.settings import Settings

router = APIRouter(tags=["operations"])
Operators = Annotated[Principal, Depends(require_role(Role.ADMIN, Role.SUPERVISOR))]


@router.get("/metrics", response_class=Response,
            responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text format"}})
def metrics(request: Request, user: Operators) -> Response:
    """Prometheus metrics (scrape with an admin's API token as bearer token)."""
    return Response(metrics_text(request.app.state.store), media_type=CONTENT_TYPE_LATEST)


@router.get("/audit/verify", response_model=AuditVerifyOut)
def audit_verify(user: Operators, session: Annotated[Session, Depends(get_session)],
                 settings: Annotated[Settings, Depends(get_settings_dep)]) -> AuditVerifyOut:
    """Re-check the audit chain and that it still reaches the recorded head."""
    report = verify_audit_log(session, settings.audit_head_path)
    return AuditVerifyOut(ok=report.ok, entries=report.entries, head_id=report.head[0] if report.head else None,
                          recorded_head_id=report.recorded_head[0] if report.recorded_head else None,
                          problems=report.problems[:100])
