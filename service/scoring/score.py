"""Score stored ads with the active scorer; only ads lacking a score for their current content."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from model.records import Score, Scorer
from service.scoring.entities import find_entities
from service.scoring.pending import SWEEP_KEY, PendingAds, mark_scored, pending_ads, settle
from service.store.ads import ad_text
from service.store.app_state import put_state
from service.store.tables import Ad, ScoreRow
from service.store.types import utc_now


def score_row(ad: Ad, scorer_version: str, score: Score, scored_at: datetime) -> ScoreRow:
    """The one way a scorer's verdict becomes a row: for the ad's current content, with its reasons, its modus,
    the deciding facts and the entities the desk shows (found here once, not on every view)."""
    return ScoreRow(
        ad_id=ad.id, model_version=scorer_version, content_hash=ad.content_hash,
        p_scam=score.p_scam, p_trafficking=score.p_trafficking, risk=score.risk,
        indicators=score.indicators_json(),
        top_features=[[name, weight] for name, weight in score.top_features],
        entities=find_entities(ad_text(ad)),
        modus=score.modus[:60] if score.modus else None,
        modus_probability=score.modus_probability if score.modus else None,
        facts=list(score.facts),
        scored_at=scored_at,
    )


def score_unscored(session_factory: Callable[[], Session], scorer: Scorer, batch_size: int = 256,
                   progress: Callable[[int], None] | None = None) -> int:
    """Score every ad that has no score from `scorer` for its current text; returns how many were scored.

    Each batch commits on its own, so an interrupted run keeps what it did and a re-run goes on from there.
    """
    scored = 0
    while True:
        with session_factory() as session:
            batch = pending_ads(session, scorer.version, batch_size)
            if not batch.ads:
                settle(session, scorer.version, batch)  # an empty sweep batch ends the sweep
                if batch.already_scored:
                    continue  # what was there proved scored already; more may wait behind it
                return scored
            # End the read before the slow part: on SQLite a read transaction that another connection writes past
            # (an audited desk read, a run's lease) can never write, and would fail at once with "database is
            # locked". The ads stay loaded (expire_on_commit is off); the scores go in in a transaction of their own.
            session.commit()
            ads = batch.ads
            scores = scorer.predict([ad_text(ad) for ad in ads])
            now = utc_now()
            session.add_all(score_row(ad, scorer.version, score, now) for ad, score in zip(ads, scores, strict=True))
            try:
                session.flush()
                mark_scored(session, [(ad.id, ad.content_hash) for ad in ads])
                if batch.sweep is not None:
                    put_state(session, SWEEP_KEY, batch.sweep)
                session.commit()
            except IntegrityError:
                # Another process scored some of these ads meanwhile; the next pass picks up the rest.
                session.rollback()
                continue
            if batch.already_scored:
                settle(session, scorer.version, PendingAds([], None, batch.already_scored))
            scored += len(ads)
            if progress:
                progress(len(ads))
