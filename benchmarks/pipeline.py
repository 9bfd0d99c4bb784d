"""End to end on one core: ads per second from a stored page to scored, queued and linked, against scoring alone.

    python benchmarks/pipeline.py [--ads 2000] [--model DIR]

Telegram listing pages of synthetic ads (benchmarks/support/channel_pages.py, 20 a page) are first stored as evidence
snapshots, as the fetcher leaves them. Then, timed: each stored page is read back from the store, parsed by the
real Telegram parser and its ads upserted (StoreSink), and `process_new_ads` scores them (rules-0, or the
trained artifact `--model` names), stores the scores with their entities, brings the queue in step and links
them. Scoring alone is the same scorer's `predict` on the same ads in the same process. The process is pinned to
one CPU; times are CPU seconds of this process (the machine is shared; a PostgreSQL server's own work runs in its
own processes and shows in the wall-clock time printed beside them).

The store is a temporary SQLite file, or a scratch database on the PostgreSQL server LOKERWATCH_DATABASE_URL names.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

SEED = 23


def _pin_one_core() -> None:
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = "1"
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--ads", type=int, default=2000)
    parser.add_argument("--model", type=Path, help="a trained model folder (default: the rules-0 scorer)")
    args = parser.parse_args()
    if args.ads < 1:
        raise SystemExit("error: --ads must be at least 1")
    _pin_one_core()
    from support.channel_pages import channel_pages
    from support.pg import benchmark_store, describe
    from support.synthetic_store import scored_bodies

    from model.records import Scorer
    from scraper import sources
    from scraper.engine import RunSummary
    from scraper.records import RawPage
    from service.collect.store_sink import StoreSink
    from service.review.queue_sync import SYNC_KEY
    from service.scoring.pipeline import process_new_ads
    from service.settings import Settings
    from service.store.ads import ad_text
    from service.store.evidence import snapshot_body
    from service.store.session import open_store
    from service.store.tables import Ad, AppState, QueueEntry, Snapshot

    scorer: Scorer
    if args.model:
        from model.artifact import load_model

        scorer = load_model(args.model).scorer()
    else:
        from model.rule_scorer import RuleScorer

        scorer = RuleScorer()
    with tempfile.TemporaryDirectory(prefix="lokerwatch-bench-pipeline-") as tmp, \
            benchmark_store(Path(tmp), "pipeline.db") as url:
        settings = Settings(database_url=url, dev_mode=True, model_dir=Path(tmp) / "models",  # type: ignore[call-arg]
                            review_threshold=0.5, _env_file=None)
        store = open_store(settings)
        sink = StoreSink(store.session_factory, "telegram:lokerbench")
        pages = list(channel_pages("lokerbench", args.ads, 20, scored_bodies(300, SEED), SEED))
        snapshot_ids = [sink.save_snapshot(page) for page in pages]
        with store.session_factory() as session:  # an empty queue is in step: what a store in use would say
            session.add(AppState(key=SYNC_KEY, value={"score_id": 0, "threshold": 0.5}, updated_at=pages[0].fetched_at))
            session.commit()
        scorer.predict([ad_text(Ad(id=0, title="", text="Dicari admin, gaji 5 juta", source="telegram"))])  # warm-up
        source = sources.create("telegram", {"channel": "lokerbench"})
        sink.start_run()
        summary = RunSummary("telegram:lokerbench")
        wall, cpu = time.perf_counter(), time.process_time()
        for snapshot_id in snapshot_ids:
            with store.session_factory() as session:
                stored = session.get(Snapshot, snapshot_id)
                assert stored is not None
                page = RawPage(stored.url, stored.final_url, stored.http_status, dict(stored.headers),
                               snapshot_body(stored), stored.fetched_at, stored.fetcher_version)
            summary.new_ads += sink.store_posts(snapshot_id, source.parse(page).posts).new
        summary.status = "ok"
        sink.finish_run(summary)  # then the after-run step, as the scheduler and `lokerwatch scrape` do
        processed = process_new_ads(store.session_factory, settings, summary, scorer=scorer)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert processed is not None and processed.scored == args.ads, processed
        with store.session_factory() as session:
            ads = [ad_text(ad) for ad in session.scalars(select(Ad).order_by(Ad.id))]
            queued = session.scalar(select(func.count()).select_from(QueueEntry)) or 0
        store.dispose()
        alone_wall, alone_cpu = time.perf_counter(), time.process_time()
        scorer.predict(ads)
        alone_wall, alone_cpu = time.perf_counter() - alone_wall, time.process_time() - alone_cpu
    print(f"store: {describe(url)}; scorer {scorer.version}; {args.ads} ads on {len(pages)} stored pages; one core")
    print(f"stored page -> parsed, upserted, scored, queued ({queued}), linked ({processed.linked}): "
          f"{args.ads / cpu:.0f} ads per CPU-second ({args.ads / wall:.0f} ads/s wall)")
    print(f"scoring alone (predict):                    {args.ads / alone_cpu:.0f} ads per CPU-second "
          f"({args.ads / alone_wall:.0f} ads/s wall)")
    print(f"end to end / scoring alone: {alone_cpu / cpu:.2f}")


if __name__ == "__main__":
    main()
