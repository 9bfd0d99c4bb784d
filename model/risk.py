"""The one risk formula: training, evaluation, scoring, the queue and the desk all call these.

Risk is the model's probability that an ad is suspicious at all (scam or trafficking), so
`risk = p_scam + p_trafficking = 1 - p_legit`. Levels turn it into words for people: the review
threshold (chosen per model on held-out legitimate ads) is where "tinggi" starts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Level codes and their Bahasa words. Under the review threshold an ad is not queued: "rendah". Above it,
# "tinggi" starts halfway from the threshold to 100% (and never below 80%), so the queue's top is visible.
LEVEL_LABELS = {"low": "rendah", "mid": "sedang", "high": "tinggi"}
HIGH_AT_LEAST = 0.8


def risk_of(p_scam: float, p_trafficking: float) -> float:
    """Probability that the ad is scam or trafficking recruitment."""
    return float(min(1.0, max(0.0, p_scam + p_trafficking)))


def risk_column(probabilities: np.ndarray, classes: Sequence[str]) -> np.ndarray:
    """`risk_of` for every row of a (n, classes) probability matrix."""
    return np.clip(1.0 - probabilities[:, list(classes).index("legit")], 0.0, 1.0)


def high_from(review_threshold: float) -> float:
    return max(HIGH_AT_LEAST, (1.0 + review_threshold) / 2)


def risk_level(risk: float | None, review_threshold: float) -> str:
    """`low` under the review threshold (not queued), `mid` above it, `high` near the top."""
    if risk is None or risk < review_threshold:
        return "low"
    return "high" if risk >= high_from(review_threshold) else "mid"
