"""Linked ads: an ad's related ads (and why), and one cluster's footprint. Desk roles; every read audited.

Reads never link: linking runs where ads are stored and scored (`service.scoring.pipeline`), and an
answer says how many ads still wait to be linked (`pending_links`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from service.api.deps import AuditedRead, json_response
from service.api.schemas import AdId, ClusterId
from service.auth.dependencies import require_role
from service.auth.roles import DESK_ROLES
from service.auth.users import Principal
from service.links.views import ClusterView, RelatedView, read_cluster, read_related

router = APIRouter(tags=["links"])
Desk = Annotated[Principal, Depends(require_role(*DESK_ROLES))]


@router.get("/ads/{ad_id}/related", response_model=RelatedView, responses={404: {"description": "No such ad"}})
def get_related(ad_id: AdId, user: Desk, desk: AuditedRead) -> Response:
    """Ads sharing a phone, e-mail or handle with this ad, or reposting its text, each with the reasons."""
    return json_response(read_related(desk, ad_id))


@router.get("/clusters/{cluster_id}", response_model=ClusterView, responses={404: {"description": "No such cluster"}})
def get_cluster(cluster_id: ClusterId, user: Desk, desk: AuditedRead) -> Response:
    """All ads of one recruiter across sources and time, the contacts they share, and a timeline."""
    return json_response(read_cluster(desk, cluster_id))
