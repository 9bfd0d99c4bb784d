"""The labelled-data schema (fixed: other tools read it) and a strict reader for it.

JSONL, one ad a line: `id`, `source`, `title` (may be empty), `text`, `label`
(legit | scam | trafficking), optional `modus`, `lang`, `notes`. Unknown keys are kept in `extra`
and otherwise ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LABELS = ("legit", "scam", "trafficking")
_KNOWN_KEYS = {"id", "source", "title", "text", "label", "modus", "lang", "notes"}


class LabelledDataError(ValueError):
    """A line of a labelled-data file breaks the schema; the message names the file and line."""


@dataclass(frozen=True)
class LabelledAd:
    id: str
    source: str
    text: str
    label: str
    title: str = ""
    modus: str | None = None
    lang: str | None = None
    notes: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {"id": self.id, "source": self.source, "title": self.title,
                                  "text": self.text, "label": self.label}
        for key in ("modus", "lang", "notes"):
            if getattr(self, key) is not None:
                record[key] = getattr(self, key)
        record.update(self.extra)
        return record


def parse_labelled_record(raw: Any, where: str) -> LabelledAd:
    """Validate one decoded JSON value against the schema; `where` prefixes every error message."""
    if not isinstance(raw, dict):
        raise LabelledDataError(f"{where}: expected a JSON object, got {type(raw).__name__}")
    missing = [key for key in ("id", "source", "text", "label") if key not in raw]
    if missing:
        raise LabelledDataError(f"{where}: missing required field(s): {', '.join(missing)}")
    for key in ("id", "source", "text", "label"):
        if not isinstance(raw[key], str):
            raise LabelledDataError(f"{where}: field '{key}' must be a string")
    if not raw["id"].strip() or not raw["text"].strip():
        raise LabelledDataError(f"{where}: 'id' and 'text' must not be empty")
    if raw["label"] not in LABELS:
        raise LabelledDataError(f"{where}: label {raw['label']!r} is not one of {', '.join(LABELS)}")
    optional: dict[str, str | None] = {}
    for key in ("modus", "lang", "notes"):
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            raise LabelledDataError(f"{where}: field '{key}' must be a string when present")
        optional[key] = value
    title = raw.get("title") or ""
    if not isinstance(title, str):
        raise LabelledDataError(f"{where}: field 'title' must be a string")
    extra = {key: value for key, value in raw.items() if key not in _KNOWN_KEYS}
    return LabelledAd(id=raw["id"], source=raw["source"], text=raw["text"], label=raw["label"],
                      title=title, extra=extra, **optional)


def read_labelled_jsonl(path: Path) -> Iterator[LabelledAd]:
    """Yield every record of a labelled-data file; stops at the first bad line with its line number."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise LabelledDataError(f"{path}: cannot open ({exc.strerror})") from exc
    with handle:
        try:
            for line_no, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{path}:{line_no}"
                try:
                    raw = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise LabelledDataError(f"{where}: not valid JSON ({exc.msg})") from exc
                yield parse_labelled_record(raw, where)
        except UnicodeDecodeError as exc:
            raise LabelledDataError(f"{path}: not UTF-8 text ({exc.reason})") from exc
