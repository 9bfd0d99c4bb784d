"""The desk reads a trained model's held-out figures from its card, and nothing from its own training ads."""

from __future__ import annotations

import json
from pathlib import Path

from model.artifact import CARD_JSON
from service.scoring.model_info import held_out_figures, read_card


def test_the_figures_are_the_card_s_unseen_writer_and_baseline_numbers(small_model: Path) -> None:
    card = read_card(small_model)
    figures = held_out_figures(card)
    assert figures is not None
    written = card["held_out"]["test"]["out_of_author"]
    assert (figures.macro_f1, figures.suspicious_recall, figures.legit_fpr, figures.ece) == (
        written["macro_f1"], written["suspicious_recall"], written["legit_fpr"], written["ece"])
    assert figures.modus_macro_f1 == written["modus"]["macro_f1"] and figures.written_ads == written["n"]
    assert figures.baseline_macro_f1 == card["baseline"]["test"]["out_of_author"]["macro_f1"]
    assert figures.written_legit_budget == card["thresholds"]["max_written_legit_fpr"]
    # The small plan holds no real ads: no real-ad figure, and the threshold was not chosen on real ads either.
    assert (figures.real_job_ads_flagged, figures.real_sms_fraud_recall, figures.real_job_ads_budget) == (
        None, None, None)


def test_a_card_without_a_test_on_unseen_writers_shows_no_figures(small_model: Path, tmp_path: Path) -> None:
    card = json.loads((small_model / CARD_JSON).read_text(encoding="utf-8"))
    card["held_out"]["test"].pop("out_of_author")
    card["held_out_metrics"] = {"macro_f1": 0.99}  # an older card's own-split number: never shown
    (tmp_path / CARD_JSON).write_text(json.dumps(card), encoding="utf-8")
    assert held_out_figures(read_card(tmp_path)) is None
