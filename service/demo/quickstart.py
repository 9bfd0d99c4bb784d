"""What `lokerwatch quickstart` does, step by step, so a newcomer's `make run` ends with a filled queue."""

from __future__ import annotations

import tempfile
from pathlib import Path

from rich.console import Console
from sqlalchemy import func, select

from model.training import TrainingConfig, train
from service.demo.setup import DemoAccount, ensure_demo_accounts, import_demo_pages
from service.linking import link_pending
from service.model_registry import activate, active_version, list_models, load_active_scorer
from service.queue import sync_queue
from service.scoring import score_unscored
from service.settings import Settings
from service.store.session import Store
from service.store.tables import Ad

LABELLED_DATA = Path(__file__).resolve().parents[2] / "labelled_data"


def ensure_model(store: Store, settings: Settings, out: Console, allow_training: bool = True) -> str:
    """The active model's version: activates the newest trained one, or trains the default one if none exists."""
    with store.session_factory() as session:
        version = active_version(session)
        if version:
            return version
        models = list_models(settings.model_dir)
        if not models and allow_training:
            data = sorted(LABELLED_DATA.glob("*.jsonl")) if LABELLED_DATA.is_dir() else []
            if not data:
                out.print("no labelled data beside the package: ads are scored by the transparent rules (rules-0)")
                return "rules-0"
            out.print(f"training the default model on {', '.join(p.name for p in data)} "
                      "(once; takes a few minutes on a laptop) ...")
            result = train(data, settings.model_dir, TrainingConfig(params={"embedding_model": None}))
            out.print(f"trained {result.version}: held-out macro-F1 {result.metrics.get('macro_f1')}")
            models = list_models(settings.model_dir)
        if not models:
            return "rules-0"
        activate(session, settings, models[0].version, actor="quickstart")
        return models[0].version


def run_quickstart(store: Store, settings: Settings, out: Console, allow_training: bool = True) -> list[DemoAccount]:
    """Import the demo pages (into an empty store), score, link, fill the queue, and create demo accounts."""
    with store.session_factory() as session:
        has_ads = session.scalar(select(func.count()).select_from(Ad)) or 0
    if not has_ads:
        workdir = Path(tempfile.gettempdir()) / "lokerwatch-demo-pages"
        for summary in import_demo_pages(store.session_factory, workdir):
            out.print(f"imported {summary.line()}")
    version = ensure_model(store, settings, out, allow_training)
    with store.session_factory() as session:
        scorer = load_active_scorer(session, settings)
    scored = score_unscored(store.session_factory, scorer)
    linked = link_pending(store.session_factory, settings.near_duplicate_threshold)
    with store.session_factory() as session:
        sync_queue(session, settings.review_threshold)
        accounts = ensure_demo_accounts(session)
    out.print(f"scored {scored} ads with {version}; linked {linked}")
    return accounts


def print_accounts(accounts: list[DemoAccount], out: Console, url: str) -> None:
    """Passwords are printed this once and stored only as argon2 hashes."""
    out.print(f"\nThe desk: {url}/desk  (log in with one of these; passwords are shown only now)")
    for account in accounts:
        secret = account.password or "(already existed; password unchanged)"
        out.print(f"  {account.role:<11} {account.username:<16} {secret}")
