"""Labelled data as the model sees it: records, their groups, their slices, and file hashes for the card."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from model.file_hash import sha256_file
from model.labelled import LabelledAd, read_labelled_jsonl
from model.records import AdText

LABELS = ("legit", "scam", "trafficking")
_NOTE_KEY = re.compile(r"\b(voice|author|batch)[ =:]+([\w\-.]+)", re.IGNORECASE)


@dataclass(frozen=True)
class DataFile:
    path: str
    sha256: str
    records: int


@dataclass(frozen=True)
class LabelledSet:
    """Records of one or more labelled-data files, in order, with where they came from."""

    records: tuple[LabelledAd, ...]
    files: tuple[DataFile, ...]

    @property
    def labels(self) -> list[str]:
        return [record.label for record in self.records]

    def ads(self) -> list[AdText]:
        return [as_ad_text(record) for record in self.records]

    def subset(self, indices: Sequence[int]) -> LabelledSet:
        return LabelledSet(tuple(self.records[i] for i in indices), self.files)


def as_ad_text(record: LabelledAd) -> AdText:
    return AdText(ad_id=record.id, title=record.title, text=record.text, source=record.source)


def load_labelled(paths: Sequence[Path]) -> LabelledSet:
    """Read every file (a directory means its *.jsonl files); ids must be unique across files."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.jsonl")) if path.is_dir() else [path])
    records: list[LabelledAd] = []
    described = []
    seen: set[str] = set()
    for path in files:
        file_records = list(read_labelled_jsonl(path))
        for record in file_records:
            if record.id in seen:
                raise ValueError(f"{path}: id {record.id!r} appears twice in the training data")
            seen.add(record.id)
        records.extend(file_records)
        described.append(DataFile(str(path), sha256_file(path), len(file_records)))
    return LabelledSet(tuple(records), tuple(described))


def group_of(record: LabelledAd) -> str:
    """Who wrote the ad (author, voice or batch) or, failing that, where it came from.

    Splits keep a group on one side, so held-out numbers measure ads from writers the model never saw.
    """
    group = record.extra.get("group")
    if isinstance(group, str) and group:
        return group
    if record.notes:
        found = dict((key.lower(), value) for key, value in _NOTE_KEY.findall(record.notes))
        for key in ("author", "voice", "batch"):
            if key in found:
                return f"{key}-{found[key]}"
    return f"source-{record.source}"


def slices_of(record: LabelledAd) -> set[str]:
    """The evaluation slices a record belongs to (contrast pair, evasive spelling, hard negative, real)."""
    slices = set()
    marked = record.extra.get("slice")
    if isinstance(marked, str) and marked != "base":
        slices.add(marked)
    if record.extra.get("pair_id"):
        slices.add("contrast")
    if record.extra.get("evasion"):
        slices.add("evasive")
    if record.extra.get("hard_negative"):
        slices.add("hard_negative")
    notes = (record.notes or "").lower()
    # Real: imported from a public data set. Files without a `slice` marker predate it: anything not
    # "written by" someone counts as real there.
    if marked == "real" or "imported" in notes or (not isinstance(marked, str) and not notes.startswith("written by")):
        slices.add("real")
    return slices
