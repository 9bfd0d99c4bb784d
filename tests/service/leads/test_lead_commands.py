"""`lokerwatch lead create|export|verify` as an operator runs them, on SQLite and PostgreSQL: the key is made
on first export with mode 600, the package's SHA-256 is recorded and audited, mistakes are one `error:` line."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from service.leads.signing import load_or_create_signer
from service.settings import Settings
from service.store.session import Store
from service.store.tables import AuditEntry, LeadExport
from tests.service.leads.packages import UNIT, seed_lead_data

REPO_ROOT = Path(__file__).resolve().parents[3]


def _lokerwatch(settings: Settings, key_path: Path, cwd: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOKERWATCH_DATABASE_URL": settings.database_url, "LOKERWATCH_DEV_MODE": "true",
           "LOKERWATCH_AUDIT_HEAD_PATH": str(settings.audit_head_path),
           "LOKERWATCH_SIGNING_KEY_PATH": str(key_path), "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run([sys.executable, "-m", "service.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=600)  # a hang guard: start-up alone is slow on a loaded machine


def test_an_operator_creates_exports_and_verifies_a_lead_from_the_command_line(
        store: Store, settings: Settings, fixtures_dir: Path, tmp_path: Path) -> None:
    seeded = seed_lead_data(store, fixtures_dir)
    key_path = tmp_path / "kunci" / "lokerwatch-signing-key.pem"
    created = _lokerwatch(settings, key_path, tmp_path, "lead", "create", "--unit", UNIT,
                          "--ad", str(seeded["trafficking"]), "--ad", str(seeded["scam"]),
                          "--title", "Jaringan admin Kamboja")
    assert created.returncode == 0, created.stderr
    lead_id = created.stdout.split("#", 1)[1].split()[0]

    unwritable = _lokerwatch(settings, key_path, tmp_path, "lead", "export", lead_id, "--out",
                             tmp_path / "tidak-ada" / "paket.zip")
    assert unwritable.returncode == 2, unwritable.stderr
    assert unwritable.stderr.startswith("error: ") and len(unwritable.stderr.splitlines()) == 1, unwritable.stderr
    assert "nothing was exported" in unwritable.stderr and "Traceback" not in unwritable.stderr
    with store.session_factory() as session:  # the failed export left no record behind
        assert session.scalars(select(LeadExport)).first() is None

    package = tmp_path / "paket.zip"
    exported = _lokerwatch(settings, key_path, tmp_path, "lead", "export", lead_id, "--out", package)
    assert exported.returncode == 0, exported.stderr
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600  # made on first use, private
    digest = hashlib.sha256(package.read_bytes()).hexdigest()
    fingerprint = load_or_create_signer(key_path).fingerprint
    assert f"sha256 {digest}" in exported.stdout and fingerprint in exported.stdout
    assert not list(tmp_path.glob("*.partial"))
    with store.session_factory() as session:
        export = session.scalars(select(LeadExport)).one()
        audited = session.scalars(select(AuditEntry).where(AuditEntry.action == "lead.export")).one()
    assert export.package_sha256 == digest and export.exported_by.startswith("cli:")
    assert audited.details["package_sha256"] == digest and audited.details["signing_key_sha256"] == fingerprint

    verified = _lokerwatch(settings, key_path, tmp_path, "lead", "verify", package)
    assert verified.returncode == 0, verified.stderr
    assert "intact: 6 files and 2 snapshots match the signed manifest" in verified.stdout

    missing = _lokerwatch(settings, key_path, tmp_path, "lead", "export", "9999", "--out", tmp_path / "x.zip")
    assert missing.returncode != 0 and missing.stderr.startswith("error: ") and len(missing.stderr.splitlines()) == 1
    assert not (tmp_path / "x.zip").exists()
