"""Every endpoint declares who may call it, and refuses everyone else (built from the app's own routes)."""

from __future__ import annotations

import re

import pytest

from service.api.app import create_app
from service.auth.dependencies import Endpoint, iter_endpoints, route_policy
from service.auth.roles import Role
from service.settings import Settings
from tests.service.desk import Desk

A, S, P, R, AD = Role.ANALYST, Role.SUPERVISOR, Role.POLICE, Role.RESEARCHER, Role.ADMIN
EVERYONE = frozenset(Role)
DESK = frozenset({A, S})
# The desk's own endpoints and who may call them; endpoints added elsewhere must at least declare a policy.
EXPECTED: dict[tuple[str, str], frozenset[Role] | str] = {
    ("GET", "/healthz"): "public",
    ("POST", "/auth/token"): "public",
    ("GET", "/auth/me"): EVERYONE,
    ("POST", "/auth/api-tokens"): EVERYONE,
    ("GET", "/auth/api-tokens"): EVERYONE,
    ("DELETE", "/auth/api-tokens/{token_id}"): EVERYONE,
    ("GET", "/ads"): DESK,
    ("GET", "/ads/{ad_id}"): DESK,
    ("GET", "/queue"): DESK,
    ("POST", "/queue/claim-next"): DESK,
    ("GET", "/queue/stats"): DESK,
    ("POST", "/ads/{ad_id}/claim"): DESK,
    ("DELETE", "/ads/{ad_id}/claim"): DESK,
    ("POST", "/ads/{ad_id}/decisions"): DESK,
    ("POST", "/ads/{ad_id}/reopen"): frozenset({S}),
    ("POST", "/intake/text"): DESK,
    ("POST", "/intake/url"): DESK,
    ("GET", "/metrics"): frozenset({AD, S}),
    ("GET", "/audit/verify"): frozenset({AD, S}),
}


def _endpoints(desk: Desk) -> list[tuple[str, str, Endpoint]]:
    endpoints = [(e.method, e.path, e) for e in iter_endpoints(desk.app)]
    assert len(endpoints) >= len(EXPECTED)
    return endpoints


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _call(desk: Desk, method: str, path: str, headers: dict[str, str] | None = None) -> int:
    body: dict[str, object] | None = {} if method in {"POST", "PUT", "PATCH"} else None
    return desk.client.request(method, _concrete(path), json=body, headers=headers or {}).status_code


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_every_endpoint_declares_a_role_policy(desk: Desk) -> None:
    undeclared = [f"{method} {path}" for method, path, route in _endpoints(desk) if route_policy(route) is None]
    assert not undeclared, f"endpoints without require_role(...) or public_endpoint: {undeclared}"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_desk_endpoints_admit_exactly_the_roles_in_the_table(desk: Desk) -> None:
    declared = {(method, path): route_policy(route) for method, path, route in _endpoints(desk)}
    missing = [key for key in EXPECTED if key not in declared]
    assert not missing, f"expected endpoints are gone: {missing}"
    wrong = {key: declared[key] for key, policy in EXPECTED.items() if declared[key] != policy}
    assert not wrong, f"policies differ from the table: {wrong}"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_every_endpoint_refuses_every_role_it_should_and_admits_the_rest(desk: Desk) -> None:
    failures = []
    checked = 0
    for method, path, route in _endpoints(desk):
        policy = route_policy(route)
        if policy == "public" or policy is None:
            continue
        if (status := _call(desk, method, path)) != 401:
            failures.append(f"{method} {path} without a token gave {status}, not 401")
        for role in Role:
            status = _call(desk, method, path, desk.headers(role))
            checked += 1
            if role in policy and status in (401, 403):
                failures.append(f"{method} {path} refused {role.value} ({status}) though its policy admits it")
            if role not in policy and status != 403:
                failures.append(f"{method} {path} gave {role.value} {status}, not 403")
    assert checked >= len(EXPECTED) * len(Role) - 10
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_police_and_researchers_reach_no_endpoint_that_returns_raw_ads(desk: Desk) -> None:
    raw = [key for key in EXPECTED if key[1].startswith(("/ads", "/queue", "/intake"))]
    for method, path in raw:
        for role in (P, R):
            assert _call(desk, method, path, desk.headers(role)) == 403, f"{role} reached {method} {path}"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_an_endpoint_without_a_policy_is_caught(settings: Settings, desk: Desk) -> None:
    app = create_app(settings, desk.store)

    @app.get("/forgotten")
    def forgotten() -> dict[str, str]:
        return {"oops": "no roles"}

    route = next(e for e in iter_endpoints(app) if e.path == "/forgotten")
    assert route_policy(route) is None
    assert any(route_policy(e) is not None for e in iter_endpoints(app))
