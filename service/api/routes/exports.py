"""Research exports: reviewed ads in the labelled-data schema, pseudonymised. Researchers only; audited."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from service.api.deps import get_settings_dep, get_store
from service.auth.dependencies import require_role
from service.auth.roles import Role
from service.auth.users import Principal
from service.research.export import export_labelled
from service.settings import Settings
from service.store.session import Store

router = APIRouter(prefix="/exports", tags=["exports"])
Researcher = Annotated[Principal, Depends(require_role(Role.RESEARCHER))]


# A POST: each export is recorded (a ResearchExport row with its SHA-256) besides being audited, and a GET
# never writes (issue #12).
@router.post("/labelled", response_class=Response, responses={
    200: {"content": {"application/x-ndjson": {}}, "description": "JSONL in the labelled-data schema"},
    503: {"description": "No pseudonym key is configured"}})
def post_labelled(user: Researcher, store: Annotated[Store, Depends(get_store)],
                 settings: Annotated[Settings, Depends(get_settings_dep)]) -> Response:
    """Every reviewed ad (need_info left out); phones, e-mails, handles and names replaced by keyed tokens."""
    buffer = io.StringIO()
    summary = export_labelled(store.session_factory, settings, buffer, user.actor)
    return Response(buffer.getvalue(), media_type="application/x-ndjson", headers={
        "Content-Disposition": f'attachment; filename="lokerwatch-labelled-{summary.export_id}.jsonl"',
        "X-Export-SHA256": summary.sha256})
