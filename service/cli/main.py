"""`lokerwatch` entry point: sub-commands are registered here, each group in its own module."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Annotated

import click
import typer
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from service.cli.audit import audit_app
from service.cli.console import command_store, err, out, print_error, progress_bar
from service.cli.data_commands import data_app
from service.cli.exports import export_app, retrain_command
from service.cli.leads import lead_app
from service.cli.links import links_app
from service.cli.model_commands import register as register_model_commands
from service.cli.scrape import register as register_scrape_commands
from service.cli.users import users_app
from service.collect.ingest import ingest_jsonl
from service.errors import LokerwatchError, StoreUnavailableError
from service.review.ad_records import ad_record, record_json
from service.settings import get_settings
from service.store.ads import count_ads, iter_ads_with_scores
from service.store.engine import make_engine
from service.store.migrate import head_revision, upgrade

app = typer.Typer(name="lokerwatch", no_args_is_help=True, add_completion=False,
                  help="Find suspicious Indonesian job ads (scams, trafficking recruitment) and review them.")
db_app = typer.Typer(no_args_is_help=True, help="The store's schema.")
ads_app = typer.Typer(no_args_is_help=True, help="Stored ads.")
app.add_typer(db_app, name="db")
app.add_typer(ads_app, name="ads")
register_model_commands(app)
register_scrape_commands(app)
app.add_typer(export_app, name="export")
app.command("retrain")(retrain_command)
app.add_typer(lead_app, name="lead")
app.add_typer(links_app, name="links")
app.add_typer(data_app, name="data")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the store's schema (LOKERWATCH_DATABASE_URL) to the newest version."""
    settings = get_settings()
    engine = make_engine(settings.database_url, settings.sqlite_busy_timeout_ms)
    upgrade(engine)
    out.print(f"store is at schema revision {head_revision()} ({engine.url.render_as_string(hide_password=True)})")


@app.command("ingest")
def ingest(path: Annotated[Path, typer.Argument(help="A JSONL file in the labelled-data schema.")]) -> None:
    """Store the ads of a JSONL file (re-ingesting the same ads updates them, never duplicates)."""
    store = command_store()
    with progress_bar(f"ingest {path.name}", None) as advance:
        summary = ingest_jsonl(store.session_factory, path, advance)
    out.print(f"ingested {summary.total} ads from {path}: {summary.new} new, {summary.updated} updated, "
              f"{summary.unchanged} unchanged (evidence snapshot #{summary.snapshot_id})")


@ads_app.command("export")
def ads_export(
    format: Annotated[str, typer.Option("--format", help="Output format.")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--out", help="File to write (default: standard output).")] = None,
) -> None:
    """Write stored ads with their latest scores, one JSON object a line."""
    if format != "jsonl":
        raise LokerwatchError(f"unknown format {format!r}; the only format is jsonl")
    store = command_store()
    handle = output.open("w", encoding="utf-8") if output else sys.stdout
    count = 0
    try:
        with store.session_factory() as session:
            for item in iter_ads_with_scores(session):
                handle.write(record_json(ad_record(item)) + "\n")
                count += 1
    finally:
        if output:
            handle.close()
    err.print(f"exported {count} ads" + (f" to {output}" if output else ""))


@app.command("score")
def score(batch_size: Annotated[int, typer.Option(min=1, help="Ads per batch.")] = 256) -> None:
    """Score the stored ads that have no score for the active model yet (the review queue follows)."""
    from service.scoring.pipeline import active_scorer, score_and_queue  # the model loads only when scoring

    settings = get_settings()
    store = command_store(settings)
    from service.scoring.pending import count_pending

    scorer = active_scorer(store.session_factory, settings)
    with store.session_factory() as session:
        total, pending = count_ads(session), count_pending(session, scorer.version)
    with progress_bar(f"score with {scorer.version}", pending) as advance:
        scored, _ = score_and_queue(store.session_factory, settings, scorer, batch_size, advance)
    out.print(f"scored {scored} ads with {scorer.version} ({total - scored} already had a score)")


@app.command("quickstart")
def quickstart(
    no_train: Annotated[bool, typer.Option("--no-train", help="Do not train a model; score with rules-0.")] = False,
) -> None:
    """Prepare a store for a first look: demo pages imported through the real parsers, the default model
    trained if none exists, ads scored and linked, the queue filled, demo accounts created (shown once)."""
    from service.demo.quickstart import ensure_local_secrets, print_accounts, run_quickstart

    ensure_local_secrets(Path(".env"), out)
    settings = get_settings()
    accounts = run_quickstart(command_store(settings), settings, out, allow_training=not no_train)
    print_accounts(accounts, out, f"http://{settings.host}:{settings.port}")


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default LOKERWATCH_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default LOKERWATCH_PORT).")] = None,
    no_scheduler: Annotated[bool, typer.Option("--no-scheduler", help="Serve the API only.")] = False,
) -> None:
    """Run the API (and, unless --no-scheduler, the scrape/score scheduler)."""
    import uvicorn

    from service.api.app import create_app
    from service.log_config import configure_logging, uvicorn_log_config

    settings = get_settings()
    configure_logging(settings.log_level)
    store = command_store(settings)
    api = create_app(settings, store)
    scheduler = None
    if not no_scheduler:
        from service.collect.scheduler import ScrapeScheduler

        scheduler = ScrapeScheduler(store.engine, store.session_factory, settings)
        scheduler.start()  # takes the leader lock if free; otherwise this process serves the API only
    # uvicorn stops gracefully on SIGTERM, then raises the signal again with the handler it found: the default
    # one would kill the process before the scheduler gives up its leader lock (the next leader would wait out
    # the lease). With this handler the re-raised SIGTERM ends `run` like Ctrl-C does, and `finally` runs.
    previous = signal.signal(signal.SIGTERM, _stop_serving)
    try:
        uvicorn.run(api, host=host or settings.host, port=port or settings.port, log_level=settings.log_level.lower(),
                    log_config=uvicorn_log_config())
    except _Terminated:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        if scheduler is not None:
            scheduler.shutdown()


class _Terminated(Exception):
    """SIGTERM after uvicorn's graceful stop."""


def _stop_serving(signum: int, frame: object) -> None:
    raise _Terminated


def main() -> None:
    """Console-script entry: user mistakes end as one line on stderr and a non-zero exit, never a traceback."""
    try:
        code = app(standalone_mode=False)
    except (click.exceptions.Abort, typer.Abort, KeyboardInterrupt):
        print_error("aborted")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (click.ClickException, typer.TyperException) as exc:
        print_error(usage_message(exc))
        sys.exit(exc.exit_code if exc.exit_code else 2)
    except LokerwatchError as exc:
        print_error(str(exc))
        sys.exit(exc.exit_code)
    except ValidationError as exc:  # a LOKERWATCH_* setting (environment or .env) that does not parse
        print_error(settings_message(exc))
        sys.exit(2)
    except OperationalError as exc:
        print_error(f"the database is unreachable: {exc.orig} (check LOKERWATCH_DATABASE_URL)")
        sys.exit(StoreUnavailableError.exit_code)
    except SQLAlchemyError as exc:
        print_error(f"database error: {exc}")
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


def usage_message(exc: click.ClickException | typer.TyperException) -> str:
    """A command-line mistake as one sentence that names the help to read next."""
    message = exc.format_message()
    context = getattr(exc, "ctx", None)
    command = context.command_path if context is not None else "lokerwatch"
    return f"{message} (see `{command} --help`)"


def settings_message(exc: ValidationError) -> str:
    """Which setting is wrong and why, named as the user sets it (LOKERWATCH_PORT), not as pydantic does."""
    problems = [f"LOKERWATCH_{'_'.join(str(part) for part in error['loc']).upper()}: {error['msg']}"
                for error in exc.errors()]
    return "bad setting " + "; ".join(problems) + " (fix it in the environment or .env)"
