"""The classifier: facts decide through monotone trees, explained scores, safe save/load with identical scores."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio

from model.artifact import PIPELINE_FILE, ArtifactError, load_model, save_model
from model.classifier import AdClassifier
from model.dataset import LabelledSet
from model.records import AdText
from model.scorer import TrainedScorer

NEW_ADS = [
    AdText("new-1", "Admin online di Kamboja, g4ji 20jt, tiket gratis, tnp pengalaman. WA 0812 3456 7890"),
    AdText("new-2", "Dibutuhkan kasir toko di Bandung, gaji UMR, BPJS. Lamaran ke hrd@tokobaru.co.id"),
    AdText("new-3", "Kerja like dan subscribe, komisi per tugas, isi saldo 100rb dulu", title="Kerja online"),
]


def test_no_work_in_init_and_params_round_trip() -> None:
    classifier = AdClassifier(C=2.0, embedding_model=None)
    assert classifier.get_params()["C"] == 2.0
    assert not hasattr(classifier, "risk_model_")


def test_probabilities_are_a_distribution_over_three_classes(fitted: AdClassifier) -> None:
    proba = fitted.predict_proba(NEW_ADS)
    assert list(fitted.classes_) == ["legit", "scam", "trafficking"]
    assert proba.shape == (3, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)


def test_explicit_ads_get_their_class(fitted: AdClassifier) -> None:
    assert list(fitted.predict(NEW_ADS[:2])) == ["trafficking", "legit"]


def test_scores_carry_indicators_with_spans_and_the_features_behind_them(fitted: AdClassifier) -> None:
    score = TrainedScorer(fitted, "test-1").predict([NEW_ADS[0]])[0]
    assert score.risk > 0.5
    names = {hit.name for hit in score.indicators}
    assert {"high_risk_destination", "free_travel", "no_skills_needed"} <= names
    for hit in score.indicators:
        assert NEW_ADS[0].full_text[hit.start:hit.end] == hit.text
    assert score.top_features and any(weight > 0 for _, weight in score.top_features)
    assert score.entities["contacts"][0]["value"] == "+6281234567890"
    assert "destination:no_placement_agreement" in {fact["kind"] + ":" + fact["value"] for fact in score.facts}
    assert score.modus is not None and 0.0 < score.modus_probability <= 1.0


def test_a_lawful_fact_never_raises_risk_and_an_illegal_one_never_lowers_it(fitted: AdClassifier) -> None:
    """Monotone trees: whatever else an ad says, switching on a claimed licence or a work visa cannot push
    its risk up, and switching on a tourist visa or a held passport cannot push it down."""
    matrix = fitted.decision_matrix([*NEW_ADS, AdText("x", "Kerja di Malaysia, gaji 6 juta, minat WA")])
    names = [str(name) for name in fitted.feature_names_]
    base = fitted.risk_from_matrix(matrix)
    checked = 0
    for name, direction in (("indicator=licence_claim", -1), ("fact=visa:work", -1), ("fact=cost:none_for_worker", -1),
                            ("fact=visa:visit", 1), ("fact=passport:held_by_other", 1),
                            ("denied=cost:wage_deduction", -1), ("denied=visa:visit", -1)):
        if name not in names:
            continue
        changed = matrix.copy()
        changed[:, names.index(name)] = 1.0
        moved = fitted.risk_from_matrix(changed) - base
        assert (direction * moved >= -1e-9).all(), (name, moved)
        checked += 1
    assert checked >= 3


def test_title_offsets_follow_full_text(fitted: AdClassifier) -> None:
    ad = NEW_ADS[2]
    for hit in TrainedScorer(fitted, "t").predict([ad])[0].indicators:
        assert ad.full_text[hit.start:hit.end] == hit.text


def _save(folder: Path, classifier: AdClassifier) -> Path:
    card = {"version": "test-model", "held_out_metrics": {}}
    return save_model(folder, classifier, card, {"review": 0.4}, ["a", "b"], "# test\n")


def test_saved_model_loads_and_gives_identical_scores(fitted: AdClassifier, sample: LabelledSet,
                                                      tmp_path: Path) -> None:
    folder = _save(tmp_path / "m", fitted)
    loaded = load_model(folder)
    ads = [*NEW_ADS, *sample.ads()[:10]]
    before = TrainedScorer(fitted, "test-model", 0.4).predict(ads)
    after = loaded.scorer().predict(ads)
    assert [(s.p_scam, s.p_trafficking, s.top_features, s.indicators) for s in before] == \
           [(s.p_scam, s.p_trafficking, s.top_features, s.indicators) for s in after]
    assert loaded.version == "test-model" and loaded.thresholds["review"] == 0.4


def test_an_altered_artifact_is_refused(fitted: AdClassifier, tmp_path: Path) -> None:
    folder = _save(tmp_path / "m", fitted)
    with (folder / PIPELINE_FILE).open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ArtifactError, match="SHA-256"):
        load_model(folder)


def test_a_pipeline_holding_untrusted_types_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "evil"
    folder.mkdir()
    sio.dump({"payload": Path("/etc/passwd")}, folder / PIPELINE_FILE)
    for name, content in (("model_card.json", {"version": "evil"}), ("thresholds.json", {"review": 0.5})):
        (folder / name).write_text(json.dumps(content))
    import hashlib

    digests = {name: hashlib.sha256((folder / name).read_bytes()).hexdigest()
               for name in (PIPELINE_FILE, "model_card.json", "thresholds.json")}
    (folder / "manifest.json").write_text(json.dumps({"version": "evil", "sha256": digests}))
    with pytest.raises(ArtifactError, match="does not trust"):
        load_model(folder)


def test_artifacts_are_never_overwritten(fitted: AdClassifier, tmp_path: Path) -> None:
    _save(tmp_path / "m", fitted)
    with pytest.raises(ArtifactError, match="never overwritten"):
        _save(tmp_path / "m", fitted)
