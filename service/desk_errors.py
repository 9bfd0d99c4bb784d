"""Errors of the review desk that map to one HTTP status each (the API's handler uses `http_status`)."""

from __future__ import annotations

from service.errors import LokerwatchError


class DeskError(LokerwatchError):
    http_status = 400


class NotFoundError(DeskError):
    http_status = 404


class ConflictError(DeskError):
    """Someone else got there first (a claim held by another analyst, a stale decision)."""

    http_status = 409


class RefusedError(DeskError):
    """A request that is well-formed but not allowed (e.g. a URL outside the intake allow-list)."""

    http_status = 422
