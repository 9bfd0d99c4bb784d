"""Log-in throttling kept in the store, so it holds across API workers and restarts.

Failed attempts are counted per account (since its last successful log-in) and per client address,
within a sliding window; over the limit, log-ins are refused without checking the password until
the window has passed. Each attempt is written as a failure *before* the password is checked and
turned into a success after, so parallel guesses all count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from service.settings import Settings
from service.store.locking import write_lock
from service.store.tables import LoginAttempt

# Attempts older than this are deleted as new ones arrive (they no longer count for anything).
KEEP_ATTEMPTS = timedelta(days=2)


@dataclass(frozen=True)
class LoginLocked(Exception):
    """Too many failed log-ins for this account or address."""

    retry_after_seconds: int
    scope: str  # "account" | "address"

    def __str__(self) -> str:
        return (f"too many failed log-ins for this {self.scope}; "
                f"try again in {self.retry_after_seconds} seconds")


def _retry_after(session: Session, where: list, limit: int, window_start: datetime, window: timedelta,
                 now: datetime) -> int | None:
    failures = list(session.scalars(
        select(LoginAttempt.at).where(*where, LoginAttempt.succeeded.is_(False), LoginAttempt.at > window_start)
        .order_by(LoginAttempt.at.desc()).limit(limit)))
    if len(failures) < limit:
        return None
    return max(1, int((failures[-1] + window - now).total_seconds()) + 1)


def begin_attempt(session: Session, settings: Settings, username: str, client_addr: str, now: datetime) -> int:
    """Refuse (LoginLocked) or record a pending attempt; commits, returns the attempt's id."""
    window = timedelta(seconds=settings.login_window_seconds)
    window_start = now - window
    write_lock(session, "login-attempts")
    last_success = session.scalar(select(func.max(LoginAttempt.at)).where(
        LoginAttempt.username == username, LoginAttempt.succeeded.is_(True)))
    account_start = max(window_start, last_success) if last_success else window_start
    checks = [
        ("account", [LoginAttempt.username == username], settings.login_max_failures_per_account, account_start),
        ("address", [LoginAttempt.client_addr == client_addr], settings.login_max_failures_per_address, window_start),
    ]
    for scope, where, limit, start in checks:
        wait = _retry_after(session, where, limit, start, window, now)
        if wait is not None:
            session.rollback()
            raise LoginLocked(wait, scope)
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP_ATTEMPTS))
    attempt = LoginAttempt(username=username, client_addr=client_addr, at=now, succeeded=False)
    session.add(attempt)
    session.flush()
    session.commit()
    return attempt.id


def mark_succeeded(session: Session, attempt_id: int) -> None:
    write_lock(session, "login-attempts")
    session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(succeeded=True))
    session.commit()
