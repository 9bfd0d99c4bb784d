"""Sources, found in this package and registered by name: `create("telegram", params, cursor)` builds one.

Adding a source is adding one module here whose class is decorated with `@register` (see
scraper/README.md, "Adding a source"): every module of the package is imported on first use, so
nothing else lists the sources; the command line, the scheduler and the desk's labels read them here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from scraper.sources.base import WEB_PARAMS, ParseResult, Source, SourceParam, WebSource

_REGISTRY: dict[str, Any] = {}  # name -> source class
_NOT_SOURCES = frozenset({"base"})
T = TypeVar("T", bound=type)


@dataclass(frozen=True)
class SourceInfo:
    """What the rest of lokerwatch needs to know about a source without building one."""

    name: str
    kind: str
    label: str
    params: tuple[SourceParam, ...]
    summary: str = ""  # the first line of the source class's docstring

    @property
    def is_web(self) -> bool:
        return self.kind == "web"

    @property
    def identifying_param(self) -> str | None:
        """The parameter that names one feed of the source (a channel, a search), if it has one."""
        return next((p.name for p in self.params if p.identifies), None)


def register(cls: T) -> T:
    """Class decorator: make a source available by its `name`."""
    _REGISTRY[cls.name] = cls  # type: ignore[attr-defined]
    return cls


@cache
def _discover() -> None:
    """Import every module of this package once, so each source registers itself."""
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_") and module.name not in _NOT_SOURCES:
            importlib.import_module(f"{__name__}.{module.name}")


def names() -> list[str]:
    _discover()
    return sorted(_REGISTRY)


def web_names() -> list[str]:
    """The sources the fetcher visits (the ones that can be scheduled)."""
    return [name for name in names() if kind_of(name) == "web"]


def file_names() -> list[str]:
    """The sources an analyst imports from saved files."""
    return [name for name in names() if kind_of(name) == "file"]


def info(name: str) -> SourceInfo:
    """Name, kind, label and parameters of the source registered as `name`; KeyError naming the known ones."""
    _discover()
    try:
        cls = _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown source {name!r}; known: {', '.join(sorted(_REGISTRY))}") from None
    params = tuple(cls.params) + (WEB_PARAMS if cls.kind == "web" else ())
    summary = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
    return SourceInfo(name=cls.name, kind=cls.kind, label=cls.label, params=params, summary=summary)


def kind_of(name: str) -> str:
    """"web" or "file" for the source registered as `name`, without building one."""
    return info(name).kind


def focus_style(name: str, source_ad_ids: Sequence[str]) -> str | None:
    """CSS that shows only these posts on a page of source `name` (for screenshots of listing pages), or None when
    the source has no such pages or none of the ids is one of its posts."""
    _discover()
    focus = getattr(_REGISTRY.get(name), "focus_style", None)
    return focus(source_ad_ids) if focus is not None else None


def create(name: str, params: Mapping[str, Any] | None = None, cursor: Mapping[str, Any] | None = None) -> Source:
    """Build the source called `name` with its parameters and stored cursor."""
    info(name)  # KeyError naming the known sources
    source = _REGISTRY[name](dict(params or {}), dict(cursor or {}))
    assert isinstance(source, Source)
    return source


__all__ = ["ParseResult", "Source", "SourceInfo", "SourceParam", "WebSource", "create", "file_names", "info",
           "kind_of", "names", "register", "web_names"]
