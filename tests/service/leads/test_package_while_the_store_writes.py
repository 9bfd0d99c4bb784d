"""Building a case package holds no write transaction while headless Chromium renders its screenshots (seconds):
a scrape run and an analyst's audited read commit meanwhile, on SQLite (whose write lock is the whole store's) as
on PostgreSQL, and the package, its export record and its audit entry come out as always."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from scraper.records import JobPost
from service.audit import record_audit, verify_audit_log
from service.leads.package import build_lead_package
from service.leads.screenshots import CapturedPage, ChromiumRenderer, Screenshot, renderer_for
from service.leads.signing import installation_public_key, load_or_create_signer
from service.leads.verify import verify_package
from service.settings import Settings
from service.store.ads import upsert_job_post
from service.store.engine import immediate
from service.store.session import Store, open_store
from service.store.tables import Ad, AuditEntry, LeadExport
from tests.service.leads.packages import SUPERVISOR, create_test_lead, seed_lead_data


@dataclass(frozen=True)
class RendererBesideAWriter(ChromiumRenderer):
    """The real Chromium renderer; as it starts, another connection writes to the store and commits."""

    write: Callable[[], None] = lambda: None
    events: list[str] = field(default_factory=list)

    def render(self, pages: Sequence[CapturedPage]) -> list[Screenshot]:
        def writer() -> None:
            try:
                self.write()
                self.events.append("the other writer committed")
            except OperationalError as exc:  # SQLite: "database is locked" once its busy timeout ran out
                self.events.append(f"the other writer failed: {exc.orig}")

        thread = threading.Thread(target=writer)
        thread.start()
        shots = super().render(pages)
        self.events.append("screenshots rendered")
        thread.join(timeout=60)
        return shots


def test_another_writer_commits_while_the_package_s_screenshots_render(
        store: Store, settings: Settings, fixtures_dir: Path) -> None:
    lead_id = create_test_lead(store, seed_lead_data(store, fixtures_dir))
    # Another process's store, with a short wait for SQLite's lock: a writer kept out shows as a failure, not a pause.
    other = open_store(settings.model_copy(update={"sqlite_busy_timeout_ms": 3000}), migrate=False)

    def scrape_and_read() -> None:
        with other.session_factory() as session:
            upsert_job_post(session, JobPost(source="telegram", source_ad_id="baru-1",
                                             text="Lowongan baru: admin online Kamboja, gaji 20 juta"), None)
            record_audit(session, "user:analis1", "ad.read", "ad", lead_id)
            session.commit()

    renderer = RendererBesideAWriter(**vars(renderer_for(settings)), write=scrape_and_read)
    try:
        with store.session_factory() as session:
            immediate(session)  # as the API's and the desk's write sessions begin on SQLite
            package = build_lead_package(session, lead_id, SUPERVISOR,
                                         load_or_create_signer(settings.signing_key_path), settings.display_timezone,
                                         renderer)
            session.commit()
    finally:
        other.dispose()

    assert renderer.events == ["the other writer committed", "screenshots rendered"]
    assert package.screenshots == 2 and package.screenshot_problems == ()  # both snapshots, by real Chromium
    checked = settings.signing_key_path.parent / "paket.zip"
    checked.write_bytes(package.data)
    report = verify_package(checked, installation_public_key(settings.signing_key_path))
    assert report.ok, report.problems
    with store.session_factory() as session:
        assert session.scalars(select(Ad.id).where(Ad.source_ad_id == "baru-1")).one()
        export = session.scalars(select(LeadExport)).one()
        assert (export.id, export.package_sha256) == (package.export_id, package.sha256)
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions[-2:] == ["ad.read", "lead.export"]  # the read committed first, the export after rendering
        assert verify_audit_log(session, None).ok
