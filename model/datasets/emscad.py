"""Importer for EMSCAD (`fake_job_postings.csv`, University of the Aegean): English job ads, fraudulent -> scam.

Written against the published column list; no complete copy is vendored in datasets/, so the
checksum is taken from a README.md beside the file when one names it, and reported as unknown otherwise.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from model.datasets.common import (
    BadRow,
    ImportResult,
    dedupe,
    finish,
    read_text,
    require_file,
    sha256_from_readme,
    verify_sha256,
)

DATASET = "emscad"
COLUMNS = ("job_id", "title", "location", "department", "salary_range", "company_profile", "description",
           "requirements", "benefits", "telecommuting", "has_company_logo", "has_questions", "employment_type",
           "required_experience", "required_education", "industry", "function", "fraudulent")
_SECTIONS = (("company_profile", "Company"), ("description", "Description"), ("requirements", "Requirements"),
             ("benefits", "Benefits"))
_META = (("location", "Location"), ("salary_range", "Salary"), ("employment_type", "Employment type"))
ATTRIBUTION = ("imported from EMSCAD, Employment Scam Aegean Dataset (Vidros et al. 2017, University of the "
               "Aegean), fake_job_postings.csv")


def ad_text(row: dict[str, str]) -> str:
    """One ad text from EMSCAD's fields, in the order a reader of the posting meets them."""
    meta = [f"{name}: {row[key].strip()}" for key, name in _META if (row.get(key) or "").strip()]
    parts = [" | ".join(meta)] if meta else []
    parts += [f"{name}: {row[key].strip()}" for key, name in _SECTIONS if (row.get(key) or "").strip()]
    return "\n\n".join(parts)


def parse_emscad(text: str) -> ImportResult:
    """Records from the CSV's text; bad rows are kept in `rejected` with the line they start on."""
    result = ImportResult(DATASET)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lstrip("\ufeff") for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        result.rejected.append(BadRow(1, f"missing column(s): {', '.join(missing)}"))
        return result
    reader.fieldnames = header
    records: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    line = reader.line_num + 1
    try:
        for row in reader:
            start, line = line, reader.line_num + 1
            if None in row or any(value is None for value in row.values()):
                result.rejected.append(BadRow(start, f"{len(header)} columns expected, row has a different count"))
                continue
            job_id, fraudulent = row["job_id"].strip(), row["fraudulent"].strip()
            if not job_id:
                result.rejected.append(BadRow(start, "empty job_id"))
                continue
            if job_id in seen:
                result.rejected.append(BadRow(start, f"job_id {job_id!r} already used on line {seen[job_id]}"))
                continue
            if fraudulent not in ("0", "1"):
                result.rejected.append(BadRow(start, f"fraudulent {fraudulent!r} is not 0 or 1"))
                continue
            body = ad_text(row)
            if not any((row.get(key) or "").strip() for key, _ in _SECTIONS):
                result.rejected.append(BadRow(start, "no company profile, description, requirements or benefits"))
                continue
            seen[job_id] = start
            records.append({
                "id": f"{DATASET}-{job_id}", "source": "jobboard", "title": row["title"].strip(), "text": body,
                "label": "scam" if fraudulent == "1" else "legit", "lang": "en", "notes": ATTRIBUTION,
                "group": f"import-{DATASET}", "slice": "real", "original_label": f"fraudulent={fraudulent}",
                "emscad": {key: row[key].strip() for key in ("telecommuting", "has_company_logo", "has_questions",
                                                             "required_experience", "required_education",
                                                             "industry", "function", "department")},
            })
    except csv.Error as exc:
        result.rejected.append(BadRow(reader.line_num, f"broken CSV ({exc})"))
    result.records, result.duplicates = dedupe(records)
    return result


def import_emscad(path: Path, *, verify: bool = True, skip_bad: bool = False) -> ImportResult:
    """Parse EMSCAD; the checksum is verified when the data set's README publishes one."""
    require_file(DATASET, path)
    expected = sha256_from_readme(path) if verify else None
    checksum = verify_sha256(DATASET, path, expected) if expected else ("skipped" if not verify else "unknown")
    result = parse_emscad(read_text(DATASET, path))
    result.checksum = checksum
    return finish(result, path, skip_bad)
