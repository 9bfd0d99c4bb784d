"""Why a fetch or a parse did not give records; the run loop decides what each one means."""

from __future__ import annotations


class FetchError(Exception):
    """A URL could not be fetched; the run records it and goes on with the next URL."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class RobotsDisallowed(FetchError):
    """robots.txt forbids the URL for our user agent: we never ask for it."""


class BodyTooLarge(FetchError):
    """The body went past the configured maximum; the download was aborted."""


class TooManyRedirects(FetchError):
    """A redirect chain was too long or came back to a URL it had already visited."""


class SourcePaused(FetchError):
    """The source keeps refusing (429/5xx) or the run's retry budget is spent: stop this run, report it."""


class PageParseError(Exception):
    """A stored page does not have the structure its parser expects (the reason is kept with the snapshot)."""
