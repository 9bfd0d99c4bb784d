"""Which model scored the ads the desk shows, and its evaluation figures when the registry has them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.display.local_time import as_datetime
from service.scoring.registry import active_version, list_models
from service.settings import Settings
from service.store.tables import ScoreRow


@dataclass(frozen=True)
class ModelFigures:
    """The held-out figures of a trained model (None where the model card has none)."""

    trafficking_recall: float | None
    legit_fpr: float | None
    macro_f1: float | None


@dataclass(frozen=True)
class ActiveModel:
    version: str | None  # None before anything was scored
    scored_at: datetime | None  # the newest score
    trained_at: datetime | None
    figures: ModelFigures | None  # None for rules-0 (or a model missing from the registry's folder)
    ads_scored: int

    @property
    def rule_based(self) -> bool:
        return bool(self.version and self.version.startswith("rules-"))


def active_model_info(session: Session, settings: Settings) -> ActiveModel:
    """The model in use (the registry's active one, else the newest score's), how many ads it scored, its figures."""
    latest = session.scalars(select(ScoreRow).order_by(ScoreRow.id.desc()).limit(1)).first()
    version = latest.model_version if latest else None
    trained_at, figures = None, None
    active = active_version(session)
    if active is not None:
        version = active
        info = next((m for m in list_models(settings.model_dir) if m.version == active), None)
        if info is not None:
            trained_at = as_datetime(info.created_at) if info.created_at else None
            figures = ModelFigures(info.trafficking_recall, info.legit_fpr, info.macro_f1)
    ads_scored = 0
    if version:
        ads_scored = session.scalar(select(func.count()).select_from(ScoreRow)
                                    .where(ScoreRow.model_version == version)) or 0
    return ActiveModel(version, latest.scored_at if latest else None, trained_at, figures, ads_scored)
