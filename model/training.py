"""Train a model from labelled files: leak-free split, threshold on validation, held-out metrics, artifact."""

from __future__ import annotations

import logging
import platform
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import sklearn

from model.analysis import Analysis, analyse
from model.artifact import save_model
from model.classifier import AdClassifier
from model.dataset import LabelledSet, group_of, load_labelled, slices_of
from model.evaluate import choose_review_threshold, evaluate_predictions
from model.labelled import LabelledAd
from model.splits import holdout_split, leak_free_groups

log = logging.getLogger(__name__)
MAX_LEGIT_FPR = 0.05


@dataclass(frozen=True)
class TrainingConfig:
    test_share: float = 0.2
    seed: int = 0
    group_aware: bool = True  # keep authors/batches/sources on one side of every split
    near_duplicate_threshold: float = 0.7
    params: dict[str, Any] = field(default_factory=dict)  # AdClassifier parameters


@dataclass(frozen=True)
class TrainingResult:
    folder: Path
    version: str
    metrics: dict[str, Any]
    thresholds: dict[str, float]


def split_group_of(record: LabelledAd) -> str:
    """The unit a split keeps together: the author, except for imported real ads.

    A real ad's `group` is the account that reposted it (one Instagram account reposts thousands of
    employers' posters), not its author; each such ad is its own unit, merged with its near-duplicates.
    """
    return f"real-{record.id}" if "real" in slices_of(record) else group_of(record)


def _split(data: LabelledSet, analyses: Sequence[Analysis], config: TrainingConfig,
           test_share: float) -> tuple[np.ndarray, np.ndarray, str]:
    """Group-aware when there are enough groups; near-duplicates are always kept together."""
    texts = [analysis.text for analysis in analyses]
    authors = [split_group_of(record) for record in data.records]
    n_splits = max(2, round(1 / test_share))
    if config.group_aware and len(set(authors)) >= n_splits:
        groups = leak_free_groups(texts, authors, config.near_duplicate_threshold)
        if len(set(groups)) >= n_splits:
            train, test = holdout_split(data.labels, groups, test_share, config.seed)
            return train, test, "group (author/batch/source) + near-duplicate"
    groups = leak_free_groups(texts, None, config.near_duplicate_threshold)
    train, test = holdout_split(data.labels, groups, test_share, config.seed)
    return train, test, "near-duplicate clusters only (too few author groups)"


def _version(data: LabelledSet, now: datetime) -> str:
    digest = "".join(f.sha256[:4] for f in data.files)[:8]
    return f"lw-{now:%Y%m%d-%H%M%S}-{digest}"


def _card_markdown(card: dict[str, Any]) -> str:
    metrics = card["held_out_metrics"]
    lines = [
        f"# lokerwatch model {card['version']}",
        "",
        "Calibrated 3-class logistic regression (legit / scam / trafficking) over TF-IDF word and character",
        "n-grams of normalised text, named indicators and entities" +
        (f", and `{card['parameters'].get('embedding_model')}` sentence embeddings." if
         card["parameters"].get("embedding_model") else " (no embeddings)."),
        "",
        f"- trained: {card['created_at']} on {card['counts']['train']} ads; held out: {card['counts']['test']} ads",
        f"- split: {card['split']}",
        f"- review threshold (risk): {card['thresholds']['review']:.3f}, chosen on validation for legit FPR <= "
        f"{MAX_LEGIT_FPR:.0%}",
        "",
        "## Held-out metrics",
        "",
        f"- macro-F1: {metrics['macro_f1']}",
        f"- PR-AUC suspicious vs legit: {metrics['pr_auc_suspicious']}",
        f"- at the review threshold: trafficking recall {metrics['trafficking_recall']}, "
        f"legit FPR {metrics['legit_fpr']}",
        "",
        "| class | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
        *[f"| {label} | {v['precision']} | {v['recall']} | {v['f1']} | {v['support']} |"
          for label, v in metrics["per_class"].items()],
        "",
        "## Data",
        "",
        *[f"- `{f['path']}`: {f['records']} records, sha256 `{f['sha256']}`" for f in card["data_files"]],
        "",
        f"Labels (all data): {card['counts']['labels']}",
        "",
        "## Limits",
        "",
        "Trained mostly on ads the team wrote; see `model/README.md` for slices (other authors, contrast pairs,",
        "evasive spellings, real ads) and for what the numbers do not show.",
        "",
    ]
    return "\n".join(lines)


def train(paths: Sequence[Path], out_dir: Path, config: TrainingConfig | None = None,
          now: datetime | None = None) -> TrainingResult:
    """Fit, measure on the held-out split, and write a new versioned artifact folder under `out_dir`."""
    config = config or TrainingConfig()
    now = now or datetime.now(UTC)
    data = load_labelled(paths)
    if len(set(data.labels)) < 3:
        raise ValueError(f"training needs all three labels, found {sorted(set(data.labels))}")
    analyses = analyse(data.ads())
    labels = np.asarray(data.labels)
    train_idx, test_idx, split_kind = _split(data, analyses, config, config.test_share)
    log.info("split=%s train=%d test=%d", split_kind, len(train_idx), len(test_idx))

    # Threshold from a validation split inside the training part: the test split stays unseen.
    train_set = data.subset(list(train_idx))
    train_analyses = [analyses[i] for i in train_idx]
    fit_idx, val_idx, _ = _split(train_set, train_analyses, config, 0.25)
    validator = AdClassifier(**config.params).fit([train_analyses[i] for i in fit_idx], labels[train_idx][fit_idx])
    val_proba = validator.predict_proba([train_analyses[i] for i in val_idx])
    val_risk = 1.0 - val_proba[:, list(validator.classes_).index("legit")]
    review = choose_review_threshold(list(labels[train_idx][val_idx]), val_risk, MAX_LEGIT_FPR)

    classifier = AdClassifier(**config.params).fit(train_analyses, labels[train_idx])
    test_records = [data.records[i] for i in test_idx]
    test_proba = classifier.predict_proba([analyses[i] for i in test_idx])
    metrics = evaluate_predictions(test_records, test_proba, list(classifier.classes_), review)

    version = _version(data, now)
    thresholds = {"review": round(review, 6), "max_legit_fpr": MAX_LEGIT_FPR}
    card = {
        "version": version,
        "created_at": now.isoformat(timespec="seconds"),
        "model": "AdClassifier (calibrated logistic regression)",
        "parameters": classifier.get_params(),
        "split": f"{split_kind}; test share {config.test_share}, seed {config.seed}",
        "data_files": [f.__dict__ for f in data.files],
        "counts": {"all": len(data.records), "train": len(train_idx), "test": len(test_idx),
                   "labels": dict(Counter(data.labels)),
                   "test_labels": dict(Counter(labels[test_idx].tolist()))},
        "thresholds": thresholds,
        "held_out_metrics": metrics,
        "environment": {"python": platform.python_version(), "scikit-learn": sklearn.__version__},
    }
    folder = out_dir / version
    save_model(folder, classifier, card, thresholds, [data.records[i].id for i in train_idx], _card_markdown(card))
    return TrainingResult(folder, version, metrics, thresholds)
