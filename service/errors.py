"""Errors a user can act on: the CLI prints them as one line, the API as a 4xx."""


class LokerwatchError(Exception):
    """A problem with the user's input or environment, with a message saying what to do next."""

    exit_code = 1


class InputFileError(LokerwatchError):
    """A file given on the command line is missing or malformed."""

    exit_code = 2


class StoreUnavailableError(LokerwatchError):
    """The database cannot be reached or is not a lokerwatch store."""

    exit_code = 3
