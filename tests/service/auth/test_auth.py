"""Log-in, tokens and throttling: argon2 passwords, short-lived JWTs, hashed API tokens, limits kept in the store."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from service.api.app import create_app
from service.auth.dependencies import USER_RECHECK_SECONDS, PrincipalCache
from service.auth.roles import Role
from service.auth.throttle import LoginLocked
from service.auth.tokens import ConfigurationError, hash_api_token
from service.auth.users import InvalidCredentials, Principal, UserError, add_user, authenticate
from service.settings import Settings
from service.store.session import Store
from service.store.tables import ApiToken, User
from service.store.types import utc_now
from tests.service.desk import PASSWORD, Desk


def _log_in(client: TestClient, username: str, password: str) -> int:
    return client.post("/auth/token", data={"username": username, "password": password}).status_code


def test_login_issues_a_short_lived_token_that_identifies_the_user(desk: Desk) -> None:
    response = desk.client.post("/auth/token", data={"username": "ana", "password": PASSWORD})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == desk.settings.access_token_minutes * 60
    me = desk.client.get("/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}).json()
    assert (me["username"], me["role"], me["via"]) == ("ana", "analyst", "access_token")


def test_passwords_are_stored_as_argon2_hashes_only(desk: Desk) -> None:
    with desk.store.session_factory() as session:
        stored = session.scalars(select(User.password_hash)).all()
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in stored)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_wrong_password_and_unknown_user_get_the_same_401(desk: Desk) -> None:
    wrong = desk.client.post("/auth/token", data={"username": "ana", "password": "salah-sekali-ini"})
    unknown = desk.client.post("/auth/token", data={"username": "nobody", "password": "salah-sekali-ini"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_expired_forged_or_missing_tokens_are_401(desk: Desk) -> None:
    user = desk.users["analyst"]
    now = utc_now()
    expired = jwt.encode({"sub": str(user.id), "iss": "lokerwatch", "typ": "access", "iat": now - timedelta(hours=2),
                          "exp": now - timedelta(hours=1)}, desk.settings.secret_key or "", algorithm="HS256")
    forged = jwt.encode({"sub": str(user.id), "iss": "lokerwatch", "typ": "access", "iat": now,
                         "exp": now + timedelta(hours=1)}, "another-key-of-sufficient-length-000", algorithm="HS256")
    for token in (expired, forged, "not-a-token"):
        response = desk.client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
    assert desk.client.get("/auth/me").status_code == 401


def test_account_locks_after_repeated_failures_even_for_the_right_password(settings: Settings, store: Store) -> None:
    strict = settings.model_copy(update={"login_max_failures_per_account": 3})
    with store.session_factory() as session:
        add_user(session, "ana", PASSWORD, "analyst")
        session.commit()
    with TestClient(create_app(strict, store)) as client:
        assert [_log_in(client, "ana", "tebakan-salah-1") for _ in range(3)] == [401, 401, 401]
        locked = client.post("/auth/token", data={"username": "ana", "password": PASSWORD})
        assert locked.status_code == 429
        assert int(locked.headers["retry-after"]) > 0
        assert "too many failed log-ins" in locked.json()["detail"]


def test_throttling_holds_across_two_api_workers_on_one_store(settings: Settings, store: Store) -> None:
    strict = settings.model_copy(update={"login_max_failures_per_account": 4})
    with store.session_factory() as session:
        add_user(session, "ana", PASSWORD, "analyst")
        session.commit()
    with TestClient(create_app(strict, store)) as first, TestClient(create_app(strict, store)) as second:
        results = [_log_in(worker, "ana", "tebakan-salah") for worker in (first, second, first, second)]
        assert results == [401] * 4
        assert _log_in(second, "ana", PASSWORD) == 429
        assert _log_in(first, "ana", PASSWORD) == 429


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_one_address_guessing_many_accounts_is_locked(settings: Settings, store: Store) -> None:
    strict = settings.model_copy(update={"login_max_failures_per_address": 3})
    with store.session_factory() as session:
        add_user(session, "ana", PASSWORD, "analyst")
        session.commit()
    with TestClient(create_app(strict, store)) as client:
        assert [_log_in(client, name, "tebakan-salah") for name in ("x1", "x2", "x3")] == [401] * 3
        assert _log_in(client, "ana", PASSWORD) == 429


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_lockout_ends_when_the_window_has_passed(settings: Settings, store: Store) -> None:
    strict = settings.model_copy(update={"login_max_failures_per_account": 2, "login_window_seconds": 60})
    start = utc_now()
    with store.session_factory() as session:
        add_user(session, "ana", PASSWORD, "analyst")
        session.commit()
        for _ in range(2):
            with pytest.raises(InvalidCredentials):
                authenticate(session, strict, "ana", "tebakan-salah", "10.0.0.1", now=start)
        with pytest.raises(LoginLocked):
            authenticate(session, strict, "ana", PASSWORD, "10.0.0.1", now=start + timedelta(seconds=30))
        user = authenticate(session, strict, "ana", PASSWORD, "10.0.0.1", now=start + timedelta(seconds=61))
        assert user.username == "ana"


def test_api_tokens_work_for_scripts_store_only_a_hash_and_can_be_revoked(desk: Desk) -> None:
    created = desk.client.post("/auth/api-tokens", json={"name": "nightly export"}, headers=desk.headers(Role.ANALYST))
    assert created.status_code == 201, created.text
    token = created.json()["token"]
    script = {"Authorization": f"Bearer {token}"}
    assert desk.client.get("/auth/me", headers=script).json()["via"] == "api_token"
    with desk.store.session_factory() as session:
        row = session.scalars(select(ApiToken)).one()
    assert row.token_hash == hash_api_token(token) and token not in row.token_hash
    revoked = desk.client.delete(f"/auth/api-tokens/{row.id}", headers=desk.headers(Role.ANALYST))
    assert revoked.status_code == 204
    assert desk.client.get("/auth/me", headers=script).status_code == 401


def test_another_users_api_token_cannot_be_revoked(desk: Desk) -> None:
    created = desk.client.post("/auth/api-tokens", json={"name": "x"}, headers=desk.headers(Role.ANALYST)).json()
    response = desk.client.delete(f"/auth/api-tokens/{created['id']}", headers=desk.headers("analyst2"))
    assert response.status_code == 404
    assert desk.client.get("/auth/me", headers={"Authorization": f"Bearer {created['token']}"}).status_code == 200


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _cache_with_clock(desk: Desk) -> _Clock:
    clock = _Clock()
    desk.app.state.principal_cache = PrincipalCache(clock=clock)
    return clock


def test_disabling_a_user_stops_their_tokens_within_the_recheck_bound(desk: Desk) -> None:
    clock = _cache_with_clock(desk)
    headers = desk.headers(Role.ANALYST)
    assert desk.client.get("/auth/me", headers=headers).status_code == 200
    with desk.store.session_factory() as session:
        session.scalars(select(User).where(User.username == "ana")).one().disabled = True
        session.commit()
    assert _log_in(desk.client, "ana", PASSWORD) == 401  # logging in reads the store: refused at once
    clock.now += USER_RECHECK_SECONDS - 0.5  # a process may trust the token it checked a moment ago ...
    assert desk.client.get("/auth/me", headers=headers).status_code == 200
    clock.now += 0.5  # ... but never longer than the bound
    assert desk.client.get("/auth/me", headers=headers).status_code == 401


def test_a_changed_role_applies_within_the_recheck_bound(desk: Desk) -> None:
    clock = _cache_with_clock(desk)
    headers = desk.headers(Role.ANALYST)
    assert desk.client.get("/queue", headers=headers).status_code == 200
    with desk.store.session_factory() as session:
        session.scalars(select(User).where(User.username == "ana")).one().role = Role.RESEARCHER.value
        session.commit()
    clock.now += USER_RECHECK_SECONDS
    assert desk.client.get("/queue", headers=headers).status_code == 403
    assert desk.client.get("/auth/me", headers=headers).json()["role"] == "researcher"


def test_an_expired_access_token_is_never_trusted_from_the_cache(desk: Desk) -> None:
    cache = PrincipalCache()
    principal = Principal(1, "ana", Role.ANALYST)
    cache.put("token", principal, utc_now() + timedelta(hours=1))
    assert cache.get("token") == principal
    cache.put("token", principal, utc_now() - timedelta(seconds=1))
    assert cache.get("token") is None


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_api_refuses_to_start_without_a_signing_key_outside_dev_mode(settings: Settings, store: Store) -> None:
    with pytest.raises(ConfigurationError, match="LOKERWATCH_SECRET_KEY"):
        create_app(settings.model_copy(update={"secret_key": None, "dev_mode": False}), store)
    with pytest.raises(ConfigurationError, match="shorter"):
        create_app(settings.model_copy(update={"secret_key": "short", "dev_mode": False}), store)
    create_app(settings.model_copy(update={"secret_key": None, "dev_mode": True}), store)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_police_users_must_belong_to_a_unit_and_roles_are_checked(store: Store) -> None:
    with store.session_factory() as session:
        with pytest.raises(UserError, match="unit"):
            add_user(session, "polisi", PASSWORD, "police")
        with pytest.raises(UserError, match="unknown role"):
            add_user(session, "xy", PASSWORD, "superuser")
        with pytest.raises(UserError, match="at least"):
            add_user(session, "xy", "short", "analyst")
        add_user(session, "ana", PASSWORD, "analyst")
        with pytest.raises(UserError, match="already exists"):
            add_user(session, "ANA", PASSWORD, "analyst")


def test_desk_pages_trust_the_user_for_the_recheck_bound_only(desk: Desk) -> None:
    """The web desk reads the user from the same per-process cache as the API: a page costs no user read, and a
    disabled analyst is shut out of the pages within the same bound."""
    clock = _cache_with_clock(desk)
    headers = desk.headers(Role.ANALYST)
    assert desk.client.get("/desk/antrean", headers=headers).status_code == 200
    with desk.store.session_factory() as session:
        session.scalars(select(User).where(User.username == "ana")).one().disabled = True
        session.commit()
    clock.now += USER_RECHECK_SECONDS - 0.5
    assert desk.client.get("/desk/antrean", headers=headers).status_code == 200  # served from the cache
    clock.now += 0.5
    refused = desk.client.get("/desk/antrean", headers=headers, follow_redirects=False)
    assert refused.status_code in (303, 401)


def test_an_api_token_the_api_cached_still_opens_no_desk_page(desk: Desk) -> None:
    created = desk.client.post("/auth/api-tokens", json={"name": "skrip"}, headers=desk.headers(Role.ANALYST)).json()
    bearer = {"Authorization": f"Bearer {created['token']}"}
    assert desk.client.get("/auth/me", headers=bearer).status_code == 200  # now in the process's cache
    page = desk.client.get("/desk/antrean", headers=bearer, follow_redirects=False)
    assert page.status_code in (303, 401)  # pages take access tokens only, cache or not
