"""Importer for the Indonesian SMS spam/fraud set (Rahmi & Wibisono 2016, CC BY-SA 4.0).

Real messages written by real scammers: scam-side signal and a check that normalisation works on
text nobody on the team wrote. They are not job ads, so records say so (`job_ad: false`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from model.datasets.common import BadRow, ImportResult, dedupe, import_published

DATASET = "id-sms-spam"
SHA256 = "206e8cb15de401b499df4323c58527e9e6eb9e70608bafabeec3516a6d0d717c"
HEADER = ["Teks", "label"]
# 1 = fraud (penipuan) -> scam; 0 = normal and 2 = promo are not scams.
LABELS = {"0": ("legit", "normal"), "1": ("scam", "fraud"), "2": ("legit", "promo")}
ATTRIBUTION = ("imported from id-sms-spam v1.0 (Rahmi, F. and Wibisono, Y. 2016, Aplikasi SMS Spam Filtering "
               "pada Android menggunakan Naive Bayes), licence CC BY-SA 4.0 "
               "https://creativecommons.org/licenses/by-sa/4.0/; copy from "
               "Andikazidanef15/Sentiment-Analysis-on-Indonesian-SMS-Dataset@7fea222; not a job ad")


def parse_id_sms_spam(text: str) -> ImportResult:
    """Records from the CSV's text; rows that break the format are kept in `rejected` with their line."""
    result = ImportResult(DATASET)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        result.rejected.append(BadRow(1, "empty file, expected the header 'Teks,label'"))
        return result
    if [h.strip().lstrip("\ufeff") for h in header] != HEADER:
        result.rejected.append(BadRow(1, f"header is {','.join(header)!r}, expected 'Teks,label'"))
        return result
    records: list[dict[str, Any]] = []
    line = reader.line_num + 1
    row_no = 0
    try:
        for row in reader:
            start, line = line, reader.line_num + 1
            if not row:
                continue
            row_no += 1
            if len(row) != 2:
                result.rejected.append(BadRow(start, f"{len(row)} columns, expected 2 (Teks,label)"))
                continue
            message, code = row[0].strip(), row[1].strip()
            if code not in LABELS:
                result.rejected.append(BadRow(start, f"label {code!r} is not 0, 1 or 2"))
                continue
            if not message:
                result.rejected.append(BadRow(start, "empty message text"))
                continue
            label, name = LABELS[code]
            records.append({
                "id": f"{DATASET}-{row_no:04d}", "source": "sms", "title": "",
                "text": message, "label": label, "lang": "id", "notes": ATTRIBUTION,
                "group": f"import-{DATASET}", "slice": "real", "original_label": f"{code} {name}",
                "job_ad": False, "source_line": start,
            })
    except csv.Error as exc:
        result.rejected.append(BadRow(reader.line_num, f"broken CSV ({exc})"))
    result.records, result.duplicates = dedupe(records)
    return result


def import_id_sms_spam(path: Path, *, verify: bool = True, skip_bad: bool = False) -> ImportResult:
    """Check the file is the published one, then parse it; raises DatasetError on any bad row unless skipped."""
    return import_published(DATASET, path, SHA256, parse_id_sms_spam, verify=verify, skip_bad=skip_bad)
