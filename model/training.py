"""Train a model: fit on the plan's training ads, choose threshold and calibration on validation ads, measure
on ads by authors it never saw and on real text, write a versioned artifact.

Roles come from `labelled_data/plan.toml` (`model.data_plan`). `--data` files replace the training
role only; validation and test stay the plan's, so every model is judged on the same held-out ads and
none can be judged on what it learned from (ids seen in training are removed from both).
"""

from __future__ import annotations

import logging
import math
import platform
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import sklearn

from model.analysis import Analysis, analyse
from model.artifact import save_model
from model.baseline import BareTextModel
from model.classifier import AdClassifier
from model.data_plan import DataPlan, load_plan, training_records
from model.dataset import as_ad_text, group_of, load_labelled, slices_of
from model.evaluate import choose_threshold_on_held_out_legit, expected_calibration_error, held_out_report
from model.file_hash import sha256_file
from model.labelled import LabelledAd
from model.risk import risk_column
from model.splits import leak_free_groups

log = logging.getLogger(__name__)
MAX_WRITTEN_LEGIT_FPR = 0.05
MAX_REAL_FLAGGED = 0.02
Progress = Callable[[str], None]


@dataclass(frozen=True)
class TrainingConfig:
    seed: int = 0
    near_duplicate_threshold: float = 0.7
    max_written_legit_fpr: float = MAX_WRITTEN_LEGIT_FPR
    max_real_flagged: float = MAX_REAL_FLAGGED
    calibrate: bool = True
    baseline: bool = True  # also fit a bare word+char TF-IDF + LR on the same ads, for the card's comparison
    params: dict[str, Any] = field(default_factory=dict)  # AdClassifier parameters


@dataclass(frozen=True)
class TrainingResult:
    folder: Path
    version: str
    metrics: dict[str, Any]
    thresholds: dict[str, float]


def split_unit(record: LabelledAd) -> str:
    """What must stay on one side of every fold: the author, or a real ad with its counterfactual twins.

    A real ad's `group` is the account that reposted it (one Instagram account reposts thousands of
    employers' posters), not its author; it is its own unit, joined by the edits made from it.
    """
    pair = record.extra.get("pair_id")
    if isinstance(pair, str) and pair.startswith("cf-"):
        return pair
    if "real" in slices_of(record):
        return f"cf-{record.id}"
    return group_of(record)


def modus_for_training(record: LabelledAd, analysis: Analysis) -> str | None:
    """The modus the model learns: household work in a Kepmenaker 260 country is its own modus.

    The team's generator filed it under non-procedural migration; the writers of round 2 under
    `domestic_work_ban`. The fact decides, so both agree.
    """
    if record.label == "legit" or not record.modus:
        return None
    if record.modus == "nonprocedural_migrant" and any(
            fact.key == "destination:closed_to_household_work" and not fact.negated for fact in analysis.facts):
        return "domestic_work_ban"
    return record.modus


def _version(files: Sequence[str], now: datetime) -> str:
    digest = "".join(name[:4] for name in files)[:8]
    return f"lw-{now:%Y%m%d-%H%M%S}-{digest}"


def _data_files(paths: Sequence[Path]) -> list[dict[str, Any]]:
    files = [p for path in paths for p in (sorted(path.glob("*.jsonl")) if path.is_dir() else [path])]
    return [{"path": str(p), "sha256": sha256_file(p)} for p in files]


def _card_markdown(card: dict[str, Any]) -> str:
    test = card["held_out"]["test"]
    written = test.get("out_of_author", {})
    real = test.get("real", {})
    baseline = card.get("baseline", {}).get("test", {}).get("out_of_author", {})
    lines = [
        f"# lokerwatch model {card['version']}",
        "",
        "Two stages: TF-IDF word/char logistic regression (out-of-fold log-odds), then monotone gradient-boosted",
        "trees over the deciding facts, indicators, entities and the text evidence; modus by logistic regression.",
        "",
        f"- trained: {card['created_at']} on {card['counts']['train']} ads ({card['counts']['train_labels']})",
        f"- review threshold (risk): {card['thresholds']['review']:.3f}, the lowest that flags at most "
        f"{MAX_REAL_FLAGGED:.0%} of held-out real legit ads and {MAX_WRITTEN_LEGIT_FPR:.0%} of written ones "
        "(validation)",
        f"- calibration (Platt on validation): {card['calibration']}",
        "",
        "## Test: writers the model never saw",
        "",
        f"- macro-F1 at the threshold: {written.get('macro_f1')} (bare TF-IDF + LR on the same data: "
        f"{baseline.get('macro_f1')})",
        f"- suspicious recall {written.get('suspicious_recall')}, legit flagged {written.get('legit_fpr')}, "
        f"hard negatives flagged {written.get('hard_negative_fpr')}",
        f"- minimal pairs both right: {written.get('slices', {}).get('contrast_pairs')}",
        f"- modus macro-F1: {written.get('modus', {}).get('macro_f1')}; ECE {written.get('ece')}",
        "",
        "## Test: real text",
        "",
        *[f"- {source}: {block}" for source, block in real.items()],
        "",
        "## Data",
        "",
        *[f"- {source}" for source in card["data"]["train"]],
        "",
    ]
    return "\n".join(lines)


def train(paths: Sequence[Path] | None, out_dir: Path, config: TrainingConfig | None = None,
          now: datetime | None = None, plan: DataPlan | None = None,
          extra_records: Sequence[LabelledAd] = (), progress: Progress | None = None) -> TrainingResult:
    """Fit, choose threshold and calibration on validation, measure on test, write an artifact folder."""
    config = config or TrainingConfig()
    now = now or datetime.now(UTC)
    plan = plan or load_plan()
    step = progress or (lambda message: log.info("%s", message))
    if paths:
        base = load_labelled(paths)
        train_set = training_records(list(base.records) + list(extra_records))
        train_sources = [str(p) for p in paths]
    else:
        role = plan.role("train")
        train_set = training_records(list(role.records) + list(extra_records))
        train_sources = list(role.sources)
    seen = {record.id for record in train_set}
    validation = [r for r in plan.role("validation").records if r.id not in seen]
    test = [r for r in plan.role("test").records if r.id not in seen]
    labels = np.asarray([record.label for record in train_set])
    if len(set(labels.tolist())) < 3:
        raise ValueError(f"training needs all three labels, found {sorted(set(labels.tolist()))}")

    step(f"reading {len(train_set)} training ads")
    analyses = analyse([as_ad_text(record) for record in train_set])
    units = leak_free_groups([a.text for a in analyses], [split_unit(r) for r in train_set],
                             config.near_duplicate_threshold)
    modus = [modus_for_training(record, analysis) for record, analysis in zip(train_set, analyses, strict=True)]
    step("fitting the text model (out of fold) and the decision model")
    classifier = AdClassifier(**config.params).fit(analyses, labels, [str(u) for u in units], modus)

    step(f"choosing threshold and calibration on {len(validation)} validation ads")
    val_analyses = analyse([as_ad_text(record) for record in validation])
    val_written = [i for i, r in enumerate(validation) if "real" not in slices_of(r)]
    calibration = (1.0, 0.0)
    if config.calibrate and val_written:
        calibration = _calibrate_if_it_helps(classifier, [val_analyses[i] for i in val_written],
                                             np.asarray([validation[i].label for i in val_written]))
    # Rounded (up, so no budget is broken) before anything uses it: the stored threshold is the one every
    # report was computed with.
    review = _round_up(review_threshold_on_validation(classifier.predict_proba(val_analyses), list(classifier.classes_),
                                                      validation, config))

    step(f"measuring on {len(test)} test ads")
    held_out = {"validation": _report(classifier, validation, val_analyses, review),
                "test": _report(classifier, test, analyse([as_ad_text(r) for r in test]), review)}
    baseline_card: dict[str, Any] = {}
    if config.baseline:
        step("fitting the bare TF-IDF + LR baseline on the same ads")
        baseline_card = _baseline(train_set, validation, test, config)

    version = _version([sha256_file(Path(f["path"])) for f in _data_files(paths)] if paths else
                       [f"{len(train_set):08d}"], now)
    thresholds = {"review": review, "max_written_legit_fpr": config.max_written_legit_fpr,
                  "max_real_flagged": config.max_real_flagged}
    card = {
        "version": version,
        "created_at": now.isoformat(timespec="seconds"),
        "model": "AdClassifier (text log-odds -> monotone gradient-boosted trees over facts; modus LR)",
        "parameters": classifier.get_params(),
        "calibration": [round(v, 4) for v in calibration],
        "data": {"train": train_sources, "validation": list(plan.role("validation").sources),
                 "test": list(plan.role("test").sources), "files": _data_files(paths or [])},
        "counts": {"train": len(train_set), "train_labels": dict(Counter(labels.tolist())),
                   "validation": len(validation), "test": len(test)},
        "thresholds": thresholds,
        "held_out": held_out,
        "baseline": baseline_card,
        "environment": {"python": platform.python_version(), "scikit-learn": sklearn.__version__},
    }
    folder = out_dir / version
    save_model(folder, classifier, card, thresholds, [record.id for record in train_set], _card_markdown(card))
    return TrainingResult(folder, version, held_out["test"], thresholds)


def _calibrate_if_it_helps(classifier: AdClassifier, analyses: list[Analysis],
                           labels: np.ndarray) -> tuple[float, float]:
    """Platt calibration on validation ads, kept only if it lowers ECE on the half it was not fitted on.

    Trees trained on out-of-fold evidence are often calibrated already; a map fitted on 160 ads can as
    easily make it worse, so each half of the validation ads judges the map fitted on the other.
    """
    suspicious = (labels != "legit").astype(float)
    halves = [np.arange(len(labels)) % 2 == 0, np.arange(len(labels)) % 2 == 1]
    raw_errors, calibrated_errors = [], []
    for fit_half, check_half in (halves, halves[::-1]):
        classifier.calibration_ = (1.0, 0.0)
        check = [analyses[i] for i in np.flatnonzero(check_half)]
        raw_errors.append(expected_calibration_error(
            risk_column(classifier.predict_proba(check), list(classifier.classes_)), suspicious[check_half]) or 0.0)
        classifier.calibrate([analyses[i] for i in np.flatnonzero(fit_half)], labels[fit_half])
        calibrated_errors.append(expected_calibration_error(
            risk_column(classifier.predict_proba(check), list(classifier.classes_)), suspicious[check_half]) or 0.0)
    classifier.calibration_ = (1.0, 0.0)
    if np.mean(calibrated_errors) < np.mean(raw_errors):
        return classifier.calibrate(analyses, labels)
    return classifier.calibration_


def _round_up(threshold: float) -> float:
    return math.ceil(threshold * 1e6) / 1e6


def review_threshold_on_validation(probabilities: np.ndarray, classes: list[str], records: Sequence[LabelledAd],
                                   config: TrainingConfig) -> float:
    """The review threshold training chooses on validation ads: within both budgets, real job ads and written ones."""
    risk = risk_column(probabilities, classes)
    real_legit = [i for i, r in enumerate(records) if "real" in slices_of(r) and r.label == "legit"
                  and r.source != "sms"]  # real *job* ads: SMS promos are not what the queue sees
    written = [i for i, r in enumerate(records) if "real" not in slices_of(r)]
    if not written and not real_legit:
        return 0.5
    return choose_threshold_on_held_out_legit([records[i].label for i in written], risk[written], risk[real_legit],
                                              config.max_written_legit_fpr, config.max_real_flagged)


def _report(classifier: AdClassifier, records: Sequence[LabelledAd], analyses: list[Analysis],
            review: float) -> dict[str, Any]:
    if not records:
        return {}
    matrix = classifier.decision_matrix(analyses)
    probabilities = classifier.proba_from_matrix(matrix)
    modus = [name for name, _ in classifier.modus_of(analyses, matrix)]
    return held_out_report(records, probabilities, list(classifier.classes_), review, modus)


def _baseline(train_set: Sequence[LabelledAd], validation: Sequence[LabelledAd], test: Sequence[LabelledAd],
              config: TrainingConfig) -> dict[str, Any]:
    """The bare model the issue compares against: same data, same threshold rule, same reports."""
    model = BareTextModel().fit([as_ad_text(r).full_text for r in train_set], [r.label for r in train_set])
    val_proba = model.predict_proba([as_ad_text(r).full_text for r in validation])
    review = _round_up(review_threshold_on_validation(val_proba, list(model.classes_), validation, config))
    test_proba = model.predict_proba([as_ad_text(r).full_text for r in test])
    return {"review_threshold": round(review, 6),
            "test": held_out_report(list(test), test_proba, list(model.classes_), review)}
