"""Signed short-lived access tokens (PyJWT) and hashed long-lived API tokens for scripts."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from service.errors import LokerwatchError
from service.settings import Settings

log = logging.getLogger("lokerwatch.auth")

ALGORITHM = "HS256"
ISSUER = "lokerwatch"
# Used only when LOKERWATCH_DEV_MODE is on and no secret key is set; its name says what it is.
DEVELOPMENT_SIGNING_KEY = "lokerwatch-DEVELOPMENT-ONLY-signing-key-never-use-in-production"
API_TOKEN_PREFIX = "lw_"
MIN_SECRET_KEY_BYTES = 32


class ConfigurationError(LokerwatchError):
    """The deployment is missing something it must have (e.g. a signing key)."""


def signing_key(settings: Settings) -> str:
    """The key access tokens are signed with; refuses to go on without one outside development mode."""
    if settings.secret_key:
        if len(settings.secret_key.encode()) < MIN_SECRET_KEY_BYTES and not settings.dev_mode:
            raise ConfigurationError(f"LOKERWATCH_SECRET_KEY is shorter than {MIN_SECRET_KEY_BYTES} bytes; "
                                     "generate one with `python -c 'import secrets; print(secrets.token_urlsafe(48))'`")
        return settings.secret_key
    if settings.dev_mode:
        log.warning("event=dev_signing_key message=%r", "using the development signing key (LOKERWATCH_DEV_MODE)")
        return DEVELOPMENT_SIGNING_KEY
    raise ConfigurationError("LOKERWATCH_SECRET_KEY is not set: the API will not start without a signing key "
                             "(set LOKERWATCH_DEV_MODE=1 only on a development machine)")


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    expires_at: datetime


def issue_access_token(settings: Settings, user_id: int, role: str, now: datetime | None = None) -> tuple[str, int]:
    """A signed token for one user; returns it and its lifetime in seconds."""
    now = now or datetime.now(UTC)
    lifetime = timedelta(minutes=settings.access_token_minutes)
    payload = {"sub": str(user_id), "role": role, "iss": ISSUER, "iat": now, "exp": now + lifetime,
               "typ": "access", "jti": secrets.token_hex(8)}
    return jwt.encode(payload, signing_key(settings), algorithm=ALGORITHM), int(lifetime.total_seconds())


def decode_access_token(settings: Settings, token: str) -> AccessClaims | None:
    """The claims of a valid, unexpired token of ours; None for anything else."""
    try:
        payload = jwt.decode(token, signing_key(settings), algorithms=[ALGORITHM], issuer=ISSUER,
                             options={"require": ["exp", "iat", "sub", "iss"]})
    except jwt.PyJWTError:
        return None
    if payload.get("typ") != "access" or not str(payload.get("sub", "")).isdigit():
        return None
    return AccessClaims(int(payload["sub"]), datetime.fromtimestamp(payload["exp"], UTC))


def new_api_token() -> str:
    """A random token for scripts; 256 bits, so a plain SHA-256 of it is safe to store."""
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_api_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_api_token(token: str) -> bool:
    return token.startswith(API_TOKEN_PREFIX)
