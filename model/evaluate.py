"""Held-out metrics: per class, suspicious-vs-legit, at the review threshold, and per slice.

One number hides what matters here, so the report splits results by modus, by author/source (ads
from writers the model never saw), minimal pairs, evasive spellings and real ads, and gives the
calibration (ECE) and the whole risk histogram, not just where the threshold cuts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, confusion_matrix, f1_score, precision_recall_fscore_support

from model.dataset import LABELS, group_of, slices_of
from model.labelled import LabelledAd
from model.risk import risk_column

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


def choose_threshold_on_held_out_legit(written_labels: Sequence[str], written_risk: np.ndarray,
                                       real_legit_risk: np.ndarray, max_written_legit_fpr: float = 0.05,
                                       max_real_flagged: float = 0.02) -> float:
    """The lowest threshold that flags at most 2% of real legit ads and 5% of written legit ads (validation).

    Real ads alone would set it where ordinary posters end and flood the queue with lawful ads full of
    feared words; written ads alone ignore what real traffic looks like. Both budgets must hold.
    """
    written = choose_review_threshold(written_labels, written_risk, max_written_legit_fpr)
    real = choose_review_threshold(["legit"] * len(real_legit_risk), real_legit_risk, max_real_flagged)
    return max(written, real)


def decide(probabilities: np.ndarray, classes: Sequence[str], review_threshold: float) -> np.ndarray:
    """What the queue does with each ad: legit under the threshold, else the likelier of scam and trafficking."""
    class_list = list(classes)
    risk = risk_column(probabilities, class_list)
    kind = np.where(probabilities[:, class_list.index("trafficking")] >= probabilities[:, class_list.index("scam")],
                    "trafficking", "scam")
    return np.where(risk >= review_threshold, kind, "legit")


def expected_calibration_error(risk: np.ndarray, suspicious: np.ndarray, bins: int = 10) -> float | None:
    """ECE of risk as P(suspicious): the bin-weighted gap between mean risk and the share that is suspicious."""
    if risk.size == 0:
        return None
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(risk, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        members = index == b
        if members.any():
            total += members.sum() / risk.size * abs(float(risk[members].mean()) - float(suspicious[members].mean()))
    return round(total, 4)


def risk_histogram(risk: np.ndarray, labels: np.ndarray, bins: int = 10) -> dict[str, list[int]]:
    """Ads per tenth of risk, per label: how the model spreads ads, not just where the threshold cuts."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(risk, edges[1:-1]), 0, bins - 1)
    return {label: np.bincount(index[labels == label], minlength=bins).astype(int).tolist()
            for label in LABELS if (labels == label).any()}


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
    """Minimal pairs where both twins are classified right: the deciding fact was what decided."""
    members: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        pair = record.extra.get("pair_id")
        if isinstance(pair, str):
            members[pair].append(index)
    complete = [idx for idx in members.values() if len(idx) >= 2]
    both_right = sum(all(labels[i] == predicted[i] for i in idx) for idx in complete)
    return {"pairs": len(complete), "both_right": both_right, "pair_accuracy": _rate(both_right, len(complete))}


def evaluate_predictions(records: Sequence[LabelledAd], probabilities: np.ndarray, classes: Sequence[str],
                         review_threshold: float, modus: Sequence[str | None] | None = None) -> dict[str, Any]:
    """All held-out metrics for `records` given the model's class probabilities (rows follow records).

    `macro_f1` is the queue's decision (legit under the review threshold, else scam or trafficking);
    `macro_f1_argmax` takes the likeliest class. `modus` (predicted, rows follow records) adds the modus
    macro-F1 over suspicious ads whose true modus is known.
    """
    labels = np.asarray([record.label for record in records])
    class_list = list(classes)
    argmax = np.asarray(class_list)[np.argmax(probabilities, axis=1)]
    predicted = decide(probabilities, class_list, review_threshold)
    risk = risk_column(probabilities, class_list)
    precision, recall, f1, support = precision_recall_fscore_support(
        labels, predicted, labels=list(LABELS), zero_division=0)
    per_class = {label: {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4),
                         "support": int(s)}
                 for label, p, r, f, s in zip(LABELS, precision, recall, f1, support, strict=True)}
    present = [label for label in LABELS if label in set(labels)]
    suspicious = labels != "legit"
    hard = np.asarray([bool(record.extra.get("hard_negative")) and record.label == "legit" for record in records])
    at_threshold = _threshold_block(labels, risk, review_threshold)
    report: dict[str, Any] = {
        "n": int(labels.size),
        "macro_f1": round(float(f1_score(labels, predicted, labels=present, average="macro", zero_division=0)), 4),
        "macro_f1_argmax": round(float(f1_score(labels, argmax, labels=present, average="macro", zero_division=0)),
                                 4),
        "pr_auc_suspicious": (round(float(average_precision_score(suspicious, risk)), 4)
                              if 0 < suspicious.sum() < labels.size else None),
        "review_threshold": round(review_threshold, 4),
        "trafficking_recall": at_threshold["trafficking_recall"],
        "suspicious_recall": at_threshold["suspicious_recall"],
        "legit_fpr": at_threshold["legit_fpr"],
        "hard_negative_fpr": _rate(int((risk[hard] >= review_threshold).sum()), int(hard.sum())),
        "ece": expected_calibration_error(risk, suspicious.astype(float)),
        "risk_histogram": risk_histogram(risk, labels),
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
    if modus is not None:
        report["modus"] = modus_report(records, modus)
    return report


def modus_report(records: Sequence[LabelledAd], predicted: Sequence[str | None]) -> dict[str, Any]:
    """Macro-F1 of the modus over suspicious ads whose modus is known (as labelled, e.g. by their writer)."""
    pairs = [(record.modus, guess or "") for record, guess in zip(records, predicted, strict=True)
             if record.label != "legit" and record.modus]
    if not pairs:
        return {"n": 0, "macro_f1": None}
    truth, guess = zip(*pairs, strict=True)
    names = sorted(set(truth))
    per = f1_score(truth, guess, labels=names, average=None, zero_division=0)
    return {"n": len(pairs), "macro_f1": round(float(np.mean(per)), 4),
            "per_modus_f1": {name: round(float(value), 4) for name, value in zip(names, per, strict=True)}}


def flagged_share(risk: np.ndarray, review_threshold: float) -> dict[str, Any]:
    """For unlabelled real ads (nearly all legitimate): how many the model would send to the queue."""
    flagged = int((risk >= review_threshold).sum())
    return {"n": int(risk.size), "flagged": flagged, "flagged_share": _rate(flagged, int(risk.size))}


def real_text_report(records: Sequence[LabelledAd], probabilities: np.ndarray, classes: Sequence[str],
                     review_threshold: float) -> dict[str, Any]:
    """Real ads nobody on the team wrote, per source: the share of ordinary ads flagged, and the recall of
    real fraud where the set has any (the id-sms-spam fraud messages)."""
    labels = np.asarray([record.label for record in records])
    risk = risk_column(probabilities, classes)
    by_source: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        by_source[record.source].append(index)
    report: dict[str, Any] = {}
    for source, members in sorted(by_source.items()):
        idx = np.asarray(members)
        flagged = risk[idx] >= review_threshold
        legit = labels[idx] == "legit"
        block: dict[str, Any] = {"n": int(idx.size), "legit_flagged_share": _rate(int((flagged & legit).sum()),
                                                                                 int(legit.sum()))}
        if (~legit).any():
            block["suspicious_recall"] = _rate(int((flagged & ~legit).sum()), int((~legit).sum()))
            block["pr_auc_suspicious"] = (round(float(average_precision_score(~legit, risk[idx])), 4)
                                          if legit.any() else None)
        block["risk_histogram"] = risk_histogram(risk[idx], labels[idx])
        report[source] = block
    return report


def held_out_report(records: Sequence[LabelledAd], probabilities: np.ndarray, classes: Sequence[str],
                    review_threshold: float, modus: Sequence[str | None] | None = None) -> dict[str, Any]:
    """The report a model is judged by: ads by authors it never saw first, then real text, then all together."""
    real = [i for i, record in enumerate(records) if "real" in slices_of(record)]
    written = [i for i, record in enumerate(records) if i not in set(real)]

    def pick(indices: list[int]) -> tuple[list[LabelledAd], np.ndarray, list[str | None] | None]:
        return ([records[i] for i in indices], probabilities[indices],
                [modus[i] for i in indices] if modus is not None else None)

    report: dict[str, Any] = {"review_threshold": round(review_threshold, 4)}
    if written:
        written_records, written_proba, written_modus = pick(written)
        report["out_of_author"] = evaluate_predictions(written_records, written_proba, classes, review_threshold,
                                                       written_modus)
    if real:
        real_records, real_proba, _ = pick(real)
        report["real"] = real_text_report(real_records, real_proba, classes, review_threshold)
    return report
