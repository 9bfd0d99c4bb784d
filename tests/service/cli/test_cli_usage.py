"""The command line as a newcomer meets it: the README's commands exist, mistakes are one `error:` line."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import func, select
from typer.testing import CliRunner

from service.auth.users import InvalidCredentials, add_user, authenticate
from service.cli.main import app
from service.demo.quickstart import print_accounts
from service.demo.setup import DemoAccount
from service.settings import Settings
from service.store.session import open_store
from service.store.tables import Ad, AuditEntry, ScrapeRun, Snapshot

REPO_ROOT = Path(__file__).resolve().parents[3]
_CODE_SPAN = re.compile(r"`([^`]+)`")


def readme_commands() -> list[tuple[list[str], list[str]]]:
    """(command words, options named) for every command the README's command table shows.

    `users add|list` in the table stands for two commands; words stop at the first placeholder
    (NAME, PATH), bracket or option, and every `--option` named in the cell must exist.
    """
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Command line", 1)[1].split("\n## ", 1)[0]
    commands = []
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cell = line[1:].split(" | ", 1)[0].replace("\\|", "|")
        for span in _CODE_SPAN.findall(cell):
            tokens = span.split()
            if tokens[0] == "lokerwatch":
                tokens = tokens[1:]
            words: list[list[str]] = []
            for token in tokens:
                if token.startswith(("-", "[")) or not re.fullmatch(r"[a-z0-9|-]+", token):
                    break
                words.append(token.split("|"))
            options = re.findall(r"--[a-z][a-z-]*", span)
            commands.extend((list(variant), options) for variant in itertools.product(*words))
    return commands


def test_the_readme_shows_the_commands_this_test_reads() -> None:
    shown = {" ".join(words) for words, _ in readme_commands()}
    assert {"quickstart", "serve", "snapshots export-warc", "users reset-password", "import whatsapp",
            "lead verify", "data import emscad", "scrape errors"} <= shown
    assert len(shown) >= 35


@pytest.mark.parametrize(("words", "options"), readme_commands(), ids=lambda v: " ".join(v) if v else "-")
def test_every_command_in_the_readme_has_help_with_the_options_it_names(words: list[str], options: list[str]) -> None:
    result = CliRunner().invoke(app, [*words, "--help"], terminal_width=200)
    assert result.exit_code == 0, f"`lokerwatch {' '.join(words)} --help` failed: {result.output}"
    for option in options:
        assert option in result.output, f"`lokerwatch {' '.join(words)}` has no {option} (README names it)"


def run_cli(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real console entry point (`python -m service.cli`) on a store of its own, with its stderr."""
    environment = {**os.environ, "LOKERWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
                   "LOKERWATCH_DEV_MODE": "true", "LOKERWATCH_AUDIT_HEAD_PATH": str(tmp_path / "head.log"),
                   "PYTHONPATH": str(REPO_ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "service.cli", *args], capture_output=True, text=True,
                          env=environment, cwd=tmp_path, timeout=120)


@pytest.mark.parametrize("args", [
    ("snapshots", "export-warc", "x.warc", "--bogus"),
    ("scrape", "telegram", "--bogus"),
    ("scrape", "telegram"),
    ("no-such-command",),
    ("score", "--batch-size", "0"),
    ("users", "add", "someone"),
])
def test_a_command_line_mistake_is_one_error_line_and_exit_code_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run_cli(tmp_path, *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "--help" in lines[0]  # says where to read next


@pytest.mark.parametrize("content", [b"", b"just some notes\nno chat here\n", b"\x00\xff\xfe binary junk"])
@pytest.mark.parametrize("kind", ["whatsapp", "facebook"])
def test_importing_a_file_with_no_post_is_a_user_error_and_stores_nothing(tmp_path: Path, kind: str,
                                                                           content: bytes) -> None:
    junk = tmp_path / ("chat.txt" if kind == "whatsapp" else "page.html")
    junk.write_bytes(content)
    result = run_cli(tmp_path, "import", kind, str(junk), "--no-score")
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "nothing was stored" in lines[0]
    store = open_store(Settings(database_url=f"sqlite:///{tmp_path / 'cli.db'}", dev_mode=True,
                                _env_file=None))  # type: ignore[call-arg]
    with store.session_factory() as session:
        for table in (Ad, Snapshot, ScrapeRun):
            assert session.scalar(select(func.count()).select_from(table)) == 0, table.__name__
    store.dispose()


def test_reset_password_prints_a_new_password_that_works_and_is_audited(tmp_path: Path) -> None:
    env_password = "a-long-first-password-123"
    # The CLI asks for passwords on a terminal; --password-env is the scripted way.
    first = run_cli(tmp_path, "users", "add", "demo", "--role", "analyst", "--password-env", "LW_TEST_FIRST_PASSWORD",
                    env={"LW_TEST_FIRST_PASSWORD": env_password})
    assert first.returncode == 0, first.stderr
    reset = run_cli(tmp_path, "users", "reset-password", "demo")
    assert reset.returncode == 0, reset.stderr
    new_password = reset.stdout.strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{16}", new_password)
    assert "shown once" in reset.stderr
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'cli.db'}", dev_mode=True,
                        _env_file=None)  # type: ignore[call-arg]
    store = open_store(settings)
    with store.session_factory() as session:
        assert authenticate(session, settings, "demo", new_password, "127.0.0.1").username == "demo"
        with pytest.raises(InvalidCredentials):
            authenticate(session, settings, "demo", env_password, "127.0.0.1")
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    store.dispose()
    assert actions[-1] == "user.reset_password"
    unknown = run_cli(tmp_path, "users", "reset-password", "nobody")
    assert unknown.returncode != 0 and unknown.stderr.startswith("error: no user named 'nobody'")


def test_reset_password_unlocks_an_account_locked_by_failed_log_ins(settings: Settings) -> None:
    store = open_store(settings)
    from service.auth.throttle import LoginLocked
    from service.auth.users import reset_password

    with store.session_factory() as session:
        add_user(session, "analis", "correct-horse-battery", "analyst")
        session.commit()
        for _ in range(settings.login_max_failures_per_account):
            with pytest.raises(InvalidCredentials):
                authenticate(session, settings, "analis", "wrong-guess-000", "10.0.0.1")
        with pytest.raises(LoginLocked):
            authenticate(session, settings, "analis", "correct-horse-battery", "10.0.0.2")
        _, password = reset_password(session, "analis")
        session.commit()
        assert authenticate(session, settings, "analis", password, "10.0.0.2").username == "analis"
    store.dispose()


def test_a_second_quickstart_says_how_to_get_a_password_back() -> None:
    console = Console(record=True, width=200)
    print_accounts([DemoAccount("demo", "analyst", None), DemoAccount("demo-polisi", "police", "s3cret-pass")],
                   console, "http://127.0.0.1:8000")
    text = console.export_text()
    assert "(already existed; password unchanged)" in text
    assert "lokerwatch users reset-password NAME" in text


@pytest.mark.parametrize(("name", "value"), [("LOKERWATCH_PORT", "abc"), ("LOKERWATCH_DISPLAY_TIMEZONE", "Mars/Base")])
def test_a_bad_setting_is_one_error_line_naming_the_variable(tmp_path: Path, name: str, value: str) -> None:
    result = run_cli(tmp_path, "score", env={name: value})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: bad setting {name}:"), result.stderr
