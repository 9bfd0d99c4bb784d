"""The OpenAPI document is a true contract, probed from outside: schemathesis with every check, as anonymous and as
each role, against a real uvicorn server finds nothing; every error has the one `ErrorOut` shape; a chunked
body over the limit is a 413.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.api.errors import ErrorOut
from service.auth.roles import Role
from tests.service.api.live_api import LiveApi, run_schemathesis, serve_api

pytestmark = pytest.mark.slow

# Every phase; the coverage phase (its cases do not depend on max-examples) is most of the time, and a few
# fuzzed examples per operation keep the six runs inside the CI budget.
PHASES = "examples,coverage,fuzzing,stateful"
MAX_EXAMPLES = 3
BODY_LIMIT = 4096


@pytest.fixture(scope="module")
def live_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    """The API as deployed (the default 10 MB body limit, far above any body the schema allows)."""
    with serve_api(tmp_path_factory.mktemp("live-api")) as api:
        yield api


@pytest.fixture(scope="module")
def small_limit_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    """A body limit below what the schema allows, to reach it without sending megabytes."""
    with serve_api(tmp_path_factory.mktemp("small-limit-api"), max_body_bytes=BODY_LIMIT) as api:
        yield api


@pytest.mark.parametrize("role", [None, *Role], ids=lambda role: role.value if role else "anonymous")
def test_schemathesis_finds_no_failure(live_api: LiveApi, role: Role | None, tmp_path: Path) -> None:
    result = run_schemathesis(live_api, role, tmp_path / "report.ndjson", max_examples=MAX_EXAMPLES, phases=PHASES)
    assert result.failures == [], "\n".join(result.failures) + "\n" + result.output[-6000:]
    assert result.exit_code == 0, result.output[-6000:]
    # Every operation of the schema was probed, not an empty or half-loaded one.
    selected = re.search(r"Operations:\s+(\d+) selected", result.output)
    assert selected is not None and int(selected.group(1)) >= 15, result.output[-6000:]


def test_every_documented_error_is_an_error_out(live_api: LiveApi) -> None:
    document = httpx.get(f"{live_api.url}/openapi.json").json()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    errors = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    errors += 1
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)
            if "security" in operation:
                assert "401" in operation["responses"], (method, path)
            if "requestBody" in operation:
                assert {"400", "413", "422"} <= set(operation["responses"]), (method, path)
    assert errors > 80


def _error(response: httpx.Response, status: int) -> ErrorOut:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    error = ErrorOut.model_validate(response.json())
    assert error.detail and error.type
    return error


def test_every_kind_of_error_answers_the_same_shape(live_api: LiveApi) -> None:
    analyst, police = live_api.headers(Role.ANALYST), live_api.headers(Role.POLICE)
    with httpx.Client(base_url=live_api.url, timeout=30) as client:
        assert _error(client.get("/queue"), 401).type == "not_authenticated"
        assert _error(client.get("/queue", headers=police), 403).type == "forbidden"
        assert "no ad 999999" in _error(client.get("/ads/999999", headers=analyst), 404).detail
        assert _error(client.get("/no-such-path"), 404).type == "not_found"
        bad_cursor = _error(client.get("/queue", params={"cursor": "bm90LWEtY3Vyc29y"}, headers=analyst), 404)
        assert "cursor" in bad_cursor.detail
        invalid = _error(client.get("/queue", params={"until": "0.5", "limit": 0}, headers=analyst), 422)
        assert {tuple(item.loc) for item in invalid.errors} == {("query", "until"), ("query", "limit")}
        assert invalid.type == "invalid_request" and "until" in invalid.detail
        not_utf8 = client.post("/intake/text", content=b"\xff\xfe{", headers={**analyst,
                                                                              "content-type": "application/json"})
        assert _error(not_utf8, 400).type == "bad_request"
        refused = client.post("/intake/url", json={"url": "http://127.0.0.1/metrics"}, headers=analyst)
        assert _error(refused, 403).detail
        out_of_range = client.get("/queue", params={"cursor": _cursor(0, 0.5, 2**70)}, headers=analyst)
        assert _error(out_of_range, 404).type == "not_found"


def test_405_names_every_method_the_path_serves(live_api: LiveApi) -> None:
    analyst = live_api.headers(Role.ANALYST)
    with httpx.Client(base_url=live_api.url, timeout=30) as client:
        for method in ("PUT", "OPTIONS"):
            response = client.request(method, "/ads/1/claim", headers=analyst)
            assert _error(response, 405).type == "method_not_allowed"
            assert response.headers["allow"] == "DELETE, POST"
        assert client.patch("/auth/api-tokens", headers=analyst).headers["allow"] == "GET, POST"


@pytest.mark.parametrize("value", ["0.5", "1700000000", "2026-11-01", "2026-11-01T08:00:00", "2026-11-01 08:00Z"])
def test_queue_dates_are_rfc3339_with_a_zone_as_documented(live_api: LiveApi, value: str) -> None:
    response = httpx.get(f"{live_api.url}/queue", params={"until": value}, headers=live_api.headers(Role.ANALYST))
    assert _error(response, 422).errors[0].loc == ["query", "until"]


def test_a_zoned_date_is_accepted(live_api: LiveApi) -> None:
    for value in ("2026-11-01T08:00:00+07:00", "2026-11-01T01:00:00.5Z"):
        response = httpx.get(f"{live_api.url}/queue", params={"since": value, "until": value},
                             headers=live_api.headers(Role.ANALYST))
        assert response.status_code == 200, response.text


def _cursor(rank: int, risk: float, ad_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([rank, risk, ad_id]).encode()).decode().rstrip("=")


def _chunked_post(api: LiveApi, path: str, chunks: list[bytes]) -> tuple[int, dict[str, Any]]:
    """POST a body with Transfer-Encoding: chunked (no Content-Length) over a raw socket; the status and JSON."""
    host, port = api.url.removeprefix("http://").split(":")
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: {api.headers(Role.ANALYST)['Authorization']}\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode()
    body = b"".join(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" for chunk in chunks) + b"0\r\n\r\n"
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(head)
        # The server may answer and close before it has read everything we send.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(body)
        answer = b""
        while data := sock.recv(65536):
            answer += data
    response = httpx.Response(int(answer.split(b" ", 2)[1]), content=answer.split(b"\r\n\r\n", 1)[1])
    if b"transfer-encoding: chunked" in answer.split(b"\r\n\r\n", 1)[0].lower():
        response = httpx.Response(response.status_code, content=_dechunk(response.content))
    return response.status_code, response.json()


def _dechunk(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, data = data.split(b"\r\n", 1)
        size = int(size_line, 16)
        if size == 0:
            break
        out, data = out + data[:size], data[size + 2:]
    return out


def test_a_body_with_a_length_over_the_limit_is_413(small_limit_api: LiveApi) -> None:
    too_big = httpx.post(f"{small_limit_api.url}/intake/text", json={"text": "x" * BODY_LIMIT},
                         headers=small_limit_api.headers(Role.ANALYST))
    error = _error(too_big, 413)
    assert error.type == "body_too_large" and "LOKERWATCH_MAX_BODY_BYTES" in error.detail


def test_a_chunked_body_over_the_limit_is_413_from_a_real_server(small_limit_api: LiveApi) -> None:
    text = b'{"text": "' + b"x" * (BODY_LIMIT // 2) + b'"}'
    status, body = _chunked_post(small_limit_api, "/intake/text", [text[i:i + 512] for i in range(0, len(text), 512)])
    assert status == 201, body  # under the limit, chunked bodies are read as usual
    text = b'{"text": "' + b"y" * (BODY_LIMIT * 2) + b'"}'
    status, body = _chunked_post(small_limit_api, "/intake/text", [text[i:i + 512] for i in range(0, len(text), 512)])
    assert status == 413, body
    error = ErrorOut.model_validate(body)
    assert error.type == "body_too_large" and "LOKERWATCH_MAX_BODY_BYTES" in error.detail
