"""Where the public data sets shipped with the repository live (`datasets/` at its top).

One place names the folder, so tests, benchmarks and the default training read the same copies. The
files are the published ones, byte for byte; the importers verify their checksums. The folder sits
beside the packages in a checkout (editable install), not inside an installed wheel.
"""

from __future__ import annotations

from pathlib import Path

VENDORED_DATASETS = Path(__file__).resolve().parents[2] / "datasets"
ID_SMS_SPAM_CSV = VENDORED_DATASETS / "id-sms-spam" / "dataset_sms_spam_v1.csv"
ID_INSTAGRAM_LOKER_JSONL = VENDORED_DATASETS / "id-instagram-loker" / "ads.jsonl"
