"""The review threshold: the risk at which an ad enters the queue and its level stops being "rendah".

Each trained model chose its own on held-out real and written legitimate ads (`thresholds.json`,
`review`), so the queue, its sync, decisions and the desk all take the ACTIVE model's. The setting
`LOKERWATCH_REVIEW_THRESHOLD` overrides it when given; with no trained model active, `rules-0`
keeps 0.5. One function, so the queue's contents and the words on the desk never disagree.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session

from model.artifact import THRESHOLDS_FILE
from service.errors import LokerwatchError
from service.scoring.registry import active_version
from service.settings import Settings

RULES_REVIEW_THRESHOLD = 0.5


@lru_cache(maxsize=8)
def _read_review(path: Path, modified_ns: int, size: int) -> float:
    # keyed by the file's time and size, so a replaced thresholds.json is read again and an unchanged one is not
    value = json.loads(path.read_text(encoding="utf-8"))["review"]
    if not isinstance(value, int | float) or not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"review threshold {value!r} is not a probability")
    return float(value)


def model_review_threshold(folder: Path) -> float:
    """The review threshold a trained model chose (its `thresholds.json`)."""
    path = folder / THRESHOLDS_FILE
    try:
        status = path.stat()
        return _read_review(path, status.st_mtime_ns, status.st_size)
    except (OSError, KeyError, TypeError, ValueError) as exc:
        raise LokerwatchError(f"the active model's {path} cannot be read ({exc}); "
                              "activate another with `lokerwatch models activate`") from exc


def review_threshold(session: Session, settings: Settings) -> float:
    """The setting if given, else the active model's own threshold, else rules-0's 0.5."""
    if settings.review_threshold is not None:
        return settings.review_threshold
    version = active_version(session)
    if version is None:
        return RULES_REVIEW_THRESHOLD
    return model_review_threshold(settings.model_dir / version)
