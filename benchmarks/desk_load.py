"""A national desk under load on PostgreSQL: p50/p95 of the queue page and an ad's detail while analysts claim and
decide concurrently and a scrape writes, decisions per second, and whether any ad was claimed twice or any decision
lost.

    python benchmarks/desk_load.py [--ads 20000] [--seconds 30] [--analysts 8] [--workers 2]
    python benchmarks/desk_load.py --ads 1000000 --seconds 120     # the figure in the README
    python benchmarks/desk_load.py --ads 1000000 --keep-server /var/tmp/lw-bench   # load once, copy on later runs

The store is a scratch database on the PostgreSQL server LOKERWATCH_DATABASE_URL names, or on a throw-away
server started for the run (benchmarks/support/pg.py). It is filled with COPY
(benchmarks/support/synthetic_store.py: scored ads, queue, contacts, clusters), then `--workers` real
`lokerwatch serve --no-scheduler` processes serve it,
`--analysts` clients (threads, one HTTP connection each, spread over the workers) loop over: read a queue page
(some filtered, some deeper pages), claim-next, read the claimed ad, decide it; and a scrape writer (its own
process) stores a Telegram page of new ads every second through the real path: snapshot, parse, upsert, score
(rules-0), queue sync, link. Every request is audited, as in production. Targets: p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from support.pg import (
    benchmark_database,
    create_database,
    database_exists,
    describe,
    drop_database,
    kept_server,
    scratch_database,
)
from support.synthetic_store import add_analysts, load, scored_bodies

from service.settings import Settings
from service.store.session import open_store
from service.store.tables import Review
from tests.processes import free_port, stop_processes

THRESHOLD = 0.5  # rules-0's review threshold, given to the servers explicitly
SECRET_KEY = "benchmark-signing-key-0123456789abcdef"
FINAL_DECISIONS = ["trafficking", "scam", "benign"]  # need_info would put the ad back in the queue
INDICATOR_FILTERS = ["visit_visa", "documents_held", "high_risk_destination", "upfront_fee", "online_scam_job"]
SOURCE_FILTERS = ["telegram", "olx", "facebook", "whatsapp"]
START_SECONDS = 900  # a worker's start (imports, migrations check, queue check) on a busy shared machine


def server_environment(database_url: str, folder: Path) -> dict[str, str]:
    """What a `lokerwatch serve` process of the benchmark reads (no .env: it runs in its own folder)."""
    return {**os.environ, "LOKERWATCH_DATABASE_URL": database_url, "LOKERWATCH_DEV_MODE": "false",
            "LOKERWATCH_SECRET_KEY": SECRET_KEY, "LOKERWATCH_PSEUDONYM_KEY": "benchmark-pseudonym-key-0123456789",
            "LOKERWATCH_AUDIT_HEAD_PATH": str(folder / "audit-head.log"),
            "LOKERWATCH_SIGNING_KEY_PATH": str(folder / "signing-key.pem"),
            "LOKERWATCH_MODEL_DIR": str(folder / "models"),
            "LOKERWATCH_REVIEW_THRESHOLD": str(THRESHOLD), "LOKERWATCH_LOG_LEVEL": "WARNING"}


def settings_for(database_url: str, folder: Path) -> Settings:
    return Settings(database_url=database_url, dev_mode=False, secret_key=SECRET_KEY,  # type: ignore[call-arg]
                    pseudonym_key="benchmark-pseudonym-key-0123456789", audit_head_path=folder / "audit-head.log",
                    signing_key_path=folder / "signing-key.pem", model_dir=folder / "models",
                    review_threshold=THRESHOLD, _env_file=None)


@dataclass(frozen=True)
class Worker:
    url: str
    pid: int


@contextmanager
def api_workers(database_url: str, folder: Path, count: int) -> Iterator[list[Worker]]:
    """`count` `lokerwatch serve --no-scheduler` processes on one store, until the block ends."""
    processes: list[subprocess.Popen[bytes]] = []
    urls = []
    try:
        for n in range(count):
            port = free_port()
            with (folder / f"worker-{n}.log").open("wb") as log:  # the worker keeps its own copy of the file
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "service.cli", "serve", "--no-scheduler", "--host", "127.0.0.1",
                     "--port", str(port)], cwd=folder, env=server_environment(database_url, folder),
                    stdout=log, stderr=subprocess.STDOUT))
            urls.append(f"http://127.0.0.1:{port}")
        started = time.perf_counter()
        for n, (url, process) in enumerate(zip(urls, processes, strict=True)):
            _wait_healthy(url, process, folder / f"worker-{n}.log")
        print(f"{count} API processes answering after {time.perf_counter() - started:.0f} s")
        yield [Worker(url, process.pid) for url, process in zip(urls, processes, strict=True)]
    finally:
        stop_processes(processes)


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"error: an API worker exited with code {process.returncode}: "
                             f"{log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=30).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"error: the API worker at {url} did not answer /healthz in {START_SECONDS} s: "
                     f"{log.read_text(errors='replace')[-2000:]}")


def scrape_writer(database_url: str, folder: str, ready: Any, stop: Any, report: Any, seed: int) -> None:
    """A scrape that writes while the desk works: one Telegram page of 20 new ads a second, all the way to the
    queue (snapshot, parse, upsert, score with rules-0, queue sync, link). Runs in its own process."""
    from support.channel_pages import channel_pages

    from model.rule_scorer import RuleScorer
    from scraper import sources
    from scraper.engine import RunSummary
    from service.collect.store_sink import StoreSink
    from service.scoring.pipeline import process_new_ads

    settings = settings_for(database_url, Path(folder))
    store = open_store(settings, migrate=False)
    scorer = RuleScorer()
    source = sources.create("telegram", {"channel": "lokerbench"})
    sink = StoreSink(store.session_factory, "telegram:lokerbench")
    sink.start_run()
    summary = RunSummary("telegram:lokerbench")
    cycles: list[float] = []
    pages = channel_pages("lokerbench", 100_000, 20, scored_bodies(100, seed), seed)
    ready.set()
    for page in pages:
        if stop.is_set():
            break
        started = time.perf_counter()
        snapshot_id = sink.save_snapshot(page)
        stored = sink.store_posts(snapshot_id, source.parse(page).posts)
        summary.pages += 1
        summary.new_ads += stored.new
        process_new_ads(store.session_factory, settings, RunSummary("telegram:lokerbench", new_ads=stored.new),
                        scorer=scorer)
        cycles.append(time.perf_counter() - started)
        stop.wait(max(0.0, 1.0 - cycles[-1]))
    summary.status = "ok"
    sink.finish_run(summary)
    store.dispose()
    report.put({"ads": summary.new_ads, "pages": summary.pages, "cycles": cycles})


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0  # the process ended (a PostgreSQL backend whose connection closed)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def postgres_pids(database_url: str) -> list[int]:
    """The server's processes when it runs on this machine (its postmaster listens on the URL's port): their CPU
    time is the database's share of each request, whatever else the machine is doing."""
    port = str(make_url(database_url).port or 5432)
    postmaster = None
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if argv and argv[0].endswith(b"postgres") and f"-p {port}".encode() in b" ".join(argv):
                postmaster = int(entry.name)
    return [] if postmaster is None else [postmaster]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return found


class CpuMeter:
    """CPU seconds the API workers and the PostgreSQL server spend during the run (load on the machine from other
    work stretches wall-clock latencies, not these). PostgreSQL backends are counted as they are first seen."""

    def __init__(self, worker_pids: list[int], postmaster_pids: list[int]) -> None:
        self.worker_pids = worker_pids
        self.postmasters = postmaster_pids
        self.workers_start = sum(_cpu_seconds(pid) for pid in worker_pids)
        self.backends_start = {pid: _cpu_seconds(pid) for pid in self._backends()}
        # This process: the analysts' HTTP clients (and the samplers), which share the machine with the servers.
        self.clients_start = time.process_time()
        self.workers = self.database = self.clients = 0.0

    def _backends(self) -> list[int]:
        return [child for pid in self.postmasters for child in [pid, *_children(pid)]]

    def stop(self) -> None:
        self.workers = sum(_cpu_seconds(pid) for pid in self.worker_pids) - self.workers_start
        self.clients = time.process_time() - self.clients_start
        self.database = sum(_cpu_seconds(pid) - self.backends_start.get(pid, 0.0) for pid in self._backends())


class WaitSampler(threading.Thread):
    """Samples what the store's busy connections wait on, every 50 ms: how much of the database time of a request
    is queueing for a lock (the audit chain, the claims) rather than work."""

    def __init__(self, database_url: str) -> None:
        super().__init__(daemon=True)
        self.engine = create_engine(make_url(database_url).set(drivername="postgresql+psycopg"))
        self.counts: Counter[str] = Counter()
        self.halt = threading.Event()

    def run(self) -> None:
        query = text("SELECT coalesce(wait_event_type || ':' || wait_event, 'running') FROM pg_stat_activity "
                     "WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()")
        with self.engine.connect() as connection:
            while not self.halt.wait(0.05):
                self.counts.update(connection.execute(query).scalars())
                connection.rollback()

    def stop(self) -> None:
        self.halt.set()
        self.join()
        self.engine.dispose()

    def summary(self) -> str:
        total = sum(self.counts.values()) or 1
        return ", ".join(f"{name} {n / total:.0%}" for name, n in self.counts.most_common(5))


@dataclass
class Observations:
    """What the analysts saw: latencies by request kind, the ads each claimed, decisions recorded, failures."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    claimed: list[tuple[str, int]] = field(default_factory=list)
    decided: list[tuple[str, int]] = field(default_factory=list)
    decided_measured: int = 0  # decisions answered after the warm-up
    failures: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Requests sent before this moment (perf_counter) warm the servers up: new connections, first plans, caches.
    # They are checked like the others (claims, decisions, failures) but their latencies are kept apart.
    measure_from: float = 0.0
    warmup: list[float] = field(default_factory=list)

    def add(self, kind: str, seconds: float, started: float, variant: str | None = None) -> None:
        """One answer's latency; with `variant`, counted again under what was asked, to see which variant is slow."""
        with self.lock:
            if started < self.measure_from:
                self.warmup.append(seconds)
                return
            self.latencies.setdefault(kind, []).append(seconds)
            if variant:
                self.latencies.setdefault(f"{kind} {variant}", []).append(seconds)


QUEUE_VARIANTS = ("first page", "deeper page", "by source", "by indicator")


def analyst(base_url: str, token: str, name: str, seed: int, stop: threading.Event, seen: Observations,
            think: float = 0.0) -> None:
    """One analyst's loop: queue page, claim-next, read the ad, decide it.

    `think` is the mean pause (exponentially distributed) after each answer, the time a person takes to read the page
    before the next click; 0 sends the next request the moment the last one answers (a stress test, not a person).
    """
    rng = random.Random(seed)
    cursors: list[str] = []
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
        def timed(kind: str, method: str, path: str, variant: str | None = None, **kwargs: Any) -> httpx.Response:
            started = time.perf_counter()
            response = client.request(method, path, **kwargs)
            seen.add(kind, time.perf_counter() - started, started, variant)
            if response.status_code >= 400:
                with seen.lock:
                    seen.failures[f"{kind} {response.status_code}"] += 1
            if think > 0:
                stop.wait(rng.expovariate(1 / think))
            return response

        while not stop.is_set():
            params: dict[str, Any] = {"limit": 50}
            roll = rng.random()
            if roll < 0.25:
                params["indicator"] = rng.choice(INDICATOR_FILTERS)
            elif roll < 0.4:
                params["source"] = rng.choice(SOURCE_FILTERS)
            elif roll < 0.7 and cursors:
                params["cursor"] = rng.choice(cursors)
            variant = ("by indicator" if "indicator" in params else "by source" if "source" in params
                       else "deeper page" if "cursor" in params else "first page")
            page = timed("GET /queue", "GET", "/queue", variant, params=params)
            if page.status_code == 200 and (cursor := page.json()["next_cursor"]) and len(cursors) < 50 \
                    and set(params) == {"limit"} | ({"cursor"} if "cursor" in params else set()):
                cursors.append(cursor)
            claim = timed("POST /queue/claim-next", "POST", "/queue/claim-next")
            if claim.status_code == 204:
                stop.wait(0.5)
                continue
            if claim.status_code != 200:
                continue
            ad_id = int(claim.json()["ad_id"])
            with seen.lock:
                seen.claimed.append((name, ad_id))
            timed("GET /ads/{id}", "GET", f"/ads/{ad_id}")
            decision = timed("POST /ads/{id}/decisions", "POST", f"/ads/{ad_id}/decisions",
                             json={"decision": rng.choice(FINAL_DECISIONS), "note": "benchmark"})
            if decision.status_code == 201:
                with seen.lock:
                    seen.decided.append((name, ad_id))
                    seen.decided_measured += time.perf_counter() >= seen.measure_from


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def describe_latencies(samples: list[float]) -> str:
    return (f"p50 {statistics.median(samples) * 1000:6.1f} ms   p95 {percentile(samples, 0.95) * 1000:6.1f} ms   "
            f"max {max(samples) * 1000:7.1f} ms   n={len(samples)}")


def machine() -> str:
    memory_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal:")), 0)
    return (f"{os.cpu_count()} CPUs, {memory_kb / 1024 / 1024:.0f} GB RAM, Python {platform.python_version()}, "
            f"load average {os.getloadavg()[0]:.1f}")


@contextmanager
def kept_store(keep: Path, ads: int, folder: Path) -> Iterator[tuple[str, dict[str, int]]]:
    """A scratch copy of the store of `ads` ads kept on the server in `keep` (loaded into a template database the
    first time); yields its URL and what was loaded now (nothing when the template was there)."""
    with kept_server(keep) as server:
        template = f"lokerwatch_bench_template_{ads}"
        loaded: dict[str, int] = {}
        if not database_exists(server, template):
            template_url = create_database(server, template)
            try:
                open_store(settings_for(template_url, folder)).dispose()
                loaded = load(template_url, ads, THRESHOLD)
            except BaseException:
                drop_database(server, template)  # a half-loaded template is never used again
                raise
        with scratch_database(server, template=template) as url:
            open_store(settings_for(url, folder)).dispose()  # migrations newer than the template, if any
            yield url, loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--ads", type=int, default=20_000, help="scored ads loaded before the run")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the analysts work")
    parser.add_argument("--analysts", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="API processes")
    parser.add_argument("--keep-server", type=Path, metavar="DIR",
                        help="keep the throw-away PostgreSQL server's data in DIR, with the loaded store as a template "
                             "database: a later run with the same --ads copies it (a minute or two for 1,000,000 ads) "
                             "instead of loading it again; delete DIR after a schema change")
    parser.add_argument("--warmup", type=float, default=10.0, metavar="SECONDS",
                        help="how long the analysts work before the clock starts (new connections, first query plans "
                             "and caches of each server process); those requests are checked but timed apart")
    parser.add_argument("--think", type=float, default=0.0, metavar="SECONDS",
                        help="mean pause of each analyst after every answer, as a person reading the page before the "
                             "next click (default 0: back to back, a stress test)")
    args = parser.parse_args()
    if min(args.ads, args.analysts, args.workers) < 1 or args.seconds <= 0 or args.think < 0 or args.warmup < 0:
        raise SystemExit("error: --ads, --analysts and --workers must be at least 1, --seconds above 0 and --think "
                         "and --warmup at least 0")
    if args.keep_server and args.keep_server.exists() and not args.keep_server.is_dir():
        raise SystemExit(f"error: --keep-server {args.keep_server} is not a folder")
    print(f"machine: {machine()}")
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lokerwatch-bench-desk-")))
        started = time.perf_counter()
        if args.keep_server:
            url, loaded = stack.enter_context(kept_store(args.keep_server, args.ads, folder))
        else:
            url = stack.enter_context(benchmark_database())
            open_store(settings_for(url, folder)).dispose()  # the schema, by the migrations
            loaded = load(url, args.ads, THRESHOLD)
        settings = settings_for(url, folder)
        analysts = add_analysts(url, args.analysts)
        how = "loaded" if loaded else "copied the kept store of"
        print(f"store: {describe(url)}; {how} {args.ads} scored ads in {time.perf_counter() - started:.0f} s"
              + (f" (COPY; {loaded['queue_entries']} in the queue, {loaded['clusters']} clusters)" if loaded else ""))
        with open_store(settings, migrate=False).engine.connect() as connection:
            print(f"PostgreSQL {connection.execute(text('SHOW server_version')).scalar()}")
        workers = stack.enter_context(api_workers(url, folder, args.workers))
        from service.auth.tokens import issue_access_token

        seen = Observations()
        stop = threading.Event()
        context = multiprocessing.get_context("spawn")
        writer_ready, writer_stop, writer_report = context.Event(), context.Event(), context.Queue()
        writer = context.Process(target=scrape_writer,
                                 args=(url, str(folder), writer_ready, writer_stop, writer_report, 11))
        writer.start()
        if not writer_ready.wait(600):
            raise SystemExit("error: the scrape writer did not start")
        threads = [threading.Thread(target=analyst, args=(
            workers[n % len(workers)].url, issue_access_token(settings, user_id, "analyst")[0], name, n, stop, seen,
            args.think))
            for n, (user_id, name) in enumerate(analysts)]
        seen.measure_from = math.inf
        for thread in threads:
            thread.start()
        stop.wait(args.warmup)
        cpu = CpuMeter([worker.pid for worker in workers], postgres_pids(url))
        waits = WaitSampler(url)
        waits.start()
        started = seen.measure_from = time.perf_counter()
        stop.wait(args.seconds)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        cpu.stop()
        waits.stop()
        writer_stop.set()
        scrape = writer_report.get(timeout=600)
        writer.join(timeout=60)
        report(args, seen, elapsed, scrape, settings, cpu, waits)


def report(args: argparse.Namespace, seen: Observations, elapsed: float, scrape: dict[str, Any],
           settings: Settings, cpu: CpuMeter, waits: WaitSampler) -> None:
    pace = f"pausing {args.think:g} s on average after each answer" if args.think else "back to back"
    print(f"{args.analysts} analysts ({pace}) on {args.workers} API processes for {elapsed:.0f} s, load average now "
          f"{os.getloadavg()[0]:.1f}:")
    for kind in ("GET /queue", *(f"GET /queue {variant}" for variant in QUEUE_VARIANTS), "POST /queue/claim-next",
                 "GET /ads/{id}", "POST /ads/{id}/decisions"):
        samples = seen.latencies.get(kind, [])
        if samples:
            label = f"  of which {kind.removeprefix('GET /queue ')}" if kind.startswith("GET /queue ") else kind
            print(f"  {label:26s} {describe_latencies(samples)}")
    decided = seen.decided_measured
    print(f"  decisions: {decided / elapsed:.1f} decisions/s ({decided} in {elapsed:.0f} s)")
    if seen.warmup:
        print(f"  warm-up ({args.warmup:g} s before the clock, timed apart): {describe_latencies(seen.warmup)}")
    requests = sum(len(samples) for kind, samples in seen.latencies.items()
                   if not kind.startswith("GET /queue "))  # each queue page once, not again under its variant
    if requests:
        database = f", PostgreSQL {cpu.database / requests * 1000:.1f} ms" if cpu.postmasters else ""
        print(f"  CPU per request (mean, load-independent): API {cpu.workers / requests * 1000:.1f} ms{database} "
              f"(the scrape writer's database work included); the analysts' HTTP clients, on the same cores, "
              f"{cpu.clients / requests * 1000:.1f} ms")
    print(f"  busy store connections, sampled every 50 ms: {waits.summary()}")
    cycles = scrape["cycles"]
    print(f"  scrape writer: {scrape['ads']} new ads on {scrape['pages']} pages, stored, scored, queued and linked; "
          f"a page took p50 {statistics.median(cycles) * 1000:.0f} ms, p95 {percentile(cycles, 0.95) * 1000:.0f} ms"
          if cycles else "  scrape writer: no page written")
    twice = [ad for ad, n in Counter(ad for _, ad in seen.claimed).items() if n > 1]
    store = open_store(settings, migrate=False)
    with store.session_factory() as session:
        stored = session.scalar(select(func.count()).select_from(Review).where(Review.note == "benchmark")) or 0
        per_ad = Counter(session.scalars(select(Review.ad_id).where(Review.note == "benchmark")))
    store.dispose()
    lost = len(seen.decided) - stored
    print(f"  ads claimed twice: {len(twice)}; decisions answered 201 but not stored: {lost}; ads decided twice: "
          f"{sum(1 for n in per_ad.values() if n > 1)}; failed requests: {dict(seen.failures) or 0}")
    if twice or lost or seen.failures:
        raise SystemExit("error: the desk lost work or failed requests under load (see above)")


if __name__ == "__main__":
    main()
