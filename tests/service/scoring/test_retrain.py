"""Retraining on labelled data plus the desk's reviews: the candidate is activated only when it is not worse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from model.artifact import training_ids
from model.training import TrainingConfig
from service.scoring.registry import active_version
from service.scoring.retrain import ModelResult, not_worse, retrain
from service.settings import Settings
from service.store.session import Store
from service.store.tables import AuditEntry
from tests.plans import team_sample, write_small_plan
from tests.service.lead_data import add_ad, decide

# Small, quick models: the test checks the activation rule on real data, not the model's best score.
FAST = {"word_bits": 14, "char_bits": 14, "folds": 3, "trees": 150, "min_leaf": 5}
# Single characters, a text model that learns nothing and one shallow tree: a real model, but a clearly weaker one.
WEAK = {"word_ngrams": (1, 1), "char_ngrams": (1, 1), "word_bits": 2, "char_bits": 2, "C": 1e-6, "folds": 2,
        "trees": 1, "max_depth": 2, "learning_rate": 0.01, "mask_facts": "none"}
DECISION = {"trafficking": "trafficking", "scam": "scam", "legit": "benign"}


@pytest.fixture
def data(tmp_path: Path, settings: Settings) -> tuple[Path, list[dict[str, str]]]:
    """150 ads per label to train on, 10 per label more reviewed at the desk, and a small plan to test on."""
    pool = team_sample(160)
    chosen = [r for label in DECISION for r in [p for p in pool if p["label"] == label][:150]]
    reviewed = [r for label in DECISION for r in [p for p in pool if p["label"] == label][150:]]
    path = tmp_path / "small.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chosen), encoding="utf-8")
    used = {r["id"] for r in pool}
    validation = team_sample(30, seed=8, skip=used)
    test = team_sample(30, seed=9, skip=used | {r["id"] for r in validation})
    settings.data_plan = write_small_plan(tmp_path / "plan", chosen, validation, test)
    return path, reviewed


@pytest.mark.slow
def test_retrain_activates_only_a_candidate_that_is_not_worse(
        store: Store, settings: Settings, data: tuple[Path, list[dict[str, str]]], tmp_path: Path) -> None:
    path, reviewed = data
    with store.session_factory() as session, session.begin():
        for record in reviewed:
            decide(session, add_ad(session, record["id"], record["text"], source=record["source"]),
                   DECISION[record["label"]])

    first = retrain(store.session_factory, settings, [path], tmp_path / "work", "supervisor1",
                    TrainingConfig(params=FAST))
    assert first.reviews == 30 and first.candidate is not None and first.active is not None
    assert first.active.version == "rules-0" and first.candidate.n == first.active.n >= 30
    assert first.activated, first.reason
    assert not_worse(first.candidate, first.active)
    with store.session_factory() as session:
        assert active_version(session) == first.candidate_version
    trained_on = training_ids(settings.model_dir / first.candidate_version)
    assert any(ad_id.startswith("lokerwatch-") for ad_id in trained_on)  # the desk's reviews were learned from

    second = retrain(store.session_factory, settings, [path], tmp_path / "work", "supervisor1",
                     TrainingConfig(params=WEAK))
    assert second.candidate is not None and second.active is not None
    assert second.active.version == first.candidate_version
    assert second.candidate.macro_f1 < second.active.macro_f1
    assert not second.activated and "worse" in second.reason
    with store.session_factory() as session:
        assert active_version(session) == first.candidate_version  # the better model stays active
        audits = [e.details["activated"] for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "model.retrain").order_by(AuditEntry.id))]
    assert audits == [True, False]


def test_a_loss_on_trafficking_recall_alone_blocks_activation() -> None:
    active = ModelResult("lw-a", macro_f1=0.80, trafficking_recall=0.90, n=100)
    assert not not_worse(ModelResult("lw-b", macro_f1=0.85, trafficking_recall=0.85, n=100), active)
    assert not not_worse(ModelResult("lw-c", macro_f1=0.79, trafficking_recall=0.95, n=100), active)
    assert not_worse(ModelResult("lw-d", macro_f1=0.80, trafficking_recall=0.90, n=100), active)
