"""`lokerwatch audit head|verify`: the audit chain's head, and a full check of the chain."""

from __future__ import annotations

import typer

from service.audit import chain_head, recorded_heads, verify_audit_log
from service.cli.console import command_store, out
from service.errors import LokerwatchError
from service.settings import get_settings

audit_app = typer.Typer(no_args_is_help=True, help="The tamper-evident audit log.")


class AuditBroken(LokerwatchError):
    exit_code = 4


@audit_app.command("head")
def audit_head() -> None:
    """Print the chain's newest entry (id and hash) and the last head recorded outside the store."""
    settings = get_settings()
    with command_store(settings).session_factory() as session:
        head = chain_head(session)
    recorded = recorded_heads(settings.audit_head_path)
    out.print(f"store head:    {head[0]} {head[1]}" if head else "store head:    (empty log)")
    out.print(f"recorded head: {max(recorded)[0]} {max(recorded)[1]} ({settings.audit_head_path})" if recorded
              else f"recorded head: (none in {settings.audit_head_path})")


@audit_app.command("verify")
def audit_verify() -> None:
    """Re-hash every entry, check the links, and that the chain still reaches every recorded head."""
    settings = get_settings()
    with command_store(settings).session_factory() as session:
        report = verify_audit_log(session, settings.audit_head_path)
    if report.ok:
        head = f"head {report.head[0]} {report.head[1]}" if report.head else "empty"
        out.print(f"audit log intact: {report.entries} entries, {head}")
        return
    for problem in report.problems[:50]:
        out.print(f"problem: {problem}")
    raise AuditBroken(f"audit log verification failed: {len(report.problems)} problem(s) in {report.entries} entries")
