"""`lokerwatch models activate` brings the review queue to the newly active model's own threshold at once: an ad
whose risk lies between the old and the new threshold leaves or enters the queue, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from model.artifact import CARD_JSON, MANIFEST_FILE, THRESHOLDS_FILE
from model.file_hash import sha256_file
from service.cli.main import app
from service.review.queue_sync import sync_queue, synced_threshold
from service.scoring.registry import active_version
from service.scoring.threshold import RULES_REVIEW_THRESHOLD, review_threshold
from service.settings import Settings, get_settings
from service.store.session import Store
from service.store.tables import QueueEntry
from tests.service.desk import add_scored_ad
from tests.trained import install_model

SIBLING_THRESHOLD = 0.3  # under rules-0's 0.5, so an ad at 0.4 is queued only by the sibling model


def _write_json(path: Path, value: object) -> None:
    # as model.artifact writes its JSON files
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def install_sibling(artifact: Path, model_dir: Path, version: str, review: float) -> str:
    """A copy of a trained artifact under another version that chose another review threshold, its card, thresholds
    and manifest written again as `model.artifact.save_model` writes them: a second real model, different only there."""
    folder = model_dir / version
    shutil.copytree(artifact, folder)
    card = json.loads((folder / CARD_JSON).read_text(encoding="utf-8"))
    thresholds = json.loads((folder / THRESHOLDS_FILE).read_text(encoding="utf-8"))
    _write_json(folder / CARD_JSON, {**card, "version": version, "thresholds": {**thresholds, "review": review}})
    _write_json(folder / THRESHOLDS_FILE, {**thresholds, "review": review})
    manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    _write_json(folder / MANIFEST_FILE, {"version": version,
                                         "sha256": {name: sha256_file(folder / name) for name in manifest["sha256"]}})
    return version


@pytest.fixture
def cli_settings(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """The command line pointed at the test's store and model folder."""
    monkeypatch.setenv("LOKERWATCH_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LOKERWATCH_MODEL_DIR", str(settings.model_dir))
    monkeypatch.setenv("LOKERWATCH_AUDIT_HEAD_PATH", str(settings.audit_head_path))
    monkeypatch.delenv("LOKERWATCH_REVIEW_THRESHOLD", raising=False)
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


def _queued(store: Store) -> set[int]:
    with store.session_factory() as session:
        return set(session.scalars(select(QueueEntry.ad_id).where(QueueEntry.in_queue.is_(True))))


def _activate(version: str) -> str:
    result = CliRunner().invoke(app, ["models", "activate", version])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_activating_a_model_moves_the_queue_to_its_threshold_at_once(
        store: Store, cli_settings: Settings, small_model: Path) -> None:
    trained = install_model(small_model, cli_settings.model_dir)
    sibling = install_sibling(small_model, cli_settings.model_dir, f"{trained}-ambang-rendah", SIBLING_THRESHOLD)
    threshold = json.loads((cli_settings.model_dir / trained / THRESHOLDS_FILE).read_text())["review"]
    assert SIBLING_THRESHOLD < 0.4 < RULES_REVIEW_THRESHOLD < threshold - 0.02
    between = (RULES_REVIEW_THRESHOLD + threshold) / 2  # over rules-0's threshold, under the trained model's
    with store.session_factory() as session:
        ads = {"high": add_scored_ad(session, "tinggi", "iklan 1", 0.05, 0.9),
               "between": add_scored_ad(session, "tengah", "iklan 2", 0.0, between),
               "low": add_scored_ad(session, "rendah", "iklan 3", 0.4, 0.0)}
        session.commit()
        sync_queue(session, review_threshold(session, cli_settings))  # no model active yet: rules-0's 0.5
    assert _queued(store) == {ads["high"], ads["between"]}

    # The trained model's threshold is higher: the ad between the two leaves the queue when it is activated.
    output = _activate(trained)
    assert f"activated {trained}" in output and f"threshold {threshold:g}: 1 ads in the queue" in output
    assert len(output.strip().splitlines()) == 1
    assert _queued(store) == {ads["high"]}
    with store.session_factory() as session:
        assert active_version(session) == trained and synced_threshold(session) == threshold

    # The sibling's is lower: the ad at 0.4, never queued before, enters, and the one between comes back.
    output = _activate(sibling)
    assert f"threshold {SIBLING_THRESHOLD:g}: 3 ads in the queue" in output
    assert _queued(store) == set(ads.values())
    with store.session_factory() as session:
        assert active_version(session) == sibling and synced_threshold(session) == SIBLING_THRESHOLD
        entry = session.get(QueueEntry, ads["low"])
        assert entry is not None and entry.status == "open" and entry.risk == pytest.approx(0.4)


def test_activating_an_unknown_version_is_one_error_line_and_leaves_the_queue_alone(
        store: Store, cli_settings: Settings) -> None:
    with store.session_factory() as session:
        queued = add_scored_ad(session, "tengah", "iklan", 0.0, 0.6)
        session.commit()
        sync_queue(session, review_threshold(session, cli_settings))
    result = CliRunner().invoke(app, ["models", "activate", "tidak-ada"])
    assert result.exit_code != 0
    assert "no model 'tidak-ada'" in str(result.exception or result.output)
    assert _queued(store) == {queued}
    with store.session_factory() as session:
        assert active_version(session) is None and synced_threshold(session) == RULES_REVIEW_THRESHOLD
