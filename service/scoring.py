"""Score stored ads with the active scorer; only ads lacking a score for their current content."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from model.records import AdText, Scorer
from service.store.ads import ads_needing_score
from service.store.tables import Ad, ScoreRow
from service.store.types import utc_now


def as_ad_text(ad: Ad) -> AdText:
    return AdText(ad_id=str(ad.id), title=ad.title or "", text=ad.text, source=ad.source)


def score_unscored(session_factory: Callable[[], Session], scorer: Scorer, batch_size: int = 256,
                   progress: Callable[[int], None] | None = None) -> int:
    """Score every ad that has no score from `scorer` for its current text; returns how many were scored.

    Each batch commits on its own, so an interrupted run keeps what it did and a re-run goes on from there.
    """
    scored = 0
    while True:
        with session_factory() as session:
            ads = ads_needing_score(session, scorer.version, batch_size)
            if not ads:
                return scored
            scores = scorer.predict([as_ad_text(ad) for ad in ads])
            now = utc_now()
            for ad, score in zip(ads, scores, strict=True):
                session.add(ScoreRow(
                    ad_id=ad.id, model_version=scorer.version, content_hash=ad.content_hash,
                    p_scam=score.p_scam, p_trafficking=score.p_trafficking, risk=score.risk,
                    indicators=score.indicators_json(),
                    top_features=[[name, weight] for name, weight in score.top_features],
                    scored_at=now,
                ))
            try:
                session.commit()
            except IntegrityError:
                # Another process scored some of these ads meanwhile; the next pass picks up the rest.
                session.rollback()
                continue
            scored += len(ads)
            if progress:
                progress(len(ads))
