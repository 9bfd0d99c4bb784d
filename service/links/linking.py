"""Links ads that share a phone number, e-mail or handle, or that are reposts of one text, into clusters.

A cluster is one recruiter's footprint across sources and time. Linking is incremental: each ad is
linked once per version of its content (`ad_link_state.content_hash`), finding partners through the
contact index and the MinHash band index, never by comparing all pairs. Ads are linked in batches
with a fixed number of set-based statements per batch (not per ad), so a backlog of 100k ads is
minutes, not hours. Clusters only grow or merge: a recruiter who drops a number is still the same
recruiter, so old contacts and links stay.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import ColumnElement, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from model.entities import find_contacts
from model.normalise import NormalisedText, normalise
from service.links.near_duplicates import band_keys, from_bytes, signature_of_normalised, similarities, to_bytes
from service.research.pseudonymise import IDENTITY_KIND
from service.store.ads import ad_text
from service.store.locking import write_lock
from service.store.tables import Ad, AdContact, AdLinkState, AdMinhashBand, Cluster, NearDuplicate, QueueEntry
from service.store.types import utc_now

log = logging.getLogger("lokerwatch.linking")

DEFAULT_THRESHOLD = 0.7
# A contact shared by more ads than this is a platform number or a template's placeholder, not a
# recruiter: it still shows as a reason, but does not pull thousands of ads into one cluster.
MAX_SHARED_FOR_CLUSTER = 500
CHUNK = 900  # bound parameters per IN (...) list; well under SQLite's limit
T = TypeVar("T")


@dataclass(frozen=True)
class FoundContact:
    kind: str  # phone | email | handle
    value: str
    text: str


@dataclass
class _Pending:
    """One ad being linked in this batch, and what was computed for it."""

    ad: Ad
    contacts: list[FoundContact]
    signature: np.ndarray | None
    keys: list[int]
    partners: set[int] = field(default_factory=set)


def ad_contacts(ad: Ad, normalised: NormalisedText | None = None) -> list[FoundContact]:
    """Distinct identities an ad states, in its text or in the contacts its source listed."""
    full = normalised or normalise(ad_text(ad).full_text)
    written: list[str | NormalisedText] = [full, *map(str, ad.contact_handles or [])]
    found: dict[tuple[str, str], FoundContact] = {}
    for piece in written:
        for contact in find_contacts(piece):
            kind = IDENTITY_KIND.get(contact.kind)
            if kind:
                found.setdefault((kind, contact.value), FoundContact(kind, contact.value, contact.text[:500]))
    return list(found.values())


def _chunks(values: Iterable[T]) -> Iterator[list[T]]:
    items = list(values)
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def link_ads(session: Session, ad_ids: Iterable[int], threshold: float = DEFAULT_THRESHOLD) -> int:
    """Link the given ads in this session's transaction (taking the linking lock first); the caller commits."""
    write_lock(session, "linking")
    ads = list(session.scalars(select(Ad).where(Ad.id.in_(list(ad_ids))).order_by(Ad.id)))
    if not ads:
        return 0
    now = utc_now()
    batch = []
    for ad in ads:
        normalised = normalise(ad_text(ad).full_text)  # once, for contacts and MinHash
        sig = signature_of_normalised(normalised.text)
        batch.append(_Pending(ad, ad_contacts(ad, normalised), sig, band_keys(sig) if sig is not None else []))
    _store_contacts(session, batch, now)
    _store_bands(session, batch)
    _find_near_duplicates(session, batch, threshold, now)
    _find_contact_partners(session, batch)
    clusters = _assign_clusters(session, batch, now)
    _store_states(session, batch, clusters, now)
    # After the states: the batch's own ads are members now, so their queue entries are tagged too.
    tag_queue_entries(session, {cluster for cluster in clusters.values() if cluster is not None})
    return len(batch)


def _store_contacts(session: Session, batch: Sequence[_Pending], now: datetime) -> None:
    ids = [p.ad.id for p in batch]
    known = {(owner, kind, value) for owner, kind, value in session.execute(
        select(AdContact.ad_id, AdContact.kind, AdContact.value).where(AdContact.ad_id.in_(ids)))}
    rows = [{"ad_id": p.ad.id, "kind": c.kind, "value": c.value, "text": c.text, "found_at": now}
            for p in batch for c in p.contacts if (p.ad.id, c.kind, c.value) not in known]
    if rows:
        session.connection().execute(insert(AdContact), rows)


def _store_bands(session: Session, batch: Sequence[_Pending]) -> None:
    session.execute(delete(AdMinhashBand).where(AdMinhashBand.ad_id.in_([p.ad.id for p in batch])))
    rows = [{"ad_id": p.ad.id, "band": band, "key": key} for p in batch for band, key in enumerate(p.keys)]
    if rows:
        session.connection().execute(insert(AdMinhashBand), rows)


def _find_near_duplicates(session: Session, batch: Sequence[_Pending], threshold: float, now: datetime) -> None:
    """Candidates share a band key (one indexed lookup for the batch); the full signature decides."""
    by_key: dict[int, set[int]] = {}
    for keys in _chunks({key for p in batch for key in p.keys}):
        for owner, key in session.execute(select(AdMinhashBand.ad_id, AdMinhashBand.key)
                                          .where(AdMinhashBand.key.in_(keys))):
            by_key.setdefault(key, set()).add(owner)
    signatures = {p.ad.id: p.signature for p in batch if p.signature is not None}
    wanted = {owner for owners in by_key.values() for owner in owners} - set(signatures)
    for ids in _chunks(wanted):
        for owner, data in session.execute(select(AdLinkState.ad_id, AdLinkState.signature)
                                           .where(AdLinkState.ad_id.in_(ids))):
            if data is not None:
                signatures[owner] = from_bytes(data)
    pairs: dict[tuple[int, int], float] = {}
    for pending in batch:
        if pending.signature is None:
            continue
        candidates = [other for other in {owner for key in pending.keys for owner in by_key.get(key, ())}
                      if other != pending.ad.id and other in signatures]
        if not candidates:
            continue
        # One vectorised comparison per ad: boilerplate-heavy sources give thousands of candidates.
        scores = similarities(pending.signature, np.stack([signatures[other] for other in candidates]))
        for other, score in zip(candidates, scores.tolist(), strict=True):
            if score >= threshold:
                pending.partners.add(other)
                pairs[(min(pending.ad.id, other), max(pending.ad.id, other))] = score
    if not pairs:
        return
    ids = [p.ad.id for p in batch]
    existing = {(first, second) for first, second in session.execute(
        select(NearDuplicate.ad_id, NearDuplicate.other_ad_id)
        .where(or_(NearDuplicate.ad_id.in_(ids), NearDuplicate.other_ad_id.in_(ids))))}
    rows = [{"ad_id": first, "other_ad_id": second, "similarity": score, "found_at": now}
            for (first, second), score in pairs.items() if (first, second) not in existing]
    if rows:
        session.connection().execute(insert(NearDuplicate), rows)


def _find_contact_partners(session: Session, batch: Sequence[_Pending]) -> None:
    """Ads sharing a contact (this version's or an earlier one's), leaving out contacts too common to mean anyone."""
    ids = [p.ad.id for p in batch]
    mine: dict[int, set[tuple[str, str]]] = {}
    for owner, kind, value in session.execute(
            select(AdContact.ad_id, AdContact.kind, AdContact.value).where(AdContact.ad_id.in_(ids))):
        mine.setdefault(owner, set()).add((kind, value))
    wanted = {pair for pairs in mine.values() for pair in pairs}
    owners: dict[tuple[str, str], set[int]] = {}
    kinds = {kind for kind, _ in wanted}
    for values in _chunks({value for _, value in wanted}):
        for owner, kind, value in session.execute(
                select(AdContact.ad_id, AdContact.kind, AdContact.value)
                .where(AdContact.kind.in_(kinds), AdContact.value.in_(values))):  # uses ix_ad_contacts_kind_value
            if (kind, value) in wanted:
                owners.setdefault((kind, value), set()).add(owner)
    for pending in batch:
        for pair in mine.get(pending.ad.id, ()):
            sharing = owners.get(pair, set())
            if len(sharing) <= MAX_SHARED_FOR_CLUSTER + 1:
                pending.partners |= sharing - {pending.ad.id}


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, item: Any) -> Any:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, first: Any, second: Any) -> None:
        self.parent[self.find(first)] = self.find(second)


def _assign_clusters(session: Session, batch: Sequence[_Pending], now: datetime) -> dict[int, int | None]:
    """Each batch ad's cluster: components of (ads, their partners, the clusters those already belong to).

    A component with existing clusters keeps the oldest (lowest id) and merges the others into it;
    one without gets a new cluster; a lone ad gets none.
    """
    involved = {p.ad.id for p in batch} | {other for p in batch for other in p.partners}
    current: dict[int, int | None] = {}
    for ids in _chunks(involved):
        current.update({ad_id: cluster for ad_id, cluster in session.execute(
            select(AdLinkState.ad_id, AdLinkState.cluster_id).where(AdLinkState.ad_id.in_(ids)))})
    components = _UnionFind()
    for pending in batch:
        components.find(("ad", pending.ad.id))
        for other in pending.partners:
            components.union(("ad", pending.ad.id), ("ad", other))
    for ad_id in involved:
        if current.get(ad_id) is not None:
            components.union(("ad", ad_id), ("cluster", current[ad_id]))
    members: dict[Any, set[Any]] = {}
    for node in list(components.parent):
        members.setdefault(components.find(node), set()).add(node)
    result: dict[int, int | None] = {}
    for nodes in members.values():
        ads = {value for kind, value in nodes if kind == "ad"}
        existing = {value for kind, value in nodes if kind == "cluster"}
        if len(ads) < 2 and not existing:
            result.update({ad_id: None for ad_id in ads})
            continue
        target = min(existing) if existing else _new_cluster(session, now)
        others = existing - {target}
        if others:
            session.execute(update(AdLinkState).where(AdLinkState.cluster_id.in_(others)).values(cluster_id=target))
            session.execute(update(Cluster).where(Cluster.id.in_(others)).values(merged_into=target, updated_at=now))
            log.info("event=clusters_merged into=%s merged=%s", target, sorted(others))
        partners_without = [ad_id for ad_id in ads if ad_id in current and current[ad_id] != target]
        for ids in _chunks(partners_without):
            session.execute(update(AdLinkState).where(AdLinkState.ad_id.in_(ids)).values(cluster_id=target))
        session.execute(update(Cluster).where(Cluster.id == target).values(updated_at=now))
        result.update({ad_id: target for ad_id in ads})
    return {p.ad.id: result.get(p.ad.id) for p in batch}


def _new_cluster(session: Session, now: datetime) -> int:
    cluster = Cluster(created_at=now, updated_at=now)
    session.add(cluster)
    session.flush()
    return cluster.id


def _store_states(session: Session, batch: Sequence[_Pending], clusters: dict[int, int | None],
                  now: datetime) -> None:
    ids = [p.ad.id for p in batch]
    existing = set(session.scalars(select(AdLinkState.ad_id).where(AdLinkState.ad_id.in_(ids))))
    rows = [{"ad_id": p.ad.id, "content_hash": p.ad.content_hash, "cluster_id": clusters[p.ad.id], "linked_at": now,
             "signature": to_bytes(p.signature) if p.signature is not None else None} for p in batch]
    new = [row for row in rows if row["ad_id"] not in existing]
    if new:
        session.connection().execute(insert(AdLinkState), new)
    changed = [{"b_" + key: value for key, value in row.items()} for row in rows if row["ad_id"] in existing]
    if changed:
        session.connection().execute(
            update(AdLinkState).where(AdLinkState.ad_id == bindparam("b_ad_id")).values(
                content_hash=bindparam("b_content_hash"), cluster_id=bindparam("b_cluster_id"),
                linked_at=bindparam("b_linked_at"), signature=bindparam("b_signature")),
            changed)
    # The ad leaves the stale index (`stale_ad_ids`) for this version of its content.
    session.connection().execute(
        update(Ad).where(Ad.id == bindparam("b_ad_id")).values(linked_content_hash=bindparam("b_content_hash")),
        [{"b_ad_id": row["ad_id"], "b_content_hash": row["content_hash"]} for row in rows])


def tag_queue_entries(session: Session, cluster_ids: Iterable[int]) -> None:
    """Keep the queue's cluster filter in step: every queued ad of these clusters carries the cluster's id."""
    for cluster_id in sorted(set(cluster_ids)):
        members = select(AdLinkState.ad_id).where(AdLinkState.cluster_id == cluster_id)
        session.execute(update(QueueEntry).where(QueueEntry.ad_id.in_(members),
                                                 or_(QueueEntry.cluster_id.is_(None),
                                                     QueueEntry.cluster_id != cluster_id))
                        .values(cluster_id=cluster_id))


def _is_stale() -> ColumnElement[bool]:
    """Never linked, or linked for an older version of the ad's content: the predicate of `ix_ads_link_stale`."""
    return Ad.linked_content_hash.is_distinct_from(Ad.content_hash)


def stale_ad_ids(session: Session, limit: int) -> list[int]:
    """Ads never linked, or linked for an older version of their content (read from the partial index only)."""
    return list(session.scalars(select(Ad.id).where(_is_stale()).order_by(Ad.id).limit(limit)))


def count_clusters(session: Session) -> int:
    """Clusters that hold ads now (merged ones only point at the cluster they became)."""
    return session.scalar(select(func.count()).select_from(Cluster).where(Cluster.merged_into.is_(None))) or 0


def count_stale(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Ad).where(_is_stale())) or 0


def link_pending(session_factory: Callable[[], Session], threshold: float = DEFAULT_THRESHOLD, batch_size: int = 500,
                 limit: int | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Link every stale ad (up to `limit`), one committed batch at a time; returns how many were linked.

    Call it after ads are stored or scored (`service.scoring.pipeline`, `lokerwatch links update`); reads
    never link, they say how many ads still wait (`count_stale`).
    """
    done = 0
    while limit is None or done < limit:
        size = batch_size if limit is None else min(batch_size, limit - done)
        with session_factory() as session:
            if not stale_ad_ids(session, 1):  # a plain read first: reads that find nothing take no write lock
                break
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
