"""Shared terminal helpers: one-line errors, progress bars, the store for a command."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from service.settings import Settings, get_settings
from service.store.session import Store, open_store

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


def print_error(message: str) -> None:
    """One line on stderr, whatever the message holds, so scripts and people can read it."""
    print("error: " + " ".join(message.split()), file=sys.stderr)


def command_store(settings: Settings | None = None) -> Store:
    """The configured store, migrated if it is empty or behind."""
    return open_store(settings or get_settings())


@contextmanager
def progress_bar(description: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr (drawn only on a terminal); yields a function to advance it."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task(description, total=total)
        yield lambda step: progress.advance(task, step)


@contextmanager
def progress_steps(description: str) -> Iterator[Callable[[str], None]]:
    """A spinner on stderr for work measured in steps, not items; yields a function naming the current step."""
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err,
                  transient=True) as progress:
        task = progress.add_task(description, total=None)
        yield lambda message: progress.update(task, description=f"{description}: {message}")
