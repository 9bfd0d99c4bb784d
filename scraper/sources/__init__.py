"""Sources, registered by name: `create("telegram", params, cursor)` gives a ready source object.

Adding a source means adding one module here that defines a class with `name`, `kind`, `parse`
(and, for web sources, `start_urls` and `next_cursor`) and decorating it with `@register`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from scraper.sources.base import ParseResult, Source, WebSource

_REGISTRY: dict[str, type] = {}
T = TypeVar("T", bound=type)


def register(cls: T) -> T:
    """Class decorator: make a source available by its `name`."""
    _REGISTRY[cls.name] = cls  # type: ignore[attr-defined]
    return cls


def names() -> list[str]:
    _load_builtin()
    return sorted(_REGISTRY)


def kind_of(name: str) -> str:
    """"web" or "file" for the source registered as `name`, without building one."""
    _load_builtin()
    return str(_REGISTRY[name].kind)  # type: ignore[attr-defined]


def create(name: str, params: Mapping[str, Any] | None = None, cursor: Mapping[str, Any] | None = None) -> Source:
    """Build the source called `name` with its parameters and stored cursor."""
    _load_builtin()
    try:
        cls = _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown source {name!r}; known: {', '.join(sorted(_REGISTRY))}") from None
    source = cls(dict(params or {}), dict(cursor or {}))
    assert isinstance(source, Source)
    return source


def _load_builtin() -> None:
    # Imported lazily so `scraper.sources.base` stays importable from the source modules themselves.
    from scraper.sources import facebook, olx, telegram, whatsapp  # noqa: F401


__all__ = ["ParseResult", "Source", "WebSource", "create", "kind_of", "names", "register"]
