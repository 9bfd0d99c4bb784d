"""Importer for id-instagram-loker: 2,896 real Indonesian job-ad posters (OCR text), MIT.

Its labels are weak (`Fraud` only means rubric_total >= 0.85), so every ad is imported as an
unlabelled real ad that is almost surely legitimate: `label: legit`, `weak_label: true`, the source's
label kept in `original_label`, and `slice: real`. A few ads the team reviewed get their own label.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from model.datasets.common import (
    BadRow,
    ImportResult,
    dedupe,
    import_published,
)

DATASET = "id-instagram-loker"
SHA256 = "3c6c79ad35fe2c4c5a7f694ad5d7fee9b76aa17fa90a95556f24018745412210"
ORIGINAL_LABELS = ("Fraud", "Not Fraud")
ATTRIBUTION = ("imported from id-instagram-loker (ricardo-dodo/job-fraud-instagram@09b5261, dataset/labeled.csv; "
               "MIT licence, Copyright (c) 2024 Ricardo); real ad, OCR text; weak label: treated as an "
               "unlabelled real ad, assumed legit")
# Ads read one by one, with the label a person gave them (model/datasets/reviews/id-instagram-loker.jsonl):
# the 46 the source calls `Fraud` (2026-11-25: all ordinary ads whose OCR lost details), and the 155 real ads
# a screening model found least ordinary (2026-12-01: 151 ordinary, 4 too thin to judge, none a scam or
# trafficking ad). `unclear` keeps the weak label and says so.
REVIEW_FILE = Path(__file__).with_name("reviews") / "id-instagram-loker.jsonl"


@lru_cache(maxsize=1)
def reviewed() -> dict[str, dict[str, str]]:
    lines = REVIEW_FILE.read_text(encoding="utf-8").splitlines()
    return {entry["id"]: entry for entry in (json.loads(line) for line in lines if line.strip())}


def _record(raw: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": f"{DATASET}-{raw['id']}", "source": "instagram", "title": "", "text": raw["text"].strip(),
        "label": "legit", "lang": "id", "notes": ATTRIBUTION,
        "group": f"import-{DATASET}-{raw.get('account') or 'unknown'}", "slice": "real", "weak_label": True,
        "original_label": raw["original_label"], "rubric_total": raw.get("rubric_total"),
        "account": raw.get("account") or "", "posted_at": raw.get("posted_at"),
    }
    review = reviewed().get(raw["id"])
    if review is not None:
        record["notes"] = (f"{ATTRIBUTION}; reviewed by {review['reviewer']} on {review['date']}: "
                           f"{review['label']}, {review['why']}")
        if review["label"] != "unclear":
            record.update(label=review["label"], weak_label=False)
    return record


def parse_id_instagram_loker(text: str) -> ImportResult:
    """Records from the JSONL text; bad lines are kept in `rejected` with their line number."""
    result = ImportResult(DATASET)
    records: list[dict[str, Any]] = []
    seen_ids: dict[str, int] = {}
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            result.rejected.append(BadRow(line_no, f"not valid JSON ({exc.msg})"))
            continue
        if not isinstance(raw, dict):
            result.rejected.append(BadRow(line_no, "not a JSON object"))
            continue
        missing = [key for key in ("id", "text", "original_label") if not isinstance(raw.get(key), str)]
        if missing:
            result.rejected.append(BadRow(line_no, f"missing or non-string field(s): {', '.join(missing)}"))
            continue
        if not raw["text"].strip():
            result.rejected.append(BadRow(line_no, "empty text"))
            continue
        if raw["original_label"] not in ORIGINAL_LABELS:
            reason = f"original_label {raw['original_label']!r} is not Fraud or Not Fraud"
            result.rejected.append(BadRow(line_no, reason))
            continue
        if raw["id"] in seen_ids:
            result.rejected.append(BadRow(line_no, f"id {raw['id']!r} already used on line {seen_ids[raw['id']]}"))
            continue
        seen_ids[raw["id"]] = line_no
        records.append(_record(raw))
    result.records, result.duplicates = dedupe(records)
    return result


def import_id_instagram_loker(path: Path, *, verify: bool = True, skip_bad: bool = False) -> ImportResult:
    """Check the file is the published one, then parse it; raises DatasetError on any bad line unless skipped."""
    return import_published(DATASET, path, SHA256, parse_id_instagram_loker, verify=verify, skip_bad=skip_bad)
