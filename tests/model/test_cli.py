"""`lokerwatch train`, `evaluate --json` and `models list|activate` on a small data plan, end to end."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from model.artifact import load_model
from model.records import AdText
from model.rule_scorer import RuleScorer
from service.cli.main import app
from service.scoring.registry import load_active_scorer
from service.settings import Settings, get_settings
from service.store.session import open_store
from tests.model.conftest import SAMPLE

runner = CliRunner()


def _point_settings_at(monkeypatch: pytest.MonkeyPatch, root: Path, plan: Path) -> None:
    monkeypatch.setenv("LOKERWATCH_DATABASE_URL", f"sqlite:///{root / 'lw.db'}")
    monkeypatch.setenv("LOKERWATCH_DATA_PLAN", str(plan))
    monkeypatch.setenv("LOKERWATCH_MODEL_DIR", str(root / "models"))
    monkeypatch.delenv("LOKERWATCH_EMBEDDING_MODEL", raising=False)


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_plan: Path) -> Iterator[Settings]:
    _point_settings_at(monkeypatch, tmp_path, small_plan)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def trained_by_cli(tmp_path_factory: pytest.TempPathFactory, small_plan: Path) -> tuple[str, Path]:
    """`lokerwatch train` with the default settings, run once: both tests that need its artifact read it (a
    training is most of this file's time), and neither changes the folder."""
    root = tmp_path_factory.mktemp("cli-train")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _point_settings_at(monkeypatch, root, small_plan)
        get_settings.cache_clear()
        trained = runner.invoke(app, ["train", "--out", str(root / "models")])
        get_settings.cache_clear()
    assert trained.exit_code == 0, trained.output
    (folder,) = list((root / "models").iterdir())  # one run, one artifact folder
    return trained.output, folder


def test_train_evaluate_activate_and_score_with_the_active_model(cli_env: Settings,
                                                                  trained_by_cli: tuple[str, Path]) -> None:
    output, trained_folder = trained_by_cli
    assert "unseen writers macro-F1" in output
    folder = cli_env.model_dir / trained_folder.name  # where `models activate` looks for it
    shutil.copytree(trained_folder, folder)
    card = json.loads((folder / "model_card.json").read_text())
    assert card["counts"] == {"train": 24, "train_labels": card["counts"]["train_labels"], "validation": 8, "test": 8}
    assert card["thresholds"]["review"] > 0 and card["data"]["train"][0].endswith("train.jsonl")
    assert card["held_out"]["test"]["out_of_author"]["n"] == 8
    assert card["baseline"]["test"]["out_of_author"]["n"] == 8  # the bare TF-IDF + LR, same ads, same rule
    assert (folder / "MODEL_CARD.md").read_text().startswith(f"# lokerwatch model {card['version']}")

    evaluated = runner.invoke(app, ["evaluate", "--model", str(folder), "--json"])
    assert evaluated.exit_code == 0, evaluated.output
    report = json.loads(evaluated.stdout)
    written = report["out_of_author"]
    for key in ("macro_f1", "macro_f1_argmax", "pr_auc_suspicious", "suspicious_recall", "legit_fpr", "ece",
                "risk_histogram", "per_class", "confusion", "modus"):
        assert key in written
    # the default evaluation data is the plan's test role: the held-out author's 8 ads
    assert written["n"] == 8 and report["excluded_training_ads"] == 0
    assert sum(map(sum, written["confusion"]["matrix"])) == written["n"]
    assert written == card["held_out"]["test"]["out_of_author"]

    store = open_store(cli_env)
    with store.session_factory() as session:
        assert isinstance(load_active_scorer(session, cli_env), RuleScorer)
    activated = runner.invoke(app, ["models", "activate", card["version"]])
    assert activated.exit_code == 0, activated.output
    listed = runner.invoke(app, ["models", "list"])
    assert f"* {card['version']}" in listed.stdout
    with store.session_factory() as session:
        scorer = load_active_scorer(session, cli_env)
    assert scorer.version == card["version"]
    ad = AdText("x", "Admin online di Kamboja, tiket gratis, tanpa pengalaman")
    assert scorer.predict([ad])[0].p_trafficking == load_model(folder).scorer().predict([ad])[0].p_trafficking
    store.dispose()


def test_evaluate_refuses_when_every_ad_was_seen_in_training(cli_env: Settings, trained_by_cli: tuple[str, Path],
                                                             tmp_path: Path) -> None:
    _, folder = trained_by_cli
    seen = set(json.loads((folder / "training_ids.json").read_text()))
    only_seen = tmp_path / "seen.jsonl"
    only_seen.write_text("".join(line + "\n" for line in SAMPLE.read_text().splitlines()
                                 if json.loads(line)["id"] in seen))
    result = runner.invoke(app, ["evaluate", "--model", str(folder), "--data", str(only_seen)])
    assert result.exit_code != 0
    assert "used to train" in str(result.exception or result.output)


def test_training_on_held_out_writers_is_refused(cli_env: Settings, small_plan: Path) -> None:
    held_out = small_plan.parent / "test.jsonl"
    result = runner.invoke(app, ["train", "--data", str(small_plan.parent / "train.jsonl"), "--data", str(held_out),
                                 "--out", str(cli_env.model_dir)])
    assert result.exit_code != 0
    assert "never trained on" in str(result.exception or result.output)
