"""Sources from a TOML file: the schedule an operator keeps in version control, applied to the `sources` table.

```toml
[[source]]
kind = "telegram"
every = 1800                       # seconds
params = { channel = "lokerjakarta" }

[[source]]
name = "olx:admin-jakarta"         # optional; default KIND:CHANNEL or KIND:QUERY
kind = "olx"
every = 3600
enabled = false
params = { query = "lowongan admin", location = "4000030", max_pages = 5 }
```
Applying is idempotent: rows are added or their kind/params/interval/enabled updated; cursors are kept.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scraper import sources
from service.collect.runs import default_source_name
from service.errors import InputFileError
from service.store.tables import Source as SourceRow
from service.store.types import utc_now


@dataclass(frozen=True)
class SourceSpec:
    name: str
    kind: str
    params: dict[str, Any]
    every: int
    enabled: bool


def read_sources_file(path: Path) -> list[SourceSpec]:
    """Parse and validate every `[[source]]` table; any mistake names the entry and stops before writing."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputFileError(f"{path}: {exc}") from exc
    specs: list[SourceSpec] = []
    for index, entry in enumerate(document.get("source", []), start=1):
        where = f"{path}: [[source]] #{index}"
        kind = entry.get("kind")
        params = entry.get("params", {})
        every = entry.get("every")
        if kind not in sources.web_names():
            raise InputFileError(f"{where}: kind must be a web source ({', '.join(sources.web_names())})")
        if not isinstance(params, dict) or not isinstance(every, int) or every < 60:
            raise InputFileError(f"{where}: needs params as a table and every >= 60 (seconds)")
        try:
            sources.create(kind, params, {})
        except ValueError as exc:
            raise InputFileError(f"{where}: {exc}") from exc
        specs.append(SourceSpec(name=str(entry.get("name") or default_source_name(kind, params)), kind=kind,
                                params=dict(params), every=every, enabled=bool(entry.get("enabled", True))))
    names = [s.name for s in specs]
    if len(names) != len(set(names)):
        raise InputFileError(f"{path}: two sources have the same name")
    return specs


def apply_sources(session_factory: Callable[[], Session], specs: list[SourceSpec]) -> tuple[int, int]:
    """Add or update the rows; returns (added, updated)."""
    added = updated = 0
    with session_factory() as session, session.begin():
        for spec in specs:
            row = session.scalars(select(SourceRow).where(SourceRow.name == spec.name)).first()
            if row is None:
                session.add(SourceRow(name=spec.name, kind=spec.kind, params=spec.params,
                                      interval_seconds=spec.every, enabled=spec.enabled, cursor={},
                                      created_at=utc_now()))
                added += 1
            elif (row.kind, row.params, row.interval_seconds, row.enabled) != (
                    spec.kind, spec.params, spec.every, spec.enabled):
                row.kind, row.params, row.interval_seconds, row.enabled = (
                    spec.kind, spec.params, spec.every, spec.enabled)
                updated += 1
    return added, updated
