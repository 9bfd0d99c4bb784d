"""Which model scored the ads the desk shows, and the figures its card gives on ads it never learned from.

Only held-out figures reach people: ads by writers the model never saw (`held_out.test.out_of_author`),
real ads nobody on the team wrote (`held_out.test.real`) and the bare TF-IDF baseline on the same ads
(`baseline`). A model's score on its own training writers proves little, so it is never shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from model.artifact import CARD_JSON
from service.display.local_time import as_datetime
from service.scoring.registry import active_version, list_models
from service.settings import Settings
from service.store.tables import ScoreRow

# Where the card's real-ad reports come from (`model.evaluate.real_text_report`, keyed by the ads' source).
REAL_JOB_ADS = "instagram"
REAL_SMS = "sms"


@dataclass(frozen=True)
class HeldOutFigures:
    """A trained model's figures on ads it never learned from (None where its card has no such number)."""

    macro_f1: float | None
    suspicious_recall: float | None
    legit_fpr: float | None
    ece: float | None
    modus_macro_f1: float | None
    pairs: int | None  # minimal pairs in the test writers' ads
    pairs_both_right: int | None
    written_ads: int | None
    real_job_ads_flagged: float | None  # share of real (nearly all lawful) job ads the queue would take
    real_job_ads: int | None
    real_sms_fraud_recall: float | None  # share of real fraud SMS flagged
    baseline_macro_f1: float | None  # bare TF-IDF + LR on the same ads, same threshold rule
    # The rule the review threshold was chosen by (the card's `thresholds`): the most written legit ads, and real
    # job ads (None when its validation ads held none), it may flag.
    written_legit_budget: float | None = None
    real_job_ads_budget: float | None = None


def _number(block: dict[str, Any], key: str) -> float | None:
    value = block.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _count(block: dict[str, Any], key: str) -> int | None:
    value = block.get(key)
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


def held_out_figures(card: dict[str, Any]) -> HeldOutFigures | None:
    """The held-out figures of a model card; None for a card without a test on unseen writers (older cards)."""
    test = card.get("held_out", {}).get("test", {})
    written = test.get("out_of_author")
    if not isinstance(written, dict):
        return None
    real = test.get("real", {}) if isinstance(test.get("real"), dict) else {}
    jobs, sms = real.get(REAL_JOB_ADS, {}), real.get(REAL_SMS, {})
    pairs = written.get("slices", {}).get("contrast_pairs", {})
    baseline = card.get("baseline", {}).get("test", {}).get("out_of_author", {})
    rule = card.get("thresholds", {}) if isinstance(card.get("thresholds"), dict) else {}
    validation = card.get("held_out", {}).get("validation", {})
    real_validation = validation.get("real", {}) if isinstance(validation, dict) else {}
    real_checked = isinstance(real_validation, dict) and bool(real_validation.get(REAL_JOB_ADS))
    return HeldOutFigures(
        macro_f1=_number(written, "macro_f1"), suspicious_recall=_number(written, "suspicious_recall"),
        legit_fpr=_number(written, "legit_fpr"), ece=_number(written, "ece"),
        modus_macro_f1=_number(written.get("modus", {}), "macro_f1"),
        pairs=_count(pairs, "pairs"), pairs_both_right=_count(pairs, "both_right"), written_ads=_count(written, "n"),
        real_job_ads_flagged=_number(jobs, "legit_flagged_share"), real_job_ads=_count(jobs, "n"),
        real_sms_fraud_recall=_number(sms, "suspicious_recall"),
        baseline_macro_f1=_number(baseline, "macro_f1") if isinstance(baseline, dict) else None,
        written_legit_budget=_number(rule, "max_written_legit_fpr"),
        real_job_ads_budget=_number(rule, "max_real_flagged") if real_checked else None,
    )


def read_card(folder: Path) -> dict[str, Any]:
    card: dict[str, Any] = json.loads((folder / CARD_JSON).read_text(encoding="utf-8"))
    return card


@dataclass(frozen=True)
class ActiveModel:
    version: str | None  # None before anything was scored
    scored_at: datetime | None  # the newest score
    trained_at: datetime | None
    figures: HeldOutFigures | None  # None for rules-0 (or a model missing from the registry's folder)
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
            figures = held_out_figures(read_card(info.folder))
    ads_scored = 0
    if version:
        ads_scored = session.scalar(select(func.count()).select_from(ScoreRow)
                                    .where(ScoreRow.model_version == version)) or 0
    return ActiveModel(version, latest.scored_at if latest else None, trained_at, figures, ads_scored)
