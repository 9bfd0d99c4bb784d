"""Links ads that share a phone number, e-mail or handle, or that are reposts of one text, into clusters.

A cluster is one recruiter's footprint across sources and time. Linking is incremental: each ad is
linked once per version of its content (`ad_link_state.content_hash`), finding partners through the
contact index and the MinHash band index, never by comparing all pairs. Clusters only grow or merge:
a recruiter who drops a number is still the same recruiter, so old contacts and links stay.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from model.entities import find_contacts
from service.near_duplicates import band_keys, from_bytes, signature, similarity, to_bytes
from service.pseudonymise import IDENTITY_KIND
from service.store.locking import write_lock
from service.store.tables import Ad, AdContact, AdLinkState, AdMinhashBand, Cluster, NearDuplicate
from service.store.types import utc_now

log = logging.getLogger("lokerwatch.linking")

DEFAULT_THRESHOLD = 0.7
# A contact shared by more ads than this is a platform number or a template's placeholder, not a
# recruiter: it still shows as a reason, but does not pull thousands of ads into one cluster.
MAX_SHARED_FOR_CLUSTER = 500


@dataclass(frozen=True)
class FoundContact:
    kind: str  # phone | email | handle
    value: str
    text: str


def ad_contacts(ad: Ad) -> list[FoundContact]:
    """Distinct identities an ad states, in its text or in the contacts its source listed."""
    written = [f"{ad.title}\n{ad.text}" if ad.title else ad.text, *map(str, ad.contact_handles or [])]
    found: dict[tuple[str, str], FoundContact] = {}
    for piece in written:
        for contact in find_contacts(piece):
            kind = IDENTITY_KIND.get(contact.kind)
            if kind:
                found.setdefault((kind, contact.value), FoundContact(kind, contact.value, contact.text[:500]))
    return list(found.values())


def link_ad(session: Session, ad: Ad, threshold: float = DEFAULT_THRESHOLD) -> int | None:
    """Index one ad's contacts and MinHash, record its near-duplicates, and put it in a cluster.

    Returns its cluster id (None while it shares nothing with any other ad). The caller holds the
    linking lock (`link_pending` does) and commits.
    """
    now = utc_now()
    contacts = ad_contacts(ad)
    known = {(kind, value) for kind, value in
             session.execute(select(AdContact.kind, AdContact.value).where(AdContact.ad_id == ad.id))}
    session.add_all(AdContact(ad_id=ad.id, kind=c.kind, value=c.value, text=c.text, found_at=now)
                    for c in contacts if (c.kind, c.value) not in known)
    sig = signature(ad.title or "", ad.text)
    session.execute(delete(AdMinhashBand).where(AdMinhashBand.ad_id == ad.id))
    duplicates: list[int] = []
    if sig is not None:
        keys = band_keys(sig)
        duplicates = _near_duplicates(session, ad.id, sig, keys, threshold, now)
        session.add_all(AdMinhashBand(ad_id=ad.id, band=band, key=key) for band, key in enumerate(keys))
    session.flush()
    partners = set(duplicates) | _contact_partners(session, ad.id)
    state = session.get(AdLinkState, ad.id)
    cluster_id = _join_clusters(session, state.cluster_id if state else None, partners, now)
    if state is None:
        state = AdLinkState(ad_id=ad.id)
        session.add(state)
    state.content_hash = ad.content_hash
    state.signature = to_bytes(sig) if sig is not None else None
    state.cluster_id = cluster_id
    state.linked_at = now
    session.flush()
    return cluster_id


def _near_duplicates(session: Session, ad_id: int, sig: np.ndarray, keys: list[int], threshold: float,
                     now: datetime) -> list[int]:
    candidates = set(session.scalars(
        select(AdMinhashBand.ad_id).where(
            or_(*(and_(AdMinhashBand.band == band, AdMinhashBand.key == key) for band, key in enumerate(keys))),
            AdMinhashBand.ad_id != ad_id,
        ).distinct()))
    if not candidates:
        return []
    found = []
    existing = {(first, second) for first, second in session.execute(
        select(NearDuplicate.ad_id, NearDuplicate.other_ad_id)
        .where(or_(NearDuplicate.ad_id == ad_id, NearDuplicate.other_ad_id == ad_id)))}
    for other_id, other_sig in session.execute(
            select(AdLinkState.ad_id, AdLinkState.signature).where(AdLinkState.ad_id.in_(candidates))):
        if other_sig is None:
            continue
        score = similarity(sig, from_bytes(other_sig))
        if score < threshold:
            continue
        found.append(other_id)
        pair = (min(ad_id, other_id), max(ad_id, other_id))
        if pair not in existing:
            session.add(NearDuplicate(ad_id=pair[0], other_ad_id=pair[1], similarity=score, found_at=now))
    return found


def _contact_partners(session: Session, ad_id: int) -> set[int]:
    mine = select(AdContact.kind, AdContact.value).where(AdContact.ad_id == ad_id).subquery()
    shared = (select(AdContact.kind, AdContact.value)
              .join(mine, and_(AdContact.kind == mine.c.kind, AdContact.value == mine.c.value))
              .group_by(AdContact.kind, AdContact.value)
              .having(func.count(AdContact.ad_id) <= MAX_SHARED_FOR_CLUSTER + 1)
              .subquery())
    return set(session.scalars(
        select(AdContact.ad_id).join(shared, and_(AdContact.kind == shared.c.kind, AdContact.value == shared.c.value))
        .where(AdContact.ad_id != ad_id).distinct()))


def _join_clusters(session: Session, own: int | None, partners: set[int], now: datetime) -> int | None:
    """The cluster the ad and its partners share, merging theirs into the oldest (lowest id)."""
    if not partners:
        return own
    partner_states = {ad: cluster for ad, cluster in session.execute(
        select(AdLinkState.ad_id, AdLinkState.cluster_id).where(AdLinkState.ad_id.in_(partners)))}
    clusters = {c for c in partner_states.values() if c is not None} | ({own} if own is not None else set())
    if clusters:
        target = min(clusters)
    else:
        cluster = Cluster(created_at=now, updated_at=now)
        session.add(cluster)
        session.flush()
        target = cluster.id
    others = clusters - {target}
    if others:
        session.execute(update(AdLinkState).where(AdLinkState.cluster_id.in_(others)).values(cluster_id=target))
        session.execute(update(Cluster).where(Cluster.id.in_(others)).values(merged_into=target, updated_at=now))
        log.info("event=clusters_merged into=%s merged=%s", target, sorted(others))
    unclustered = [ad for ad, cluster in partner_states.items() if cluster is None]
    if unclustered:
        session.execute(update(AdLinkState).where(AdLinkState.ad_id.in_(unclustered)).values(cluster_id=target))
    session.execute(update(Cluster).where(Cluster.id == target).values(updated_at=now))
    return target


def stale_ad_ids(session: Session, limit: int) -> list[int]:
    """Ads never linked, or linked for an older version of their content."""
    return list(session.scalars(
        select(Ad.id).outerjoin(AdLinkState, AdLinkState.ad_id == Ad.id)
        .where(or_(AdLinkState.ad_id.is_(None), AdLinkState.content_hash != Ad.content_hash))
        .order_by(Ad.id).limit(limit)))


def count_stale(session: Session) -> int:
    return session.scalar(
        select(func.count()).select_from(Ad).outerjoin(AdLinkState, AdLinkState.ad_id == Ad.id)
        .where(or_(AdLinkState.ad_id.is_(None), AdLinkState.content_hash != Ad.content_hash))) or 0


def link_ads(session: Session, ad_ids: Iterable[int], threshold: float = DEFAULT_THRESHOLD) -> int:
    """Link the given ads in this session's transaction (taking the linking lock first)."""
    write_lock(session, "linking")
    linked = 0
    for ad_id in ad_ids:
        ad = session.get(Ad, ad_id)
        if ad is not None:
            link_ad(session, ad, threshold)
            linked += 1
    return linked


def link_pending(session_factory: Callable[[], Session], threshold: float = DEFAULT_THRESHOLD, batch_size: int = 200,
                 limit: int | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Link every stale ad (up to `limit`), one committed batch at a time; returns how many were linked.

    Call it after ads are stored or scored (the scheduler's after-run hook, `lokerwatch links update`);
    the read endpoints also call it with a small limit so their answers are never behind.
    """
    done = 0
    while limit is None or done < limit:
        size = batch_size if limit is None else min(batch_size, limit - done)
        with session_factory() as session:
            write_lock(session, "linking")  # before the first read: two linkers never merge the same clusters
            ids = stale_ad_ids(session, size)
            if not ids:
                break
            link_ads(session, ids, threshold)
            session.commit()
        done += len(ids)
        if progress:
            progress(len(ids))
    return done
