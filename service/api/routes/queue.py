"""The review queue: listing, claims, decisions, reopening, counts and throughput.

No route here syncs the queue: scores reach it where they are made (`service.scoring.pipeline`), so a
read only reads and a decision only decides.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from service.api.deps import AuditedRead, AuditedWrite, QueueCursor, ReviewThreshold, SettingsDep, json_response
from service.api.schemas import (
    MAX_ID,
    AdId,
    DecisionIn,
    QueueCountsOut,
    QueueItemOut,
    QueuePage,
    QueueStatsOut,
    ReopenIn,
    ThroughputRow,
    ZonedDateTime,
)
from service.auth.dependencies import require_role
from service.auth.roles import DESK_ROLES, Role
from service.auth.users import Principal
from service.review.decisions import claim_ad, claim_next_ad, decide, release_claim, reopen
from service.review.queue import QueueFilters, QueueItem, queue_stats, read_queue
from service.review.views import ClaimView, ReviewView, claim_view, review_view

router = APIRouter(tags=["queue"])
Desk = Annotated[Principal, Depends(require_role(*DESK_ROLES))]
Supervisor = Annotated[Principal, Depends(require_role(Role.SUPERVISOR))]


async def queue_filters(  # async: nothing to wait for, so no hop to a worker thread
    source: Annotated[str | None, Query(max_length=40)] = None,
    modus: Annotated[str | None, Query(max_length=60)] = None,
    indicator: Annotated[str | None, Query(max_length=100, description="An indicator name, e.g. visa_turis")] = None,
    since: Annotated[ZonedDateTime | None, Query(description="Seen (posted) at or after, RFC 3339 with zone")] = None,
    until: Annotated[ZonedDateTime | None, Query(description="Seen (posted) before, RFC 3339 with zone")] = None,
    region: Annotated[str | None, Query(max_length=100, description="Part of the ad's location")] = None,
    cluster_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    status: Annotated[Literal["open", "need_info", "reopened"] | None, Query()] = None,
    unclaimed: bool = False,
) -> QueueFilters:
    def aware(value: datetime | None) -> datetime | None:
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)  # naive means UTC
    return QueueFilters(source, modus, indicator, aware(since), aware(until), region, cluster_id, status, unclaimed)


Filters = Annotated[QueueFilters, Depends(queue_filters)]


def _item_out(item: QueueItem) -> QueueItemOut:
    e = item.entry
    return QueueItemOut(ad_id=e.ad_id, title=item.title, snippet=item.snippet, source=e.source, location=e.location,
                        modus=e.modus, kind=e.kind, risk=e.risk, p_scam=e.p_scam, p_trafficking=e.p_trafficking,
                        indicators=item.indicators, status=e.status, cluster_id=e.cluster_id, seen_at=e.seen_at,
                        claim=item.claim)


@router.get("/queue", response_model=QueuePage, responses={404: {"description": "No such page (a cursor the API "
                                                                             "did not give out)"}})
def get_queue(user: Desk, desk: AuditedRead, filters: Filters,
              cursor: QueueCursor,
              limit: Annotated[int, Query(ge=1, le=200)] = 50) -> Response:
    """Ads waiting for review: trafficking first, then by risk; `next_cursor` fetches the next page."""
    page = read_queue(desk, filters, cursor, limit)
    return json_response(QueuePage(items=[_item_out(item) for item in page.items], next_cursor=page.next_cursor))


@router.post("/queue/claim-next", response_model=ClaimView, responses={204: {"description": "Nothing left to claim"}})
def post_claim_next(user: Desk, desk: AuditedWrite, settings: SettingsDep, filters: Filters) -> ClaimView | Response:
    """Claim the first ad in queue order that nobody else holds."""
    claim = claim_next_ad(desk.session, user, filters, settings.claim_lease_seconds)
    return Response(status_code=status.HTTP_204_NO_CONTENT) if claim is None else claim_view(claim)


@router.post("/ads/{ad_id}/claim", response_model=ClaimView, responses={409: {"description": "Held by another"}})
def post_claim(ad_id: AdId, user: Desk, desk: AuditedWrite, settings: SettingsDep) -> ClaimView:
    """Claim (or renew the lease on) one ad; 409 when another analyst holds it."""
    return claim_view(claim_ad(desk.session, user, ad_id, settings.claim_lease_seconds))


@router.delete("/ads/{ad_id}/claim", status_code=status.HTTP_204_NO_CONTENT,
               responses={409: {"description": "Held by another"}})
def delete_claim(ad_id: AdId, user: Desk, desk: AuditedWrite) -> Response:
    release_claim(desk.session, user, ad_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/ads/{ad_id}/decisions", response_model=ReviewView, status_code=status.HTTP_201_CREATED,
             responses={409: {"description": "Held by another analyst"}})
def post_decision(ad_id: AdId, body: DecisionIn, user: Desk, desk: AuditedWrite,
                  threshold: ReviewThreshold) -> ReviewView:
    """Record a decision; a later one supersedes it (history is kept). Decided ads leave the queue."""
    return review_view(decide(desk.session, user, ad_id, body.decision, body.note, threshold))


@router.post("/ads/{ad_id}/reopen", response_model=ReviewView, status_code=status.HTTP_201_CREATED,
             responses={409: {"description": "No standing decision to reopen"}})
def post_reopen(ad_id: AdId, body: ReopenIn, user: Supervisor, desk: AuditedWrite,
                threshold: ReviewThreshold) -> ReviewView:
    """Send a decided ad back to the queue (supervisors only)."""
    return review_view(reopen(desk.session, user, ad_id, body.note, threshold))


@router.get("/queue/stats", response_model=QueueStatsOut)
def get_stats(user: Desk, desk: AuditedRead, days: Annotated[int, Query(ge=1, le=366)] = 14) -> QueueStatsOut:
    """Queue counts and decisions per analyst per day."""
    stats = queue_stats(desk.session, days)
    return QueueStatsOut(
        counts=QueueCountsOut(open=stats.counts["open"], need_info=stats.counts["need_info"],
                              claimed=stats.counts["claimed"], decided=stats.counts["decided"], by_kind=stats.by_kind),
        throughput=[ThroughputRow(day=d, reviewer=r, decisions=n) for d, r, n in stats.throughput])
