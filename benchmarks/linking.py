"""Linking at scale: ads linked per second, and p50/p95 of an ad's related ads and a cluster view.

    python benchmarks/linking.py --ads 100000 [--db sqlite:///bench-links.db]

Without --db: a temporary SQLite file, or a scratch database on the PostgreSQL server LOKERWATCH_DATABASE_URL names.

Ads are generated from a template with varied details: ~30% reuse one of a pool of recruiter phones
(written in several forms), ~10% are light edits of an earlier ad (reposts), the rest are distinct.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from sqlalchemy import select
from support.pg import benchmark_store, describe

from scraper.records import JobPost
from service.links.linking import link_pending
from service.links.views import cluster_view, related_ads
from service.settings import Settings
from service.store.ads import upsert_job_post
from service.store.session import open_store
from service.store.tables import AdLinkState

JOBS = ["admin", "operator", "kasir", "sopir", "ART", "perawat", "pelayan", "staf gudang", "CS online", "marketing"]
PLACES = ["Kamboja", "Myanmar", "Malaysia", "Taiwan", "Batam", "Jakarta", "Pontianak", "Singkawang", "Laos", "Dubai"]
PERKS = ["tiket ditanggung", "mess gratis", "visa diurus agen", "BPJS", "gaji UMK", "bonus bulanan", "tanpa pengalaman"]
# Real ads differ in their details (company, address, duties); a synthetic vocabulary stands in for them.
WORDS = [f"{a}{b}{c}" for a in ("ka", "ma", "sa", "ra", "ba", "pe", "ti", "lu") for b in ("ri", "ta", "nu", "lo", "se")
         for c in ("an", "ng", "k", "s", "h", "t", "m", "r")]
FORMS = ["0{a}-{b}-{c}", "+62 {a1} {b} {c}", "0{a} {b} {c}"]


def _phone(rng: random.Random) -> tuple[str, str, str]:
    return f"8{rng.randint(11, 99)}", f"{rng.randint(1000, 9999)}", f"{rng.randint(1000, 9999)}"


def _written(parts: tuple[str, str, str], rng: random.Random) -> str:
    a, b, c = parts
    return rng.choice(FORMS).format(a=a, a1=a, b=b, c=c)


def generate(n: int, seed: int = 1) -> list[JobPost]:
    rng = random.Random(seed)
    recruiters = [_phone(rng) for _ in range(max(10, n // 200))]
    posts: list[JobPost] = []
    for number in range(n):
        if posts and rng.random() < 0.1:
            base = rng.choice(posts)
            text = base.text.replace("Dicari", "DICARI SEGERA").replace(".", "!!", 1)
        else:
            phone = rng.choice(recruiters) if rng.random() < 0.3 else _phone(rng)
            details = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 30)))
            text = (f"Dicari {rng.choice(JOBS)} untuk penempatan {rng.choice(PLACES)} kode {number}, "
                    f"{', '.join(rng.sample(PERKS, 3))}, gaji {rng.randint(3, 25)} juta. {details}. "
                    f"Usia {rng.randint(18, 25)}-{rng.randint(30, 45)}. Hubungi {_written(phone, rng)}")
        posts.append(JobPost(source=rng.choice(["telegram", "facebook", "olx"]), source_ad_id=f"b{number}", text=text))
    return posts


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ads", type=int, default=5000)
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lokerwatch-bench-links-") as tmp, ExitStack() as stack:
        url = args.db or stack.enter_context(benchmark_store(Path(tmp), "bench-links.db"))
        run(url, args.ads)


def run(url: str, ads: int) -> None:
    store = open_store(Settings(database_url=url, dev_mode=True, _env_file=None))  # type: ignore[call-arg]
    print(f"store: {describe(url)}")
    started = time.perf_counter()
    with store.session_factory() as session, session.begin():
        for post in generate(ads):
            upsert_job_post(session, post, None)
    print(f"stored {ads} ads in {time.perf_counter() - started:.1f} s")
    started, cpu = time.perf_counter(), time.process_time()
    linked = link_pending(store.session_factory, batch_size=500)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    # CPU time too: on a shared machine wall-clock time mostly measures the neighbours.
    print(f"linked {linked} ads in {elapsed:.1f} s wall, {cpu:.1f} s CPU ({linked / cpu:.0f} ads per CPU-second)")
    with store.session_factory() as session:
        rows = list(session.execute(select(AdLinkState.ad_id, AdLinkState.cluster_id)))
    rng = random.Random(2)
    related, clusters = [], []
    for ad_id, cluster_id in rng.sample(rows, min(200, len(rows))):
        with store.session_factory() as session:
            start = time.perf_counter()
            related_ads(session, ad_id)
            related.append(time.perf_counter() - start)
            if cluster_id is not None:
                start = time.perf_counter()
                cluster_view(session, cluster_id)
                clusters.append(time.perf_counter() - start)
    print(f"related ads: {_percentiles(related)}")
    if clusters:
        print(f"cluster view: {_percentiles(clusters)} ({len(clusters)} samples)")
    store.dispose()


if __name__ == "__main__":
    main()
