"""`lokerwatch export ...`: pseudonymised research exports."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from service.audit import bind_head_file
from service.cli.console import command_store, out
from service.errors import InputFileError
from service.research.export import export_labelled
from service.research.pseudonymise import pseudonym_key
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


def retrain_command(
    data: Annotated[list[Path] | None, typer.Option(
        "--data", help="Labelled JSONL file or folder (repeatable) instead of the default training data "
                       "(labelled_data/plan.toml).")] = None,
    work_dir: Annotated[Path | None, typer.Option(
        "--work-dir", help="Where the reviews export is written (default LOKERWATCH_MODEL_DIR/retrain).")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the model's random parts.")] = 0,
) -> None:
    """Train on the training data plus reviewed ads; activate the result only if it is not worse than the active one."""
    # Imported here: scikit-learn and the training code load only for the command that needs them.
    from model.training import TrainingConfig
    from service.scoring.retrain import retrain

    settings = get_settings()
    pseudonym_key(settings)
    for path in data or []:
        if not path.exists():
            raise InputFileError(f"{path}: no such file or directory (give labelled data with --data)")
    embedding = settings.embedding_model
    params = {"random_state": seed, "embedding_model": None if embedding in (None, "", "none") else embedding}
    store = audited_store(settings)
    outcome = retrain(store.session_factory, settings, data or [], work_dir or settings.model_dir / "retrain",
                      cli_actor(), TrainingConfig(params=params))
    out.print(f"reviews exported: {outcome.reviews} ads ({outcome.reviews_file})")
    out.print(f"candidate {outcome.candidate_version}")
    for name, result in (("candidate", outcome.candidate), ("active", outcome.active)):
        if result is not None:
            out.print(f"  {name:9} {result.version}: macro-F1 {result.macro_f1}, trafficking recall "
                      f"{result.trafficking_recall} on {result.n} held-out ads")
    out.print(outcome.reason)
