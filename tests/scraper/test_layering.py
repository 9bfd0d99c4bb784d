"""scraper/ knows nothing of the store or the model: it returns plain records (STYLE.md, section 1)."""

from __future__ import annotations

import ast
from pathlib import Path

SCRAPER = Path(__file__).resolve().parents[2] / "scraper"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_scraper_never_imports_service_or_model() -> None:
    files = sorted(SCRAPER.rglob("*.py"))
    assert len(files) >= 10
    forbidden = {"service", "model"}
    offending = {
        str(path.relative_to(SCRAPER)): sorted(m for m in imported_modules(path) if m.split(".")[0] in forbidden)
        for path in files
    }
    assert {k: v for k, v in offending.items() if v} == {}


def test_every_source_module_is_registered_by_name() -> None:
    from scraper import sources

    modules = {p.stem for p in (SCRAPER / "sources").glob("*.py") if p.stem not in {"__init__", "base"}}
    assert set(sources.names()) == modules == {"telegram", "olx", "facebook", "whatsapp"}
