"""`lokerwatch users ...`: accounts of the review desk (add, list, disable, enable, API tokens)."""

from __future__ import annotations

import getpass
import os
from typing import Annotated

import typer

from service.audit import bind_head_file, record_audit
from service.auth.roles import Role
from service.auth.users import (
    UserError,
    add_user,
    create_api_token,
    find_user,
    list_users,
    reset_password,
    set_disabled,
)
from service.cli.console import command_store, err, out
from service.settings import get_settings
from service.store.locking import write_lock
from service.store.session import Store

users_app = typer.Typer(no_args_is_help=True,
                        help="Accounts: analysts, supervisors, police units, researchers, admins.")
CLI_ACTOR = "cli:" + (os.environ.get("SUDO_USER") or os.environ.get("USER") or "unknown")


def _store() -> Store:
    settings = get_settings()
    store = command_store(settings)
    bind_head_file(store.engine, settings.audit_head_path)
    return store


def _password(from_env: str | None) -> str:
    if from_env:
        value = os.environ.get(from_env)
        if not value:
            raise UserError(f"environment variable {from_env} is empty or not set")
        return value
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        raise UserError("the two passwords differ")
    return first


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="Log-in name (a-z, 0-9, . _ -).")],
    role: Annotated[Role, typer.Option(help="What the user may do.")],
    unit: Annotated[str | None, typer.Option(help='Police unit, e.g. "PPA Polres Singkawang" (police only).')] = None,
    password_env: Annotated[str | None, typer.Option(
        help="Read the password from this environment variable instead of asking (for scripts).")] = None,
) -> None:
    """Create a user (asks for the password twice unless --password-env is given)."""
    password = _password(password_env)
    store = _store()
    with store.session_factory() as session:
        write_lock(session, "users")
        user = add_user(session, username, password, role.value, unit)
        session.flush()
        record_audit(session, CLI_ACTOR, "user.add", "user", user.id, {"username": user.username, "role": user.role,
                                                                       "unit": user.unit})
        session.commit()
    out.print(f"added {user.username} ({user.role}{', ' + user.unit if user.unit else ''})")


@users_app.command("list")
def users_list() -> None:
    """Every user with role, unit and whether the account is disabled (tab-separated)."""
    store = _store()
    with store.session_factory() as session:
        for user in list_users(session):
            state = "disabled" if user.disabled else "active"
            print(f"{user.username}\t{user.role}\t{user.unit or '-'}\t{state}")  # tab-separated for scripts


def _set_disabled(username: str, disabled: bool) -> None:
    store = _store()
    with store.session_factory() as session:
        write_lock(session, "users")
        user = set_disabled(session, username, disabled)
        session.flush()
        record_audit(session, CLI_ACTOR, "user.disable" if disabled else "user.enable", "user", user.id,
                     {"username": user.username})
        session.commit()
    out.print(f"{'disabled' if disabled else 'enabled'} {username}")


@users_app.command("disable")
def users_disable(username: str) -> None:
    """Disable an account: its tokens stop working at once (the user is kept for the audit trail)."""
    _set_disabled(username, True)


@users_app.command("enable")
def users_enable(username: str) -> None:
    """Re-enable a disabled account."""
    _set_disabled(username, False)


@users_app.command("reset-password")
def users_reset_password(username: Annotated[str, typer.Argument(help="The account's log-in name.")]) -> None:
    """Give an account a new one-time password, printed once (e.g. the demo accounts after a second quickstart)."""
    store = _store()
    with store.session_factory() as session:
        write_lock(session, "users")
        user, password = reset_password(session, username)
        record_audit(session, CLI_ACTOR, "user.reset_password", "user", user.id, {"username": user.username})
        session.commit()
    err.print(f"new password for {user.username} (shown once; only its hash is stored):")
    print(password)


@users_app.command("token")
def users_token(
    username: str,
    name: Annotated[str, typer.Option(help="What the token is for.")] = "script",
    days: Annotated[int | None, typer.Option(min=1, help="Lifetime in days (default: until revoked).")] = None,
) -> None:
    """Create an API token for scripts; it is printed once, only its hash is stored."""
    store = _store()
    with store.session_factory() as session:
        write_lock(session, "users")
        user = find_user(session, username)
        if user is None:
            raise UserError(f"no user named {username!r}")
        row, token = create_api_token(session, user, name, days)
        record_audit(session, CLI_ACTOR, "api_token.create", "api_token", row.id,
                     {"username": user.username, "name": row.name})
        session.commit()
    err.print(f"API token {row.id} for {user.username} (shown once; store it safely):")
    print(token)
