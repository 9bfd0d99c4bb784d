"""Which ads still need a score from a model, found without comparing every ad with every score.

Comparing ads with scores (an anti-join over the whole store) cost 0.7 s a query at 1,000,000 ads, several times
for each scraped page (issue #12). Two cheaper means now answer it:

- a marker: `ads.scored_content_hash` is the content version last scored; a new or edited ad differs from it
  and sits in the partial index `ix_ads_score_stale`, so a run's scoring reads only what the run added or changed;
- a sweep per model: the marker does not say which model scored, so the first time a model scores (after a model
  switch, or on a store that predates the marker) one keyset pass compares the ads with that model's scores, batch
  by batch, and remembers in `app_state` how far it got.

The marker only ever points at work; the scores table stays the truth: an ad that already has the model's score
for its content is never handed out again, whatever its marker says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, bindparam, exists, func, select, update
from sqlalchemy.orm import Session

from service.store.app_state import put_state
from service.store.engine import immediate
from service.store.tables import Ad, AppState, ScoreRow

SWEEP_KEY = "scoring:sweep"


@dataclass
class PendingAds:
    """One batch of ads to score, and how far the model's sweep will have got once they are scored."""

    ads: list[Ad]
    sweep: dict[str, Any] | None = None  # the sweep's state to save with the scores; None: unchanged
    already_scored: list[int] = field(default_factory=list)  # marked stale, but the model's score is there


def is_score_stale() -> ColumnElement[bool]:
    """Never scored, or scored for an older version of the ad's content: the predicate of `ix_ads_score_stale`."""
    return Ad.scored_content_hash.is_distinct_from(Ad.content_hash)


def _has_score(model_version: str) -> ColumnElement[bool]:
    return exists().where(ScoreRow.ad_id == Ad.id, ScoreRow.model_version == model_version,
                          ScoreRow.content_hash == Ad.content_hash)


def sweep_state(session: Session, model_version: str) -> dict[str, Any]:
    """Where this model's sweep stands: {"version", "after" (last ad id compared), "done"}; a fresh one for a model
    that is not the one the state was kept for."""
    value = session.scalar(select(AppState.value).where(AppState.key == SWEEP_KEY))
    if isinstance(value, dict) and value.get("version") == model_version:
        return value
    return {"version": model_version, "after": 0, "done": False}


def pending_ads(session: Session, model_version: str, limit: int) -> PendingAds:
    """Up to `limit` ads with no score from `model_version` for their current content, lowest ids first: the stale
    ones first, then the sweep's next ones. Reads only; the caller saves `sweep` and marks what it scores."""
    batch = PendingAds([])
    for ad, has_score in session.execute(
            select(Ad, _has_score(model_version)).where(is_score_stale()).order_by(Ad.id).limit(limit)):
        if has_score:
            batch.already_scored.append(ad.id)
        else:
            batch.ads.append(ad)
    state = sweep_state(session, model_version)
    wanted = limit - len(batch.ads)
    if state["done"] or wanted <= 0:
        return batch
    taken = {ad.id for ad in batch.ads}
    # Keyset from where the sweep stopped, so a sweep over the whole store reads every ad once, not once a batch.
    swept = list(session.scalars(select(Ad).where(Ad.id > state["after"], ~_has_score(model_version))
                                 .order_by(Ad.id).limit(wanted)))
    batch.ads.extend(ad for ad in swept if ad.id not in taken)
    batch.ads.sort(key=lambda ad: ad.id)
    after = swept[-1].id if swept else state["after"]
    batch.sweep = {"version": model_version, "after": after, "done": len(swept) < wanted}
    return batch


def count_pending(session: Session, model_version: str) -> int:
    """How many ads may still need a score from `model_version` (for a progress bar): the stale ones, plus, while
    the model's sweep is not over, the ads after where it stopped (an upper bound: some of those may be scored)."""
    pending = session.scalar(select(func.count()).select_from(Ad).where(is_score_stale())) or 0
    state = sweep_state(session, model_version)
    if not state["done"]:
        pending += session.scalar(select(func.count()).select_from(Ad).where(
            Ad.id > state["after"], ~is_score_stale())) or 0
    return pending


def mark_scored(session: Session, scored: list[tuple[int, str]]) -> None:
    """Record which content version of each ad was just scored (in the caller's transaction): (ad id, hash)."""
    if scored:
        session.connection().execute(
            update(Ad).where(Ad.id == bindparam("b_ad_id")).values(scored_content_hash=bindparam("b_hash")),
            [{"b_ad_id": ad_id, "b_hash": content_hash} for ad_id, content_hash in scored])


def settle(session: Session, model_version: str, batch: PendingAds) -> None:
    """Save what a batch learned without scoring anything (commits): stale ads that had the model's score already
    leave the stale index, and the sweep's position is kept."""
    if not batch.already_scored and batch.sweep is None:
        return
    session.rollback()  # end the read: on SQLite a write must start its own transaction
    immediate(session)
    if batch.already_scored:
        session.execute(update(Ad).where(Ad.id.in_(batch.already_scored), _has_score(model_version))
                        .values(scored_content_hash=Ad.content_hash))
    if batch.sweep is not None:
        put_state(session, SWEEP_KEY, batch.sweep)
    session.commit()
