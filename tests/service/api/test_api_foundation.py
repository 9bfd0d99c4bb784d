"""The API's foundation: health, the read-only ad listing, and the request body limit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from scraper.records import JobPost
from service.api.app import create_app
from service.api.body_limit import BodySizeLimitMiddleware
from service.auth.tokens import issue_access_token
from service.settings import Settings
from service.store.ads import upsert_job_post
from service.store.session import Store
from tests.service.desk import make_users


@pytest.fixture
def client(settings: Settings, store: Store) -> Iterator[TestClient]:
    limited = settings.model_copy(update={"max_body_bytes": 1024})
    with store.session_factory() as session:
        analyst = make_users(session)["analyst"]  # /ads is for the desk's roles only (issue 5)
    with TestClient(create_app(limited, store)) as test_client:
        test_client.headers["Authorization"] = "Bearer " + issue_access_token(limited, analyst.id, "analyst")[0]
        yield test_client


def test_healthz_answers_ok_with_version(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_ads_listing_pages_by_cursor(client: TestClient, store: Store) -> None:
    with store.session_factory() as session, session.begin():
        for number in range(5):
            upsert_job_post(session, JobPost(source="olx", source_ad_id=f"ad-{number}", text=f"iklan {number}"), None)
    first = client.get("/ads", params={"limit": 3}).json()
    assert [item["source_ad_id"] for item in first["items"]] == ["ad-0", "ad-1", "ad-2"]
    second = client.get("/ads", params={"limit": 3, "after": first["next_cursor"]}).json()
    assert [item["source_ad_id"] for item in second["items"]] == ["ad-3", "ad-4"]
    assert second["next_cursor"] is None


def test_bad_query_parameters_are_422_not_500(client: TestClient) -> None:
    assert client.get("/ads", params={"limit": 0}).status_code == 422
    assert client.get("/ads", params={"after": "abc"}).status_code == 422


def test_oversized_body_is_rejected_with_413(client: TestClient) -> None:
    response = client.post("/ads", content=b"x" * 4096, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "LOKERWATCH_MAX_BODY_BYTES" in response.json()["detail"]


def test_oversized_chunked_body_without_length_is_rejected_with_413() -> None:
    echo = FastAPI()

    @echo.post("/echo")
    async def echo_length(request: Request) -> dict[str, int]:
        return {"length": len(await request.body())}

    echo.add_middleware(BodySizeLimitMiddleware, max_body_bytes=1024)

    def chunks(count: int) -> Iterator[bytes]:
        for _ in range(count):
            yield b"y" * 512

    with TestClient(echo) as test_client:
        assert test_client.post("/echo", content=chunks(2)).json() == {"length": 1024}
        response = test_client.post("/echo", content=chunks(8))
        assert response.status_code == 413
        assert "LOKERWATCH_MAX_BODY_BYTES" in response.json()["detail"]
