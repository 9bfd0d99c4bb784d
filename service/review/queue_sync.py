"""Keeping the review queue in step with the scores: which scored ads wait for a human, in what order.

Queue entries are a denormalised copy of each ad's latest score, so listing 100,000 ads in risk order is
an index scan. `sync_queue` applies the scores newer than its last run; it is called where scores change
(after scoring, by `service.scoring.pipeline`) and at start-up (a changed threshold), never on a read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.orm import Session

from model.records import RULES_VERSION
from service.scoring.registry import ACTIVE_MODEL_KEY
from service.store.app_state import put_state
from service.store.locking import write_lock
from service.store.tables import Ad, AdLinkState, AppState, QueueEntry, QueueIndicator, ScoreRow
from service.store.types import utc_now

DECISIONS = ("trafficking", "scam", "benign", "need_info")
FINAL_DECISIONS = frozenset({"trafficking", "scam", "benign"})
REOPENED = "reopened"
SYNC_KEY = "queue_sync"
SYNC_BATCH = 5000


def in_queue(status: str, risk: float, threshold: float) -> bool:
    # Ads a human sent back (need_info, reopened) stay in the queue whatever their score.
    return status in ("need_info", REOPENED) or (status == "open" and risk >= threshold)


def shown_modus(modus: str | None, risk: float, threshold: float) -> str | None:
    """The modus the queue keeps for an ad: the score's, only at or over the review threshold (under it the
    model's guess of a pattern for an ad it does not flag means little, and the desk shows none)."""
    return modus[:60] if modus and risk >= threshold else None


def kind_of(p_scam: float, p_trafficking: float) -> tuple[str, int]:
    return ("trafficking", 1) if p_trafficking >= p_scam and p_trafficking > 0 else ("scam", 0)


def _state(session: Session) -> dict[str, Any]:
    row = session.get(AppState, SYNC_KEY, populate_existing=True)
    return dict(row.value) if row else {}


def synced_threshold(session: Session) -> float | None:
    """The review threshold the queue was last brought in step with (None before the first sync)."""
    value = _state(session).get("threshold")
    return float(value) if isinstance(value, int | float) else None


def sync_queue(session: Session, threshold: float) -> int:
    """Apply scores newer than the last sync to the queue; commits; returns how many scores were applied.

    Cheap when nothing changed (one indexed max()). A changed review threshold or active model re-applies every
    score: an entry shows the active model's score for the ad's text when there is one, else the newest score
    (so rolling back to a model that scored earlier brings its scores back, not the newer ones of the model
    it replaced).
    """
    newest_id, saved, active = session.execute(select(
        select(func.max(ScoreRow.id)).scalar_subquery(),
        select(AppState.value).where(AppState.key == SYNC_KEY).scalar_subquery(),
        select(AppState.value).where(AppState.key == ACTIVE_MODEL_KEY).scalar_subquery())).one()
    newest = newest_id or 0
    model = _preferred_model(active)
    session.rollback()
    if saved and saved.get("score_id", 0) >= newest and saved.get("threshold") == threshold \
            and saved.get("model", model) == model:
        return 0
    write_lock(session, "queue-sync")
    state = _state(session)
    same = state.get("threshold") == threshold and state.get("model", model) == model
    start = state.get("score_id", 0) if same else 0
    if start == 0:
        _reapply_threshold(session, threshold)
    applied = 0
    last = start
    while True:
        rows = list(session.execute(
            select(ScoreRow.id, ScoreRow.ad_id, ScoreRow.risk, ScoreRow.p_scam, ScoreRow.p_trafficking,
                   ScoreRow.indicators, ScoreRow.modus, ScoreRow.model_version, ScoreRow.content_hash, Ad.source,
                   Ad.location, Ad.posted_at, Ad.first_seen_at)
            .join(Ad, and_(Ad.id == ScoreRow.ad_id, Ad.content_hash == ScoreRow.content_hash))
            .where(ScoreRow.id > last).order_by(ScoreRow.id).limit(SYNC_BATCH)))
        if not rows:
            break
        last = rows[-1].id
        _apply_scores(session, _preferred_scores(rows, model), threshold, model)
        applied += len(rows)
        # Commit batch by batch: a first sync over 100,000 scores must not hold the write lock throughout.
        _save_state(session, {"score_id": last, "threshold": threshold, "model": model})
        session.commit()
        write_lock(session, "queue-sync")
        last = _state(session).get("score_id", last)  # another worker may have gone on meanwhile
    last = max(last, newest)
    _save_state(session, {"score_id": last, "threshold": threshold, "model": model})
    session.commit()
    return applied


def _reapply_threshold(session: Session, threshold: float) -> None:
    rows = session.execute(select(QueueEntry.ad_id, QueueEntry.status, QueueEntry.risk, ScoreRow.modus,
                                  QueueEntry.in_queue, QueueEntry.kind_rank, QueueEntry.indicator_names)
                           .outerjoin(ScoreRow, ScoreRow.id == QueueEntry.score_id)).all()
    updates = [{"ad_id": row.ad_id, "in_queue": in_queue(row.status, row.risk, threshold),
                "modus": shown_modus(row.modus, row.risk, threshold)} for row in rows]
    if updates:
        session.execute(update(QueueEntry), updates)
    # Flag rows follow the entries that entered or left the queue (only queued entries have them).
    left = [row.ad_id for row, change in zip(rows, updates, strict=True) if row.in_queue and not change["in_queue"]]
    entered = [row for row, change in zip(rows, updates, strict=True) if change["in_queue"] and not row.in_queue]
    _drop_flag_rows(session, left + [row.ad_id for row in entered])
    flag_rows = [flag for row in entered
                 for flag in indicator_rows(row.ad_id, list(row.indicator_names or []), row.kind_rank, row.risk)]
    if flag_rows:
        session.execute(insert(QueueIndicator), flag_rows)


def _drop_flag_rows(session: Session, ad_ids: list[int]) -> None:
    """Delete these entries' flag rows, a batch at a time (a threshold change may move 100,000 entries)."""
    for start in range(0, len(ad_ids), SYNC_BATCH):
        session.execute(delete(QueueIndicator).where(QueueIndicator.ad_id.in_(ad_ids[start:start + SYNC_BATCH])))


def _preferred_model(active: Any) -> str:
    """The model whose scores the queue shows first: the active one, or rules-0 when none is active."""
    version = active.get("version") if isinstance(active, dict) else None
    return version if isinstance(version, str) else RULES_VERSION


def _preferred_scores(rows: list[Any], model: str) -> dict[int, Any]:
    """Each ad's score to apply from one batch: the preferred model's if the batch has one, else the newest."""
    chosen: dict[int, Any] = {}
    for row in rows:
        held = chosen.get(row.ad_id)
        if held is None or (row.model_version == model, row.id) > (held.model_version == model, held.id):
            chosen[row.ad_id] = row
    return chosen


def _apply_scores(session: Session, latest: dict[int, Any], threshold: float, model: str) -> None:
    """Insert or refresh the entries of these ads (Core bulk statements: a first sync may see 100,000 scores).

    An entry holding the preferred model's score for the ad's current text keeps it against other models' scores.
    """
    current = {row.ad_id: row for row in session.execute(
        select(QueueEntry.ad_id, QueueEntry.status, ScoreRow.model_version, ScoreRow.content_hash)
        .outerjoin(ScoreRow, ScoreRow.id == QueueEntry.score_id).where(QueueEntry.ad_id.in_(list(latest))))}
    now = utc_now()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    name_rows: list[dict[str, Any]] = []
    for ad_id, row in latest.items():
        held = current.get(ad_id)
        if held is not None and row.model_version != model and held.model_version == model \
                and held.content_hash == row.content_hash:
            continue  # the preferred model already scored this text: another model's score does not replace it
        status = held.status if held is not None else None
        if status is None and row.risk < threshold:
            continue
        kind, rank = kind_of(row.p_scam, row.p_trafficking)
        names = indicator_names(row.indicators)
        values = {"ad_id": ad_id, "score_id": row.id, "risk": row.risk, "p_scam": row.p_scam,
                  "p_trafficking": row.p_trafficking, "kind": kind, "kind_rank": rank, "source": row.source,
                  "location": row.location, "modus": shown_modus(row.modus, row.risk, threshold),
                  "seen_at": row.posted_at or row.first_seen_at, "indicator_names": names,
                  "in_queue": in_queue(status or "open", row.risk, threshold)}
        if status is None:
            inserts.append({**values, "status": "open", "entered_at": now, "cluster_id": None})
        else:
            updates.append(values)
        if values["in_queue"]:  # only queued entries have flag rows: the filter never walks past decided ads
            name_rows.extend(indicator_rows(ad_id, names, rank, row.risk))
    if inserts:
        # An ad linked before it entered the queue brings its cluster along (linking tags only the entries it sees).
        clusters = {linked: cluster for linked, cluster in session.execute(
            select(AdLinkState.ad_id, AdLinkState.cluster_id).where(
                AdLinkState.ad_id.in_([entry["ad_id"] for entry in inserts]), AdLinkState.cluster_id.is_not(None)))}
        for entry in inserts:
            entry["cluster_id"] = clusters.get(entry["ad_id"])
        session.execute(insert(QueueEntry), inserts)
    if updates:
        session.execute(update(QueueEntry), updates)  # bulk UPDATE by primary key
    changed = [v["ad_id"] for v in inserts + updates]
    if changed:
        session.execute(delete(QueueIndicator).where(QueueIndicator.ad_id.in_(changed)))
    if name_rows:
        session.execute(insert(QueueIndicator), name_rows)


def indicator_rows(ad_id: int, names: list[str], kind_rank: int, risk: float) -> list[dict[str, Any]]:
    """The `queue_indicators` rows of one entry: each flag with the entry's place in queue order."""
    return [{"ad_id": ad_id, "name": name, "kind_rank": kind_rank, "risk": risk} for name in names]


def replace_indicator_rows(session: Session, entry: QueueEntry) -> None:
    """Make the entry's flag rows match it after a decision or a reopening: a queued entry has one row per flag,
    an entry out of the queue none (so the red-flag filter never walks past the decided top of the queue, where
    analysts work first)."""
    session.execute(delete(QueueIndicator).where(QueueIndicator.ad_id == entry.ad_id))
    rows = indicator_rows(entry.ad_id, list(entry.indicator_names or []), entry.kind_rank, entry.risk)
    if rows and entry.in_queue:
        session.execute(insert(QueueIndicator), rows)


def indicator_names(hits: list[Any] | None) -> list[str]:
    return sorted({str(hit["name"])[:100] for hit in hits or [] if isinstance(hit, dict) and hit.get("name")})


def _save_state(session: Session, value: dict[str, Any]) -> None:
    put_state(session, SYNC_KEY, value)


def assign_cluster(session: Session, ad_id: int, cluster_id: int | None) -> None:
    """Let the linking code (clusters) tag a queued ad so the queue can filter by cluster."""
    entry = session.get(QueueEntry, ad_id)
    if entry is not None:
        entry.cluster_id = cluster_id
