"""The review queue: listing, claims, decisions, reopening, counts and throughput."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response, status
from sqlalchemy.orm import Session

from service.ad_detail import claim_out, review_out
from service.api.deps import get_session, get_settings_dep
from service.api.desk_deps import json_response
from service.api.desk_schemas import (
    MAX_ID,
    AdId,
    ClaimOut,
    DecisionIn,
    QueueCountsOut,
    QueueItemOut,
    QueuePage,
    QueueStatsOut,
    ReopenIn,
    ReviewOut,
    ThroughputRow,
)
from service.audit import record_audit
from service.auth.dependencies import require_role
from service.auth.roles import DESK_ROLES, Role
from service.auth.users import Principal
from service.metrics import DECISIONS_TOTAL
from service.queue import (
    QueueFilters,
    claim_ad,
    claim_next_ad,
    decide,
    list_queue,
    queue_stats,
    release_claim,
    reopen,
    sync_queue,
)
from service.settings import Settings

router = APIRouter(tags=["queue"])
Desk = Annotated[Principal, Depends(require_role(*DESK_ROLES))]
Supervisor = Annotated[Principal, Depends(require_role(Role.SUPERVISOR))]
ReadSession = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def queue_filters(
    source: Annotated[str | None, Query(max_length=40)] = None,
    modus: Annotated[str | None, Query(max_length=60)] = None,
    indicator: Annotated[str | None, Query(max_length=100, description="An indicator name, e.g. visa_turis")] = None,
    since: Annotated[datetime | None, Query(description="Seen (posted) at or after, ISO 8601 with zone")] = None,
    until: Annotated[datetime | None, Query(description="Seen (posted) before, ISO 8601 with zone")] = None,
    region: Annotated[str | None, Query(max_length=100, description="Part of the ad's location")] = None,
    cluster_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    status: Annotated[Literal["open", "need_info", "reopened"] | None, Query()] = None,
    unclaimed: bool = False,
) -> QueueFilters:
    def aware(value: datetime | None) -> datetime | None:
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)  # naive means UTC
    return QueueFilters(source, modus, indicator, aware(since), aware(until), region, cluster_id, status, unclaimed)


Filters = Annotated[QueueFilters, Depends(queue_filters)]


@router.get("/queue", response_model=QueuePage)
def get_queue(user: Desk, session: ReadSession, settings: SettingsDep, filters: Filters,
              cursor: Annotated[str | None, Query(max_length=200)] = None,
              limit: Annotated[int, Query(ge=1, le=200)] = 50) -> Response:
    """Ads waiting for review: trafficking first, then by risk; `next_cursor` fetches the next page."""
    sync_queue(session, settings.review_threshold)
    items, next_cursor = list_queue(session, filters, cursor, limit)
    page = QueuePage(items=[QueueItemOut(
        ad_id=i.entry.ad_id, title=i.title, snippet=i.snippet, source=i.entry.source, location=i.entry.location,
        modus=i.entry.modus, kind=i.entry.kind, risk=i.entry.risk, p_scam=i.entry.p_scam,
        p_trafficking=i.entry.p_trafficking, indicators=i.indicators, status=i.entry.status,
        cluster_id=i.entry.cluster_id, seen_at=i.entry.seen_at, claim=claim_out(i.claim)) for i in items],
        next_cursor=next_cursor)
    session.commit()
    record_audit(session, user.actor, "queue.list", "ad", None,
                 {"ad_ids": [item.ad_id for item in page.items], "filters": filters.__dict__})
    session.commit()
    return json_response(page)


@router.post("/queue/claim-next", response_model=ClaimOut,
             responses={204: {"description": "Nothing left to claim"}})
def post_claim_next(user: Desk, session: ReadSession, settings: SettingsDep, filters: Filters) -> ClaimOut | Response:
    """Claim the first ad in queue order that nobody else holds."""
    sync_queue(session, settings.review_threshold)
    claim = claim_next_ad(session, user, filters, settings.claim_lease_seconds)
    if claim is None:
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    out = claim_out(claim)
    assert out is not None
    return out


@router.post("/ads/{ad_id}/claim", response_model=ClaimOut, responses={409: {"description": "Held by another"}})
def post_claim(ad_id: AdId, user: Desk, session: ReadSession, settings: SettingsDep) -> ClaimOut:
    """Claim (or renew the lease on) one ad; 409 when another analyst holds it."""
    sync_queue(session, settings.review_threshold)
    out = claim_out(claim_ad(session, user, ad_id, settings.claim_lease_seconds))
    assert out is not None
    return out


@router.delete("/ads/{ad_id}/claim", status_code=status.HTTP_204_NO_CONTENT)
def delete_claim(ad_id: AdId, user: Desk, session: ReadSession) -> Response:
    release_claim(session, user, ad_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/ads/{ad_id}/decisions", response_model=ReviewOut, status_code=status.HTTP_201_CREATED)
def post_decision(ad_id: AdId, body: DecisionIn, user: Desk, session: ReadSession, settings: SettingsDep) -> ReviewOut:
    """Record a decision; a later one supersedes it (history is kept). Decided ads leave the queue."""
    sync_queue(session, settings.review_threshold)
    review = decide(session, user, ad_id, body.decision, body.note, settings.review_threshold)
    DECISIONS_TOTAL.labels(decision=body.decision).inc()
    return review_out(review)


@router.post("/ads/{ad_id}/reopen", response_model=ReviewOut, status_code=status.HTTP_201_CREATED)
def post_reopen(ad_id: AdId, body: ReopenIn, user: Supervisor, session: ReadSession,
                settings: SettingsDep) -> ReviewOut:
    """Send a decided ad back to the queue (supervisors only)."""
    sync_queue(session, settings.review_threshold)
    return review_out(reopen(session, user, ad_id, body.note, settings.review_threshold))


@router.get("/queue/stats", response_model=QueueStatsOut)
def get_stats(request: Request, user: Desk, session: ReadSession, settings: SettingsDep,
              days: Annotated[int, Query(ge=1, le=366)] = 14) -> QueueStatsOut:
    """Queue counts and decisions per analyst per day."""
    sync_queue(session, settings.review_threshold)
    stats = queue_stats(session, days)
    return QueueStatsOut(
        counts=QueueCountsOut(open=stats.counts["open"], need_info=stats.counts["need_info"],
                              claimed=stats.counts["claimed"], decided=stats.counts["decided"], by_kind=stats.by_kind),
        throughput=[ThroughputRow(day=d, reviewer=r, decisions=n) for d, r, n in stats.throughput])
