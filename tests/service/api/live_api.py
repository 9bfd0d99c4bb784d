"""The API as an outside client sees it: a real uvicorn server on a free port over a prepared store, with one
bearer token per role, and schemathesis's own command line run against it.

`serve_api` seeds the store with scored ads in the queue, a confirmed ad and a lead for the police unit, so
generated requests reach real rows as well as missing ones. Intake fetches nothing: its allow-list is empty.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from service.api.app import create_app
from service.auth.roles import Role
from service.auth.tokens import issue_access_token
from service.leads.rules import Viewer, open_lead
from service.review.decisions import decide
from service.review.queue_sync import sync_queue
from service.scoring.threshold import review_threshold
from service.settings import Settings
from service.store.session import Store, open_store
from tests.processes import free_port
from tests.service.desk import add_scored_ad, make_users

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
POLICE_UNIT = "PPA Polres Singkawang"


@dataclass
class LiveApi:
    url: str
    settings: Settings
    store: Store
    tokens: dict[Role, str]

    def headers(self, role: Role | None) -> dict[str, str]:
        return {} if role is None else {"Authorization": f"Bearer {self.tokens[role]}"}


def api_settings(root: Path, database_url: str | None = None, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url or f"sqlite:///{root / 'lokerwatch.db'}", "model_dir": root / "models",
        "dev_mode": True, "secret_key": "live-api-signing-key-not-for-production-0123456789",
        "audit_head_path": root / "audit-head.log", "signing_key_path": root / "signing-key.pem",
        "pseudonym_key": "live-api-pseudonym-key-0123456789abcdef", "intake_source_hosts": [],
        # The probes log in with wrong passwords on purpose; locking the seeded accounts is not what is tested.
        "login_max_failures_per_account": 1_000_000, "login_max_failures_per_address": 1_000_000,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


def seed_store(store: Store, settings: Settings) -> dict[Role, str]:
    """Users of every role, ads in the queue, one decided ad in a lead; returns an access token per role."""
    with store.session_factory() as session:
        users = make_users(session)
        ad_ids = [add_scored_ad(session, f"probe-{n}", f"Kerja di Kamboja, visa turis, paspor ditahan {n}", 0.2, 0.7,
                                indicators=["visa_turis"], modus="online_scam", location="Singkawang")
                  for n in range(4)]
        session.commit()
        sync_queue(session, review_threshold(session, settings))
    with store.session_factory() as session:
        decide(session, users["analyst"], ad_ids[0], "trafficking", "", review_threshold(session, settings))
        session.commit()
        open_lead(session, Viewer.of(users["supervisor"]), POLICE_UNIT, [ad_ids[0]], "Probe", "")
        session.commit()
    # Tokens outlive the run: a probe must not turn into a 401 half way through.
    long_lived = settings.model_copy(update={"access_token_minutes": 24 * 60})
    return {role: issue_access_token(long_lived, users[role.value].id, role.value)[0] for role in Role}


@contextmanager
def serve_api(root: Path, database_url: str | None = None, log_level: str = "critical",
              **overrides: object) -> Iterator[LiveApi]:
    """The seeded API served by uvicorn until the block ends."""
    settings = api_settings(root, database_url, **overrides)
    store = open_store(settings)
    tokens = seed_store(store, settings)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, store), host="127.0.0.1", port=port,
                                           log_level=log_level, lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url)
        yield LiveApi(url, settings, store, tokens)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.dispose()


def wait_for_health(url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the API at {url} did not answer /healthz within {timeout:.0f} s")


@dataclass
class ProbeResult:
    exit_code: int
    failures: list[str]
    output: str


def run_schemathesis(api: LiveApi, role: Role | None, report: Path, *, max_examples: int, phases: str,
                     seed: int = 1, timeout: float = 300.0) -> ProbeResult:
    """schemathesis's CLI with every check against the live API as `role` (None: anonymous)."""
    command = [str(SCHEMATHESIS), "run", f"{api.url}/openapi.json", "--checks", "all", "--phases", phases,
               "--max-examples", str(max_examples), "--seed", str(seed), "--workers", "1", "--no-color",
               "--report", "ndjson", "--report-ndjson-path", str(report), "--suppress-health-check", "all"]
    for name, value in api.headers(role).items():
        command += ["--header", f"{name}: {value}"]
    # Run in the report's (temporary) folder: schemathesis keeps its example cache in `./.schemathesis`, and a
    # test run must leave the working tree as it found it.
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False, cwd=report.parent)
    return ProbeResult(done.returncode, failures_in(report), done.stdout + done.stderr)


def failures_in(report: Path) -> list[str]:
    """Each distinct failure the run reported, as 'METHOD /path: title'."""
    found: set[str] = set()
    if not report.exists():
        return []
    for line in report.read_text(encoding="utf-8").splitlines():
        _collect_failures(json.loads(line), found)
    return sorted(found)


def _collect_failures(node: object, found: set[str]) -> None:
    if isinstance(node, dict):
        if "failure" in node and isinstance(node["failure"], dict):
            failure = node["failure"]
            found.add(f"{failure.get('operation', '?')}: {failure.get('title', '?')}")
        for value in node.values():
            _collect_failures(value, found)
    elif isinstance(node, list):
        for value in node:
            _collect_failures(value, found)
