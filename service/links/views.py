"""What analysts see of linked ads: an ad's related ads and why, and a cluster's whole footprint over time.

The dataclasses here are also the API's answers (`GET /ads/{id}/related`, `GET /clusters/{id}`): one shape each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, cast

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from service.audit import AuditedSession
from service.errors import NotFoundError
from service.links.linking import count_stale
from service.review.decisions import latest_decisions
from service.store.ads import latest_scores
from service.store.tables import Ad, AdContact, AdLinkState, AdSnapshot, Cluster, NearDuplicate, Review

MAX_RELATED = 200
MAX_CLUSTER_ADS = 2000


ContactKind = Literal["phone", "email", "handle"]


@dataclass(frozen=True)
class LinkReason:
    """What two ads share: a contact (`value`: phone in E.164, e-mail, handle) or near-duplicate text
    (`similarity`: estimated Jaccard similarity of the texts, MinHash)."""

    kind: ContactKind | Literal["near_duplicate"]
    value: str | None = None
    similarity: float | None = None


@dataclass
class AdSummary:
    id: int
    source: str
    source_ad_id: str
    title: str
    url: str | None
    posted_at: datetime | None
    first_seen_at: datetime
    last_seen_at: datetime
    risk: float | None = None
    decision: str | None = None
    reasons: list[LinkReason] = field(default_factory=list)


@dataclass
class RelatedView:
    """An ad's related ads; `pending_links` counts ads stored but not linked yet (0: the answer is complete)."""

    ad_id: int
    cluster_id: int | None
    related: list[AdSummary]
    pending_links: int = 0


@dataclass(frozen=True)
class SharedContact:
    kind: str
    value: str
    ads: int


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    ad_id: int
    event: Literal["posted", "first_seen", "seen", "decision"]
    detail: str = ""


@dataclass
class ClusterView:
    id: int
    ads: list[AdSummary]
    contacts: list[SharedContact]
    sources: list[str]
    first_seen_at: datetime | None
    last_seen_at: datetime | None
    timeline: list[TimelineEvent]


def _summaries(session: Session, ads: list[Ad]) -> dict[int, AdSummary]:
    ids = [ad.id for ad in ads]
    scores = latest_scores(session, ids)
    decisions = latest_decisions(session, ids)
    return {ad.id: AdSummary(
        id=ad.id, source=ad.source, source_ad_id=ad.source_ad_id, title=ad.title, url=ad.url, posted_at=ad.posted_at,
        first_seen_at=ad.first_seen_at, last_seen_at=ad.last_seen_at,
        risk=scores[ad.id].risk if ad.id in scores else None,
        decision=decisions[ad.id].decision if ad.id in decisions else None,
    ) for ad in ads}


def related_ads(session: Session, ad_id: int) -> RelatedView:
    """Ads sharing a contact with `ad_id` or reposting its text, each with every reason that links them."""
    if session.get(Ad, ad_id) is None:
        raise NotFoundError(f"no ad with id {ad_id}")
    reasons: dict[int, list[LinkReason]] = {}
    mine = select(AdContact.kind, AdContact.value).where(AdContact.ad_id == ad_id).subquery()
    for other, kind, value in session.execute(
            select(AdContact.ad_id, AdContact.kind, AdContact.value)
            .join(mine, and_(AdContact.kind == mine.c.kind, AdContact.value == mine.c.value))
            .where(AdContact.ad_id != ad_id).order_by(AdContact.ad_id).limit(MAX_RELATED * 4)):
        reasons.setdefault(other, []).append(LinkReason(cast(ContactKind, kind), value))
    for first, second, score in session.execute(
            select(NearDuplicate.ad_id, NearDuplicate.other_ad_id, NearDuplicate.similarity)
            .where(or_(NearDuplicate.ad_id == ad_id, NearDuplicate.other_ad_id == ad_id)).limit(MAX_RELATED)):
        other = second if first == ad_id else first
        reasons.setdefault(other, []).append(LinkReason("near_duplicate", similarity=round(score, 3)))
    wanted = sorted(reasons)[:MAX_RELATED]
    ads = list(session.scalars(select(Ad).where(Ad.id.in_(wanted)).order_by(Ad.id)))
    summaries = _summaries(session, ads)
    for other, summary in summaries.items():
        summary.reasons = reasons[other]
    state = session.get(AdLinkState, ad_id)
    return RelatedView(ad_id, state.cluster_id if state else None, [summaries[a.id] for a in ads])


def live_cluster_id(session: Session, cluster_id: int) -> int:
    """Follow merges to the cluster that holds the ads now (old ids stay valid links)."""
    seen: set[int] = set()
    while True:
        cluster = session.get(Cluster, cluster_id)
        if cluster is None:
            raise NotFoundError(f"no cluster with id {cluster_id}")
        if cluster.merged_into is None or cluster_id in seen:
            return cluster_id
        seen.add(cluster_id)
        cluster_id = cluster.merged_into


def cluster_view(session: Session, cluster_id: int) -> ClusterView:
    """Every ad of one cluster, the contacts they share, and one timeline of postings, sightings and decisions."""
    live = live_cluster_id(session, cluster_id)
    ad_ids = list(session.scalars(select(AdLinkState.ad_id).where(AdLinkState.cluster_id == live)
                                  .order_by(AdLinkState.ad_id).limit(MAX_CLUSTER_ADS)))
    ads = list(session.scalars(select(Ad).where(Ad.id.in_(ad_ids)).order_by(Ad.id)))
    summaries = _summaries(session, ads)
    counts: dict[tuple[str, str], set[int]] = {}
    for owner, kind, value in session.execute(
            select(AdContact.ad_id, AdContact.kind, AdContact.value).where(AdContact.ad_id.in_(ad_ids))):
        counts.setdefault((kind, value), set()).add(owner)
    contacts = sorted((SharedContact(kind, value, len(owners)) for (kind, value), owners in counts.items()),
                      key=lambda c: (-c.ads, c.kind, c.value))
    timeline: list[TimelineEvent] = []
    for ad in ads:
        if ad.posted_at:
            timeline.append(TimelineEvent(ad.posted_at, ad.id, "posted", ad.source))
        timeline.append(TimelineEvent(ad.first_seen_at, ad.id, "first_seen", ad.source))
    for owner, seen_at, snapshot_id in session.execute(
            select(AdSnapshot.ad_id, AdSnapshot.seen_at, AdSnapshot.snapshot_id).where(AdSnapshot.ad_id.in_(ad_ids))):
        timeline.append(TimelineEvent(seen_at, owner, "seen", f"snapshot {snapshot_id}"))
    for review in session.scalars(select(Review).where(Review.ad_id.in_(ad_ids))):
        timeline.append(TimelineEvent(review.created_at, review.ad_id, "decision", review.decision))
    timeline.sort(key=lambda e: (e.at, e.ad_id, e.event))
    return ClusterView(
        id=live, ads=[summaries[ad.id] for ad in ads], contacts=contacts, sources=sorted({ad.source for ad in ads}),
        first_seen_at=min((ad.first_seen_at for ad in ads), default=None),
        last_seen_at=max((ad.last_seen_at for ad in ads), default=None), timeline=timeline,
    )


def read_related(desk: AuditedSession, ad_id: int) -> RelatedView:
    """An ad's related ads, audited with the ids shown, and how many stored ads still wait to be linked."""
    view = related_ads(desk.session, ad_id)
    view.pending_links = count_stale(desk.session)
    desk.audit("ad.related.read", "ad", ad_id,
               {"related_ad_ids": [ad.id for ad in view.related], "cluster_id": view.cluster_id})
    return view


def read_cluster(desk: AuditedSession, cluster_id: int) -> ClusterView:
    """One cluster's footprint, audited with the ids shown."""
    view = cluster_view(desk.session, cluster_id)
    desk.audit("cluster.read", "cluster", view.id, {"ad_ids": [ad.id for ad in view.ads]})
    return view
