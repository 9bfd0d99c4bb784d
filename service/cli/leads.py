"""`lokerwatch lead ...`: build case packages for police units and re-check them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from service.cli.console import out, print_error
from service.cli.exports import audited_store, cli_actor
from service.leads.package import build_lead_package
from service.leads.rules import Viewer, create_lead
from service.leads.verify import verify_package
from service.settings import get_settings
from service.store.engine import immediate

lead_app = typer.Typer(no_args_is_help=True, help="Leads for police units: case packages and their checks.")


@lead_app.command("create")
def lead_create(
    unit: Annotated[str, typer.Option(help='Police unit the lead goes to, e.g. "PPA Polres Singkawang".')],
    ad: Annotated[list[int], typer.Option("--ad", help="Id of a confirmed ad (repeat for several).")],
    title: Annotated[str, typer.Option(help="Short title of the lead.")] = "",
    note: Annotated[str, typer.Option(help="Note for the unit.")] = "",
) -> None:
    """Turn ads whose latest decision is trafficking or scam into a lead for one police unit."""
    store = audited_store()
    with store.session_factory() as session:
        immediate(session)  # read-then-write: take SQLite's write lock first
        lead = create_lead(session, cli_actor(), unit, ad, title, note)
        session.commit()
    out.print(f"lead #{lead.id} for {lead.unit}: {len(set(ad))} ads")


@lead_app.command("export")
def lead_export(
    lead_id: Annotated[int, typer.Argument(help="The lead's id.")],
    output: Annotated[Path, typer.Option("--out", help="ZIP file to write.")],
) -> None:
    """Write a lead's case package (manifest, ads, WARC of the snapshots, summary in Bahasa Indonesia)."""
    store = audited_store()
    with store.session_factory() as session:
        immediate(session)
        package = build_lead_package(session, lead_id, Viewer(cli_actor(), "supervisor"),
                                     get_settings().display_timezone)
        output.write_bytes(package.data)  # written before the export is committed as done
        session.commit()
    out.print(f"wrote {output} (sha256 {package.sha256}; export #{package.export_id})")


@lead_app.command("verify")
def lead_verify(package: Annotated[Path, typer.Argument(help="A case package ZIP.")]) -> None:
    """Re-check every file's SHA-256 and that the WARC holds every snapshot's bytes and URL."""
    report = verify_package(package)
    if not report.ok:
        for problem in report.problems:
            print_error(problem)
        print_error(f"{package}: NOT intact ({len(report.problems)} problem(s)); do not rely on this package")
        sys.exit(1)
    out.print(f"{package}: intact: {report.files_checked} files and {report.snapshots_checked} snapshots match "
              f"the manifest (package sha256 {report.package_sha256})")
