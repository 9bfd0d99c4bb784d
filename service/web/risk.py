"""What "risk" means on the desk, and its three levels.

A scorer gives p_trafficking and p_scam (`model.records.Score`); risk is their sum, capped at 100%: the
chance that the ad is *not* an ordinary job ad. The review threshold (settings) is where an ad enters
the queue, so it is also where risk stops being "rendah"; "tinggi" starts halfway from there to 100%,
and never below 80%.
"""

from __future__ import annotations

DEFAULT_THRESHOLD = 0.5
HIGH_AT_LEAST = 0.8
LEVEL_LABELS = {"low": "rendah", "mid": "sedang", "high": "tinggi"}


def high_from(threshold: float) -> float:
    return max(HIGH_AT_LEAST, (1.0 + threshold) / 2)


def level(value: float | None, threshold: float = DEFAULT_THRESHOLD) -> str:
    """low (under the review threshold), mid, or high."""
    if value is None or value < threshold:
        return "low"
    return "high" if value >= high_from(threshold) else "mid"
