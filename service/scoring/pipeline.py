"""After ads are stored: score them with the active model, bring the review queue in step, link them.

Every place that stores ads ends here (the scheduler after each run, `lokerwatch scrape`/`import`/`score`,
quickstart), so the queue and the clusters change where scores and links change, never on a read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from model.records import Scorer
from scraper.engine import RunSummary
from service.links.linking import link_pending
from service.review.queue_sync import sync_queue
from service.scoring.registry import load_active_scorer
from service.scoring.score import score_unscored
from service.scoring.threshold import review_threshold
from service.settings import Settings

log = logging.getLogger("lokerwatch.pipeline")

SessionFactory = Callable[[], Session]


@dataclass(frozen=True)
class Processed:
    scored: int
    queued: int  # scores applied to the queue
    linked: int
    model_version: str


def active_scorer(session_factory: SessionFactory, settings: Settings) -> Scorer:
    """The active trained model, or the transparent rule scorer when none is active."""
    with session_factory() as session:
        return load_active_scorer(session, settings)


def score_and_queue(session_factory: SessionFactory, settings: Settings, scorer: Scorer, batch_size: int = 256,
                    progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Score what has no score from `scorer` yet, then apply the new scores to the queue: (scored, queued)."""
    scored = score_unscored(session_factory, scorer, batch_size, progress)
    with session_factory() as session:
        queued = sync_queue(session, review_threshold(session, settings))
    return scored, queued


def process_new_ads(session_factory: SessionFactory, settings: Settings, summary: RunSummary | None = None,
                    scorer: Scorer | None = None, batch_size: int = 256,
                    progress: Callable[[int], None] | None = None) -> Processed | None:
    """Score, queue and link what is new; None when `summary` says a run stored nothing new or changed."""
    if summary is not None and summary.new_ads + summary.updated_ads == 0:
        return None
    scorer = scorer or active_scorer(session_factory, settings)
    scored, queued = score_and_queue(session_factory, settings, scorer, batch_size, progress)
    # After the queue: linking tags the queue entries of each cluster, including the ones just made.
    linked = link_pending(session_factory, settings.near_duplicate_threshold)
    log.info("event=new_ads_processed source=%s scored=%d queued=%d linked=%d model=%s",
             summary.source_name if summary else "-", scored, queued, linked, scorer.version)
    return Processed(scored, queued, linked, scorer.version)
