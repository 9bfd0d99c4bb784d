"""Small data plans for tests that train: the repository's plan reads thousands of ads and the real data sets."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from model.data_plan import DataPlan, load_plan
from tests.conftest import REPO_ROOT

TEAM = REPO_ROOT / "labelled_data" / "team_v1.jsonl"
LABELS = ("legit", "scam", "trafficking")


def team_sample(per_label: int, seed: int = 7, skip: set[str] | None = None) -> list[dict[str, Any]]:
    """`per_label` ads of each label from the team's data, chosen at random but the same on every run."""
    records = [json.loads(line) for line in TEAM.read_text(encoding="utf-8").splitlines() if line]
    rng = random.Random(seed)
    return [r for label in LABELS for r in rng.sample([r for r in records if r["label"] == label
                                                       and r["id"] not in (skip or set())], per_label)]


def write_small_plan(folder: Path, train: list[dict[str, Any]], validation: list[dict[str, Any]],
                     test: list[dict[str, Any]]) -> Path:
    """A plan.toml over three files; the test records are marked split=test as the real held-out writers are."""
    folder.mkdir(parents=True, exist_ok=True)
    for role, records in (("train", train), ("validation", validation), ("test", test)):
        marked = [{**r, "split": "test"} if role == "test" else r for r in records]
        (folder / f"{role}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in marked),
                                              encoding="utf-8")
    plan = folder / "plan.toml"
    plan.write_text("".join(f'[{role}]\nfiles = ["{role}.jsonl"]\n' for role in ("train", "validation", "test")),
                    encoding="utf-8")
    return plan


def small_team_plan(folder: Path, per_label: int = 60) -> DataPlan:
    """Train on `per_label` team ads a label; validate and test on 20 more a label each, all disjoint."""
    train = team_sample(per_label, seed=7)
    validation = team_sample(20, seed=8, skip={r["id"] for r in train})
    test = team_sample(20, seed=9, skip={r["id"] for r in train + validation})
    return load_plan(write_small_plan(folder, train, validation, test))
