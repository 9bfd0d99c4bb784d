"""`lokerwatch train`, `evaluate --json` and `models list|activate` on the small sample, end to end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from model.artifact import load_model
from model.records import AdText
from model.rule_scorer import RuleScorer
from service.cli.main import app
from service.model_registry import load_active_scorer
from service.settings import Settings, get_settings
from service.store.session import open_store
from tests.model.conftest import SAMPLE

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("LOKERWATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'lw.db'}")
    monkeypatch.setenv("LOKERWATCH_MODEL_DIR", str(tmp_path / "models"))
    monkeypatch.delenv("LOKERWATCH_EMBEDDING_MODEL", raising=False)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def test_train_evaluate_activate_and_score_with_the_active_model(cli_env: Settings) -> None:
    trained = runner.invoke(app, ["train", "--data", str(SAMPLE), "--out", str(cli_env.model_dir)])
    assert trained.exit_code == 0, trained.output
    (folder,) = list(cli_env.model_dir.iterdir())
    card = json.loads((folder / "model_card.json").read_text())
    assert card["counts"]["train"] + card["counts"]["test"] == 40
    assert card["data_files"][0]["sha256"] and card["thresholds"]["review"] > 0
    assert (folder / "MODEL_CARD.md").read_text().startswith(f"# lokerwatch model {card['version']}")

    evaluated = runner.invoke(app, ["evaluate", "--model", str(folder), "--data", str(SAMPLE), "--json"])
    assert evaluated.exit_code == 0, evaluated.output
    report = json.loads(evaluated.stdout)
    for key in ("macro_f1", "pr_auc_suspicious", "trafficking_recall", "legit_fpr", "per_class", "confusion"):
        assert key in report
    # only the held-out ads are measured: the ones the model trained on are left out
    assert report["n"] == card["counts"]["test"]
    assert report["excluded_training_ads"] == card["counts"]["train"]
    assert sum(map(sum, report["confusion"]["matrix"])) == report["n"]

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


def test_evaluate_refuses_when_every_ad_was_seen_in_training(cli_env: Settings, tmp_path: Path) -> None:
    trained = runner.invoke(app, ["train", "--data", str(SAMPLE), "--out", str(cli_env.model_dir)])
    assert trained.exit_code == 0, trained.output
    (folder,) = list(cli_env.model_dir.iterdir())
    seen = set(json.loads((folder / "training_ids.json").read_text()))
    only_seen = tmp_path / "seen.jsonl"
    only_seen.write_text("".join(line + "\n" for line in SAMPLE.read_text().splitlines()
                                 if json.loads(line)["id"] in seen))
    result = runner.invoke(app, ["evaluate", "--model", str(folder), "--data", str(only_seen)])
    assert result.exit_code != 0
    assert "used to train" in str(result.exception or result.output)


def test_activating_an_unknown_version_fails_with_a_message(cli_env: Settings) -> None:
    result = runner.invoke(app, ["models", "activate", "lw-does-not-exist"])
    assert result.exit_code != 0
    assert "no model" in str(result.exception)
