"""Errors a user can act on: the CLI prints them as one line, the API answers each with its 4xx."""


class LokerwatchError(Exception):
    """A problem with the user's input or environment, with a message saying what to do next."""

    exit_code = 1


class InputFileError(LokerwatchError):
    """A file given on the command line is missing or malformed."""

    exit_code = 2


class StoreUnavailableError(LokerwatchError):
    """The database cannot be reached or is not a lokerwatch store."""

    exit_code = 3


class DeskError(LokerwatchError):
    """A review-desk request that cannot be done; the API's handler answers with `http_status`."""

    http_status = 400


class NotFoundError(DeskError):
    http_status = 404


class ConflictError(DeskError):
    """Someone else got there first (a claim held by another analyst, a stale decision)."""

    http_status = 409


class RefusedError(DeskError):
    """A request that is well-formed but not allowed (e.g. a URL outside the intake allow-list).

    403, not 422: the request is valid, the installation's policy refuses what it asks for.
    """

    http_status = 403
