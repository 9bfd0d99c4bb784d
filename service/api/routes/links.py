"""Linked ads: an ad's related ads (and why), and one cluster's footprint. Desk roles; every read audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from service.api.deps import get_session, get_settings_dep, get_store
from service.api.link_schemas import ClusterOut, RelatedOut
from service.audit import record_audit
from service.auth.dependencies import require_role
from service.auth.roles import DESK_ROLES
from service.auth.users import Principal
from service.link_views import cluster_view, related_ads
from service.linking import count_stale, link_pending
from service.settings import Settings
from service.store.session import Store

router = APIRouter(tags=["links"])
Desk = Annotated[Principal, Depends(require_role(*DESK_ROLES))]
# Linking normally runs after each scrape/score; a read catches up on at most this many ads first.
CATCH_UP_LIMIT = 500


def _catch_up(store: Store, settings: Settings) -> int:
    """Link what is still unlinked (bounded); returns how many ads are still waiting."""
    linked = link_pending(store.session_factory, settings.near_duplicate_threshold, limit=CATCH_UP_LIMIT)
    if linked < CATCH_UP_LIMIT:
        return 0
    with store.session_factory() as session:
        return count_stale(session)


@router.get("/ads/{ad_id}/related", response_model=RelatedOut, responses={404: {"description": "No such ad"}})
def get_related(ad_id: int, user: Desk, store: Annotated[Store, Depends(get_store)],
                settings: Annotated[Settings, Depends(get_settings_dep)],
                session: Annotated[Session, Depends(get_session)]) -> RelatedOut:
    """Ads sharing a phone, e-mail or handle with this ad, or reposting its text, each with the reasons."""
    pending = _catch_up(store, settings)
    view = related_ads(session, ad_id)
    session.commit()
    record_audit(session, user.actor, "ad.related.read", "ad", ad_id,
                 {"related_ad_ids": [ad.id for ad in view.related], "cluster_id": view.cluster_id})
    session.commit()
    return RelatedOut.model_validate({**view.__dict__, "pending_links": pending})


@router.get("/clusters/{cluster_id}", response_model=ClusterOut, responses={404: {"description": "No such cluster"}})
def get_cluster(cluster_id: int, user: Desk, store: Annotated[Store, Depends(get_store)],
                settings: Annotated[Settings, Depends(get_settings_dep)],
                session: Annotated[Session, Depends(get_session)]) -> ClusterOut:
    """All ads of one recruiter across sources and time, the contacts they share, and a timeline."""
    _catch_up(store, settings)
    view = cluster_view(session, cluster_id)
    session.commit()
    record_audit(session, user.actor, "cluster.read", "cluster", view.id, {"ad_ids": [ad.id for ad in view.ads]})
    session.commit()
    return ClusterOut.model_validate(view)
