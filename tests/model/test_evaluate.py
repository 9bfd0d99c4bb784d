"""Held-out metrics, the review threshold on held-out legit ads, calibration and the real-text report."""

from __future__ import annotations

import numpy as np

from model.classifier import AdClassifier
from model.dataset import LabelledSet
from model.evaluate import (
    choose_review_threshold,
    choose_threshold_on_held_out_legit,
    decide,
    evaluate_predictions,
    expected_calibration_error,
    flagged_share,
    held_out_report,
    risk_histogram,
)
from model.labelled import parse_labelled_record


def test_review_threshold_keeps_legit_false_positives_within_the_budget() -> None:
    rng = np.random.default_rng(0)
    labels = ["legit"] * 200 + ["scam"] * 100
    risk = np.concatenate([rng.uniform(0, 0.6, 200), rng.uniform(0.3, 1.0, 100)])
    threshold = choose_review_threshold(labels, risk, max_legit_fpr=0.05)
    legit_flagged = (risk[:200] >= threshold).mean()
    assert legit_flagged <= 0.05
    # and it is the lowest such threshold: one notch lower would break the budget
    assert (risk[:200] >= np.nextafter(threshold, 0) - 1e-9).mean() > 0.05 or threshold < 1e-6


def test_threshold_keeps_both_held_out_legit_budgets() -> None:
    rng = np.random.default_rng(1)
    written_labels = ["legit"] * 100 + ["scam"] * 100
    written = np.concatenate([rng.uniform(0, 0.5, 100), rng.uniform(0.4, 1.0, 100)])
    real = rng.uniform(0, 0.3, 500)
    threshold = choose_threshold_on_held_out_legit(written_labels, written, real)
    assert (written[:100] >= threshold).mean() <= 0.05
    assert (real >= threshold).mean() <= 0.02
    assert threshold == max(choose_review_threshold(written_labels, written, 0.05),
                            choose_review_threshold(["legit"] * 500, real, 0.02))


def test_the_queue_decision_is_legit_under_the_threshold_else_the_likelier_suspicious_class() -> None:
    proba = np.array([[0.8, 0.15, 0.05], [0.3, 0.5, 0.2], [0.3, 0.2, 0.5]])
    assert list(decide(proba, ["legit", "scam", "trafficking"], 0.5)) == ["legit", "scam", "trafficking"]
    assert list(decide(proba, ["legit", "scam", "trafficking"], 0.1)) == ["scam", "scam", "trafficking"]


def test_calibration_error_is_zero_when_risk_matches_frequency_and_large_when_not() -> None:
    risk = np.array([0.25] * 4 + [0.75] * 4)
    truth = np.array([1, 0, 0, 0, 1, 1, 1, 0], dtype=float)
    assert expected_calibration_error(risk, truth) == 0.0
    assert expected_calibration_error(np.array([0.95] * 10), np.zeros(10)) == 0.95


def test_risk_histogram_counts_every_ad_once_per_label() -> None:
    histogram = risk_histogram(np.array([0.05, 0.15, 0.95, 1.0]), np.array(["legit", "legit", "scam", "scam"]))
    assert histogram == {"legit": [1, 1, 0, 0, 0, 0, 0, 0, 0, 0], "scam": [0] * 9 + [2]}


def test_report_has_every_slice_the_pairs_and_the_modus(fitted: AdClassifier, sample: LabelledSet) -> None:
    proba = fitted.predict_proba(sample.ads())
    modus = [name for name, _ in fitted.predict_modus(sample.ads())]
    report = evaluate_predictions(sample.records, proba, list(fitted.classes_), review_threshold=0.5, modus=modus)
    assert set(report["per_class"]) == {"legit", "scam", "trafficking"}
    assert report["slices"]["contrast_pairs"]["pairs"] == 2
    assert "evasive" in report["slices"]["by_slice"] and "contrast" in report["slices"]["by_slice"]
    assert set(report["slices"]["by_group"]) == {f"author-{n}" for n in ("ani", "budi", "citra", "dedi", "eka")}
    assert sum(v["n"] for v in report["per_modus_recall"].values()) == len(sample.records)
    assert 0.0 <= report["ece"] <= 1.0 and report["modus"]["n"] == sum(r.label != "legit" for r in sample.records)
    assert sum(map(sum, report["risk_histogram"].values())) == len(sample.records)


def test_held_out_report_puts_unseen_writers_first_and_real_text_apart() -> None:
    records = [parse_labelled_record({"id": f"w{i}", "source": "olx", "text": "t", "label": label,
                                      "group": "writer-w99", "notes": "written by independent writer w99"}, "w")
               for i, label in enumerate(["legit", "scam"])]
    records += [parse_labelled_record({"id": f"r{i}", "source": source, "text": "t", "label": label, "slice": "real"},
                                      "r") for i, (source, label) in enumerate(
        [("instagram", "legit"), ("instagram", "legit"), ("sms", "scam"), ("sms", "legit")])]
    proba = np.array([[0.9, 0.05, 0.05], [0.2, 0.7, 0.1], [0.95, 0.03, 0.02], [0.4, 0.5, 0.1],
                      [0.1, 0.8, 0.1], [0.9, 0.05, 0.05]])
    report = held_out_report(records, proba, ["legit", "scam", "trafficking"], 0.5)
    assert report["out_of_author"]["n"] == 2 and report["out_of_author"]["macro_f1"] == 1.0
    assert report["real"]["instagram"]["legit_flagged_share"] == 0.5
    assert report["real"]["sms"]["suspicious_recall"] == 1.0 and report["real"]["sms"]["legit_flagged_share"] == 0.0


def test_flagged_share_of_real_ads() -> None:
    assert flagged_share(np.array([0.1, 0.9, 0.5, 0.2]), 0.5) == {"n": 4, "flagged": 2, "flagged_share": 0.5}
