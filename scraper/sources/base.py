"""The one interface every source implements: what it is called, its parameters, which URLs, how to parse."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable

from scraper.records import JobPost, RawPage


@dataclass(frozen=True)
class SourceParam:
    """One parameter a source takes (from the `sources` table, a TOML file or the command line).

    The command line builds its options from these (`--channel`, `--details`), so a new source needs no
    CLI code. `identifies` marks the parameter that tells one feed of a source from another (a channel,
    a search): runs keep one stored cursor per value of it (`telegram:lokerjakarta`).
    """

    name: str
    help: str
    type: type = str  # str, int or bool
    required: bool = False
    identifies: bool = False


DEFAULT_MAX_PAGES = 50  # listing pages per run; what a run leaves waits in its cursor for the next one

# Every web source takes these; the engine's callers use them to point a run at a mirror or to bound it.
# A source reads base_url itself; max_pages is the engine's (a source never stops a walk for a page count).
WEB_PARAMS: tuple[SourceParam, ...] = (
    SourceParam("base_url", "Fetch from this mirror or test server instead of the real site."),
    SourceParam("max_pages", f"Fetch at most this many listing pages this run (default {DEFAULT_MAX_PAGES}); "
                             "the next run goes on where this one stopped.", type=int),
)


@dataclass
class ParseResult:
    """What one page gave: its posts, more pages to fetch, and per-post problems worth recording.

    `next_urls` continue the walk back to the previous run's position (a failure there means the walk is
    incomplete and the cursor must stay); `detail_urls` only add detail to ads already seen (a failure
    there is reported but does not hold the cursor back).
    """

    posts: list[JobPost] = field(default_factory=list)
    next_urls: list[str] = field(default_factory=list)
    detail_urls: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@runtime_checkable
class Source(Protocol):
    """A place ads come from. `params` come from the `sources` table or the command line."""

    name: ClassVar[str]
    kind: ClassVar[str]  # "web" (fetched by the shared fetcher) or "file" (imported by an analyst)
    label: ClassVar[str]  # how analysts and police see the source's name ("Telegram")
    params: ClassVar[tuple[SourceParam, ...]]  # web sources also take WEB_PARAMS

    def parse(self, page: RawPage) -> ParseResult:
        """Pure: stored bytes in, records out. Raises PageParseError when the page is not what it expects."""
        ...


@runtime_checkable
class WebSource(Source, Protocol):
    """A source the fetcher visits; it keeps its own progress in a JSON-able cursor."""

    def start_urls(self) -> list[str]:
        """Where a run begins (the newest listing page)."""
        ...

    def next_cursor(self, cursor: Mapping[str, Any], posts: list[JobPost]) -> dict[str, Any]:
        """The cursor to store once a run has finished, given everything it saw."""
        ...


SourceFactory = Callable[[Mapping[str, Any], Mapping[str, Any]], Source]
