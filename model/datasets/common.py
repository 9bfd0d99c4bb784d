"""What every importer shares: checksums, bad-row reports, results, and the one JSONL writer."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from model.file_hash import sha256_file
from model.labelled import LabelledDataError, parse_labelled_record

# The modus values the labelled data uses (see labelled_data/README.md).
MODUS_VALUES = (
    "online_scam_compound", "sexual_exploitation", "bride_trafficking", "nonprocedural_migrant", "ship_crew",
    "domestic_work_ban", "fee_fraud", "task_scam", "impersonation",
    "legit_local", "legit_overseas_p3mi", "legit_entertainment", "legit_remote_cs", "legit_high_pay",
    "legit_entry_training",
)
SOURCES = ("olx", "telegram", "facebook", "whatsapp", "jobboard", "instagram", "sms")
_MAX_LISTED = 5


class DatasetError(Exception):
    """An input the importer refuses: the message is one line a person can act on."""


@dataclass(frozen=True)
class BadRow:
    """A row that could not be imported, with the line of the file it starts on."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ImportResult:
    """Records in the labelled-data schema, plus what was left out and why."""

    dataset: str
    records: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[BadRow] = field(default_factory=list)
    duplicates: int = 0
    checksum: str = ""  # "verified", "skipped", or "unknown" (no published checksum)

    def summary(self, out: Path | None = None) -> str:
        where = f" -> {out}" if out else ""
        return (f"{self.dataset}: {len(self.records)} imported, {len(self.rejected)} rejected, "
                f"{self.duplicates} duplicate texts dropped, checksum {self.checksum}{where}")


class Importer(Protocol):
    def __call__(self, path: Path, *, verify: bool = True, skip_bad: bool = False) -> ImportResult: ...


def require_file(dataset: str, path: Path) -> None:
    if not path.is_file():
        raise DatasetError(f"{dataset}: {path}: no such file (give the path of the data set's file)")


def verify_sha256(dataset: str, path: Path, expected: str) -> str:
    """Refuse a file whose bytes differ from the published copy: labels would no longer mean what the README says."""
    actual = sha256_file(path)
    if actual != expected:
        raise DatasetError(f"{dataset}: {path}: sha256 {actual} does not match the published {expected} "
                           "(wrong or edited file; pass --no-verify to import it anyway)")
    return "verified"


_README_SHA = re.compile(r"sha256[`:\s]+`?([0-9a-f]{64})", re.IGNORECASE)


def sha256_from_readme(path: Path) -> str | None:
    """The checksum a data set's README.md (beside the file) publishes, if it names exactly one."""
    readme = path.parent / "README.md"
    if not readme.is_file():
        return None
    found = set(_README_SHA.findall(readme.read_text(encoding="utf-8", errors="replace")))
    return found.pop() if len(found) == 1 else None


def squash(text: str) -> str:
    """Text compared for exact duplicates: case and whitespace ignored."""
    return " ".join(text.lower().split())


def finish(result: ImportResult, path: Path, skip_bad: bool) -> ImportResult:
    """Raise on bad rows unless asked to skip them; the message lists the first few with line numbers."""
    if result.rejected and not skip_bad:
        listed = "; ".join(str(row) for row in result.rejected[:_MAX_LISTED])
        more = f" (and {len(result.rejected) - _MAX_LISTED} more)" if len(result.rejected) > _MAX_LISTED else ""
        raise DatasetError(f"{result.dataset}: {path}: {len(result.rejected)} bad row(s): {listed}{more} "
                           "(fix them, or pass --skip-bad to leave them out)")
    return result


def dedupe(records: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Keep the first of exact duplicate texts (reposts), so one text never counts twice."""
    seen: set[str] = set()
    kept: list[dict[str, Any]] = []
    for record in records:
        key = squash(f"{record.get('title', '')} {record['text']}")
        if key in seen:
            continue
        seen.add(key)
        kept.append(record)
    return kept, len(records) - len(kept)


def write_jsonl(records: Iterable[dict[str, Any]], out: Path,
                progress: Callable[[int], None] | None = None) -> int:
    """Write records as labelled-data JSONL, checked against the schema, all or nothing (temp file + rename)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for count, record in enumerate(records, start=1):
                try:
                    parse_labelled_record(record, f"record {count}")
                except LabelledDataError as exc:
                    raise DatasetError(f"refusing to write {out}: {exc}") from exc
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                if progress:
                    progress(1)
        os.replace(tmp_name, out)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return count


def read_text(dataset: str, path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{dataset}: {path}: not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise DatasetError(f"{dataset}: {path}: cannot read ({exc.strerror})") from exc


def import_published(dataset: str, path: Path, expected_sha256: str, parse: Callable[[str], ImportResult], *,
                     verify: bool, skip_bad: bool) -> ImportResult:
    """Check the file is the published one (unless told not to), then parse it and apply the bad-row policy."""
    require_file(dataset, path)
    checksum = verify_sha256(dataset, path, expected_sha256) if verify else "skipped"
    result = parse(read_text(dataset, path))
    result.checksum = checksum
    return finish(result, path, skip_bad)
