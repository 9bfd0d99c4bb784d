"""Which trained model is active: artifact folders under `model_dir`, the choice kept in `app_state`.

Every API worker and CLI process reads the active version from the database, so activating a
model switches all of them; with none active, the transparent `rules-0` scorer is used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from model.artifact import CARD_JSON, MANIFEST_FILE, ArtifactError, load_model, verify_folder
from model.records import Scorer
from service.errors import LokerwatchError
from service.settings import Settings
from service.store.app_state import put_state
from service.store.tables import AppState
from service.store.types import utc_now

ACTIVE_MODEL_KEY = "active_model"


@dataclass(frozen=True)
class ModelInfo:
    version: str
    folder: Path
    created_at: str
    macro_f1: float | None
    trafficking_recall: float | None
    legit_fpr: float | None


def list_models(model_dir: Path) -> list[ModelInfo]:
    """Artifact folders under `model_dir` (newest first); folders without a card are skipped."""
    if not model_dir.is_dir():
        return []
    models = []
    for folder in model_dir.iterdir():
        card_path = folder / CARD_JSON
        if not (folder / MANIFEST_FILE).is_file() or not card_path.is_file():
            continue
        card: dict[str, Any] = json.loads(card_path.read_text(encoding="utf-8"))
        # The test split's ads by writers the model never saw (older cards: their own held-out split).
        metrics = card.get("held_out", {}).get("test", {}).get("out_of_author") or card.get("held_out_metrics", {})
        models.append(ModelInfo(card["version"], folder, card.get("created_at", ""), metrics.get("macro_f1"),
                                metrics.get("trafficking_recall"), metrics.get("legit_fpr")))
    return sorted(models, key=lambda info: info.created_at, reverse=True)


def active_version(session: Session) -> str | None:
    row = session.get(AppState, ACTIVE_MODEL_KEY)
    if row is None or not isinstance(row.value, dict):
        return None
    version = row.value.get("version")
    return version if isinstance(version, str) else None


def activate(session: Session, settings: Settings, version: str, actor: str = "cli") -> ModelInfo:
    """Make `version` the active model after checking that its folder loads; commits."""
    info = next((m for m in list_models(settings.model_dir) if m.version == version), None)
    if info is None:
        raise LokerwatchError(f"no model {version!r} in {settings.model_dir} (see `lokerwatch models list`)")
    try:
        load_model(info.folder)
    except ArtifactError as exc:
        raise LokerwatchError(f"model {version} cannot be activated: {exc}") from exc
    value = {"version": version, "activated_at": utc_now().isoformat(timespec="seconds"), "by": actor}
    put_state(session, ACTIVE_MODEL_KEY, value)
    session.commit()
    return info


@lru_cache(maxsize=4)
def _load_scorer(folder: Path, manifest_digest: str) -> Scorer:
    # keyed by the manifest's content, so a replaced folder is reloaded, an unchanged one is not
    return load_model(folder).scorer()


def load_active_scorer(session: Session, settings: Settings) -> Scorer:
    """The active trained model, or `RuleScorer` ("rules-0") when none has been activated."""
    version = active_version(session)
    if version is None:
        from model.rule_scorer import RuleScorer  # its text analysis loads spaCy: only when it scores

        return RuleScorer()
    folder = settings.model_dir / version
    try:
        manifest = verify_folder(folder)
    except ArtifactError as exc:
        raise LokerwatchError(f"the active model {version} cannot be loaded: {exc}; "
                              "activate another with `lokerwatch models activate`") from exc
    return _load_scorer(folder, json.dumps(manifest, sort_keys=True))
