"""Operations: Prometheus metrics, structured log lines, the users CLI, and the audit verify endpoint."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from service.auth.roles import Role
from service.log_config import KeyValueFormatter
from service.review.queue_sync import sync_queue
from service.scoring.threshold import review_threshold
from service.settings import Settings, get_settings
from service.store.session import Store
from service.store.tables import AuditEntry, User
from tests.service.desk import Desk, add_scored_ad


def test_metrics_expose_queue_size_claims_decisions_and_audit_entries(desk: Desk) -> None:
    with desk.store.session_factory() as session:
        ad = add_scored_ad(session, "m1", "Kerja di Kamboja, visa turis", 0.1, 0.8)
        add_scored_ad(session, "m2", "Deposit dulu baru kerja", 0.9, 0.0)
        session.commit()
        sync_queue(session, review_threshold(session, desk.settings))
    desk.client.get("/queue", headers=desk.headers(Role.ANALYST))
    desk.client.post(f"/ads/{ad}/decisions", json={"decision": "trafficking"}, headers=desk.headers(Role.ANALYST))
    response = desk.client.get("/metrics", headers=desk.headers(Role.ADMIN))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'lokerwatch_queue_size{kind="scam",status="open"} 1.0' in text
    assert 'lokerwatch_decisions_total{decision="trafficking"}' in text
    assert "lokerwatch_audit_entries" in text and "lokerwatch_scrape_runs" in text
    assert 'lokerwatch_http_requests_total{method="GET",route="/queue",status="200"}' in text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_audit_verify_endpoint_reports_an_intact_chain(desk: Desk) -> None:
    desk.client.get("/ads", headers=desk.headers(Role.ANALYST))
    report = desk.client.get("/audit/verify", headers=desk.headers(Role.SUPERVISOR)).json()
    assert report["ok"] is True and report["entries"] >= 1 and report["head_id"] == report["recorded_head_id"]


def test_log_lines_are_key_value_with_utc_time() -> None:
    record = logging.LogRecord("lokerwatch.api", logging.INFO, __file__, 1, "event=request status=%d", (200,), None)
    line = KeyValueFormatter().format(record)
    assert line.startswith("ts=") and "Z level=INFO logger=lokerwatch.api event=request status=200" in line
    plain = logging.LogRecord("x", logging.WARNING, __file__, 1, "no pairs here", (), None)
    assert "msg='no pairs here'" in KeyValueFormatter().format(plain)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_users_cli_adds_lists_and_disables_accounts_and_audits_it(settings: Settings, store: Store,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from service.cli.users import users_app

    monkeypatch.setenv("LOKERWATCH_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LOKERWATCH_AUDIT_HEAD_PATH", str(settings.audit_head_path))
    monkeypatch.setenv("NEW_PASSWORD", "sandi-rahasia-panjang")
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        added = runner.invoke(users_app, ["add", "polisi1", "--role", "police", "--unit", "PPA Polres Singkawang",
                                          "--password-env", "NEW_PASSWORD"])
        assert added.exit_code == 0, added.output
        refused = runner.invoke(users_app, ["add", "polisi2", "--role", "police", "--password-env", "NEW_PASSWORD"])
        assert refused.exit_code != 0
        listed = runner.invoke(users_app, ["list"])
        assert "polisi1\tpolice\tPPA Polres Singkawang\tactive" in listed.output
        assert runner.invoke(users_app, ["disable", "polisi1"]).exit_code == 0
        assert "disabled" in runner.invoke(users_app, ["list"]).output
        token = runner.invoke(users_app, ["token", "polisi1", "--name", "skrip"])
        assert token.exit_code == 0 and "lw_" in token.output
    finally:
        get_settings.cache_clear()
    with store.session_factory() as session:
        assert session.scalars(select(User.disabled).where(User.username == "polisi1")).one() is True
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["user.add", "user.disable", "api_token.create"]
