"""Importer for id-instagram-loker: 2,896 real Indonesian job-ad posters (OCR text), MIT.

Its labels are weak (`Fraud` only means rubric_total >= 0.85), so every ad is imported as an
unlabelled real ad that is almost surely legitimate: `label: legit`, `weak_label: true`, the source's
label kept in `original_label`, and `slice: real`. A few ads the team reviewed get their own label.
"""

from __future__ import annotations

import json
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
# The 46 ads the source labels `Fraud`, read one by one by the lokerwatch team on 2026-11-25 (see
# labelled_data/README.md): all are ordinary job ads whose OCR lost the company name or details; none
# asks for money, hides the employer behind a chat-only contact, or sends people abroad. id -> (label, why).
_REVIEWED_FRAUD_IDS = (
    "ig-0016", "ig-0033", "ig-0035", "ig-0328", "ig-0414", "ig-0448", "ig-0580", "ig-0597", "ig-0604", "ig-0616",
    "ig-0751", "ig-0763", "ig-0771", "ig-1010", "ig-1081", "ig-1091", "ig-1094", "ig-1233", "ig-1362", "ig-1370",
    "ig-1378", "ig-1411", "ig-1505", "ig-1507", "ig-1513", "ig-1527", "ig-1548", "ig-1565", "ig-1566", "ig-1604",
    "ig-1626", "ig-1661", "ig-1686", "ig-1694", "ig-1763", "ig-1775", "ig-1928", "ig-2010", "ig-2028", "ig-2098",
    "ig-2129", "ig-2818", "ig-2826", "ig-2873", "ig-2883", "ig-2891",
)
REVIEWED: dict[str, tuple[str, str]] = {
    ad_id: ("legit", "source label Fraud (rubric_total >= 0.85) reviewed: an ordinary job ad, no scam or "
                     "trafficking sign") for ad_id in _REVIEWED_FRAUD_IDS
}


def _record(raw: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": f"{DATASET}-{raw['id']}", "source": "instagram", "title": "", "text": raw["text"].strip(),
        "label": "legit", "lang": "id", "notes": ATTRIBUTION,
        "group": f"import-{DATASET}-{raw.get('account') or 'unknown'}", "slice": "real", "weak_label": True,
        "original_label": raw["original_label"], "rubric_total": raw.get("rubric_total"),
        "account": raw.get("account") or "", "posted_at": raw.get("posted_at"),
    }
    if raw["id"] in REVIEWED:
        label, why = REVIEWED[raw["id"]]
        record.update(label=label, weak_label=False, notes=f"{ATTRIBUTION}; reviewed by the lokerwatch team: {why}")
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
