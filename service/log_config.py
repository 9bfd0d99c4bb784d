"""One configured logger for the whole process: one line per event, key=value, UTC timestamps."""

from __future__ import annotations

import logging
import time


class KeyValueFormatter(logging.Formatter):
    """`ts=... level=INFO logger=lokerwatch.api event=request ...`: greppable and parseable."""

    converter = time.gmtime  # type: ignore[assignment]  # UTC timestamps

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        line = (f"ts={self.formatTime(record, '%Y-%m-%dT%H:%M:%SZ')} level={record.levelname} "
                f"logger={record.name} {message if '=' in message else f'msg={message!r}'}")
        if record.exc_info:
            line += " exc=" + repr(self.formatException(record.exc_info))
        return line


def configure_logging(level: str = "INFO") -> None:
    """Route lokerwatch's and uvicorn's loggers through one key=value handler on stderr."""
    handler = logging.StreamHandler()
    handler.setFormatter(KeyValueFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    # lokerwatch.api logs each request as key=value already; APScheduler reports every tick at INFO.
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def uvicorn_log_config() -> dict[str, object]:
    """Tell uvicorn to leave logging as configure_logging set it."""
    return {"version": 1, "disable_existing_loggers": False}
