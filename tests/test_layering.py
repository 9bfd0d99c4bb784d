"""Data flows one way and the folders show it (STYLE.md, section 1): who may import whom.

- `scraper/` and `model/` know nothing of the service or of each other; they exchange plain records.
- The service's core (collect/, scoring/, review/, links/, leads/, research/, store/, auth/, display/, ...)
  never imports its entry points (api/, web/, cli/): those call the core, never the other way round, so
  the same use case serves the JSON API, the desk's pages and the command line alike.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
ENTRY_POINTS = ("service.api", "service.web", "service.cli")
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "scraper": ("service", "model"),
    "model": ("service", "scraper"),
    "service core": ENTRY_POINTS,
}


def imported_modules(path: Path) -> set[str]:
    """Every absolute module an import statement in `path` names (lazy imports inside functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def files_of(layer: str) -> list[Path]:
    if layer != "service core":
        return sorted((REPO_ROOT / layer).rglob("*.py"))
    entry_dirs = [REPO_ROOT / name.replace(".", "/") for name in ENTRY_POINTS]
    return sorted(p for p in (REPO_ROOT / "service").rglob("*.py")
                  if not any(p.is_relative_to(d) for d in entry_dirs))


def reaches(module: str, forbidden: str) -> bool:
    return module == forbidden or module.startswith(forbidden + ".")


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_does_not_import_what_it_must_not_know(layer: str) -> None:
    files = files_of(layer)
    assert len(files) >= 10, f"{layer} has too few Python files; is the layout what this test expects?"
    offenders = {
        str(path.relative_to(REPO_ROOT)): sorted(m for m in imported_modules(path)
                                                 if any(reaches(m, f) for f in FORBIDDEN[layer]))
        for path in files
    }
    assert {path: modules for path, modules in offenders.items() if modules} == {}


def test_the_check_catches_a_core_module_importing_an_entry_point(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from service.api.deps import get_store\n    from service import web\n")
    found = imported_modules(sample)
    assert any(reaches(m, "service.api") for m in found) and any(reaches(m, "service.web") for m in found)
