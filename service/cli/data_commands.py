"""`lokerwatch data ...`: turn public data sets into labelled-data JSONL the model can train and test on."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from model.datasets import IMPORTERS, DatasetError, write_jsonl
from service.cli.console import out, progress_bar
from service.errors import InputFileError

data_app = typer.Typer(no_args_is_help=True, help="Public data sets, imported into the labelled-data schema.")


class DatasetName(StrEnum):
    """Data sets with an importer (model/datasets/, one module each)."""

    id_sms_spam = "id-sms-spam"
    id_instagram_loker = "id-instagram-loker"
    emscad = "emscad"


@data_app.command("import")
def import_dataset(
    name: Annotated[DatasetName, typer.Argument(help="Which data set the file is.")],
    path: Annotated[Path, typer.Argument(help="The data set's file, e.g. datasets/id-sms-spam/"
                                              "dataset_sms_spam_v1.csv.")],
    out_path: Annotated[Path, typer.Option("--out", help="JSONL file to write (replaced whole, never half-written).")],
    no_verify: Annotated[bool, typer.Option("--no-verify", help="Import even if the sha256 differs from the "
                                                                "published one.")] = False,
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="Leave bad rows out instead of stopping.")] = False,
) -> None:
    """Import a public data set's file into labelled-data JSONL (checksum verified, bad rows reported by line)."""
    importer = IMPORTERS[name.value]
    try:
        result = importer(path, verify=not no_verify, skip_bad=skip_bad)
        with progress_bar(f"write {name.value}", len(result.records)) as advance:
            write_jsonl(result.records, out_path, advance)
    except DatasetError as exc:
        raise InputFileError(str(exc)) from exc
    out.print(result.summary(out_path))
