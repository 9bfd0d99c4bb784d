"""Retraining from the desk's own decisions: train a candidate, compare it with the active model, maybe activate.

The candidate learns from the default training data (labelled_data/plan.toml, or `--data` files) plus
every reviewed ad (the pseudonymised research export, so a model never memorises a real phone number).
Both models are then measured on the plan's test ads (writers never trained on, held-out real ads),
minus any either of them trained on, and the candidate becomes active only when it is not worse on
macro-F1 and on trafficking recall: a retrain must never quietly lose trafficking cases.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from model.artifact import load_model, training_ids
from model.data_plan import load_plan
from model.dataset import LABELS, as_ad_text, load_labelled
from model.evaluate import evaluate_predictions
from model.labelled import LabelledAd
from model.rule_scorer import RuleScorer
from model.training import TrainingConfig, train
from service.audit import record_audit
from service.research.export import export_labelled
from service.scoring.activation import activate_model
from service.scoring.registry import active_version
from service.scoring.threshold import review_threshold
from service.settings import Settings
from service.store.types import utc_now

log = logging.getLogger("lokerwatch.retrain")

# Fewer held-out ads than this (or a label missing among them) make the comparison noise, not evidence.
MIN_HELD_OUT = 30


@dataclass(frozen=True)
class ModelResult:
    version: str
    macro_f1: float
    trafficking_recall: float | None
    n: int


@dataclass(frozen=True)
class RetrainOutcome:
    candidate: ModelResult | None
    active: ModelResult | None
    activated: bool
    reason: str
    candidate_version: str
    reviews_file: Path
    reviews: int


def _metric(value: float | None) -> float:
    return -1.0 if value is None else value


def not_worse(candidate: ModelResult, active: ModelResult) -> bool:
    """The activation rule: no loss on macro-F1 and none on trafficking recall (ties count as not worse)."""
    return (candidate.macro_f1 >= active.macro_f1
            and _metric(candidate.trafficking_recall) >= _metric(active.trafficking_recall))


def _measure(version: str, records: Sequence[LabelledAd], probabilities: np.ndarray, classes: Sequence[str],
             threshold: float) -> ModelResult:
    report: dict[str, Any] = evaluate_predictions(records, probabilities, classes, threshold)
    return ModelResult(version, float(report["macro_f1"]), report["trafficking_recall"], int(report["n"]))


def _measure_trained(folder: Path, records: Sequence[LabelledAd]) -> ModelResult:
    loaded = load_model(folder)
    probabilities = loaded.classifier.predict_proba([as_ad_text(r) for r in records])
    return _measure(loaded.version, records, probabilities, list(loaded.classifier.classes_),
                    float(loaded.thresholds["review"]))


def _measure_rules(records: Sequence[LabelledAd], threshold: float) -> ModelResult:
    scorer = RuleScorer()
    scores = scorer.predict([as_ad_text(r) for r in records])
    probabilities = np.asarray([[s.p_legit, s.p_scam, s.p_trafficking] for s in scores])
    return _measure(scorer.version, records, probabilities, list(LABELS), threshold)


def retrain(session_factory: Callable[[], Session], settings: Settings, data: Sequence[Path], work_dir: Path,
            actor: str, config: TrainingConfig | None = None) -> RetrainOutcome:
    """Export reviews, train a candidate on the training data + reviews, compare on test ads, activate if not worse."""
    work_dir.mkdir(parents=True, exist_ok=True)
    reviews_file = work_dir / f"reviews-{utc_now():%Y%m%d-%H%M%S}.jsonl"
    with reviews_file.open("w", encoding="utf-8") as handle:
        exported = export_labelled(session_factory, settings, handle, actor)
    reviews = list(load_labelled([reviews_file]).records)
    plan = load_plan(settings.data_plan) if settings.data_plan else load_plan()
    result = train(list(data) or None, settings.model_dir, config, plan=plan, extra_records=reviews)
    with session_factory() as session:
        current = active_version(session)
        threshold = review_threshold(session, settings)  # rules-0's, when no trained model is active
    seen = training_ids(result.folder)
    if current is not None:
        seen |= training_ids(settings.model_dir / current)
    held_out = [record for record in plan.role("test").records if record.id not in seen]

    def outcome(candidate: ModelResult | None, active: ModelResult | None, activated: bool,
                reason: str) -> RetrainOutcome:
        return RetrainOutcome(candidate, active, activated, reason, result.version, reviews_file, exported.records)

    missing = sorted(set(LABELS) - {record.label for record in held_out})
    if len(held_out) < MIN_HELD_OUT or missing:
        return _finish(session_factory, actor, outcome(
            None, None, False, f"only {len(held_out)} held-out ads that neither model trained on"
            + (f" (no {', '.join(missing)})" if missing else "") + "; not enough to compare, nothing activated"))
    candidate = _measure_trained(result.folder, held_out)
    active = (_measure_trained(settings.model_dir / current, held_out) if current is not None
              else _measure_rules(held_out, threshold))
    if not not_worse(candidate, active):
        return _finish(session_factory, actor, outcome(candidate, active, False,
                                                       "the candidate is worse than the active model; not activated"))
    with session_factory() as session:
        activate_model(session, settings, result.version, actor)
    return _finish(session_factory, actor, outcome(candidate, active, True,
                                                   "the candidate is not worse than the active model; activated"))


def _finish(session_factory: Callable[[], Session], actor: str, outcome: RetrainOutcome) -> RetrainOutcome:
    """Audit the decision with both models' numbers, so why a model became active can be traced later."""
    def numbers(result: ModelResult | None) -> dict[str, Any] | None:
        return None if result is None else result.__dict__

    with session_factory() as session, session.begin():
        record_audit(session, actor, "model.retrain", "model", outcome.candidate_version, {
            "activated": outcome.activated, "reason": outcome.reason, "candidate": numbers(outcome.candidate),
            "active": numbers(outcome.active), "reviews": outcome.reviews})
    log.info("event=retrain candidate=%s activated=%s reason=%r", outcome.candidate_version, outcome.activated,
             outcome.reason)
    return outcome
