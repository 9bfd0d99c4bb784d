"""Model artifacts: a versioned folder with the fitted classifier (skops), its card and thresholds.

Never pickle: a pickled model is code that runs on load. skops loads only the types listed in
`TRUSTED_TYPES`, and `manifest.json` holds the SHA-256 of every file, checked before loading.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from model.file_hash import sha256_file

if TYPE_CHECKING:  # skops pulls in torch through sklearn: seconds at start-up, so load it when used
    from model.classifier import AdClassifier
    from model.scorer import TrainedScorer

PIPELINE_FILE = "pipeline.skops"
CARD_JSON = "model_card.json"
CARD_MD = "MODEL_CARD.md"
THRESHOLDS_FILE = "thresholds.json"
TRAINING_IDS_FILE = "training_ids.json"
MANIFEST_FILE = "manifest.json"

# Types skops does not trust by default that a lokerwatch model is made of: our own stateless
# transformers and the scikit-learn/numpy pieces they use. Anything else in a file is refused.
TRUSTED_TYPES: tuple[str, ...] = (
    "model.classifier.AdClassifier",
    "model.features.MatchedText",
    "model.features.EmbeddingFeatures",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
)


class ArtifactError(ValueError):
    """An artifact folder is incomplete, altered, or holds types that are not trusted."""


@dataclass(frozen=True)
class LoadedModel:
    classifier: AdClassifier
    card: dict[str, Any]
    thresholds: dict[str, float]

    @property
    def version(self) -> str:
        return str(self.card["version"])

    def scorer(self) -> TrainedScorer:
        from model.scorer import TrainedScorer

        return TrainedScorer(self.classifier, self.version, float(self.thresholds["review"]))


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def save_model(folder: Path, classifier: AdClassifier, card: dict[str, Any], thresholds: dict[str, float],
               training_ids: list[str], card_markdown: str) -> Path:
    """Write the artifact folder (refusing to overwrite one) and its manifest of hashes."""
    if folder.exists() and any(folder.iterdir()):
        raise ArtifactError(f"{folder} already holds files; artifacts are never overwritten")
    folder.mkdir(parents=True, exist_ok=True)
    import skops.io as sio

    sio.dump(classifier, folder / PIPELINE_FILE)
    _write_json(folder / CARD_JSON, card)
    _write_json(folder / THRESHOLDS_FILE, thresholds)
    _write_json(folder / TRAINING_IDS_FILE, sorted(training_ids))
    (folder / CARD_MD).write_text(card_markdown, encoding="utf-8")
    files = [PIPELINE_FILE, CARD_JSON, THRESHOLDS_FILE, TRAINING_IDS_FILE, CARD_MD]
    digests = {name: sha256_file(folder / name) for name in files}
    _write_json(folder / MANIFEST_FILE, {"version": card["version"], "sha256": digests})
    return folder


def verify_folder(folder: Path) -> dict[str, Any]:
    """The manifest, after checking that every file it lists is there with the recorded hash."""
    manifest_path = folder / MANIFEST_FILE
    if not manifest_path.is_file():
        raise ArtifactError(f"{folder}: no {MANIFEST_FILE}; not a lokerwatch model folder")
    manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    for name, expected in manifest["sha256"].items():
        path = folder / name
        if not path.is_file():
            raise ArtifactError(f"{folder}: {name} is missing")
        if sha256_file(path) != expected:
            raise ArtifactError(f"{folder}: {name} does not match its recorded SHA-256; refusing to load it")
    return manifest


def load_model(folder: Path) -> LoadedModel:
    """Load an artifact folder after checking hashes and that the pipeline holds only trusted types."""
    import skops.io as sio

    from model.classifier import AdClassifier

    verify_folder(folder)
    pipeline_path = folder / PIPELINE_FILE
    untrusted = [t for t in sio.get_untrusted_types(file=pipeline_path) if t not in TRUSTED_TYPES]
    if untrusted:
        raise ArtifactError(f"{folder}: the model holds types lokerwatch does not trust: {', '.join(untrusted)}")
    classifier = sio.load(pipeline_path, trusted=list(TRUSTED_TYPES))
    if not isinstance(classifier, AdClassifier):
        raise ArtifactError(f"{folder}: {PIPELINE_FILE} is not an AdClassifier")
    card = json.loads((folder / CARD_JSON).read_text(encoding="utf-8"))
    thresholds = json.loads((folder / THRESHOLDS_FILE).read_text(encoding="utf-8"))
    return LoadedModel(classifier, card, thresholds)


def training_ids(folder: Path) -> set[str]:
    """Ids of the ads a model was trained on, so `evaluate` can leave them out."""
    return set(json.loads((folder / TRAINING_IDS_FILE).read_text(encoding="utf-8")))
