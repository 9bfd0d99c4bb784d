"""`lokerwatch scrape / import / sources / scheduler / snapshots`: the scraper's command line."""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import select

from scraper import sources
from service.cli.console import command_store, err, out, progress_bar
from service.errors import LokerwatchError
from service.scheduler import ScrapeScheduler, score_after_run
from service.scraping import (
    RunSummary,
    default_source_name,
    ensure_source,
    fetch_policy,
    import_file,
    run_source,
)
from service.scraping_config import apply_sources, read_sources_file
from service.scraping_warc import export_warc
from service.settings import get_settings
from service.store.session import Store
from service.store.tables import ParseError, ScrapeRun
from service.store.tables import Source as SourceRow

scrape_app = typer.Typer(no_args_is_help=True, help="Run a web source once, or look at what failed.")
sources_app = typer.Typer(no_args_is_help=True, help="Configured sources and their schedules.")
snapshots_app = typer.Typer(no_args_is_help=True, help="Evidence snapshots.")

BaseUrl = Annotated[str | None, typer.Option("--base-url", help="Fetch from this mirror or test server instead.")]
MaxPages = Annotated[int | None, typer.Option("--max-pages", min=1, help="Stop after this many listing pages.")]
NoScore = Annotated[bool, typer.Option("--no-score", help="Do not score the new ads after the run.")]


def register(app: typer.Typer) -> None:
    """Add the scraper's commands to the `lokerwatch` app."""
    app.add_typer(scrape_app, name="scrape")
    app.command("import")(import_command)
    app.add_typer(sources_app, name="sources")
    app.command("scheduler")(scheduler_command)
    app.add_typer(snapshots_app, name="snapshots")


@scrape_app.command("telegram")
def scrape_telegram(channel: Annotated[str, typer.Option("--channel", help="Public channel name (t.me/s/NAME).")],
                    base_url: BaseUrl = None, max_pages: MaxPages = None, no_score: NoScore = False) -> None:
    """Fetch a public Telegram channel's new posts once."""
    _run_adhoc("telegram", {"channel": channel.lstrip("@")}, base_url, max_pages, no_score)


@scrape_app.command("olx")
def scrape_olx(query: Annotated[str, typer.Option("--query", help="Search words, e.g. 'lowongan admin'.")],
               base_url: BaseUrl = None, max_pages: MaxPages = None,
               details: Annotated[bool, typer.Option("--details", help="Also fetch each new ad's page.")] = False,
               no_score: NoScore = False) -> None:
    """Fetch OLX Indonesia job ads matching a search once."""
    _run_adhoc("olx", {"query": query}, base_url, max_pages, no_score, {"details": True} if details else {})


@scrape_app.command("run")
def scrape_run(name: Annotated[str, typer.Argument(help="A source from `lokerwatch sources list`.")],
               base_url: BaseUrl = None, no_score: NoScore = False) -> None:
    """Run one configured source now, outside its schedule."""
    store = command_store()
    _run_and_report(store, name, {"base_url": base_url} if base_url else {}, no_score)


@scrape_app.command("errors")
def scrape_errors(limit: Annotated[int, typer.Option(min=1, help="How many of the newest to show.")] = 20,
                  source: Annotated[str | None, typer.Option(help="Only this source.")] = None) -> None:
    """Pages that did not parse (kept as snapshots) and runs that did not finish cleanly."""
    store = command_store()
    with store.session_factory() as session:
        query = select(ParseError).order_by(ParseError.id.desc()).limit(limit)
        runs = select(ScrapeRun).where(ScrapeRun.status != "ok").order_by(ScrapeRun.id.desc()).limit(limit)
        if source:
            query = query.where(ParseError.source_name == source)
            runs = runs.where(ScrapeRun.source_name == source)
        errors = list(session.scalars(query))
        bad_runs = list(session.scalars(runs))
    out.print(f"parse errors ({len(errors)}):", markup=False)
    for error in errors:
        out.print(f"  #{error.id} {error.created_at:%Y-%m-%d %H:%M} {error.source_name} snapshot {error.snapshot_id} "
                  f"[{error.parser}]: {error.reason}", markup=False)
    out.print(f"runs not ok ({len(bad_runs)}):", markup=False)
    for run in bad_runs:
        first_line = (run.message or "").splitlines()[0] if run.message else ""
        out.print(f"  run {run.id} {run.started_at:%Y-%m-%d %H:%M} {run.source_name}: {run.status}, "
                  f"{run.pages} pages, {run.errors} errors {first_line}", markup=False)


def import_command(
    kind: Annotated[str, typer.Argument(help="facebook or whatsapp.")],
    path: Annotated[Path, typer.Argument(help="A saved page (.html), a data export (.json) or a chat (.txt).")],
    chat: Annotated[str | None, typer.Option(help="WhatsApp group name (default: from the file name).")] = None,
    no_score: NoScore = False,
) -> None:
    """Import a file an analyst saved: Facebook group pages or data export, WhatsApp chat exports."""
    if kind not in sources.names() or sources.kind_of(kind) != "file":
        file_kinds = [n for n in sources.names() if sources.kind_of(n) == "file"]
        raise LokerwatchError(f"{kind!r} is not imported from files; choose one of {', '.join(file_kinds)}")
    store = command_store()
    summary = import_file(store.session_factory, kind, path, {"chat": chat} if chat else {})
    _report(store, summary, no_score)


@sources_app.command("add")
def sources_add(
    kind: Annotated[str, typer.Argument(help="telegram or olx.")],
    name: Annotated[str | None, typer.Option(help="Name (default: KIND:CHANNEL or KIND:QUERY).")] = None,
    channel: Annotated[str | None, typer.Option(help="Telegram channel.")] = None,
    query: Annotated[str | None, typer.Option(help="OLX search words.")] = None,
    every: Annotated[int, typer.Option("--every", min=60, help="Interval in seconds.")] = 3600,
    params: Annotated[str | None, typer.Option(help='More parameters as JSON, e.g. \'{"max_pages": 5}\'.')] = None,
) -> None:
    """Add a scheduled source (a running scheduler picks it up on its next tick)."""
    values: dict[str, Any] = json.loads(params) if params else {}
    if not isinstance(values, dict):
        raise LokerwatchError("--params must be a JSON object")
    values.update({k: v for k, v in {"channel": channel, "query": query}.items() if v})
    try:
        sources.create(kind, values, {})  # validate now rather than at 3 a.m.
    except (KeyError, ValueError) as exc:
        raise LokerwatchError(str(exc)) from exc
    source_name = name or default_source_name(kind, values)
    store = command_store()
    with store.session_factory() as session:
        if session.scalars(select(SourceRow).where(SourceRow.name == source_name)).first() is not None:
            raise LokerwatchError(f"a source named {source_name!r} exists; remove it first or pick --name")
    ensure_source(store.session_factory, source_name, kind, values, interval_seconds=every)
    out.print(f"added {source_name} ({kind}, every {every} s)", markup=False)


@sources_app.command("load")
def sources_load(path: Annotated[Path, typer.Argument(help="A TOML file of [[source]] tables.")]) -> None:
    """Add or update sources from a TOML file (cursors are kept; sources not in the file are left alone)."""
    specs = read_sources_file(path)
    store = command_store()
    added, updated = apply_sources(store.session_factory, specs)
    out.print(f"{len(specs)} sources in {path}: {added} added, {updated} updated", markup=False)


@sources_app.command("list")
def sources_list() -> None:
    """Configured sources, their schedules and cursors."""
    store = command_store()
    with store.session_factory() as session:
        rows = list(session.scalars(select(SourceRow).order_by(SourceRow.name)))
    if not rows:
        out.print("no sources; add one with `lokerwatch sources add telegram --channel NAME`")
    for row in rows:
        schedule = f"every {row.interval_seconds} s" if row.interval_seconds else "not scheduled"
        cursor = {k: v for k, v in (row.cursor or {}).items() if k != "validators"}
        state = "enabled" if row.enabled else "disabled"
        out.print(f"{row.name}  {row.kind}  {schedule}  {state}  params={json.dumps(row.params)}  "
                  f"cursor={json.dumps(cursor)}", markup=False)


@sources_app.command("remove")
def sources_remove(name: Annotated[str, typer.Argument(help="The source's name.")]) -> None:
    """Remove a source's schedule and cursor (its ads and snapshots stay)."""
    store = command_store()
    with store.session_factory() as session, session.begin():
        row = session.scalars(select(SourceRow).where(SourceRow.name == name)).first()
        if row is None:
            raise LokerwatchError(f"no source named {name!r}")
        session.delete(row)
    out.print(f"removed {name}", markup=False)


def scheduler_command() -> None:
    """Run scheduled scrapes in the foreground (only if no other process on this store already does)."""
    from service.log_config import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level)  # leadership changes and runs are logged, as under `serve`
    store = command_store(settings)
    scheduler = ScrapeScheduler(store.engine, store.session_factory, settings)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    scheduler.start()
    err.print("scheduler started; Ctrl-C to stop")
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        scheduler.shutdown()
        err.print("scheduler stopped")


@snapshots_app.command("export-warc")
def snapshots_export_warc(
    output: Annotated[Path, typer.Option("--out", help="WARC file to write (.warc.gz compresses).")],
    source: Annotated[str | None, typer.Option(help="Only snapshots of this source.")] = None,
    snapshot_id: Annotated[list[int] | None, typer.Option("--id", help="Only these snapshot ids.")] = None,
) -> None:
    """Write snapshots as a standard WARC file, with a SHA-256 manifest beside it."""
    store = command_store()
    entries = export_warc(store.session_factory, output, source, snapshot_id)
    out.print(f"wrote {len(entries)} snapshots to {output} (manifest {output}.manifest.jsonl)", markup=False)


def _run_adhoc(kind: str, params: dict[str, Any], base_url: str | None, max_pages: int | None,
               no_score: bool, extra: dict[str, Any] | None = None) -> None:
    try:
        sources.create(kind, params, {})
    except ValueError as exc:
        raise LokerwatchError(str(exc)) from exc
    store = command_store()
    name = default_source_name(kind, params)
    ensure_source(store.session_factory, name, kind, params)
    overrides: dict[str, Any] = dict(extra or {})
    if base_url:
        overrides["base_url"] = base_url
    if max_pages:
        overrides["max_pages"] = max_pages
    _run_and_report(store, name, overrides, no_score)


def _run_and_report(store: Store, name: str, overrides: dict[str, Any], no_score: bool) -> None:
    policy = fetch_policy(get_settings())
    with progress_bar(f"scrape {name}", None) as advance:
        summary = run_source(store.session_factory, name, policy, overrides, advance)
    _report(store, summary, no_score)


def _report(store: Store, summary: RunSummary, no_score: bool) -> None:
    out.print(summary.line(), markup=False)
    for message in summary.messages[:10]:
        err.print(f"  {message}", markup=False)
    if not no_score:
        score_after_run(store.session_factory, get_settings())(summary)
    if summary.status in ("paused", "failed"):
        raise typer.Exit(4)
