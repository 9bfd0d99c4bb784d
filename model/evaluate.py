"""Held-out metrics: per class, suspicious-vs-legit, at the review threshold, and per slice.

One number hides what matters here, so the report splits results by modus, by author/source (ads
from writers the model never saw), contrast pairs, evasive spellings and real ads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, confusion_matrix, f1_score, precision_recall_fscore_support

from model.dataset import LABELS, group_of, slices_of
from model.labelled import LabelledAd

MIN_SLICE = 5  # smaller slices are listed with their size but no rates


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def choose_review_threshold(labels: Sequence[str], risk: np.ndarray, max_legit_fpr: float = 0.05) -> float:
    """The lowest risk threshold whose legit false-positive rate stays within `max_legit_fpr`.

    Chosen on validation predictions, never on the test split: it flags as many suspicious ads as
    the analysts' tolerance for ordinary ads in the queue allows.
    """
    legit_risk = np.sort(risk[np.asarray(labels) == "legit"])
    if legit_risk.size == 0:
        return 0.5
    allowed = int(np.floor(max_legit_fpr * legit_risk.size))
    # flag risk >= t; at most `allowed` legit ads may sit at or above t
    cutoff = legit_risk[legit_risk.size - allowed - 1] if allowed < legit_risk.size else 0.0
    return float(min(0.99, np.nextafter(cutoff, 1.0)))


def _threshold_block(labels: np.ndarray, risk: np.ndarray, threshold: float) -> dict[str, Any]:
    flagged = risk >= threshold
    suspicious = labels != "legit"
    return {
        "n": int(labels.size),
        "flagged_share": _rate(int(flagged.sum()), labels.size),
        "suspicious_recall": _rate(int((flagged & suspicious).sum()), int(suspicious.sum())),
        "trafficking_recall": _rate(int((flagged & (labels == "trafficking")).sum()),
                                    int((labels == "trafficking").sum())),
        "scam_recall": _rate(int((flagged & (labels == "scam")).sum()), int((labels == "scam").sum())),
        "legit_fpr": _rate(int((flagged & ~suspicious).sum()), int((~suspicious).sum())),
    }


def _slice_block(labels: np.ndarray, predicted: np.ndarray, risk: np.ndarray, threshold: float) -> dict[str, Any]:
    block = _threshold_block(labels, risk, threshold)
    if labels.size >= MIN_SLICE:
        block["accuracy"] = _rate(int((labels == predicted).sum()), labels.size)
        present = sorted(set(labels))
        macro = f1_score(labels, predicted, labels=present, average="macro", zero_division=0)
        block["macro_f1"] = round(float(macro), 4)
    return block


def _pair_accuracy(records: Sequence[LabelledAd], labels: np.ndarray, predicted: np.ndarray) -> dict[str, Any]:
    """Contrast pairs where both twins are classified right: the decisive fact was what decided."""
    members: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        pair = record.extra.get("pair_id")
        if isinstance(pair, str):
            members[pair].append(index)
    complete = [idx for idx in members.values() if len(idx) >= 2]
    both_right = sum(all(labels[i] == predicted[i] for i in idx) for idx in complete)
    return {"pairs": len(complete), "both_right": both_right, "pair_accuracy": _rate(both_right, len(complete))}


def evaluate_predictions(records: Sequence[LabelledAd], probabilities: np.ndarray, classes: Sequence[str],
                         review_threshold: float) -> dict[str, Any]:
    """All held-out metrics for `records` given the model's class probabilities (rows follow records)."""
    labels = np.asarray([record.label for record in records])
    class_list = list(classes)
    predicted = np.asarray(class_list)[np.argmax(probabilities, axis=1)]
    risk = 1.0 - probabilities[:, class_list.index("legit")]
    precision, recall, f1, support = precision_recall_fscore_support(
        labels, predicted, labels=list(LABELS), zero_division=0)
    per_class = {label: {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4),
                         "support": int(s)}
                 for label, p, r, f, s in zip(LABELS, precision, recall, f1, support, strict=True)}
    present = [label for label in LABELS if label in set(labels)]
    suspicious = labels != "legit"
    at_threshold = _threshold_block(labels, risk, review_threshold)
    report: dict[str, Any] = {
        "n": int(labels.size),
        "macro_f1": round(float(f1_score(labels, predicted, labels=present, average="macro", zero_division=0)), 4),
        "pr_auc_suspicious": (round(float(average_precision_score(suspicious, risk)), 4)
                              if 0 < suspicious.sum() < labels.size else None),
        "review_threshold": round(review_threshold, 4),
        "trafficking_recall": at_threshold["trafficking_recall"],
        "suspicious_recall": at_threshold["suspicious_recall"],
        "legit_fpr": at_threshold["legit_fpr"],
        "per_class": per_class,
        "confusion": {"labels": list(LABELS),
                      "matrix": confusion_matrix(labels, predicted, labels=list(LABELS)).tolist()},
    }
    by_modus: dict[str, list[int]] = defaultdict(list)
    by_group: dict[str, list[int]] = defaultdict(list)
    by_source: dict[str, list[int]] = defaultdict(list)
    by_slice: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        by_modus[record.modus or "unknown"].append(index)
        by_group[group_of(record)].append(index)
        by_source[record.source].append(index)
        for name in slices_of(record):
            by_slice[name].append(index)

    def blocks(groups: dict[str, list[int]]) -> dict[str, Any]:
        return {name: _slice_block(labels[idx], predicted[idx], risk[idx], review_threshold)
                for name, idx in sorted(groups.items())}

    report["per_modus_recall"] = {
        modus: {"n": len(idx), "recall": _rate(int((labels[idx] == predicted[idx]).sum()), len(idx)),
                "flagged_share": _rate(int((risk[idx] >= review_threshold).sum()), len(idx))}
        for modus, idx in sorted(by_modus.items())
    }
    report["slices"] = {"by_group": blocks(by_group), "by_source": blocks(by_source), "by_slice": blocks(by_slice),
                        "contrast_pairs": _pair_accuracy(records, labels, predicted)}
    return report


def flagged_share(risk: np.ndarray, review_threshold: float) -> dict[str, Any]:
    """For unlabelled real ads (nearly all legitimate): how many the model would send to the queue."""
    flagged = int((risk >= review_threshold).sum())
    return {"n": int(risk.size), "flagged": flagged, "flagged_share": _rate(flagged, int(risk.size))}
