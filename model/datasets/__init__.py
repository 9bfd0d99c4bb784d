"""Importers that turn public data sets into labelled-data JSONL, one module per data set.

Each importer is a function `path -> ImportResult` that reads and checks a file but writes nothing;
`common.write_jsonl` writes. The CLI (`lokerwatch data import NAME PATH --out FILE`) wires them.
"""

from __future__ import annotations

from model.datasets.common import BadRow, DatasetError, Importer, ImportResult, write_jsonl
from model.datasets.emscad import import_emscad
from model.datasets.id_instagram_loker import import_id_instagram_loker
from model.datasets.id_sms_spam import import_id_sms_spam

IMPORTERS: dict[str, Importer] = {
    "id-sms-spam": import_id_sms_spam,
    "id-instagram-loker": import_id_instagram_loker,
    "emscad": import_emscad,
}

__all__ = ["IMPORTERS", "BadRow", "DatasetError", "ImportResult", "Importer", "write_jsonl"]
