"""The desk's page of one ad: its detail, the ads linked to it and their cluster, its evidence as text, and
which of its snapshots are poster images (the page shows them beside the poster's OCR text).

One audited read (`ad.read`), built from the same functions as the API's ad, related-ads and cluster
endpoints; the page's layout is the desk's business (service/web).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from service.audit import AuditedSession
from service.links.views import ClusterView, RelatedView, cluster_view, related_ads
from service.review.ad_detail import AdDetail, read_ad
from service.review.poster_images import PosterImage, poster_images
from service.review.snapshot_text import SafeSnapshot, render_snapshot
from service.store.tables import Ad, Snapshot

EXCERPT_CHARS = 90


@dataclass(frozen=True)
class AdPage:
    detail: AdDetail
    related: RelatedView
    cluster: ClusterView | None
    excerpts: dict[int, str]  # the start of each shown related ad's text (for ads without a title)
    snapshots: list[SafeSnapshot]  # newest first
    posters: list[PosterImage]  # the ad's image snapshots, in capture order (the bytes come by their own route)


def read_ad_page(desk: AuditedSession, ad_id: int, related_shown: int, snapshots_shown: int) -> AdPage:
    """Everything the ad page shows; NotFoundError for an unknown ad."""
    detail = read_ad(desk, ad_id)
    session = desk.session
    related = related_ads(session, ad_id)
    cluster = cluster_view(session, related.cluster_id) if related.cluster_id else None
    related_ids = [r.id for r in related.related[:related_shown]]
    excerpts = {ad: text for ad, text in session.execute(
        select(Ad.id, func.substr(Ad.text, 1, EXCERPT_CHARS)).where(Ad.id.in_(related_ids)))}
    snapshot_ids = [s.id for s in detail.snapshots][-snapshots_shown:]
    ad = session.get(Ad, ad_id)  # the ad's own post is looked for in each snapshot
    snapshots = [render_snapshot(s, ad) for s in session.scalars(
        select(Snapshot).where(Snapshot.id.in_(snapshot_ids)).order_by(Snapshot.id.desc()))]
    return AdPage(detail, related, cluster, excerpts, snapshots, poster_images(session, ad_id))
