"""The default model's data plan: roles, real splits by near-duplicate cluster, held-out writers kept out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from model.data_plan import DataPlanError, load_plan, real_split_role, training_records
from model.labelled import parse_labelled_record

LABELLED = Path(__file__).resolve().parents[2] / "labelled_data"


@pytest.fixture(scope="module")
def plan_roles() -> dict[str, set[str]]:
    plan = load_plan()
    return {role: {record.id for record in plan.role(role).records} for role in ("train", "validation", "test")}


def test_roles_do_not_share_an_ad(plan_roles: dict[str, set[str]]) -> None:
    assert not plan_roles["train"] & plan_roles["validation"]
    assert not plan_roles["train"] & plan_roles["test"]
    assert not plan_roles["validation"] & plan_roles["test"]


def test_at_least_three_writers_and_450_ads_are_held_out_and_never_trained_on(plan_roles: dict[str, set[str]]) -> None:
    held_out = [json.loads(line) for path in sorted((LABELLED / "heldout").glob("*.jsonl"))
                for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len({ad["group"] for ad in held_out}) >= 3 and len(held_out) >= 450
    assert all(ad["split"] == "test" for ad in held_out)
    assert {ad["id"] for ad in held_out} <= plan_roles["test"]
    assert not {ad["id"] for ad in held_out} & plan_roles["train"]


def test_counterfactual_twins_sit_with_their_real_original_in_training(plan_roles: dict[str, set[str]]) -> None:
    twins = [json.loads(line) for path in sorted((LABELLED / "counterfactual").glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(twins) >= 300
    assert {twin["real_id"] for twin in twins} <= plan_roles["train"]


def test_training_refuses_an_ad_marked_as_test() -> None:
    record = parse_labelled_record({"id": "x", "source": "sms", "text": "t", "label": "legit", "split": "test"}, "x")
    with pytest.raises(DataPlanError, match="never trained on"):
        training_records([record])


def test_real_split_is_a_pure_function_of_the_cluster_key() -> None:
    roles = [real_split_role(f"id-{n}", (6, 2, 2)) for n in range(2000)]
    assert roles == [real_split_role(f"id-{n}", (6, 2, 2)) for n in range(2000)]
    shares = {role: roles.count(role) / len(roles) for role in ("train", "validation", "test")}
    assert 0.55 < shares["train"] < 0.65 and 0.15 < shares["test"] < 0.25


def test_a_plan_naming_a_missing_file_says_which(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.toml"
    plan_file.write_text('[train]\nfiles = ["nowhere/*.jsonl"]\n', encoding="utf-8")
    with pytest.raises(DataPlanError, match="nowhere"):
        load_plan(plan_file).role("train")
