"""The `lokerwatch` command line."""

from service.cli.main import main

__all__ = ["main"]
