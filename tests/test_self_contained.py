"""A fresh clone runs on its own: no code, test, benchmark or build file reaches into ../shared beside it.

Real fixtures and data sets are vendored (tests/fixtures/, datasets/) with their licences. Docstrings,
comments and READMEs may still say where a file originally came from; only paths that code builds count.
"""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
CHECKED_SUFFIXES = {".py", ".toml", ".sh"}
CHECKED_NAMES = {"Makefile"}
# Folders that are never part of the repository, for the fallback walk outside a git checkout.
NOT_IN_REPOSITORY = {".git", ".venv", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis", "__pycache__"}
SHARED_PATH = re.compile(r"\.\.[/\\]+shared\b|/work/shared\b")
BARE_SHARED = re.compile(r"^shared(?:[/\\]|$)")


def repository_files() -> list[Path]:
    """What a commit would hold: tracked files plus untracked ones git does not ignore."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=REPO_ROOT, capture_output=True, check=True, timeout=60).stdout
    except (OSError, subprocess.CalledProcessError):
        return [path for path in REPO_ROOT.rglob("*") if path.is_file()
                and not any(part in NOT_IN_REPOSITORY or part.endswith(".egg-info")
                            for part in path.relative_to(REPO_ROOT).parts)]
    return [REPO_ROOT / name for name in listed.decode("utf-8").split("\0") if name]


def _is_checked(path: Path) -> bool:
    if path.suffix in CHECKED_SUFFIXES or path.name in CHECKED_NAMES:
        return True
    if path.suffix:
        return False
    with path.open("rb") as handle:  # extension-less scripts such as .ci/run
        first_line = handle.readline(200)
    return first_line.startswith(b"#!") and b"sh" in first_line


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value,
                                                                                                   str):
                found.add(id(first.value))
    return found


def shared_paths_in_python(source: str) -> list[str]:
    """String literals (not docstrings) that point into ../shared: `parent / "shared"`, `"../shared/..."`,
    `os.path.join(root, "..", "shared")`. Comments are not code, so they never count."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    path_operands: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            path_operands.update({id(node.left), id(node.right)})
        elif isinstance(node, ast.Call):
            path_operands.update(id(arg) for arg in node.args)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in docstrings:
            continue
        if SHARED_PATH.search(node.value) or (id(node) in path_operands and BARE_SHARED.match(node.value)):
            found.append(f"line {node.lineno}: {node.value!r}")
    return found


def shared_paths_in_text(source: str) -> list[str]:
    """Lines of a Makefile, TOML file or shell script that name ../shared outside a comment."""
    found = []
    for number, line in enumerate(source.splitlines(), start=1):
        code = line if line.lstrip().startswith("#!") else re.split(r"(?:^|\s)#", line, maxsplit=1)[0]
        if SHARED_PATH.search(code):
            found.append(f"line {number}: {line.strip()}")
    return found


def test_no_repository_file_builds_a_path_into_the_shared_folder_beside_it() -> None:
    checked, offenders = 0, {}
    for path in repository_files():
        if not path.is_file() or not _is_checked(path) or path == Path(__file__).resolve():
            continue  # this file's own examples of bad paths are data, not paths it builds
        checked += 1
        source = path.read_text(encoding="utf-8")
        found = shared_paths_in_python(source) if path.suffix == ".py" else shared_paths_in_text(source)
        if found:
            offenders[str(path.relative_to(REPO_ROOT))] = found
    assert checked > 100, f"only {checked} files checked: the file listing is broken"
    assert offenders == {}, f"these read ../shared, which a fresh clone does not have: {offenders}"


@pytest.mark.parametrize("snippet", [
    'ROOT = Path(__file__).resolve().parents[2]\nSHARED = ROOT.parent / "shared" / "fixtures"\n',
    'DATA = Path("../shared/datasets/id-sms-spam/dataset_sms_spam_v1.csv")\n',
    'path = os.path.join(ROOT, "..", "shared", "fixtures")\n',
    'ads = REPO.parent / "shared/datasets" / "ads.jsonl"\n',
    'open(f"{root}/../shared/fixtures/olx/x.json")\n',
])
def test_the_check_catches_the_ways_code_builds_that_path(snippet: str) -> None:
    assert shared_paths_in_python(snippet)


@pytest.mark.parametrize("snippet", [
    '"""Real captures, first collected in ../shared/fixtures, now vendored."""\nX = 1\n',
    'X = 1  # copied from ../shared/datasets\n',
    'def shared_state(shared_dir: Path) -> None:\n    """Per-run shared state."""\n    label = "shared contact"\n',
])
def test_the_check_lets_provenance_notes_and_other_uses_of_the_word_pass(snippet: str) -> None:
    assert shared_paths_in_python(snippet) == []


def test_the_check_reads_makefiles_and_scripts_outside_their_comments() -> None:
    assert shared_paths_in_text("test:\n\tcp ../shared/fixtures/x.html tests/\n")
    assert shared_paths_in_text('[tool.pytest.ini_options]\npythonpath = ["../shared"]\n')
    assert shared_paths_in_text("# data first came from ../shared/datasets\nbench:\n\t$(BIN)/python x.py\n") == []
