"""Accounts: creating, listing and disabling users, logging in, and API tokens for scripts."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.audit import record_audit
from service.auth.passwords import MIN_PASSWORD_LENGTH, dummy_hash, hash_password, verify_password
from service.auth.roles import Role
from service.auth.throttle import begin_attempt, mark_succeeded
from service.auth.tokens import hash_api_token, issue_access_token, new_api_token
from service.errors import LokerwatchError
from service.settings import Settings
from service.store.tables import ApiToken, LoginAttempt, User
from service.store.types import utc_now

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,99}$")


class UserError(LokerwatchError):
    """A user-management request that cannot be done as asked."""


class InvalidCredentials(LokerwatchError):
    """Wrong username or password (deliberately not saying which)."""


@dataclass(frozen=True)
class Principal:
    """The authenticated caller, as endpoints and the service layer see it."""

    id: int
    username: str
    role: Role
    unit: str | None = None
    via: str = "access_token"  # access_token | api_token

    @property
    def actor(self) -> str:
        """How the caller is named in the audit log."""
        return self.username


def principal_of(user: User, via: str = "access_token") -> Principal:
    return Principal(user.id, user.username, Role(user.role), user.unit, via)


def add_user(session: Session, username: str, password: str, role: str, unit: str | None = None) -> User:
    """Create a user; police users must name their unit (their leads are scoped by it)."""
    username = username.strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise UserError(f"username {username!r} must be 2-100 characters of a-z, 0-9, '.', '_' or '-'")
    try:
        role_value = Role(role)
    except ValueError as exc:
        raise UserError(f"unknown role {role!r}; roles are {', '.join(r.value for r in Role)}") from exc
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    unit = (unit or "").strip() or None
    if role_value is Role.POLICE and not unit:
        raise UserError('police users belong to a unit: give --unit, e.g. --unit "PPA Polres Singkawang"')
    if role_value is not Role.POLICE and unit:
        raise UserError("only police users belong to a unit")
    user = User(username=username, password_hash=hash_password(password), role=role_value.value, unit=unit,
                disabled=False, created_at=utc_now())
    try:
        with session.begin_nested():
            session.add(user)
    except IntegrityError as exc:
        raise UserError(f"a user named {username!r} already exists") from exc
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def find_user(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username.strip().lower())).first()


def set_disabled(session: Session, username: str, disabled: bool = True) -> User:
    """Disable (or re-enable) an account: its access and API tokens stop working at once."""
    user = find_user(session, username)
    if user is None:
        raise UserError(f"no user named {username!r}")
    user.disabled = disabled
    return user


def reset_password(session: Session, username: str) -> tuple[User, str]:
    """Give an account a new random one-time password (returned once, stored only as a hash).

    For the newcomer who lost the demo passwords printed by `quickstart`, and for any user locked out:
    the account's failed log-ins are forgotten, so the new password works at once.
    """
    user = find_user(session, username)
    if user is None:
        raise UserError(f"no user named {username!r} (see `lokerwatch users list`)")
    password = secrets.token_urlsafe(12)
    user.password_hash = hash_password(password)
    session.execute(delete(LoginAttempt).where(LoginAttempt.username == user.username,
                                               LoginAttempt.succeeded.is_(False)))
    return user, password


def authenticate(session: Session, settings: Settings, username: str, password: str, client_addr: str,
                 now: datetime | None = None) -> User:
    """The user behind a correct username and password; throttled (LoginLocked) per account and address."""
    now = now or utc_now()
    name = username.strip().lower()[:100]
    attempt_id = begin_attempt(session, settings, name, client_addr[:64], now)
    user = find_user(session, name)
    session.commit()  # end the read: no transaction stays open while argon2 works
    if user is None:
        verify_password(password, dummy_hash())
        raise InvalidCredentials("wrong username or password")
    if not verify_password(password, user.password_hash) or user.disabled:
        raise InvalidCredentials("wrong username or password")
    mark_succeeded(session, attempt_id)
    return user


def create_api_token(session: Session, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new API token for `user`; the plain token is returned once and never stored."""
    token = new_api_token()
    now = utc_now()
    row = ApiToken(user_id=user.id, name=name.strip()[:100] or "script", token_hash=hash_api_token(token),
                   created_at=now, expires_at=now + timedelta(days=days) if days else None)
    session.add(row)
    session.flush()
    return row, token


def user_for_api_token(session: Session, token: str, now: datetime | None = None) -> User | None:
    now = now or utc_now()
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == hash_api_token(token))).first()
    if row is None or row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    return session.get(User, row.user_id)


def revoke_api_token(session: Session, user_id: int, token_id: int) -> bool:
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user_id or row.revoked_at is not None:
        return False
    row.revoked_at = utc_now()
    return True


def list_api_tokens(session: Session, user_id: int) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)))


@dataclass(frozen=True)
class Grant:
    """A successful log-in: the user and the signed access token issued to them."""

    user: User
    access_token: str
    lifetime_seconds: int


def log_in(session: Session, settings: Settings, username: str, password: str, client_addr: str,
           audit_action: str | None = None) -> Grant:
    """Check the password (throttled per account and address) and issue an access token.

    With `audit_action` (the desk's "desk.login") the log-in is recorded in the audit log; commits.
    """
    user = authenticate(session, settings, username, password, client_addr)
    token, lifetime = issue_access_token(settings, user.id, user.role)
    if audit_action:
        record_audit(session, user.username, audit_action, "user", user.id, {"client": client_addr})
        session.commit()
    return Grant(user, token, lifetime)


def issue_api_token(session: Session, caller: Principal, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new API token for the caller themself, audited; the caller commits. The token is returned once."""
    owner = session.get(User, caller.id)
    if owner is None:
        raise UserError(f"no user with id {caller.id}")
    row, token = create_api_token(session, owner, name, days)
    record_audit(session, caller.actor, "api_token.create", "api_token", row.id, {"name": row.name})
    return row, token


def revoke_own_api_token(session: Session, caller: Principal, token_id: int) -> bool:
    """Revoke one of the caller's own active tokens (audited); False when they have no such token."""
    if not revoke_api_token(session, caller.id, token_id):
        return False
    record_audit(session, caller.actor, "api_token.revoke", "api_token", token_id, {})
    return True
