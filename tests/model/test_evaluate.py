"""Held-out metrics and the review threshold."""

from __future__ import annotations

import numpy as np

from model.classifier import AdClassifier
from model.dataset import LabelledSet
from model.evaluate import choose_review_threshold, evaluate_predictions, flagged_share


def test_review_threshold_keeps_legit_false_positives_within_the_budget() -> None:
    rng = np.random.default_rng(0)
    labels = ["legit"] * 200 + ["scam"] * 100
    risk = np.concatenate([rng.uniform(0, 0.6, 200), rng.uniform(0.3, 1.0, 100)])
    threshold = choose_review_threshold(labels, risk, max_legit_fpr=0.05)
    legit_flagged = (risk[:200] >= threshold).mean()
    assert legit_flagged <= 0.05
    # and it is the lowest such threshold: one notch lower would break the budget
    assert (risk[:200] >= np.nextafter(threshold, 0) - 1e-9).mean() > 0.05 or threshold < 1e-6


def test_report_has_every_slice_and_the_contrast_pairs(fitted: AdClassifier, sample: LabelledSet) -> None:
    proba = fitted.predict_proba(sample.ads())
    report = evaluate_predictions(sample.records, proba, list(fitted.classes_), review_threshold=0.5)
    assert set(report["per_class"]) == {"legit", "scam", "trafficking"}
    assert report["slices"]["contrast_pairs"]["pairs"] == 2
    assert "evasive" in report["slices"]["by_slice"] and "contrast" in report["slices"]["by_slice"]
    assert set(report["slices"]["by_group"]) == {f"author-{n}" for n in ("ani", "budi", "citra", "dedi", "eka")}
    assert sum(v["n"] for v in report["per_modus_recall"].values()) == len(sample.records)


def test_flagged_share_of_real_ads() -> None:
    assert flagged_share(np.array([0.1, 0.9, 0.5, 0.2]), 0.5) == {"n": 4, "flagged": 2, "flagged_share": 0.5}
