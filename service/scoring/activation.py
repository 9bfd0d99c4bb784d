"""Switching the active model, and the review queue with it: the queue follows the new threshold at once.

Each trained model chose its own review threshold, and whether an ad waits in the queue depends on it
(`service.review.queue_sync.in_queue`). The desk reads the threshold of the active model on every request, so
an activation that left the queue alone would show the new model's risk levels over a queue still cut at the
old model's threshold until the next scoring or a restart of `serve`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.review.queue_sync import sync_queue
from service.scoring.registry import ModelInfo, activate
from service.scoring.threshold import review_threshold
from service.settings import Settings
from service.store.tables import QueueEntry


@dataclass(frozen=True)
class Activation:
    model: ModelInfo
    review_threshold: float  # the threshold now in force (the model's own, or LOKERWATCH_REVIEW_THRESHOLD)
    queued: int  # ads waiting in the review queue at that threshold


def activate_model(session: Session, settings: Settings, version: str, actor: str = "cli") -> Activation:
    """Make `version` the active model and bring the review queue to the threshold now in force; commits.

    The queue is synced the way scoring syncs it (`sync_queue`): a changed threshold re-applies every ad's latest
    score, so an ad between the old and the new threshold leaves or enters the queue now. The scores themselves
    stay those already stored until `lokerwatch score` (or the next scrape) scores the ads with the new model.
    """
    info = activate(session, settings, version, actor)
    threshold = review_threshold(session, settings)
    sync_queue(session, threshold)
    queued = session.scalar(select(func.count()).select_from(QueueEntry).where(QueueEntry.in_queue.is_(True))) or 0
    session.commit()  # end the read
    return Activation(info, threshold, queued)
