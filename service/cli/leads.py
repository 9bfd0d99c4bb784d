"""`lokerwatch lead ...`: build case packages for police units and re-check them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from service.cli.console import out
from service.cli.exports import audited_store, cli_actor
from service.errors import InputFileError
from service.leads.package import build_lead_package
from service.leads.package_format import PUBLIC_KEY_FILE
from service.leads.rules import Viewer, create_lead
from service.leads.screenshots import renderer_for
from service.leads.signing import installation_public_key, load_or_create_signer, read_public_key
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
    """Write a lead's signed case package (manifest, ads, WARC and screenshots of the snapshots, summary in
    Bahasa Indonesia)."""
    settings = get_settings()
    signer = load_or_create_signer(settings.signing_key_path)
    store = audited_store()
    with store.session_factory() as session:
        # No write lock taken here: the package reads, renders its screenshots, and only then opens its write.
        package = build_lead_package(session, lead_id, Viewer(cli_actor(), "supervisor"), signer,
                                     settings.display_timezone, renderer_for(settings))
        _write_whole(output, package.data)  # written before the export is committed as done
        session.commit()
    out.print(f"wrote {output} (sha256 {package.sha256}; export #{package.export_id}; signed by key "
              f"sha256 {package.key_fingerprint})")
    for problem in package.screenshot_problems:  # the package says so too; the operator should know now
        print(f"warning: no screenshot of {problem}", file=sys.stderr)


def _write_whole(output: Path, data: bytes) -> None:
    """Write the package under its name only once all of it is on disk: a unit is never handed half a ZIP."""
    temporary = output.with_name(output.name + ".partial")
    try:
        temporary.write_bytes(data)
        temporary.replace(output)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise InputFileError(f"{output}: cannot write the package ({exc.strerror}); nothing was exported") from exc


@lead_app.command("verify")
def lead_verify(
    package: Annotated[Path, typer.Argument(help="A case package ZIP.")],
    public_key: Annotated[Path | None, typer.Option(
        "--public-key", help="PEM public key to check the signature against (default: this installation's key, "
                             "LOKERWATCH_SIGNING_KEY_PATH).")] = None,
) -> None:
    """Check the container, both signatures, every size and SHA-256, and that manifest, ads and WARC agree."""
    if not package.is_file():
        raise InputFileError(f"{package}: no such file")
    trusted = read_public_key(public_key) if public_key else installation_public_key(get_settings().signing_key_path)
    report = verify_package(package, trusted)
    if not report.ok:
        for problem in report.problems:
            print(f"{package}: NOT intact: {' '.join(problem.split())}", file=sys.stderr)
        if report.package_key_matches is not None:
            out.print(f"{package}: the package's own {PUBLIC_KEY_FILE} (sha256 {report.package_key_sha256}) "
                      f"{'is' if report.package_key_matches else 'is NOT'} the trusted key "
                      f"(sha256 {report.trusted_key_sha256})")
        sys.exit(1)
    out.print(f"{package}: intact: {report.files_checked} files and {report.snapshots_checked} snapshots match the "
              f"signed manifest; signed by the trusted key (sha256 {report.trusted_key_sha256}), which is the "
              f"package's own {PUBLIC_KEY_FILE}; package sha256 {report.package_sha256}")
