"""Schemathesis against the app's own OpenAPI schema: whatever the generated input, never a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.auth.roles import Role
from service.review.queue_sync import sync_queue
from service.scoring.threshold import review_threshold
from tests.service.desk import Desk, add_scored_ad

MAX_EXAMPLES = 6


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_no_generated_request_gets_a_server_error(desk: Desk, role: Role) -> None:
    # Nothing may be fetched from the network whatever URL is generated: an empty intake allow-list.
    desk.app.state.settings = desk.settings.model_copy(update={"intake_source_hosts": []})
    with desk.store.session_factory() as session:
        for number in range(3):
            add_scored_ad(session, f"fuzz-{number}", f"Kerja di Kamboja, visa turis {number}", 0.2, 0.7)
        session.commit()
        sync_queue(session, review_threshold(session, desk.settings))
    schema = schemathesis.openapi.from_asgi("/openapi.json", desk.app)
    headers = desk.headers(role)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]  # Err raises
    assert len(operations) >= 15

    for operation in operations:
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(), data=st.data())
        def exercise(case: schemathesis.Case, data: st.DataObject) -> None:
            try:
                response = case.call(headers=headers)
            except Exception as exc:  # the test client re-raises what the app did not handle: a 500 in production
                failures.append(f"{case.method} {case.formatted_path} raised {type(exc).__name__}: {exc}"[:300])
                return
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:200]}")

        exercise()
    assert not failures, "\n".join(failures[:20])
