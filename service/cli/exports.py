"""`lokerwatch export ...`: pseudonymised research exports."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from service.audit import bind_head_file
from service.cli.console import command_store, out
from service.pseudonymise import pseudonym_key
from service.research_export import export_labelled
from service.settings import Settings, get_settings
from service.store.session import Store

export_app = typer.Typer(no_args_is_help=True, help="Research exports (pseudonymised).")


def cli_actor() -> str:
    """Who ran a command, for the export records and the audit log."""
    return f"cli:{getpass.getuser()}"


def audited_store(settings: Settings | None = None) -> Store:
    """The store, with the audit chain's head file bound so exports made here are audited like the API's."""
    settings = settings or get_settings()
    store = command_store(settings)
    bind_head_file(store.engine, settings.audit_head_path)
    return store


@export_app.command("labelled")
def export_labelled_command(
    output: Annotated[Path, typer.Option("--out", help="JSONL file to write (labelled-data schema).")],
) -> None:
    """Write every reviewed ad (need_info left out) with phones, e-mails, handles and names pseudonymised."""
    settings = get_settings()
    pseudonym_key(settings)  # fail before any file is created when no key is configured
    store = audited_store(settings)
    temporary = output.with_name(output.name + ".partial")
    try:
        with temporary.open("w", encoding="utf-8") as handle:
            summary = export_labelled(store.session_factory, settings, handle, cli_actor())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    temporary.replace(output)  # a failed export never leaves a half-written file under the real name
    out.print(f"exported {summary.records} reviewed ads to {output} (export #{summary.export_id}, "
              f"sha256 {summary.sha256})")
