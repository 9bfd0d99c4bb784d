"""A small trained model for tests of what a model's outputs do downstream (queue, desk, dashboard).

Trained once per test run on team ads (`tests.plans.small_team_plan`), the real way (`model.training.train`:
skops artifact, model card with held-out figures, thresholds.json), then copied into each test's model
folder, so the service meets a real artifact rather than a stand-in.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from model.training import TrainingConfig, train
from tests.plans import small_team_plan

# Small and quick: real catalogue indicators, facts, modus and held-out figures, in about a minute.
FAST = {"word_ngrams": (1, 2), "char_ngrams": (1, 1), "char_bits": 8, "folds": 2, "trees": 60, "min_leaf": 5}


def train_small_model(root: Path) -> Path:
    """Train the small model under `root`; returns its artifact folder."""
    result = train(None, root / "models", TrainingConfig(params=FAST), plan=small_team_plan(root / "plan"))
    return result.folder


def install_model(artifact: Path, model_dir: Path) -> str:
    """Copy a trained artifact folder into `model_dir` (as `lokerwatch train --out` would leave it); its version."""
    model_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(artifact, model_dir / artifact.name)
    return artifact.name
