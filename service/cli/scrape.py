"""`lokerwatch scrape / import / sources / scheduler / snapshots`: the scraper's command line.

The per-source commands (`scrape telegram --channel X`, `import whatsapp PATH`, `sources add olx --query Q`)
are built from the source registry: each source's declared parameters become its options, so a new
source module shows up here without a line of CLI code.
"""

from __future__ import annotations

import inspect
import json
import signal
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

from scraper import sources
from scraper.engine import RunSummary
from scraper.sources import SourceInfo, SourceParam
from service.cli.console import command_store, err, out, progress_bar
from service.collect.image_import import image_files, import_images
from service.collect.imports import import_file
from service.collect.run_lease import close_dead_runs
from service.collect.runs import default_source_name, fetch_policy, run_source
from service.collect.schedule_file import apply_sources, read_sources_file
from service.collect.scheduler import ScrapeScheduler
from service.collect.source_rows import add_source, ensure_source, list_sources, recent_failures, remove_source
from service.collect.warc_export import export_warc
from service.errors import LokerwatchError
from service.settings import get_settings
from service.store.session import Store

scrape_app = typer.Typer(no_args_is_help=True, help="Run a web source once, or look at what failed.")
import_app = typer.Typer(no_args_is_help=True, help="Import files an analyst saved (pages, data exports, chats).")
sources_app = typer.Typer(no_args_is_help=True, help="Configured sources and their schedules.")
sources_add_app = typer.Typer(no_args_is_help=True, help="Add a scheduled source (the scheduler picks it up on "
                                                         "its next tick).")
snapshots_app = typer.Typer(no_args_is_help=True, help="Evidence snapshots.")
sources_app.add_typer(sources_add_app, name="add")

BaseUrl = Annotated[str | None, typer.Option("--base-url", help="Fetch from this mirror or test server instead.")]
NoScore = Annotated[bool, typer.Option("--no-score", help="Do not score the new ads after the run.")]


def register(app: typer.Typer) -> None:
    """Add the scraper's commands to the `lokerwatch` app, one per registered source where they differ."""
    for name in sources.web_names():
        info = sources.info(name)
        scrape_app.command(name, help=f"Fetch new {info.label} ads once. {_summary(name)}")(_scrape_command(info))
        sources_add_app.command(name, help=f"Scrape {info.label} on a schedule.")(_add_command(info))
    for name in sources.file_names():
        info = sources.info(name)
        import_app.command(name, help=f"Import a saved {info.label} file. {_summary(name)}")(_import_command(info))
    import_app.command("images", help="Import posters saved as image files, one ad per image, read with OCR.")(
        import_images_command)
    app.add_typer(scrape_app, name="scrape")
    app.add_typer(import_app, name="import")
    app.add_typer(sources_app, name="sources")
    app.command("scheduler")(scheduler_command)
    app.add_typer(snapshots_app, name="snapshots")


def _summary(name: str) -> str:
    return sources.info(name).summary


# --- commands built from a source's parameters ---------------------------------------------------------------


def _option(param: SourceParam, *, required: bool) -> inspect.Parameter:
    flag = "--" + param.name.replace("_", "-")
    if param.type is bool:
        return inspect.Parameter(param.name, inspect.Parameter.KEYWORD_ONLY, default=False,
                                 annotation=Annotated[bool, typer.Option(flag, help=param.help)])
    option = typer.Option(flag, help=param.help, min=1 if param.type is int else None)
    if required:
        return inspect.Parameter(param.name, inspect.Parameter.KEYWORD_ONLY,
                                 annotation=Annotated[param.type, option])
    return inspect.Parameter(param.name, inspect.Parameter.KEYWORD_ONLY, default=None,
                             annotation=Annotated[param.type | None, option])


def _command(name: str, parameters: Iterable[inspect.Parameter], body: Callable[[dict[str, Any]], None]) -> Any:
    """A function typer reads like a hand-written command: its signature is the source's parameters."""
    def command(**values: Any) -> None:
        body(values)

    signature = inspect.Signature(list(parameters))
    command.__signature__ = signature  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in signature.parameters.values()}
    command.__name__ = command.__qualname__ = name.replace("-", "_")
    return command


def _no_score() -> inspect.Parameter:
    return inspect.Parameter("no_score", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=NoScore)


def _given(values: dict[str, Any], info: SourceInfo) -> dict[str, Any]:
    """The source parameters a command line set (unset options and false flags are left out)."""
    return {p.name: values[p.name] for p in info.params if values.get(p.name) not in (None, False)}


def _scrape_command(info: SourceInfo) -> Any:
    params = [_option(p, required=p.required) for p in info.params]

    def scrape(values: dict[str, Any]) -> None:
        given = _given(values, info)
        kept = {k: v for k, v in given.items() if k == info.identifying_param}
        _run_adhoc(info.name, kept, {k: v for k, v in given.items() if k not in kept}, values["no_score"])

    return _command(f"scrape_{info.name}", [*params, _no_score()], scrape)


def _add_command(info: SourceInfo) -> Any:
    params = [_option(p, required=False) for p in info.params]
    extra = [
        inspect.Parameter("name", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[
            str | None, typer.Option(help="Name (default: KIND or KIND:" + (info.identifying_param or "").upper()
                                     + ").")]),
        inspect.Parameter("every", inspect.Parameter.KEYWORD_ONLY, default=3600, annotation=Annotated[
            int, typer.Option("--every", min=60, help="Interval in seconds.")]),
        inspect.Parameter("params", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[
            str | None, typer.Option(help='More parameters as JSON, e.g. \'{"max_pages": 5}\'.')]),
    ]

    def add(values: dict[str, Any]) -> None:
        extra_params: Any = json.loads(values["params"]) if values["params"] else {}
        if not isinstance(extra_params, dict):
            raise LokerwatchError("--params must be a JSON object")
        params = {**extra_params, **_given(values, info)}
        try:
            sources.create(info.name, params, {})  # validate now rather than at 3 a.m.
        except (KeyError, ValueError) as exc:
            raise LokerwatchError(str(exc)) from exc
        source_name = values["name"] or default_source_name(info.name, params)
        add_source(command_store().session_factory, source_name, info.name, params, values["every"])
        out.print(f"added {source_name} ({info.name}, every {values['every']} s)", markup=False)

    return _command(f"add_{info.name}", [*params, *extra], add)


def _import_command(info: SourceInfo) -> Any:
    path = inspect.Parameter("path", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Annotated[
        Path, typer.Argument(help="The saved file (a page, a data export or a chat export).")])
    params = [_option(p, required=p.required) for p in info.params]

    def import_one(values: dict[str, Any]) -> None:
        store = command_store()
        summary = import_file(store.session_factory, info.name, values["path"], _given(values, info))
        _report(store, summary, values["no_score"])

    return _command(f"import_{info.name}", [path, *params, _no_score()], import_one)


def import_images_command(
    folder: Annotated[Path, typer.Argument(help="A folder of saved posters (JPEG, PNG, WebP, GIF).")],
    no_score: NoScore = False,
) -> None:
    """Every image in FOLDER becomes an ad read with OCR; bad files are reported and kept as evidence."""
    count = len(image_files(folder))  # a wrong or empty folder is refused before the store is opened
    store = command_store()
    with progress_bar(f"import images {folder.name}", count) as advance:
        summary = import_images(store.session_factory, folder, progress=advance)
    _report(store, summary, no_score)


# --- commands about every source ------------------------------------------------------------------------------


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
    close_dead_runs(store.session_factory, source)  # a killed run shows as interrupted, not running forever
    failures = recent_failures(store.session_factory, limit, source)
    out.print(f"parse errors ({len(failures.parse_errors)}):", markup=False)
    for error in failures.parse_errors:
        out.print(f"  #{error.id} {error.created_at:%Y-%m-%d %H:%M} {error.source_name} snapshot {error.snapshot_id} "
                  f"[{error.parser}]: {error.reason}", markup=False)
    out.print(f"runs not ok ({len(failures.runs)}):", markup=False)
    for run in failures.runs:
        first_line = (run.message or "").splitlines()[0] if run.message else ""
        out.print(f"  run {run.id} {run.started_at:%Y-%m-%d %H:%M} {run.source_name}: {run.status}, "
                  f"{run.pages} pages, {run.errors} errors {first_line}", markup=False)


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
    rows = list_sources(command_store().session_factory)
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
    remove_source(command_store().session_factory, name)
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


def _run_adhoc(kind: str, params: dict[str, Any], overrides: dict[str, Any], no_score: bool) -> None:
    """A run from the command line: the feed's params are kept with its row (and cursor), the rest is for now."""
    try:
        sources.create(kind, {**params, **overrides}, {})
    except ValueError as exc:
        raise LokerwatchError(str(exc)) from exc
    store = command_store()
    name = default_source_name(kind, params)
    ensure_source(store.session_factory, name, kind, params)
    _run_and_report(store, name, overrides, no_score)


def _run_and_report(store: Store, name: str, overrides: dict[str, Any], no_score: bool) -> None:
    settings = get_settings()
    with progress_bar(f"scrape {name}", None) as advance:
        summary = run_source(store.session_factory, name, fetch_policy(settings), overrides, advance,
                             settings.scrape_run_lease_seconds)
    _report(store, summary, no_score)


def _report(store: Store, summary: RunSummary, no_score: bool) -> None:
    out.print(summary.line(), markup=False)
    for message in summary.messages[:10]:
        err.print(f"  {message}", markup=False)
    if not no_score:
        from service.scoring.pipeline import process_new_ads  # the model loads only when ads are scored

        process_new_ads(store.session_factory, get_settings(), summary)
    if summary.status in ("paused", "failed"):
        raise typer.Exit(4)
